"""Raising alerts: from Events through the rule table, and from periodic checks.

Titles name people, but a stored title never holds a party's name: `{subject}`
stays in it, with the party in `Alert.party`, and is filled in when the alert is
read, for the reader (alerts.selectors.alerts_for_reader). A party protected
later is then named by its pseudonym at once in every alert raised about it
before, for everyone who may not see protected identities; lawyers read the
real name.
"""

from __future__ import annotations

import logging
import string
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from cases.models import Case, CaseMember, Participation
from core.kicks import kick_many_on_commit
from core.models import Event
from parties.models import Party

from .models import (
    IMMEDIATE_SEVERITIES,
    SEVERITY_RANK,
    SUBJECT,
    Alert,
    AlertRule,
    Notification,
    Subscription,
)

log = logging.getLogger(__name__)


def parties_of(event: Event) -> list[UUID]:
    """The parties an event is about: followers of any of them are notified."""
    data = event.data or {}
    if event.resource == "party":
        return [event.subject_id]
    keys = {
        "warrant": "subject_id",
        "notice": "subject_id",
        "participation": "party_id",
        "representation": "counsel_id",
    }
    ids = []
    if event.resource in keys and data.get(keys[event.resource]):
        ids.append(UUID(str(data[keys[event.resource]])))
    participation_id = {"charge": "accused_id", "representation": "client_id"}.get(event.resource)
    if participation_id and data.get(participation_id):
        party_id = (
            Participation.objects.filter(pk=data[participation_id])
            .values_list("party_id", flat=True)
            .first()
        )
        if party_id:
            ids.append(party_id)
    return ids


class Placeholders(dict):
    """Title placeholders of one event, each computed only if a title uses it."""

    def __init__(self, event: Event, party_id: UUID | None) -> None:
        super().__init__()
        self.event = event
        self.party_id = party_id

    def __missing__(self, key: str) -> str:
        if not self.get("_described"):
            self.update(describe(self.event, self.party_id), _described="yes")
        return dict.get(self, key, "{" + key + "}")


def main_party(party_ids: list[UUID]) -> UUID | None:
    """The party an alert names as {subject}: the event's first party, if it still exists."""
    if not party_ids:
        return None
    return Party.objects.filter(pk=party_ids[0]).values_list("pk", flat=True).first()


def describe(event: Event, party_id: UUID | None) -> dict[str, str]:
    """Placeholders for rule titles (see AlertRule.title). {subject} of a party stays
    unfilled: it is filled in for each reader when the alert is read."""
    data = event.data or {}
    reference = str(data.get("reference") or data.get("interpol_id") or "")
    kind = str(data.get("kind") or "")
    # An event without a transition (a creation, what the INTERPOL sync observed) is named
    # by its type's verb, and its status is the record's: a title never reads ": , now".
    happened = event.transition or event.type.rpartition(".")[2]
    status = event.to_status or str(data.get("status") or "")
    values = {
        "kind": kind.replace("_", " ").title(),
        "reference": reference,
        "type": event.type,
        "transition": happened.replace("_", " "),
        "from_status": event.from_status.replace("_", " "),
        "to_status": status.replace("_", " "),
        "resource": event.resource.title(),
        "record": f"{event.resource.title()} {reference}".strip(),
    }
    if event.resource == "charge":
        values["record"] = f"Charge '{data.get('label', '')}'"
    case = Case.objects.filter(pk=event.case_id).first() if event.case_id else None
    values["case"] = case.reference if case else ""
    values["subject"] = SUBJECT if party_id else (case.title if case else event.resource)
    if event.resource == "case" and case:
        values["subject"] = case.title
    return values


def render(template: str, values: Mapping[str, str]) -> str:
    try:
        title = string.Formatter().vformat(template, (), values)
    except (ValueError, IndexError):
        title = template  # a malformed template still raises the alert, untouched
    return " ".join(title.split())[:300]


RULES_TTL_SECONDS = 5.0
_rules: tuple[float, list[AlertRule]] = (0.0, [])


def enabled_rules() -> list[AlertRule]:
    """The rule table, re-read at most every few seconds (it is read for every event)."""
    global _rules
    if time.monotonic() - _rules[0] > RULES_TTL_SECONDS:
        _rules = (time.monotonic(), list(AlertRule.objects.filter(enabled=True)))
    return _rules[1]


def matching_rule(event: Event) -> AlertRule | None:
    for rule in sorted(enabled_rules(), key=lambda r: (r.priority, r.id)):
        if rule.matches(event.type, event.data or {}):
            return rule
    return None


def event_message(event: Event) -> str:
    lines = [f"{event.type} on {event.effective_date} by {event.actor_name}."]
    if event.transition:
        lines.append(f"Transition: {event.transition} ({event.from_status} → {event.to_status}).")
    if event.note:
        lines.append(f"Note: {event.note}")
    return "\n".join(lines)


# An event taking effect this long before it was recorded enters history (a record of the
# past typed in, or a load such as the demo's) rather than news: its normal and info alerts
# are not raised, so recording a case's past does not fill everyone's inbox. Critical and
# high ones still are, and the event stays in the timeline, the feed and the webhooks.
HISTORY_DAYS = 30


def is_history(event: Event, rule: AlertRule) -> bool:
    if rule.severity in IMMEDIATE_SEVERITIES or event.occurred_at is None:
        return False
    recorded = timezone.localdate(event.occurred_at)
    return (recorded - event.effective_date).days > HISTORY_DAYS


def raise_for_events(events: list[Event]) -> list[Alert]:
    """Outbox consumer: raise the alert the rule table gives for each event; queue its emails.

    At most one alert per event (unique constraint); the relay's receipts make
    a redelivery a no-op. A normal or info alert about history is not raised (is_history).
    """
    alerts, parties = [], []
    for event in events:
        rule = matching_rule(event)
        if rule is None or not rule.raises or is_history(event, rule):
            continue
        party_ids = parties_of(event)
        party_id = main_party(party_ids)
        alerts.append(
            Alert(
                event=event,
                severity=rule.severity,
                title=render(rule.title, Placeholders(event, party_id)),
                party_id=party_id,
                message=event_message(event),
                case_id=event.case_id,
                subject_resource=event.resource,
                subject_id=event.subject_id,
            )
        )
        parties.append(party_ids)
    Alert.objects.bulk_create(alerts)
    if alerts and has_followers(alerts):
        for alert, party_ids in zip(alerts, parties, strict=True):
            notify(alert, party_ids)
    return alerts


@dataclass(frozen=True)
class Finding:
    """A condition a periodic check found: raises at most one open alert per `condition`."""

    condition: str
    severity: str
    title: str
    message: str = ""
    case_id: Any = None
    subject_resource: str = ""
    subject_id: Any = None
    party_ids: tuple[UUID, ...] = ()
    # The party `{subject}` in the title stands for (never write a party's name in a title).
    party_id: Any = None
    # The finding itself tells what a protected identity hides (e.g. an office held): the
    # alert is then for those who may see the identity only, while the party is protected.
    reveals_identity: bool = False


def raise_for_finding(finding: Finding) -> Alert | None:
    """Raise the finding's alert unless one for its condition is still open or acknowledged."""
    if Alert.objects.filter(condition=finding.condition).exclude(status="resolved").exists():
        return None
    try:
        with transaction.atomic():
            alert = Alert.objects.create(
                condition=finding.condition,
                severity=finding.severity,
                title=finding.title[:300],
                party_id=finding.party_id,
                reveals_identity=finding.reveals_identity,
                message=finding.message,
                case_id=finding.case_id,
                subject_resource=finding.subject_resource,
                subject_id=finding.subject_id,
            )
            notify(alert, list(finding.party_ids))
    except IntegrityError:
        return None  # raced with another run of the same check: that one raised it
    return alert


def recipients(alert: Alert, party_ids: list[UUID]):
    """Active users with an email who follow the alert's case, one of its parties, or its
    level, and the members of the case's team who have not stopped following it
    (cases.CaseMember: followers by default)."""
    levels = [s for s, rank in SEVERITY_RANK.items() if rank <= SEVERITY_RANK[alert.severity]]
    follows = Q(min_severity__in=levels)
    if alert.case_id:
        follows |= Q(case_id=alert.case_id)
    if party_ids:
        follows |= Q(party_id__in=party_ids)
    chosen = Q(pk__in=Subscription.objects.filter(follows).values("user_id"))
    if alert.case_id:
        team = CaseMember.objects.filter(case_id=alert.case_id, follows=True)
        chosen |= Q(pk__in=team.values("user_id"))
    users = get_user_model().objects.filter(chosen, is_active=True).exclude(email="")
    return [u for u in users if u.has_perm("cases.view_case")]


def has_followers(alerts: list[Alert]) -> bool:
    """Anyone at all who could be told (one query, usually): else nothing to queue."""
    if Subscription.objects.exists():
        return True
    cases = {alert.case_id for alert in alerts if alert.case_id}
    return bool(cases) and CaseMember.objects.filter(case_id__in=cases, follows=True).exists()


def notify(alert: Alert, party_ids: list[UUID]) -> list[Notification]:
    """Queue one email per follower: at once for critical and high, else for the daily digest."""
    digest = alert.severity not in IMMEDIATE_SEVERITIES
    now = timezone.now()
    queued = [
        Notification(alert=alert, user=user, digest=digest, next_attempt_at=None if digest else now)
        for user in recipients(alert, party_ids)
    ]
    if not queued:
        return []
    created = Notification.objects.bulk_create(queued, ignore_conflicts=True)
    if not digest:
        ids = Notification.objects.filter(alert=alert, digest=False).values_list("pk", flat=True)
        kick_many_on_commit("alerts.tasks.send_notification", [(pk,) for pk in ids])
    return created
