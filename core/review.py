"""Review: lawyers sign off what staff entered (parties and charges, domain.md §1).

`Reviewable` gives a record its review fields; `review_record` is the one writer of
them. Editing an approved record sets it back to unreviewed (core/actions.py).
"""

from uuid import UUID

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.actions import lock, require_perm
from core.events import Actor


class Review(models.TextChoices):
    UNREVIEWED = "unreviewed", _("Unreviewed")
    APPROVED = "approved", _("Approved")
    CHANGES_REQUESTED = "changes_requested", _("Changes requested")


class Reviewable(models.Model):
    """Lawyers sign off what staff entered. Editing an approved record unapproves it."""

    review = models.CharField(
        max_length=20,
        choices=Review.choices,
        default=Review.UNREVIEWED,
        editable=False,
        help_text="Review state: unreviewed, approved or changes_requested.",
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Lawyer who last reviewed it.",
    )
    reviewed_at = models.DateTimeField(
        null=True, blank=True, editable=False, help_text="When it was last reviewed."
    )
    review_comment = models.TextField(
        blank=True, editable=False, help_text="The reviewer's comment."
    )

    class Meta:
        abstract = True


REVIEW_DECISIONS = {"approve": Review.APPROVED, "request_changes": Review.CHANGES_REQUESTED}


@transaction.atomic
def review_record(*, queryset, pk: UUID, actor: Actor, perm: str, decision: str, comment: str = ""):
    """A lawyer approves a party or charge, or requests changes (with a comment)."""
    require_perm(actor, perm)
    if decision not in REVIEW_DECISIONS:
        raise ValidationError({"decision": "Use 'approve' or 'request_changes'."})
    if decision == "request_changes" and not comment.strip():
        raise ValidationError({"comment": "Say what should change."})
    record = lock(queryset, pk, None)
    record.review = REVIEW_DECISIONS[decision]
    record.reviewed_by, record.reviewed_at = actor.user, timezone.now()
    record.review_comment = comment
    record.version += 1
    with actor.audit_context():
        record.save(
            update_fields=[
                "review",
                "reviewed_by",
                "reviewed_at",
                "review_comment",
                "version",
                "updated_at",
            ]
        )
    return record
