"""Bad input is refused with a message naming the field and what is allowed; nothing is stored."""

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError

from cases.actions import case_update, participation_create, representation_create
from core.workflow import InvalidTransition
from tests import builders
from warrants.actions import notice_create, warrant_transition


def stored() -> dict[str, int]:
    """How many rows every domain table and the event log hold."""
    labels = {"casetracker", "cases", "parties", "warrants", "alerts"}
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.app_label in labels
    }


def refuse(attempt, field: str, *hints: str) -> None:
    before = stored()
    with pytest.raises(ValidationError) as refused:
        attempt()
    messages = " ".join(refused.value.message_dict.get(field, []))
    assert messages, f"no message for {field}: {refused.value.message_dict}"
    for hint in hints:
        assert hint in messages
    assert stored() == before


@pytest.fixture
def w(db, system, case, accused):
    """A requested warrant."""
    return builders.warrant(system, case, accused.party)


# --- invalid status values


def test_a_status_given_at_creation_is_refused(system, case):
    refuse(lambda: builders.case(system, status="closed"), "status", "'complaint_filed'")


def test_editing_the_status_is_refused_and_names_the_allowed_transitions(system, case):
    refuse(
        lambda: case_update(case_id=case.pk, actor=system, status="closed"),
        "status",
        "transition",
        "open_investigation, dismiss",
    )


def test_an_unknown_role_is_refused_with_the_roles_allowed(system, case):
    party = builders.person(system)
    refuse(
        lambda: participation_create(actor=system, case=case, party=party, role="judge"),
        "role",
        "'judge'",
        "investigating_judge",
    )


def test_an_unknown_choice_lists_the_allowed_values(system, case, accused):
    refuse(
        lambda: builders.warrant(system, case, accused.party, kind="capture"),
        "kind",
        "'capture'",
        "arrest, search, appearance, committal",
    )


# --- invalid transitions


@pytest.mark.parametrize("name", ["annul", "teleport"])
def test_an_invalid_transition_is_refused_with_the_allowed_ones(system, w, name):
    before = stored()
    with pytest.raises(InvalidTransition) as refused:
        warrant_transition(
            warrant_id=w.pk, transition=name, actor=system, effective_date="2024-01-01"
        )
    assert name in str(refused.value)
    assert "Allowed now: issue, refuse, withdraw." in str(refused.value)
    assert stored() == before


# --- dates that don't parse


@pytest.mark.parametrize("value", ["2023-02-30", "14/11/2023", "yesterday"])
def test_an_unparsable_effective_date_is_refused(system, w, value):
    refuse(
        lambda: warrant_transition(
            warrant_id=w.pk, transition="issue", actor=system, effective_date=value
        ),
        "effective_date",
        value,
        "YYYY-MM-DD",
    )


@pytest.mark.parametrize("field", ["issued_on", "requested_on", "disclosed_on"])
def test_an_unparsable_warrant_date_is_refused(system, case, accused, field):
    refuse(
        lambda: builders.warrant(system, case, accused.party, **{field: "2023-13-45"}),
        field,
        "2023-13-45",
        "YYYY-MM-DD",
    )


def test_an_unparsable_case_date_is_refused(system, db):
    refuse(lambda: builders.case(system, opened_on="next week"), "opened_on", "YYYY-MM-DD")


def test_an_unparsable_birth_date_is_refused(system, db):
    refuse(lambda: builders.person(system, birth_date="1965-13"), "birth_date", "YYYY, YYYY-MM")


# --- unknown country codes


def test_an_unknown_jurisdiction_is_refused(system, db):
    refuse(lambda: builders.case(system, jurisdiction="XX"), "jurisdiction", "'XX'", "ISO 3166")


def test_an_unknown_issuing_country_is_refused(system, case, accused):
    refuse(
        lambda: builders.warrant(system, case, accused.party, issuing_country="ZZ"),
        "issuing_country",
        "'ZZ'",
        "ISO 3166",
    )


def test_an_unknown_requesting_country_is_refused(system, accused):
    refuse(
        lambda: notice_create(
            actor=system, kind="yellow", subject=accused.party, requesting_country="QQ"
        ),
        "requesting_country",
        "'QQ'",
        "ISO 3166",
    )


def test_an_unknown_nationality_is_refused(system, db):
    refuse(lambda: builders.person(system, nationalities=["SY", "QQ"]), "nationalities", "QQ")


def test_editing_in_an_unknown_country_is_refused(system, case):
    refuse(
        lambda: case_update(case_id=case.pk, actor=system, jurisdiction="XX"),
        "jurisdiction",
        "ISO 3166",
    )
    case.refresh_from_db()
    assert (case.jurisdiction.code, case.version) == ("FR", 1)


# --- a red notice without an issued warrant


def test_a_red_notice_without_a_warrant_is_refused(system, accused):
    refuse(
        lambda: notice_create(
            actor=system, kind="red", subject=accused.party, requesting_country="FR"
        ),
        "warrant",
        "needs a warrant",
    )


def test_a_red_notice_on_a_requested_warrant_is_refused(system, w):
    refuse(lambda: builders.red_notice(system, w), "warrant", "issued", "requested")


def test_a_red_notice_on_an_annulled_warrant_is_refused(system, w):
    warrant_transition(
        warrant_id=w.pk, transition="issue", actor=system, effective_date="2023-11-14"
    )
    warrant_transition(
        warrant_id=w.pk, transition="annul", actor=system, effective_date="2025-07-25"
    )
    w.refresh_from_db()
    refuse(lambda: builders.red_notice(system, w), "warrant", "issued", "annulled")


def test_an_organization_as_counsel_is_refused(system, case):
    plaintiff = participation_create(
        actor=system, case=case, party=builders.person(system), role="plaintiff"
    )
    ngo = builders.person(system, kind="organization", name="Syrian Archive")
    refuse(
        lambda: representation_create(actor=system, counsel=ngo, client=plaintiff),
        "counsel",
        "must be a person",
    )


# --- dates of legal facts lie in the past


@pytest.mark.parametrize(
    ("make", "field"),
    [
        (lambda actor, case, party: builders.case(actor, opened_on="2999-01-01"), "opened_on"),
        (
            lambda actor, case, party: builders.warrant(actor, case, party, issued_on="2999-01-01"),
            "issued_on",
        ),
        (
            lambda actor, case, party: builders.person(
                actor, positions=[{"title": "President", "ended_on": "2999-01-01"}]
            ),
            "ended_on",
        ),
    ],
)
def test_a_legal_date_after_today_is_refused(system, case, accused, make, field):
    refuse(lambda: make(system, case, accused.party), field, "in the future")


def test_today_is_a_legal_date(system, case, accused):
    from django.utils import timezone

    warrant = builders.warrant(system, case, accused.party, issued_on=timezone.localdate())
    assert warrant.status == "issued"


def test_today_anywhere_on_earth_is_a_legal_date_and_the_day_after_is_not(system, case, accused):
    import time_machine

    # Noon UTC: already the next day in Kiribati (UTC+14), not yet the one after.
    with time_machine.travel("2026-12-02 12:00Z", tick=False):
        warrant = builders.warrant(system, case, accused.party, issued_on="2026-12-03")
        assert warrant.issued_on.isoformat() == "2026-12-03"
        refuse(
            lambda: builders.warrant(system, case, accused.party, issued_on="2026-12-04"),
            "issued_on",
            "in the future",
        )
