from django.conf import settings
from django.db import models

from casetracker.models import Record, audited, record_triggers
from casetracker.workflow import StatusGuard, Workflow, status_check

from .workflows import ALERT


class Severity(models.TextChoices):
    CRITICAL = "critical"
    HIGH = "high"
    NORMAL = "normal"
    INFO = "info"


@audited("AlertAudit")
class Alert(Record):
    """A flag raised from an event or a periodic check, for people to act on.

    Acknowledging and resolving are audited (pghistory) but are not Events,
    so flags never flag themselves.
    """

    WORKFLOW = ALERT

    event = models.ForeignKey(
        "casetracker.Event",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="alerts",
        help_text="The event that raised it, if any.",
    )
    condition = models.CharField(
        max_length=200,
        blank=True,
        help_text="Key of the periodic-check condition that raised it (one open alert each).",
    )
    severity = models.CharField(max_length=16, choices=Severity.choices, help_text="How urgent.")
    title = models.CharField(max_length=300, help_text="One line a person understands.")
    message = models.TextField(blank=True, help_text="Details.")
    case = models.ForeignKey(
        "cases.Case",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="alerts",
        help_text="The case concerned, if any.",
    )
    subject_resource = models.CharField(
        max_length=32, blank=True, help_text="Kind of record it is about, e.g. notice."
    )
    subject_id = models.UUIDField(null=True, blank=True, help_text="Id of the record it is about.")
    status = models.CharField(
        max_length=16,
        choices=ALERT.choices(),
        default=ALERT.initial,
        editable=False,
        help_text="open, acknowledged or resolved.",
    )
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
        help_text="Who acknowledged it.",
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True, editable=False)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
        help_text="Who resolved it.",
    )
    resolved_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            status_check(ALERT, "alert_status_valid"),
            models.UniqueConstraint(
                fields=["condition"],
                condition=~models.Q(condition="") & ~models.Q(status="resolved"),
                name="alert_one_open_per_condition",
            ),
        ]
        triggers = [*record_triggers(), StatusGuard(workflows=ALERT)]

    def __str__(self) -> str:
        return self.title

    @property
    def workflow(self) -> Workflow:
        return self.WORKFLOW
