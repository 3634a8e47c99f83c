"""Reminders of hearings and deadlines (issue 13), run daily by Celery beat.

A scheduled hearing or an open deadline is reminded of once, from `remind_days_before` days
ahead of its day (the record's own number, else the REMINDER_DAYS_BEFORE setting) until the
day itself: by a high alert on its case, emailed at once to whoever follows the case or the
parties of its warrants (alerts.flags.notify). The warrants' Reminder row, unique per record
and day, is written in the same transaction as the alert: a retried task, a second beat run
the same day or the next, or two runs at once send it once. A hearing or deadline moved to
another day is reminded of again for the new day.

Titles name no party (the court, the day, the case reference): nothing for redaction to hide.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass
from uuid import UUID

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from warrants.models import Deadline, Proceeding, Reminder
from warrants.proceedings import ProceedingKind

from .flags import Finding, raise_for_finding
from .models import Alert, Severity


@dataclass(frozen=True)
class Due:
    """A reminder due today."""

    resource: str
    record_id: UUID
    day: datetime.date
    finding: Finding


def days_before(record: Proceeding | Deadline) -> int:
    if record.remind_days_before is not None:
        return record.remind_days_before
    return settings.REMINDER_DAYS_BEFORE


def in_days(today: datetime.date, day: datetime.date) -> str:
    n = (day - today).days
    return "today" if n == 0 else ("tomorrow" if n == 1 else f"in {n} days")


def due_reminders(today: datetime.date) -> Iterator[Due]:
    """Scheduled hearings and open deadlines whose reminder window contains `today` and that
    were not reminded of for their current day."""
    sent = set(
        Reminder.objects.filter(due_on__gte=today).values_list("resource", "record_id", "due_on")
    )
    hearings = Proceeding.objects.filter(
        kind=ProceedingKind.HEARING, status="scheduled", date__gte=today
    ).prefetch_related("warrants")
    for hearing in hearings.select_related("case"):
        if ("proceeding", hearing.pk, hearing.date) in sent:
            continue
        if today < hearing.date - datetime.timedelta(days=days_before(hearing)):
            continue
        court = ", ".join(filter(None, [hearing.court, hearing.chamber]))
        at = f" at {hearing.time:%H:%M}" if hearing.time else ""
        yield Due(
            "proceeding",
            hearing.pk,
            hearing.date,
            Finding(
                condition=f"reminder:proceeding:{hearing.pk}:{hearing.date}",
                severity=Severity.HIGH,
                title=f"Hearing {in_days(today, hearing.date)} ({hearing.date}{at}) before "
                f"{court}, case {hearing.case.reference}",
                message=f"Hearing of case {hearing.case.reference} before {court} on "
                f"{hearing.date}{at}.",
                case_id=hearing.case_id,
                subject_resource="proceeding",
                subject_id=hearing.pk,
                party_ids=tuple(w.subject_id for w in hearing.warrants.all()),
            ),
        )
    deadlines = Deadline.objects.filter(status="open", due_on__gte=today).select_related(
        "case", "warrant"
    )
    for deadline in deadlines:
        if ("deadline", deadline.pk, deadline.due_on) in sent:
            continue
        if today < deadline.due_on - datetime.timedelta(days=days_before(deadline)):
            continue
        yield Due(
            "deadline",
            deadline.pk,
            deadline.due_on,
            Finding(
                condition=f"reminder:deadline:{deadline.pk}:{deadline.due_on}",
                severity=Severity.HIGH,
                title=f"Deadline {in_days(today, deadline.due_on)} ({deadline.due_on}): "
                f"{deadline.title}, case {deadline.case.reference}",
                message=f"{deadline.get_kind_display()} in case {deadline.case.reference}, "
                f"due {deadline.due_on}.",
                case_id=deadline.case_id,
                subject_resource="deadline",
                subject_id=deadline.pk,
                party_ids=(deadline.warrant.subject_id,) if deadline.warrant else (),
            ),
        )


def send_one(due: Due) -> Alert | None:
    """Send one reminder unless it was sent: its Reminder row and its alert in one transaction
    (a concurrent run waits on the row's unique key, then finds it taken)."""
    with transaction.atomic():
        try:
            with transaction.atomic():
                reminder = Reminder.objects.create(
                    resource=due.resource, record_id=due.record_id, due_on=due.day
                )
        except IntegrityError:
            return None  # sent by another run
        alert = raise_for_finding(due.finding)
        if alert is not None:
            reminder.alert_id = alert.pk
            reminder.save(update_fields=["alert_id"])
    return alert


def send_reminders(today: datetime.date | None = None) -> list[Alert]:
    """Send the reminders due `today` (by default the server's today); returns the alerts
    raised. Idempotent: a second run the same day, or a retry, sends nothing again."""
    today = today or timezone.localdate()
    sent = []
    for due in due_reminders(today):
        alert = send_one(due)
        if alert is not None:
            sent.append(alert)
    return sent
