"""Periodic checks (Celery beat): conditions no single event reveals.

Each check yields Findings keyed by a condition string (check prefix + record
id). `run_checks` raises an alert for a finding only if no alert with that
condition is open or acknowledged (the partial unique constraint
`alert_one_open_per_condition` settles races), so a check may run any number
of times. Once its alert is resolved, a condition that still holds raises a
new one on the next run.

A condition that no longer holds (the red notice was withdrawn, the warrant
issued, the stale notice moved on) has its open or acknowledged alert resolved
by the system actor through `alert_transition`, with a note saying why
("condition cleared: ..."). Only alerts of the check that ran are touched, never
alerts raised by events; a second run finds nothing left to resolve.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TypeVar
from uuid import UUID

from django.conf import settings
from django.db.models import Exists, Max, Model, OuterRef, QuerySet
from django.utils import timezone

from cases.models import Case
from core.events import Actor
from core.models import Event
from core.workflow import InvalidTransition
from parties.models import Custody, Party
from warrants.immunity import immunity_risk
from warrants.models import Notice, Warrant

from .actions import alert_transition
from .flags import Finding, raise_for_finding
from .models import SUBJECT, Alert, Severity

M = TypeVar("M", bound=Model)

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
        .select_related("warrant")
    )
    for notice in notices:
        warrant_status = notice.warrant.status if notice.warrant else "missing"
        yield Finding(
            condition=f"red_notice_warrant_not_issued:{notice.pk}",
            severity=Severity.CRITICAL,
            title=f"Red Notice {notice.status.replace('_', ' ')} for "
            f"{SUBJECT} while its warrant is {warrant_status}",
            message="INTERPOL publishes a red notice only on a warrant in force: ask the "
            "requesting country to withdraw or suspend the notice.",
            case_id=notice.warrant.case_id if notice.warrant else None,
            subject_resource="notice",
            subject_id=notice.pk,
            party_ids=(notice.subject_id,),
            party_id=notice.subject_id,
        )


def warrant_against_immune_person(today: datetime.date) -> Iterator[Finding]:
    # The one rule of personal immunity (warrants.immunity), as the warrant pages show it.
    warrants = (
        Warrant.objects.filter(status__in=["issued", "challenged"], issued_on__isnull=False)
        .annotate(personal_immunity=immunity_risk())
        .filter(personal_immunity=True)
    )
    for warrant in warrants:
        yield Finding(
            condition=f"warrant_personal_immunity:{warrant.pk}",
            severity=Severity.HIGH,
            title=f"Warrant {warrant.reference or warrant.pk} issued on {warrant.issued_on} while "
            f"{SUBJECT} held a position with personal immunity",
            message="A sitting head of state, head of government or foreign minister enjoys "
            "personal immunity: the warrant risks annulment (cf. Cour de cassation, 2025-07-25).",
            case_id=warrant.case_id,
            subject_resource="warrant",
            subject_id=warrant.pk,
            party_ids=(warrant.subject_id,),
            party_id=warrant.subject_id,
            reveals_identity=True,  # the positions of a protected person are hidden
        )


def notice_pending_too_long(today: datetime.date) -> Iterator[Finding]:
    days = settings.CHECK_NOTICE_PENDING_DAYS
    limit = today - datetime.timedelta(days=days)
    notices = Notice.objects.filter(status__in=["requested", "under_review"]).select_related(
        "warrant"
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
            title=f"{notice.get_kind_display()} Notice for {SUBJECT} "
            f"{notice.status.replace('_', ' ')} since {since} (over {days} days)",
            case_id=notice.warrant.case_id if notice.warrant else None,
            subject_resource="notice",
            subject_id=notice.pk,
            party_ids=(notice.subject_id,),
            party_id=notice.subject_id,
        )


def warrant_challenged_too_long(today: datetime.date) -> Iterator[Finding]:
    days = settings.CHECK_WARRANT_CHALLENGED_DAYS
    limit = today - datetime.timedelta(days=days)
    for warrant in Warrant.objects.filter(status="challenged"):
        since = entered_status_on("warrant", warrant.pk, "challenged")
        if since is None or since >= limit:
            continue
        yield Finding(
            condition=f"warrant_challenged:{warrant.pk}",
            severity=Severity.NORMAL,
            title=f"Warrant {warrant.reference or warrant.pk} for {SUBJECT} "
            f"challenged since {since} (over {days} days)",
            case_id=warrant.case_id,
            subject_resource="warrant",
            subject_id=warrant.pk,
            party_ids=(warrant.subject_id,),
            party_id=warrant.subject_id,
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
            title=f"{SUBJECT} is deceased but has {warrants.count()} live warrant(s) "
            f"and {notices.count()} live notice(s)",
            message="Ask the issuing authorities to withdraw them.",
            case_id=warrants.values_list("case_id", flat=True).first(),
            subject_resource="party",
            subject_id=party.pk,
            party_ids=(party.pk,),
            party_id=party.pk,
        )


# --- why a condition cleared -------------------------------------------------------------------
# Each says, without naming anyone (alerts are read by those who may not see protected
# identities), what changed so that the check no longer finds the condition.


def subject_of(alert: Alert, queryset: QuerySet[M]) -> M | None:
    return queryset.filter(pk=alert.subject_id).first() if alert.subject_id else None


def status_words(status: str) -> str:
    return status.replace("_", " ")


def red_notice_cleared(alert: Alert) -> str:
    notice = subject_of(alert, Notice.objects.select_related("warrant"))
    if notice is None:
        return "the notice no longer exists"
    if notice.status not in ("requested", "under_review", "published"):
        return f"the Red Notice is now {status_words(notice.status)}"
    if notice.warrant is not None and notice.warrant.status == "issued":
        return "its warrant is now issued"
    return "the Red Notice rests on an issued warrant again"


def immunity_cleared(alert: Alert) -> str:
    warrant = subject_of(alert, Warrant.objects.all())
    if warrant is None:
        return "the warrant no longer exists"
    if warrant.status not in ("issued", "challenged"):
        return f"the warrant is now {status_words(warrant.status)}"
    return (
        f"the subject's recorded positions no longer carry personal immunity on {warrant.issued_on}"
    )


def notice_pending_cleared(alert: Alert) -> str:
    notice = subject_of(alert, Notice.objects.all())
    if notice is None:
        return "the notice no longer exists"
    was = alert.condition.rsplit(":", 1)[-1]
    if notice.status != was:
        return f"the notice moved on from {status_words(was)} to {status_words(notice.status)}"
    return f"the notice is no longer pending for over {settings.CHECK_NOTICE_PENDING_DAYS} days"


def challenged_cleared(alert: Alert) -> str:
    warrant = subject_of(alert, Warrant.objects.all())
    if warrant is None:
        return "the warrant no longer exists"
    if warrant.status != "challenged":
        return f"the warrant is now {status_words(warrant.status)}"
    days = settings.CHECK_WARRANT_CHALLENGED_DAYS
    return f"the warrant is no longer challenged for over {days} days"


def dormant_cleared(alert: Alert) -> str:
    case = subject_of(alert, Case.objects.all())
    if case is None:
        return "the case no longer exists"
    if case.status == "closed":
        return "the case is now closed"
    last = case.events.aggregate(day=Max("effective_date"))["day"]
    return f"the case has an event dated {last}" if last else "the case is no longer dormant"


def deceased_cleared(alert: Alert) -> str:
    party = subject_of(alert, Party.objects.all())
    if party is None:
        return "the party no longer exists"
    if party.custody != Custody.DECEASED:
        return f"the subject's custody is now {status_words(party.custody or 'unset')}"
    return "no live warrant or notice remains against the deceased subject"


@dataclass(frozen=True)
class Check:
    """A periodic check: what it finds, the prefix of its condition keys, why one cleared."""

    find: Callable[[datetime.date], Iterator[Finding]]
    prefix: str
    cleared: Callable[[Alert], str]


CHECKS: dict[str, Check] = {
    "red_notice_without_issued_warrant": Check(
        red_notice_without_issued_warrant, "red_notice_warrant_not_issued", red_notice_cleared
    ),
    "warrant_against_immune_person": Check(
        warrant_against_immune_person, "warrant_personal_immunity", immunity_cleared
    ),
    "notice_pending_too_long": Check(
        notice_pending_too_long, "notice_pending", notice_pending_cleared
    ),
    "warrant_challenged_too_long": Check(
        warrant_challenged_too_long, "warrant_challenged", challenged_cleared
    ),
    "case_dormant": Check(case_dormant, "case_dormant", dormant_cleared),
    "deceased_with_live_warrants_or_notices": Check(
        deceased_with_live_warrants_or_notices, "deceased_live_records", deceased_cleared
    ),
}

SYSTEM = Actor.system()


@dataclass
class CheckRun:
    """What one run of the checks did."""

    raised: list[Alert] = field(default_factory=list)
    resolved: list[Alert] = field(default_factory=list)


def unresolved_alerts(check: Check) -> dict[str, UUID]:
    """The check's open or acknowledged alerts: condition → alert id."""
    alerts = Alert.objects.filter(condition__startswith=f"{check.prefix}:").exclude(
        status="resolved"
    )
    return dict(alerts.values_list("condition", "pk"))


def resolve_cleared(check: Check, before: dict[str, UUID], holding: set[str]) -> list[Alert]:
    """Resolve the alerts in `before` (listed before the check looked) whose condition is
    not in `holding` (what the check found).

    An alert a concurrent run raised after our listing is not ours to judge; one
    resolved meanwhile by someone else is skipped. Each resolution is its own
    transaction (alert_transition), audited under the system actor, the reason as note.
    """
    resolved = []
    for condition, alert_id in sorted(before.items()):
        if condition in holding:
            continue
        alert = Alert.objects.get(pk=alert_id)
        note = f"condition cleared: {check.cleared(alert)}"
        try:
            resolved.append(
                alert_transition(alert_id=alert_id, transition="resolve", actor=SYSTEM, note=note)
            )
        except InvalidTransition:
            continue  # resolved by someone else since we listed it
    return resolved


def check_run(names: list[str] | None = None) -> CheckRun:
    """Run the named checks (all by default): raise alerts for new conditions, resolve the
    alerts of conditions that cleared. Idempotent: a second run right after does nothing."""
    today = timezone.localdate()
    run = CheckRun()
    for name in names or list(CHECKS):
        check = CHECKS[name]
        before = unresolved_alerts(check)
        holding = set()
        for finding in check.find(today):
            assert finding.condition.startswith(f"{check.prefix}:"), finding.condition
            holding.add(finding.condition)
            alert = raise_for_finding(finding)
            if alert is not None:
                run.raised.append(alert)
        # Only once the check has listed every condition that holds: a check that fails
        # half-way resolves nothing.
        run.resolved += resolve_cleared(check, before, holding)
    return run


def run_checks(names: list[str] | None = None) -> list[Alert]:
    """Run the named checks (all by default); returns the alerts newly raised."""
    return check_run(names).raised
