"""Immunity as the courts reason about it (issue 13): personal immunity (ratione personae)
while in office, functional immunity (ratione materiae) for official acts, which does not bar
prosecuting international crimes (Cour de cassation, 25 July 2025: the Assad warrant of 2023
annulled for a sitting head of state's personal immunity; Mayaleh, the same day: no
functional immunity bar for international crimes). One rule read by the model, the readers
and the periodic check."""

import pytest

from alerts.checks import warrant_against_immune_person
from parties.models import Immunity
from tests import builders
from warrants.selectors import warrants_visible_to

pytestmark = pytest.mark.django_db

ASSAD = {
    "title": "President of the Syrian Arab Republic",
    "function": "head_of_state",
    "started_on": "2000-07-17",
    "ended_on": "2024-12-08",
}
GOVERNOR = {
    "title": "Governor of the Central Bank of Syria",
    "function": "other",
    "started_on": "2005-01-01",
    "ended_on": "2016-06-30",
}
MILITIA = {
    "title": "Leader of an armed group",
    "function": "head_of_state",  # styled so by the group, not an office of a State
    "started_on": "2012-01-01",
    "state_office": False,
}


def warrant_with(system, case, positions, offence, issued_on):
    accused = builders.accused(system, case, builders.person(system, positions=positions))
    charge = builders.charge(system, case, accused, offence=offence)
    return builders.warrant(system, case, accused.party, issued_on=issued_on, charges=[charge])


def findings(warrant, user):
    """What the model, the API's reader and the periodic check say of one warrant."""
    row = warrants_visible_to(user).get(pk=warrant.pk)
    checked = {f.subject_id for f in warrant_against_immune_person(None)}
    return {
        "model": (warrant.immunity_risk, warrant.functional_immunity_bar),
        "reader": (row.shown_immunity_risk, row.shown_functional_immunity_bar),
        "check": warrant.pk in checked,
    }


def agreed(personal: bool, functional: bool) -> dict:
    return {"model": (personal, functional), "reader": (personal, functional), "check": personal}


def test_a_sitting_head_of_state_has_personal_immunity_from_the_2023_warrant(system, case, lawyer):
    warrant = warrant_with(system, case, [ASSAD], "crimes_against_humanity", "2023-11-14")
    # Personal immunity bars it; functional immunity would not (international crime).
    assert findings(warrant, lawyer) == agreed(personal=True, functional=False)


def test_once_out_of_office_the_2025_warrant_meets_no_immunity(system, case, lawyer):
    warrant = warrant_with(system, case, [ASSAD], "crimes_against_humanity", "2025-07-29")
    assert findings(warrant, lawyer) == agreed(personal=False, functional=False)


def test_functional_immunity_is_no_bar_to_war_crimes_charges_as_in_mayaleh(system, case, lawyer):
    warrant = warrant_with(system, case, [GOVERNOR], "war_crimes", "2023-11-14")
    assert findings(warrant, lawyer) == agreed(personal=False, functional=False)


def test_functional_immunity_may_bar_a_warrant_resting_on_an_ordinary_offence(system, case, lawyer):
    warrant = warrant_with(system, case, [GOVERNOR], "other", "2023-11-14")
    assert findings(warrant, lawyer) == agreed(personal=False, functional=True)


def test_an_office_of_an_armed_group_carries_no_immunity(system, case, lawyer):
    warrant = warrant_with(system, case, [MILITIA], "other", "2023-11-14")
    assert findings(warrant, lawyer) == agreed(personal=False, functional=False)
    position = warrant.subject.positions.get()
    assert (position.immunity, position.personal_immunity) == (Immunity.NONE, False)


def test_positions_say_which_immunity_they_carry(system):
    party = builders.person(system, positions=[ASSAD, GOVERNOR])
    assert [p.immunity for p in party.positions.order_by("started_on")] == [
        Immunity.PERSONAL,
        Immunity.FUNCTIONAL,
    ]


def test_a_viewer_is_told_neither_finding_on_a_protected_subject(
    system, case, viewer, lawyer, head_of_state
):
    accused = builders.accused(system, case, head_of_state)
    charge = builders.charge(system, case, accused, offence="other")
    warrant = builders.warrant(
        system, case, head_of_state, issued_on="2023-11-14", charges=[charge]
    )
    hidden = warrants_visible_to(viewer).get(pk=warrant.pk)
    assert (hidden.shown_immunity_risk, hidden.shown_functional_immunity_bar) == (None, None)
    shown = warrants_visible_to(lawyer).get(pk=warrant.pk)
    assert (shown.shown_immunity_risk, shown.shown_functional_immunity_bar) == (True, True)


def test_the_api_records_and_shows_which_immunity_a_position_carries(lawyer):
    from tests.api.conftest import client_for

    r = client_for(lawyer).post(
        "/api/v1/parties/",
        {
            "kind": "person",
            "name": "Commander X",
            "positions": [
                {
                    "title": "Leader of an armed group",
                    "function": "head_of_state",
                    "state_office": False,
                },
                {"title": "Governor of the Central Bank", "function": "other"},
            ],
        },
        format="json",
    )
    assert r.status_code == 201, r.json()
    shown = sorted((p["title"], p["state_office"], p["immunity"]) for p in r.json()["positions"])
    assert shown == [
        ("Governor of the Central Bank", True, "functional"),
        ("Leader of an armed group", False, "none"),
    ]
