"""Court proceedings (hearings, decisions, appeals, judgments), deadlines and their reminders,
and the secret tokens of the calendar feeds (issue 13).

Proceedings and deadlines live beside warrants because they link warrants and charges.
"""

import datetime
import hashlib
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.dates import latest_legal_date
from core.models import Record, audited, record_triggers
from core.workflow import StatusGuard, Workflow, status_check

from . import workflows


class ProceedingKind(models.TextChoices):
    HEARING = "hearing", _("Hearing")
    DECISION = "decision", _("Decision")
    APPEAL_LODGED = "appeal_lodged", _("Appeal lodged")
    JUDGMENT = "judgment", _("Judgment")


PROCEEDING_STATES = sorted({s for wf in workflows.PROCEEDING_WORKFLOWS.values() for s in wf.states})
# An appeal in one of these states is pending: the warrants it is against are in question.
APPEAL_PENDING = ("lodged", "heard")


@audited("ProceedingAudit")
class Proceeding(Record):
    """A step before a court in a case: a hearing, a decision, an appeal lodged, a judgment.

    Its workflow depends on its kind (warrants.workflows.PROCEEDING_WORKFLOWS): a hearing is
    scheduled, then held, postponed or cancelled; an appeal is lodged, heard, decided (or
    withdrawn); a decision or judgment is recorded as delivered.
    """

    RESOURCE = "proceeding"

    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, related_name="proceedings", help_text="The case."
    )
    kind = models.CharField(
        max_length=16,
        choices=ProceedingKind.choices,
        help_text="hearing, decision, appeal_lodged or judgment (fixed once created).",
    )
    court = models.CharField(max_length=200, help_text="e.g. Cour de cassation.")
    chamber = models.CharField(
        max_length=200, blank=True, help_text="e.g. Assemblée plénière, Chambre criminelle."
    )
    reference = models.CharField(
        max_length=100, blank=True, help_text="The court's docket number, e.g. 24-84.393."
    )
    date = models.DateField(
        help_text="Day of the hearing (may lie ahead), or the day the decision or judgment was "
        "delivered or the appeal lodged (then not in the future)."
    )
    time = models.TimeField(
        null=True, blank=True, help_text="Start of a hearing, in the court's local time."
    )
    outcome = models.TextField(
        blank=True, help_text="What the court decided, e.g. 'Warrant annulled: personal immunity'."
    )
    appeal = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="steps",
        help_text="The appeal (kind appeal_lodged, same case) this hearing or decision is part of.",
    )
    warrants = models.ManyToManyField(
        "warrants.Warrant",
        blank=True,
        related_name="proceedings",
        help_text="Warrants it concerns (an appeal lodged against them, a decision on them).",
    )
    charges = models.ManyToManyField(
        "cases.Charge", blank=True, related_name="proceedings", help_text="Charges it concerns."
    )
    remind_days_before = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="Days before a hearing to send its reminder; empty: the REMINDER_DAYS_BEFORE "
        "setting.",
    )
    status = models.CharField(
        max_length=32,
        choices=[(s, _(s.replace("_", " "))) for s in PROCEEDING_STATES],
        editable=False,
        help_text="Workflow status (depends on kind); changes only through transitions.",
    )

    class Meta:
        ordering = ["date", "time"]
        permissions = [("transition_proceeding", "Can perform proceeding transitions")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    *[
                        models.Q(kind=kind, status__in=wf.states)
                        for kind, wf in workflows.PROCEEDING_WORKFLOWS.items()
                    ],
                    _connector=models.Q.OR,
                ),
                name="proceeding_status_valid_for_kind",
                violation_error_message="status is not valid for this kind of proceeding.",
            ),
            models.CheckConstraint(
                condition=~models.Q(appeal=models.F("id")),
                name="proceeding_not_part_of_itself",
                violation_error_message="A proceeding cannot be part of itself.",
            ),
        ]
        triggers = [
            *record_triggers(),
            StatusGuard(workflows=workflows.PROCEEDING_WORKFLOWS, discriminator="kind"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}, {self.court}, {self.date}"

    @property
    def LEGAL_DATES(self) -> tuple[str, ...]:
        # Read by core.actions.creation_date for the creation Event's legal date: a hearing
        # is scheduled today for a later day; the rest happened on `date`.
        return () if self.kind == ProceedingKind.HEARING else ("date",)

    def case_id_for_event(self):
        return self.case_id

    @property
    def workflow(self) -> Workflow:
        # An unknown kind is reported by full_clean(); until then, the delivered workflow.
        return workflows.PROCEEDING_WORKFLOWS.get(self.kind, workflows.DELIVERED)

    @property
    def appeal_pending(self) -> bool:
        return self.kind == ProceedingKind.APPEAL_LODGED and self.status in APPEAL_PENDING

    def clean(self) -> None:
        errors = {}
        day = self.date if isinstance(self.date, datetime.date) else None  # None: unparsed
        if self.kind != ProceedingKind.HEARING and day and day > latest_legal_date():
            errors["date"] = (
                f"{self.date} is in the future; only a hearing may be recorded ahead of its day."
            )
        appeal = self.appeal if self.appeal_id else None
        if appeal is not None:
            if appeal.kind != ProceedingKind.APPEAL_LODGED:
                errors["appeal"] = "Link a hearing or decision to an appeal (kind appeal_lodged)."
            elif appeal.case_id != self.case_id:
                errors["appeal"] = "The appeal must belong to the same case."
            elif self.kind == ProceedingKind.APPEAL_LODGED:
                errors["appeal"] = "An appeal is not part of another appeal."
            elif appeal.pk == self.pk:
                errors["appeal"] = "A proceeding cannot be part of itself."
        if errors:
            raise ValidationError(errors)


class DeadlineKind(models.TextChoices):
    APPEAL_PERIOD = "appeal_period", _("Appeal period")
    FILING = "filing", _("Filing deadline")
    NOTICE_REVIEW = "notice_review", _("Notice review date")
    OTHER = "other", _("Other")


@audited("DeadlineAudit")
class Deadline(Record):
    """A date by which something must be done in a case: reminded a number of days before."""

    RESOURCE = "deadline"
    WORKFLOW = workflows.DEADLINE

    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, related_name="deadlines", help_text="The case."
    )
    kind = models.CharField(
        max_length=16,
        choices=DeadlineKind.choices,
        default=DeadlineKind.OTHER,
        help_text="appeal_period, filing, notice_review or other.",
    )
    title = models.CharField(
        max_length=300, help_text="What is due, e.g. 'Appeal against the annulment (10 days)'."
    )
    due_on = models.DateField(help_text="Last day to act.")
    proceeding = models.ForeignKey(
        Proceeding,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="deadlines",
        help_text="The proceeding it follows from (e.g. the decision an appeal period runs from).",
    )
    warrant = models.ForeignKey(
        "warrants.Warrant",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="deadlines",
        help_text="The warrant it concerns, if any (same case).",
    )
    notice = models.ForeignKey(
        "warrants.Notice",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="deadlines",
        help_text="The notice whose review it is, if any.",
    )
    remind_days_before = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="Days before `due_on` to send its reminder; empty: the REMINDER_DAYS_BEFORE "
        "setting.",
    )
    status = models.CharField(
        max_length=16,
        choices=workflows.DEADLINE.choices(),
        default=workflows.DEADLINE.initial,
        editable=False,
        help_text="Workflow status; changes only through transitions.",
    )

    class Meta:
        ordering = ["due_on"]
        permissions = [("transition_deadline", "Can perform deadline transitions")]
        constraints = [status_check(workflows.DEADLINE, "deadline_status_valid")]
        triggers = [*record_triggers(), StatusGuard(workflows=workflows.DEADLINE)]

    def __str__(self) -> str:
        return f"{self.title} (due {self.due_on})"

    def case_id_for_event(self):
        return self.case_id

    @property
    def workflow(self) -> Workflow:
        return self.WORKFLOW

    def clean(self) -> None:
        errors = {}
        for name in ("proceeding", "warrant"):
            linked = getattr(self, name) if getattr(self, f"{name}_id") else None
            if linked is not None and self.case_id and linked.case_id != self.case_id:
                errors[name] = f"The {name} must belong to the same case."
        notice = self.notice if self.notice_id else None
        warrant = notice.warrant if notice is not None and notice.warrant_id else None
        if warrant is not None and warrant.case_id != self.case_id:
            errors["notice"] = "The notice's warrant must belong to the same case."
        if errors:
            raise ValidationError(errors)


class Reminder(models.Model):
    """A reminder sent: at most one per record and due day (the unique key makes the beat task
    idempotent across retries and repeated runs). Written with its alert, in one transaction."""

    resource = models.CharField(max_length=32, help_text="proceeding or deadline.")
    record_id = models.UUIDField(help_text="Id of the hearing or deadline reminded of.")
    due_on = models.DateField(help_text="The day reminded of (a hearing moved is reminded again).")
    alert_id = models.UUIDField(null=True, blank=True, help_text="The alert it raised.")
    sent_at = models.DateTimeField(auto_now_add=True, help_text="When it was sent.")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["resource", "record_id", "due_on"], name="reminder_once_per_day_due"
            )
        ]

    def __str__(self) -> str:
        return f"reminder {self.resource} {self.record_id} for {self.due_on}"


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class CalendarToken(models.Model):
    """The secret of a user's iCalendar feed URL, stored hashed (shown once, rotatable)."""

    PREFIX = "cal_"

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="calendar_token",
        help_text="Whose hearings and deadlines the feed shows, as that user may see them.",
    )
    digest = models.CharField(
        max_length=64, unique=True, help_text="SHA-256 of the token (the token is never stored)."
    )
    created_at = models.DateTimeField(auto_now=True, help_text="When it was last (re)made.")

    def __str__(self) -> str:
        return f"calendar token of {self.user}"

    @classmethod
    def new_secret(cls) -> str:
        return cls.PREFIX + secrets.token_urlsafe(32)
