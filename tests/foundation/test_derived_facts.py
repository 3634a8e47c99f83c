"""Facts derived from others: immunity risk on warrants, custody after execution."""

import pytest

from core.models import Event
from core.workflow import InvalidTransition
from parties.models import Party
from tests import builders
from warrants.actions import warrant_transition
from web.management.commands.workflow_docs import FOLLOW_UPS


@pytest.fixture
def head_of_state(db, system) -> Party:
    return builders.person(
        system,
        name="Bashar al-Assad",
        positions=[
            {
                "title": "President of the Syrian Arab Republic",
                "function": "head_of_state",
                "started_on": "2000-07-17",
                "ended_on": "2024-12-08",
            }
        ],
    )


@pytest.mark.parametrize(
    ("issued_on", "risk"),
    [
        ("2023-11-14", True),  # issued while he was head of state
        ("2000-07-17", True),  # first day in office
        ("2024-12-08", True),  # last day in office
        ("2025-07-29", False),  # the new warrant, after he left office
        ("1999-01-01", False),  # before he took office
    ],
)
def test_immunity_risk_follows_the_positions_held_on_the_issue_date(
    system, case, head_of_state, issued_on, risk
):
    warrant = builders.warrant(system, case, head_of_state, issued_on=issued_on)
    assert warrant.immunity_risk is risk


def test_a_requested_warrant_has_no_immunity_risk_until_issued(system, case, head_of_state):
    warrant = builders.warrant(system, case, head_of_state)
    assert warrant.immunity_risk is False
    issued, _ = warrant_transition(
        warrant_id=warrant.pk, transition="issue", actor=system, effective_date="2023-11-14"
    )
    assert issued.immunity_risk is True


def test_positions_without_personal_immunity_carry_no_risk(system, case):
    general = builders.person(
        system,
        positions=[
            {"title": "Commander, 4th Division", "function": "military", "started_on": "2000-01-01"}
        ],
    )
    warrant = builders.warrant(system, case, general, issued_on="2023-11-14")
    assert warrant.immunity_risk is False


def test_executing_a_warrant_detains_its_subject(system, case, accused):
    warrant = builders.warrant(system, case, accused.party, issued_on="2023-11-14")
    party_version = Party.objects.get(pk=accused.party_id).version
    warrant, event = warrant_transition(warrant_id=warrant.pk, transition="execute", actor=system)
    subject = Party.objects.get(pk=accused.party_id)
    assert (warrant.status, event.type) == ("executed", "warrant.executed")
    assert (subject.custody, subject.version) == ("detained", party_version + 1)
    row = subject.audit_trail.order_by("-pgh_id").first()
    assert (row.custody, row.pgh_context.metadata["actor"]) == ("detained", "tests")
    assert ("warrant", "execute") in FOLLOW_UPS  # and the docs say so


def test_other_transitions_leave_custody_alone(system, case, accused):
    warrant = builders.warrant(system, case, accused.party, issued_on="2023-11-14")
    warrant_transition(warrant_id=warrant.pk, transition="lapse", actor=system)
    assert Party.objects.get(pk=accused.party_id).custody == "unknown"


def test_a_refused_execution_leaves_custody_alone(system, case, accused):
    warrant = builders.warrant(system, case, accused.party)
    with pytest.raises(InvalidTransition):
        warrant_transition(warrant_id=warrant.pk, transition="execute", actor=system)
    assert Party.objects.get(pk=accused.party_id).custody == "unknown"
    assert not Event.objects.filter(subject_id=warrant.pk, type="warrant.executed").exists()
