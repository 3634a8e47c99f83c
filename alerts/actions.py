"""Writers of alerts. Acknowledging and resolving are audited, never Events."""

from typing import Any
from uuid import UUID

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.actions import lock, require_perm
from core.events import Actor

from .models import Alert, Severity, Subscription


@transaction.atomic
def alert_transition(*, alert_id: UUID, transition: str, actor: Actor, note: str = "") -> Alert:
    """acknowledge (open → acknowledged) or resolve (open/acknowledged → resolved).

    `note` says why it is resolved (kept as `resolution_note`); only a resolution takes one.
    Audited under `actor` (who and when), never an Event.
    """
    alert = lock(Alert.objects.all(), alert_id, None)
    require_perm(actor, alert.workflow.permission)
    move = alert.workflow.move(alert.status, transition)
    if note and move.target != "resolved":
        raise ValidationError({"note": "Only a resolution takes a note."})
    alert.status = move.target
    stamp = {"acknowledged": "acknowledged", "resolved": "resolved"}[move.target]
    setattr(alert, f"{stamp}_by", actor.user)
    setattr(alert, f"{stamp}_at", timezone.now())
    fields = ["status", f"{stamp}_by", f"{stamp}_at", "version", "updated_at"]
    if move.target == "resolved":
        alert.resolution_note = note
        fields.append("resolution_note")
    alert.version += 1
    with actor.audit_context():
        alert.save(update_fields=fields)
    return alert


class AlreadySubscribed(Exception):
    """The user already follows this case, party or severity (the API answers 409)."""

    def __init__(self, subscription: Subscription):
        self.subscription = subscription
        self.what = "case" if subscription.case_id else "party" if subscription.party_id else ""
        self.what = self.what or f"severity ({subscription.min_severity} and above)"
        super().__init__(f"You already follow this {self.what} (subscription {subscription.pk}).")


def _follows(*, case=None, party=None, min_severity: str = "") -> dict[str, Any]:
    """The one thing a subscription follows, as model fields; a ValidationError otherwise."""
    values = {"case": case, "party": party, "min_severity": min_severity}
    given = [name for name, value in values.items() if value]
    if len(given) != 1:
        message = "Follow exactly one of: a case, a party, a severity."
        raise ValidationError({name: message for name in given} or {"non_field_errors": message})
    if min_severity and min_severity not in Severity.values:
        raise ValidationError({"min_severity": f"Use one of: {', '.join(Severity.values)}."})
    return values


@transaction.atomic
def subscription_create(
    *, actor: Actor, case=None, party=None, min_severity: str = ""
) -> Subscription:
    """`actor`'s user follows one case, one party or every alert at least `min_severity`.

    The caller has already checked the user may see the case or party. Raises
    AlreadySubscribed if the user follows it already (also when a concurrent request
    won the race: the unique constraints decide).
    """
    if actor.user is None:
        raise PermissionDenied("Only a user (or an API key's owner) can follow things.")
    follows = _follows(case=case, party=party, min_severity=min_severity)
    existing = Subscription.objects.filter(user=actor.user, **follows).first()
    if existing is not None:
        raise AlreadySubscribed(existing)
    try:
        with transaction.atomic():
            return Subscription.objects.create(user=actor.user, **follows)
    except IntegrityError:
        raise AlreadySubscribed(Subscription.objects.get(user=actor.user, **follows)) from None


def subscription_delete(*, actor: Actor, subscription_id: UUID) -> None:
    """Stop following: delete one of `actor`'s own subscriptions (DoesNotExist if not theirs)."""
    deleted, _ = Subscription.objects.filter(pk=subscription_id, user=actor.user).delete()
    if not deleted:
        raise Subscription.DoesNotExist(f"No subscription {subscription_id} of yours.")


def subscription_follow(*, user, case=None, party=None) -> Subscription:
    """`user` follows a case or a party (idempotent: following twice keeps one subscription)."""
    if (case is None) == (party is None):
        raise ValueError("Follow exactly one case or one party.")
    try:
        return subscription_create(actor=Actor.for_user(user), case=case, party=party)
    except AlreadySubscribed as already:
        return already.subscription


def subscription_unfollow(*, user, case=None, party=None) -> None:
    """Stop following a case or a party (idempotent)."""
    Subscription.objects.filter(user=user, case=case, party=party, min_severity="").delete()
