"""Periodic checks: each condition raises its alert once, and not again while it is open."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from alerts.actions import alert_transition
from alerts.checks import run_checks
from alerts.models import Alert
from cases.actions import case_transition
from parties.actions import party_set_custody
from tests import builders
from warrants.actions import notice_create, notice_transition, warrant_transition

pytestmark = pytest.mark.django_db


def days_ago(n: int) -> str:
    return str(timezone.localdate() - datetime.timedelta(days=n))


def raised(check: str) -> list[tuple[str, str]]:
    return [(a.severity, a.title) for a in run_checks([check])]


def assert_raises_once_while_open(check: str, system) -> Alert:
    """The first run raises one alert; runs while it is open or acknowledged raise none;
    once resolved, a condition that still holds raises a new one."""
    first = run_checks([check])
    assert len(first) == 1
    assert run_checks([check]) == []
    alert_transition(alert_id=first[0].pk, transition="acknowledge", actor=system)
    assert run_checks([check]) == []
    alert_transition(alert_id=first[0].pk, transition="resolve", actor=system)
    again = run_checks([check])
    assert [a.condition for a in again] == [first[0].condition]
    return first[0]


def test_a_red_notice_whose_warrant_was_annulled_is_critical(system, case):
    assad = builders.person(system, name="Bashar al-Assad")
    warrant = builders.warrant(system, case, assad, issued_on="2023-11-14")
    notice = builders.red_notice(system, warrant)
    notice_transition(notice_id=notice.pk, transition="publish", actor=system)
    assert run_checks(["red_notice_without_issued_warrant"]) == []
    warrant_transition(
        warrant_id=warrant.pk, transition="annul", actor=system, effective_date="2025-07-25"
    )
    alert = assert_raises_once_while_open("red_notice_without_issued_warrant", system)
    assert (alert.severity, alert.title) == (
        "critical",
        "Red Notice published for Bashar al-Assad while its warrant is annulled",
    )


def test_a_warrant_issued_against_a_sitting_head_of_state_is_high(system, case):
    assad = builders.person(
        system,
        name="Bashar al-Assad",
        positions=[
            {
                "title": "President of the Syrian Arab Republic",
                "function": "head_of_state",
                "started_on": datetime.date(2000, 7, 17),
                "ended_on": datetime.date(2024, 12, 8),
            }
        ],
    )
    builders.warrant(system, case, assad, issued_on="2025-07-29")  # after he left office
    assert run_checks(["warrant_against_immune_person"]) == []
    builders.warrant(system, case, assad, issued_on="2023-11-14", reference="W-2023")
    alert = assert_raises_once_while_open("warrant_against_immune_person", system)
    assert alert.severity == "high"
    assert alert.title.startswith("Warrant W-2023 issued on 2023-11-14 while Bashar al-Assad")


def test_a_notice_requested_for_over_90_days_is_flagged(system, case, warrant):
    notice_create(
        actor=system,
        kind="yellow",
        subject=warrant.subject,
        requesting_country="FR",
        requested_on=days_ago(80),
    )
    assert run_checks(["notice_pending_too_long"]) == []
    notice_create(
        actor=system,
        kind="blue",
        subject=warrant.subject,
        requesting_country="FR",
        requested_on=days_ago(91),
    )
    alert = assert_raises_once_while_open("notice_pending_too_long", system)
    assert alert.severity == "normal" and "over 90 days" in alert.title


def test_a_warrant_challenged_for_over_180_days_is_flagged(system, case, accused):
    warrant = builders.warrant(system, case, accused.party, issued_on="2023-11-14")
    warrant_transition(
        warrant_id=warrant.pk,
        transition="challenge",
        actor=system,
        effective_date=days_ago(181),
        note="Defence, before the investigation chamber",
    )
    alert = assert_raises_once_while_open("warrant_challenged_too_long", system)
    assert alert.severity == "normal" and "challenged since" in alert.title


def test_a_case_without_any_event_for_a_year_is_flagged(system, case):
    case_transition(case_id=case.pk, transition="open_investigation", actor=system)
    assert run_checks(["case_dormant"]) == []
    with time_machine.travel(timezone.now() + datetime.timedelta(days=366)):
        alert = assert_raises_once_while_open("case_dormant", system)
    assert alert.case_id == case.pk


def test_a_deceased_subject_with_a_live_warrant_is_flagged(system, case, warrant):
    assert run_checks(["deceased_with_live_warrants_or_notices"]) == []
    party_set_custody(party_id=warrant.subject_id, custody="deceased", actor=system)
    alert = assert_raises_once_while_open("deceased_with_live_warrants_or_notices", system)
    assert "is deceased but has 1 live warrant(s)" in alert.title
