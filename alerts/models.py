import uuid

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.events import type_matches
from core.models import Record, audited, record_triggers
from core.workflow import StatusGuard, Workflow, status_check

from .workflows import ALERT

# Stored titles keep this placeholder for the party's name: it is filled in when read, for the
# reader, so protecting a party hides its name at once in every alert, older ones included.
SUBJECT = "{subject}"
UNKNOWN_PARTY = "an unknown party"


class Severity(models.TextChoices):
    CRITICAL = "critical", _("Critical")
    HIGH = "high", _("High")
    NORMAL = "normal", _("Normal")
    INFO = "info", _("Info")


@audited("AlertAudit")
class Alert(Record):
    """A flag raised from an event or a periodic check, for people to act on.

    Acknowledging and resolving are audited (pghistory) but are not Events,
    so flags never flag themselves.
    """

    # The stored title keeps `{subject}` for the party it names, filled in per reader
    # (shown_title); audit rows from before migration 0011 hold the name as it was
    # written. History pages leave it out (web/history.py).
    HISTORY_OMITS = ("title",)

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
    title = models.CharField(
        max_length=300,
        help_text="One line a person understands, as stored: `{subject}` stands for the name of "
        "`party`, filled in when read, as the reader may see it.",
    )
    party = models.ForeignKey(
        "parties.Party",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="alerts",
        help_text="The party the alert is mainly about, if any: the title names it by the name "
        "each reader may see (a protected party's pseudonym for those who may not see more).",
    )
    reveals_identity = models.BooleanField(
        default=False,
        editable=False,
        help_text="It tells what only a protected identity shows (that the person held an office "
        "with personal immunity): while `party` is protected, only readers who may see protected "
        "identities see the alert at all.",
    )
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
    acknowledged_at = models.DateTimeField(
        null=True, blank=True, editable=False, help_text="When it was acknowledged."
    )
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
        help_text="Who resolved it.",
    )
    resolved_at = models.DateTimeField(
        null=True, blank=True, editable=False, help_text="When it was resolved."
    )
    resolution_note = models.TextField(
        blank=True,
        editable=False,
        help_text="Why it was resolved; 'condition cleared: ...' when a periodic check "
        "resolved it by itself because its condition no longer holds.",
    )

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            status_check(ALERT, "alert_status_valid"),
            models.UniqueConstraint(
                fields=["condition"],
                condition=~models.Q(condition="") & ~models.Q(status="resolved"),
                name="alert_one_open_per_condition",
            ),
            models.UniqueConstraint(fields=["event"], name="alert_one_per_event"),
        ]
        triggers = [*record_triggers(), StatusGuard(workflows=ALERT)]

    def __str__(self) -> str:
        return self.shown_title

    @property
    def workflow(self) -> Workflow:
        return self.WORKFLOW

    @property
    def shown_title(self) -> str:
        """The title with its party named as the reader may see it.

        The name comes from `party_shown_name`, which `alerts.selectors.alerts_for_reader`
        annotates for the reader. Without it (an alert not read through a selector) the
        party is named as anyone may see it: a protected party by its pseudonym.
        """
        if SUBJECT not in self.title:
            return self.title
        name = getattr(self, "party_shown_name", None)
        if name is None:
            # Party.__str__: the name anyone may see (a protected party's pseudonym).
            name = str(self.party) if self.party_id and self.party else UNKNOWN_PARTY
        return self.title.replace(SUBJECT, name)


def rule_type_matches(pattern: str, event_type: str) -> bool:
    """A rule's event type: as `type_matches`, and a leading `*.` for any resource
    (`*.created`). Without it the default rule `*.created` (migration 0004) never matched
    and every creation fell through to the catch-all `*` rule: "Party (X): , now "."""
    if pattern.startswith("*.") and len(pattern) > 2:
        return event_type.endswith(pattern[1:])
    return type_matches(pattern, event_type)


SEVERITY_RANK: dict[str, int] = {
    Severity.INFO: 0,
    Severity.NORMAL: 1,
    Severity.HIGH: 2,
    Severity.CRITICAL: 3,
}
IMMEDIATE_SEVERITIES = (Severity.CRITICAL, Severity.HIGH)


class AlertRule(models.Model):
    """Which events raise an alert, how severe, and with what title. Data the admin edits.

    Rules are tried by `priority` (lowest first); the first enabled rule whose
    `event_type` and `match` fit the event decides. A rule with `raises` off
    silences the events it matches.
    """

    event_type = models.CharField(
        max_length=64,
        help_text="Event type it matches, e.g. notice.published; a trailing * matches a prefix "
        "(warrant.*, *).",
    )
    match = models.JSONField(
        default=dict,
        blank=True,
        help_text='Values the changed record must have, e.g. {"kind": "red"}; empty matches all.',
    )
    severity = models.CharField(
        max_length=16,
        choices=Severity.choices,
        default=Severity.NORMAL,
        help_text="Severity of the alerts it raises.",
    )
    title = models.CharField(
        max_length=300,
        help_text="Title template. Placeholders: {subject} (the person or case concerned), "
        "{record}, {case}, {kind}, {reference}, {type}, {transition}, {from_status}, {to_status}.",
    )
    priority = models.IntegerField(
        default=100, help_text="Rules are tried from the lowest priority number up."
    )
    raises = models.BooleanField(
        default=True, help_text="Off: the events it matches raise no alert at all."
    )
    enabled = models.BooleanField(default=True, help_text="Off: the rule is skipped.")

    class Meta:
        ordering = ["priority", "id"]

    def __str__(self) -> str:
        return f"{self.event_type} {self.match or ''} → {self.severity}"

    def matches(self, event_type: str, data: dict) -> bool:
        if not rule_type_matches(self.event_type, event_type):
            return False
        return all(data.get(key) == value for key, value in (self.match or {}).items())


class EventReceipt(models.Model):
    """One consumer (alerts, webhooks) has fully handled one event: the relay's progress.

    Written in the same transaction as the consumer's side effects, so a
    redelivered task finds it and does nothing twice.
    """

    event = models.ForeignKey(
        "casetracker.Event",
        on_delete=models.PROTECT,
        related_name="receipts",
        db_index=False,
        help_text="The event handled.",
    )
    consumer = models.CharField(max_length=32, help_text="Name of the consumer, e.g. webhooks.")
    processed_at = models.DateTimeField(auto_now_add=True, help_text="When it was handled.")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["event", "consumer"], name="receipt_once_per_consumer")
        ]

    def __str__(self) -> str:
        return f"{self.consumer} handled #{self.event_id}"


class OutboxEntry(models.Model):
    """An event not yet handled by every consumer: the relay's work queue.

    A database trigger (migration 0005) inserts one row for every Event, in the
    event's own transaction, so a committed event always has its entry and a
    rolled-back one never does. The relay deletes the entry once every consumer
    has its receipt.
    """

    event = models.OneToOneField(
        "casetracker.Event",
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text="The event waiting to be relayed.",
    )

    def __str__(self) -> str:
        return f"pending #{self.event_id}"


class Subscription(models.Model):
    """A user follows a case, a party, or every alert at least as severe as a level."""

    id = models.UUIDField(
        primary_key=True, default=uuid.uuid4, editable=False, help_text="Subscription id."
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="alert_subscriptions",
        help_text="Who is notified.",
    )
    case = models.ForeignKey(
        "cases.Case",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="subscriptions",
        help_text="Follow every alert about this case.",
    )
    party = models.ForeignKey(
        "parties.Party",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="subscriptions",
        help_text="Follow every alert about this party (its warrants, notices, roles).",
    )
    min_severity = models.CharField(
        max_length=16,
        choices=Severity.choices,
        blank=True,
        help_text="Follow every alert at least this severe.",
    )
    created_at = models.DateTimeField(auto_now_add=True, help_text="When it was created.")

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(case__isnull=False, party__isnull=True, min_severity="")
                    | models.Q(case__isnull=True, party__isnull=False, min_severity="")
                    | (models.Q(case__isnull=True, party__isnull=True) & ~models.Q(min_severity=""))
                ),
                name="subscription_follows_one_thing",
                violation_error_message="Follow exactly one of: a case, a party, a severity.",
            ),
            models.UniqueConstraint(fields=["user", "case"], name="subscription_case_once"),
            models.UniqueConstraint(fields=["user", "party"], name="subscription_party_once"),
            models.UniqueConstraint(
                fields=["user", "min_severity"],
                condition=~models.Q(min_severity=""),
                name="subscription_severity_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} follows {self.case or self.party or self.min_severity}"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending"
    SUCCEEDED = "succeeded"
    FAILED = "failed"


class Notification(models.Model):
    """One alert to email to one user: at once (critical, high) or in the daily digest.

    Unique per (alert, user): nobody is mailed twice about the same thing.
    """

    alert = models.ForeignKey(
        Alert, on_delete=models.CASCADE, related_name="notifications", help_text="The alert."
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="alert_notifications",
        help_text="Who is mailed.",
    )
    digest = models.BooleanField(help_text="Sent in the daily digest rather than at once.")
    status = models.CharField(
        max_length=16,
        choices=DeliveryStatus.choices,
        default=DeliveryStatus.PENDING,
        help_text="pending, succeeded (mailed) or failed (gave up).",
    )
    attempts = models.PositiveIntegerField(default=0, help_text="Sending attempts so far.")
    next_attempt_at = models.DateTimeField(
        null=True, blank=True, help_text="When to try (again); empty for a digest's first run."
    )
    last_error = models.TextField(blank=True, help_text="Error of the last failed attempt.")
    created_at = models.DateTimeField(auto_now_add=True, help_text="When it was queued.")
    sent_at = models.DateTimeField(null=True, blank=True, help_text="When it was mailed.")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["alert", "user"], name="notification_once_per_user")
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.alert} → {self.user}"


class WebhookEndpoint(Record):
    """An API client's URL that receives signed events (Standard Webhooks)."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="webhook_endpoints",
        help_text="Whose endpoint: events are rendered as this user may see them.",
    )
    url = models.URLField(max_length=2000, help_text="http(s) URL receiving POSTed events.")
    description = models.CharField(max_length=200, blank=True, help_text="What it is for.")
    event_types = ArrayField(
        models.CharField(max_length=64),
        help_text="Event types to send; a trailing * matches a prefix (warrant.*, *).",
    )
    secret = models.CharField(
        max_length=100, editable=False, help_text="Signing secret (whsec_...), shown once."
    )
    previous_secret = models.CharField(
        max_length=100, blank=True, editable=False, help_text="Secret before the last rotation."
    )
    previous_secret_expires_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text="Until then deliveries carry signatures with both secrets.",
    )
    active = models.BooleanField(default=True, help_text="Off: nothing is sent.")
    disabled_at = models.DateTimeField(
        null=True, blank=True, editable=False, help_text="When it was disabled automatically."
    )
    disabled_reason = models.CharField(
        max_length=200, blank=True, editable=False, help_text="Why it was disabled."
    )
    consecutive_failures = models.PositiveIntegerField(
        default=0, editable=False, help_text="Failed attempts since the last success."
    )
    owner_notified_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text="When the owner was mailed about the last disabling.",
    )

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.url

    def wants(self, event_type: str) -> bool:
        return any(type_matches(pattern, event_type) for pattern in self.event_types)


class WebhookDelivery(models.Model):
    """One event to one endpoint: retried on a schedule kept here, until success or give-up."""

    id = models.UUIDField(
        primary_key=True, default=uuid.uuid4, editable=False, help_text="Delivery id."
    )
    endpoint = models.ForeignKey(
        WebhookEndpoint,
        on_delete=models.CASCADE,
        related_name="deliveries",
        help_text="Where it goes.",
    )
    event = models.ForeignKey(
        "casetracker.Event",
        on_delete=models.PROTECT,
        related_name="webhook_deliveries",
        help_text="What is sent; its id is the webhook-id.",
    )
    status = models.CharField(
        max_length=16,
        choices=DeliveryStatus.choices,
        default=DeliveryStatus.PENDING,
        help_text="pending, succeeded or failed (retries exhausted).",
    )
    attempts = models.PositiveIntegerField(default=0, help_text="Attempts so far.")
    next_attempt_at = models.DateTimeField(
        null=True, blank=True, help_text="When the next attempt is due (pending only)."
    )
    redelivery_requested = models.BooleanField(
        default=False, help_text="The next attempt was asked for by hand (redeliver)."
    )
    created_at = models.DateTimeField(auto_now_add=True, help_text="When it was queued.")
    delivered_at = models.DateTimeField(
        null=True, blank=True, help_text="When a 2xx answer was received."
    )

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["endpoint", "event"], name="delivery_once_per_event")
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.event} → {self.endpoint}"


class DeliveryAttempt(models.Model):
    """One HTTP attempt of a delivery: the delivery log."""

    delivery = models.ForeignKey(
        WebhookDelivery,
        on_delete=models.CASCADE,
        related_name="attempt_log",
        help_text="The delivery.",
    )
    attempted_at = models.DateTimeField(help_text="When the request started.")
    address = models.GenericIPAddressField(
        null=True, blank=True, help_text="The IP address connected to (pinned after checks)."
    )
    status_code = models.PositiveIntegerField(
        null=True, blank=True, help_text="HTTP status received; empty when none."
    )
    error = models.CharField(
        max_length=500, blank=True, help_text="Why it failed without a status (timeout, refused)."
    )
    latency_ms = models.PositiveIntegerField(default=0, help_text="Time to the response.")
    response_body = models.TextField(blank=True, help_text="Start of the response body.")
    manual = models.BooleanField(default=False, help_text="Triggered by a manual redelivery.")

    class Meta:
        ordering = ["attempted_at", "id"]

    def __str__(self) -> str:
        return f"{self.delivery_id} {self.status_code or self.error}"

    @property
    def succeeded(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


class WorkerHeartbeat(models.Model):
    """The last canary task a worker ran: proof that workers consume (see /healthz)."""

    name = models.CharField(
        max_length=50, primary_key=True, help_text="Which heartbeat, e.g. canary."
    )
    sent_at = models.DateTimeField(help_text="When the canary was sent.")
    seen_at = models.DateTimeField(help_text="When a worker ran it.")
    hostname = models.CharField(max_length=200, blank=True, help_text="Worker that ran it.")

    def __str__(self) -> str:
        return f"{self.name} {self.seen_at}"


# --- the INTERPOL watch (alerts/interpol.py, alerts/interpol_watch.py) --------------------------


class InterpolSyncRun(models.Model):
    """One run of the INTERPOL sync: when, against which service, and what it found."""

    started_at = models.DateTimeField(help_text="When the run started.")
    finished_at = models.DateTimeField(
        null=True, blank=True, help_text="When it finished; empty while running (or if it died)."
    )
    trigger = models.CharField(
        max_length=16, help_text="What started it: command (manage.py sync_interpol) or beat."
    )
    base_url = models.CharField(max_length=300, help_text="INTERPOL_API_BASE used.")
    summary = models.JSONField(
        default=dict, blank=True, help_text="Counts: notices checked, listed, delisted, ..."
    )
    error = models.TextField(blank=True, help_text="Why it stopped early, if it did.")

    class Meta:
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"INTERPOL sync {self.started_at:%Y-%m-%d %H:%M}"


class InterpolObservation(models.Model):
    """What INTERPOL's public service answered for one notice, once: the provenance of
    every listing change (notice.listed, notice.delisted, notice.changed)."""

    run = models.ForeignKey(
        InterpolSyncRun,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="observations",
        help_text="The sync run that made it.",
    )
    notice = models.ForeignKey(
        "warrants.Notice",
        on_delete=models.CASCADE,
        related_name="interpol_observations",
        help_text="The notice observed (by its interpol_id).",
    )
    entity_id = models.CharField(max_length=32, help_text='INTERPOL\'s id, e.g. "2023/12345".')
    url = models.CharField(max_length=500, help_text="The URL requested.")
    status_code = models.PositiveIntegerField(help_text="HTTP status answered (200, 404).")
    listed = models.BooleanField(help_text="The notice was on the public list (200), not (404).")
    fields = models.JSONField(
        default=dict,
        blank=True,
        help_text="Its public fields (the answer without _links / _embedded); empty when not "
        "listed.",
    )
    raw = models.JSONField(
        null=True, blank=True, help_text="The answer exactly as received (JSON), if any."
    )
    changed_fields = ArrayField(
        models.CharField(max_length=64),
        default=list,
        blank=True,
        help_text="Public fields that differ from the previous listed observation.",
    )
    observed_at = models.DateTimeField(help_text="When the answer was received.")

    class Meta:
        ordering = ["-observed_at", "-id"]
        indexes = [models.Index(fields=["notice", "-observed_at"])]

    def __str__(self) -> str:
        return f"{self.entity_id} {self.status_code} at {self.observed_at:%Y-%m-%d %H:%M}"


class MatchStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CONFIRMED = "confirmed", _("Confirmed")
    DISMISSED = "dismissed", _("Dismissed")


class InterpolMatch(models.Model):
    """A public red notice that may be about an accused person with no red notice here.

    Raised once per (party, notice): a dismissed match is never raised again. Confirming
    records the Notice (published, listed); both decisions resolve its alert.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False, help_text="Id.")
    party = models.ForeignKey(
        "parties.Party",
        on_delete=models.CASCADE,
        related_name="interpol_matches",
        help_text="The accused person it may be about.",
    )
    kind = models.CharField(max_length=16, default="red", help_text="Notice kind (red).")
    entity_id = models.CharField(
        max_length=32, help_text='INTERPOL\'s id of the public notice, e.g. "2023/12345".'
    )
    fields = models.JSONField(
        default=dict, help_text="The public notice's fields as seen when the match was raised."
    )
    raw = models.JSONField(null=True, blank=True, help_text="The answer exactly as received.")
    score = models.FloatField(help_text="Name similarity, 0 to 1 (parties.names.similarity).")
    birth_date = models.CharField(
        max_length=10, blank=True, help_text="The notice's date_of_birth as published."
    )
    alert = models.OneToOneField(
        Alert,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="interpol_match",
        help_text="The high alert raised for it.",
    )
    status = models.CharField(
        max_length=16,
        choices=MatchStatus.choices,
        default=MatchStatus.OPEN,
        help_text="open, confirmed (the notice is recorded) or dismissed (not this person).",
    )
    notice = models.ForeignKey(
        "warrants.Notice",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The Notice recorded on confirmation.",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Who confirmed or dismissed it.",
    )
    decided_at = models.DateTimeField(null=True, blank=True, help_text="When.")
    note = models.TextField(blank=True, help_text="Why it was confirmed or dismissed.")
    run = models.ForeignKey(
        InterpolSyncRun,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="matches",
        help_text="The sync run that raised it.",
    )
    created_at = models.DateTimeField(auto_now_add=True, help_text="When it was raised.")
    updated_at = models.DateTimeField(auto_now=True, help_text="When it last changed.")
    version = models.PositiveIntegerField(default=1, help_text="Grows by one on every change.")

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["party", "kind", "entity_id"], name="interpol_match_once_per_party"
            ),
        ]

    def __str__(self) -> str:
        return f"possible match {self.entity_id} ({self.status})"
