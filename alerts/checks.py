"""Periodic checks (Celery beat): conditions no single event reveals.

Each check yields Findings keyed by a condition string (check name + record
id). `run_checks` raises an alert for a finding only if no alert with that
condition is open or acknowledged (the partial unique constraint
`alert_one_open_per_condition` settles races), so a check may run any number
of times. Once its alert is resolved, a condition that still holds raises a
new one on the next run.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator

from django.conf import settings
from django.db.models import Exists, Max, OuterRef, Q
from django.utils import timezone

from cases.models import Case
from casetracker.models import Event
from parties.models import IMMUNE_FUNCTIONS, Custody, Party, Position
from warrants.models import Notice, Warrant

from .flags import Finding, party_label, raise_for_finding
from .models import Alert, Severity

LIVE_WARRANT = ["requested", "issued", "challenged"]
LIVE_NOTICE = ["requested", "under_review", "published", "suspended"]


def entered_status_on(resource: str, record_id, status: str) -> datetime.date | None:
    """Legal date of the latest event that moved the record into `status`."""
    return (
        Event.objects.filter(resource=resource, subject_id=record_id, to_status=status)
        .aggregate(day=Max("effective_date"))
        .get("day")
    )


def red_notice_without_issued_warrant(today: datetime.date) -> Iterator[Finding]:
    notices = (
        Notice.objects.filter(kind="red", status__in=["requested", "under_review", "published"])
        .exclude(warrant__status="issued")
        .select_related("warrant", "subject")
    )
    for notice in notices:
        warrant_status = notice.warrant.status if notice.warrant else "missing"
        yield Finding(
            condition=f"red_notice_warrant_not_issued:{notice.pk}",
            severity=Severity.CRITICAL,
            title=f"Red Notice {notice.status.replace('_', ' ')} for "
            f"{party_label(notice.subject)} while its warrant is {warrant_status}",
            message="INTERPOL publishes a red notice only on a warrant in force: ask the "
            "requesting country to withdraw or suspend the notice.",
            case_id=notice.warrant.case_id if notice.warrant else None,
            subject_resource="notice",
            subject_id=notice.pk,
            party_ids=(notice.subject_id,),
        )


def warrant_against_immune_person(today: datetime.date) -> Iterator[Finding]:
    immune = Position.objects.filter(
        party=OuterRef("subject"), function__in=list(IMMUNE_FUNCTIONS)
    ).filter(
        Q(started_on__isnull=True) | Q(started_on__lte=OuterRef("issued_on")),
        Q(ended_on__isnull=True) | Q(ended_on__gte=OuterRef("issued_on")),
    )
    warrants = (
        Warrant.objects.filter(status__in=["issued", "challenged"], issued_on__isnull=False)
        .filter(Exists(immune))
        .select_related("subject")
    )
    for warrant in warrants:
        yield Finding(
            condition=f"warrant_personal_immunity:{warrant.pk}",
            severity=Severity.HIGH,
            title=f"Warrant {warrant.reference or warrant.pk} issued on {warrant.issued_on} while "
            f"{party_label(warrant.subject)} held a position with personal immunity",
            message="A sitting head of state, head of government or foreign minister enjoys "
            "personal immunity: the warrant risks annulment (cf. Cour de cassation, 2025-07-25).",
            case_id=warrant.case_id,
            subject_resource="warrant",
            subject_id=warrant.pk,
            party_ids=(warrant.subject_id,),
        )


def notice_pending_too_long(today: datetime.date) -> Iterator[Finding]:
    days = settings.CHECK_NOTICE_PENDING_DAYS
    limit = today - datetime.timedelta(days=days)
    notices = Notice.objects.filter(status__in=["requested", "under_review"]).select_related(
        "subject", "warrant"
    )
    for notice in notices:
        since = entered_status_on("notice", notice.pk, notice.status)
        if notice.status == "requested" and notice.requested_on:
            since = min(filter(None, [since, notice.requested_on]))
        if since is None or since >= limit:
            continue
        yield Finding(
            condition=f"notice_pending:{notice.pk}:{notice.status}",
            severity=Severity.NORMAL,
            title=f"{notice.get_kind_display()} Notice for {party_label(notice.subject)} "
            f"{notice.status.replace('_', ' ')} since {since} (over {days} days)",
            case_id=notice.warrant.case_id if notice.warrant else None,
            subject_resource="notice",
            subject_id=notice.pk,
            party_ids=(notice.subject_id,),
        )


def warrant_challenged_too_long(today: datetime.date) -> Iterator[Finding]:
    days = settings.CHECK_WARRANT_CHALLENGED_DAYS
    limit = today - datetime.timedelta(days=days)
    for warrant in Warrant.objects.filter(status="challenged").select_related("subject"):
        since = entered_status_on("warrant", warrant.pk, "challenged")
        if since is None or since >= limit:
            continue
        yield Finding(
            condition=f"warrant_challenged:{warrant.pk}",
            severity=Severity.NORMAL,
            title=f"Warrant {warrant.reference or warrant.pk} for {party_label(warrant.subject)} "
            f"challenged since {since} (over {days} days)",
            case_id=warrant.case_id,
            subject_resource="warrant",
            subject_id=warrant.pk,
            party_ids=(warrant.subject_id,),
        )


def case_dormant(today: datetime.date) -> Iterator[Finding]:
    days = settings.CHECK_CASE_DORMANT_DAYS
    limit = today - datetime.timedelta(days=days)
    cases = (
        Case.objects.exclude(status="closed")
        .annotate(last=Max("events__effective_date"))
        .filter(last__lt=limit)
    )
    for case in cases:
        yield Finding(
            condition=f"case_dormant:{case.pk}",
            severity=Severity.NORMAL,
            title=f"Case {case.reference} has had no event since {case.last} (over {days} days)",
            case_id=case.pk,
            subject_resource="case",
            subject_id=case.pk,
        )


def deceased_with_live_warrants_or_notices(today: datetime.date) -> Iterator[Finding]:
    live_warrants = Warrant.objects.filter(subject=OuterRef("pk"), status__in=LIVE_WARRANT)
    live_notices = Notice.objects.filter(subject=OuterRef("pk"), status__in=LIVE_NOTICE)
    parties = Party.objects.filter(custody=Custody.DECEASED).filter(
        Exists(live_warrants) | Exists(live_notices)
    )
    for party in parties:
        warrants = Warrant.objects.filter(subject=party, status__in=LIVE_WARRANT)
        notices = Notice.objects.filter(subject=party, status__in=LIVE_NOTICE)
        yield Finding(
            condition=f"deceased_live_records:{party.pk}",
            severity=Severity.NORMAL,
            title=f"{party_label(party)} is deceased but has {warrants.count()} live warrant(s) "
            f"and {notices.count()} live notice(s)",
            message="Ask the issuing authorities to withdraw them.",
            case_id=warrants.values_list("case_id", flat=True).first(),
            subject_resource="party",
            subject_id=party.pk,
            party_ids=(party.pk,),
        )


CHECKS: dict[str, Callable[[datetime.date], Iterator[Finding]]] = {
    "red_notice_without_issued_warrant": red_notice_without_issued_warrant,
    "warrant_against_immune_person": warrant_against_immune_person,
    "notice_pending_too_long": notice_pending_too_long,
    "warrant_challenged_too_long": warrant_challenged_too_long,
    "case_dormant": case_dormant,
    "deceased_with_live_warrants_or_notices": deceased_with_live_warrants_or_notices,
}


def run_checks(names: list[str] | None = None) -> list[Alert]:
    """Run the named checks (all by default); returns the alerts newly raised."""
    today = timezone.localdate()
    raised = []
    for name in names or list(CHECKS):
        for finding in CHECKS[name](today):
            alert = raise_for_finding(finding)
            if alert is not None:
                raised.append(alert)
    return raised
