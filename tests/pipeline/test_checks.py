"""Periodic checks: each condition raises its alert once, and not again while it is open;
once the condition no longer holds, the next run resolves its alert (once), and a condition
that comes back raises a new one."""

import datetime
from typing import Any

import pytest
import time_machine
from django.apps import apps
from django.utils import timezone

from alerts.actions import alert_transition
from alerts.checks import check_run, run_checks
from alerts.models import Alert
from cases.actions import case_transition
from core.actions import record_update
from core.models import Event
from parties.actions import party_set_custody
from parties.models import Position
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
    assert (alert.severity, alert.shown_title) == (
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
    assert alert.shown_title.startswith("Warrant W-2023 issued on 2023-11-14 while Bashar al-Assad")


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


# --- auto-resolve ------------------------------------------------------------------------------


def only_alert(check: str) -> Alert:
    """Run `check` once: it raises exactly one alert."""
    raised = run_checks([check])
    assert len(raised) == 1, raised
    return raised[0]


def assert_resolved_once(check: str, alert: Alert, reason: str) -> None:
    """The next run resolves `alert` by the system actor, with the reason and the time, audited
    like any resolution; the run after that changes nothing."""
    before = timezone.now()
    run = check_run([check])
    assert (run.raised, [a.pk for a in run.resolved]) == ([], [alert.pk])
    alert.refresh_from_db()
    assert (alert.status, alert.resolved_by) == ("resolved", None)
    assert alert.resolution_note == f"condition cleared: {reason}"
    assert alert.resolved_at is not None and before <= alert.resolved_at <= timezone.now()
    audit: Any = (
        apps.get_model("alerts", "AlertAudit")
        .objects.filter(pgh_obj=alert)
        .order_by("pgh_id")
        .last()
    )
    assert (audit.status, audit.resolution_note) == ("resolved", alert.resolution_note)
    context = audit.pgh_context.metadata
    assert (context["actor"], context["actor_kind"]) == ("system", "system")
    version = alert.version
    assert check_run([check]).resolved == [] and run_checks([check]) == []
    alert.refresh_from_db()
    assert (alert.status, alert.version) == ("resolved", version)


def challenge(system, warrant) -> None:
    warrant_transition(
        warrant_id=warrant.pk,
        transition="challenge",
        actor=system,
        note="Defence, before the investigation chamber",
    )


def test_a_red_notice_alert_resolves_itself_once_the_warrant_is_upheld(system, case, accused):
    warrant = builders.warrant(system, case, accused.party, issued_on="2023-11-14")
    builders.red_notice(system, warrant)
    challenge(system, warrant)
    check = "red_notice_without_issued_warrant"
    alert = only_alert(check)
    alert_transition(alert_id=alert.pk, transition="acknowledge", actor=system)
    warrant_transition(
        warrant_id=warrant.pk, transition="uphold", actor=system, effective_date="2024-06-26"
    )
    assert_resolved_once(check, alert, "its warrant is now issued")
    challenge(system, warrant)
    back = only_alert(check)
    assert back.pk != alert.pk and back.condition == alert.condition


def test_a_red_notice_alert_resolves_itself_once_the_notice_is_withdrawn(system, case, accused):
    warrant = builders.warrant(system, case, accused.party, issued_on="2023-11-14")
    notice = builders.red_notice(system, warrant)
    challenge(system, warrant)
    check = "red_notice_without_issued_warrant"
    alert = only_alert(check)
    notice_transition(notice_id=notice.pk, transition="withdraw", actor=system)
    assert_resolved_once(check, alert, "the Red Notice is now withdrawn")


def test_an_immunity_alert_resolves_itself_when_the_position_is_corrected(system, case):
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
    warrant = builders.warrant(system, case, assad, issued_on="2023-11-14")
    check = "warrant_against_immune_person"
    alert = only_alert(check)
    position = Position.objects.get(party=assad)

    def end_position(day: datetime.date) -> None:
        record_update(
            queryset=Position.objects.all(),
            pk=position.pk,
            actor=system,
            perm="parties.change_position",
            changes={"ended_on": day},
        )

    end_position(datetime.date(2023, 1, 1))  # a data-entry correction
    assert_resolved_once(
        check,
        alert,
        "the subject's recorded positions no longer carry personal immunity on 2023-11-14",
    )
    end_position(datetime.date(2024, 12, 8))
    back = only_alert(check)
    assert back.pk != alert.pk and back.condition == alert.condition
    warrant_transition(
        warrant_id=warrant.pk, transition="annul", actor=system, effective_date="2025-07-25"
    )
    assert_resolved_once(check, back, "the warrant is now annulled")


def test_a_pending_notice_alert_resolves_itself_when_the_notice_moves_on(system, case, warrant):
    notice = notice_create(
        actor=system,
        kind="blue",
        subject=warrant.subject,
        requesting_country="FR",
        requested_on=days_ago(91),
    )
    check = "notice_pending_too_long"
    alert = only_alert(check)
    notice_transition(notice_id=notice.pk, transition="begin_review", actor=system)
    assert_resolved_once(check, alert, "the notice moved on from requested to under review")
    with time_machine.travel(timezone.now() + datetime.timedelta(days=91)):
        back = only_alert(check)
    assert back.condition == f"notice_pending:{notice.pk}:under_review"


def test_a_challenged_warrant_alert_resolves_itself_when_the_warrant_is_upheld(
    system, case, accused
):
    warrant = builders.warrant(system, case, accused.party, issued_on="2023-11-14")

    def challenge(days: int) -> None:
        warrant_transition(
            warrant_id=warrant.pk,
            transition="challenge",
            actor=system,
            effective_date=days_ago(days),
            note="Defence, before the investigation chamber",
        )

    challenge(181)
    check = "warrant_challenged_too_long"
    alert = only_alert(check)
    warrant_transition(
        warrant_id=warrant.pk, transition="uphold", actor=system, effective_date=days_ago(1)
    )
    assert_resolved_once(check, alert, "the warrant is now issued")
    challenge(200)  # a second challenge, entered late
    back = only_alert(check)
    assert back.pk != alert.pk and back.condition == alert.condition


def test_a_dormant_case_alert_resolves_itself_when_the_case_moves(system, case):
    check = "case_dormant"
    with time_machine.travel(timezone.now() + datetime.timedelta(days=366)):
        alert = only_alert(check)
        case_transition(case_id=case.pk, transition="open_investigation", actor=system)
        assert_resolved_once(check, alert, f"the case has an event dated {timezone.localdate()}")
    with time_machine.travel(timezone.now() + datetime.timedelta(days=2 * 366)):
        back = only_alert(check)
    assert back.pk != alert.pk and back.condition == alert.condition


def test_a_deceased_subject_alert_resolves_itself_when_nothing_live_remains(system, case, warrant):
    check = "deceased_with_live_warrants_or_notices"
    party_set_custody(party_id=warrant.subject_id, custody="deceased", actor=system)
    alert = only_alert(check)
    party_set_custody(party_id=warrant.subject_id, custody="at_large", actor=system)  # an error
    assert_resolved_once(check, alert, "the subject's custody is now at large")
    party_set_custody(party_id=warrant.subject_id, custody="deceased", actor=system)
    back = only_alert(check)
    assert back.pk != alert.pk and back.condition == alert.condition
    warrant_transition(warrant_id=warrant.pk, transition="withdraw", actor=system)
    assert_resolved_once(
        check, back, "no live warrant or notice remains against the deceased subject"
    )


def test_checks_never_resolve_alerts_raised_by_events_or_by_other_conditions(system, case, warrant):
    event = Event.objects.get(type="warrant.created", subject_id=warrant.pk)
    from_event = Alert.objects.create(
        event=event,
        severity="high",
        title="Warrant created",
        case=case,
        subject_resource="warrant",
        subject_id=warrant.pk,
    )
    foreign = Alert.objects.create(condition="manual:1", severity="normal", title="By hand")
    run = check_run()
    assert run.resolved == []
    assert set(Alert.objects.filter(status="open").values_list("pk", flat=True)) >= {
        from_event.pk,
        foreign.pk,
    }


def test_a_check_that_fails_half_way_resolves_nothing(system, case, accused, monkeypatch):
    warrant = builders.warrant(system, case, accused.party, issued_on="2023-11-14")
    builders.red_notice(system, warrant)
    challenge(system, warrant)
    check = "red_notice_without_issued_warrant"
    alert = only_alert(check)
    warrant_transition(
        warrant_id=warrant.pk, transition="uphold", actor=system, effective_date="2024-06-26"
    )
    from alerts import checks

    def broken(today):
        raise RuntimeError("database went away")
        yield  # a generator, like every check

    broken_check = checks.Check(broken, checks.CHECKS[check].prefix, checks.red_notice_cleared)
    monkeypatch.setitem(checks.CHECKS, check, broken_check)
    with pytest.raises(RuntimeError):
        check_run([check])
    alert.refresh_from_db()
    assert alert.status == "open"
