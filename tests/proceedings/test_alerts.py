"""Events of proceedings and deadlines raise alerts through the rule table (issue 13): high
for an appeal lodged, a decision, a hearing postponed or cancelled and a deadline missed;
the default rules for the rest. Titles name the case, never a party."""

import pytest

from alerts import flags
from core.models import Event
from warrants.actions import (
    deadline_create,
    deadline_transition,
    proceeding_create,
    proceeding_transition,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_rules():
    flags._rules = (0.0, [])  # the rule table is cached for a few seconds
    yield
    flags._rules = (0.0, [])


def alert_of(event: Event):
    [alert] = flags.raise_for_events([event])
    return alert.severity, alert.shown_title


def last_event(record) -> Event:
    return Event.objects.filter(subject_id=record.pk).latest("seq")


def test_an_appeal_lodged_and_decided_raise_high_alerts(system, case, immune_warrant):
    appeal = proceeding_create(
        actor=system,
        case=case,
        kind="appeal_lodged",
        court="Cour de cassation",
        date="2024-06-28",
        warrants=[immune_warrant],
    )
    assert alert_of(last_event(appeal)) == ("high", f"Appeal lodged in case {case.reference}")
    proceeding_transition(
        proceeding_id=appeal.pk, transition="decide", actor=system, effective_date="2025-07-25"
    )
    severity, title = alert_of(last_event(appeal))
    assert (severity, title) == ("high", f"Appeal decided in case {case.reference}")
    assert "Realname" not in title and "Witness H" not in title


def test_a_hearing_postponed_is_high_and_a_hearing_held_normal(system, case):
    hearing = proceeding_create(
        actor=system, case=case, kind="hearing", court="Cour d'appel", date="2024-05-15"
    )
    assert alert_of(last_event(hearing))[0] == "info"  # *.created
    proceeding_transition(
        proceeding_id=hearing.pk, transition="postpone", actor=system, note="Adjourned"
    )
    assert alert_of(last_event(hearing)) == (
        "high",
        f"Hearing postponed in case {case.reference}",
    )
    other = proceeding_create(
        actor=system, case=case, kind="hearing", court="Cour d'appel", date="2024-05-20"
    )
    proceeding_transition(proceeding_id=other.pk, transition="hold", actor=system)
    assert alert_of(last_event(other))[0] == "normal"


def test_a_missed_deadline_is_high(system, case):
    deadline = deadline_create(actor=system, case=case, title="Brief", due_on="2025-01-10")
    deadline_transition(deadline_id=deadline.pk, transition="miss", actor=system)
    assert alert_of(last_event(deadline)) == ("high", f"Deadline missed in case {case.reference}")
