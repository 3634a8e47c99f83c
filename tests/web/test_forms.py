"""Create and edit forms of parties, incidents, participations, charges, warrants and notices.

For each: the form creates through the named action (and its Event); bad input shows
an error next to its field, keeps what was typed and changes nothing; a viewer (or a
role without the permission) gets 403; a stale version shows the conflict message.
"""

import html
import re

import pytest
from django.urls import reverse

from cases.actions import charge_review, participation_create, representation_create
from cases.models import Charge, Incident, Participation, Representation
from core.events import Actor
from core.models import Event
from parties.actions import party_create, party_update
from parties.models import Party, Position
from tests import builders
from warrants.actions import notice_update, warrant_transition, warrant_update
from warrants.models import Notice, Warrant
from web.history import last_change

CONFLICT = "This record was changed by"


def signed_in(client, user):
    client.force_login(user)
    return client


def error_next_to(page: str, field: str) -> str:
    """The error list Django renders for `field` (right before its input), as text."""
    found = re.search(rf'<ul class="errorlist" id="id_{field}_error">(.*?)</ul>', page, re.S)
    assert found, f"no error shown next to {field}"
    return html.unescape(re.sub(r"<[^>]+>", " ", found.group(1)))


def version_in(page: str) -> str:
    found = re.search(r'name="expected_version" value="(\d+)"', page)
    assert found, "no version in the form"
    return found.group(1)


def counts() -> tuple[int, ...]:
    models = (
        Party,
        Position,
        Incident,
        Participation,
        Representation,
        Charge,
        Warrant,
        Notice,
        Event,
    )
    return tuple(model.objects.count() for model in models)


# Parties ------------------------------------------------------------------------------------

PARTY = {
    "kind": "person",
    "name": "Jamil Hassan",
    "name_original": "جميل حسن",
    "aliases": "Jameel Hassan\nDjamil Hassan",
    "birth_date": "1953",
    "nationalities": "sy",
    "pseudonym": "",
    "custody": "at_large",
    "positions-TOTAL_FORMS": "1",
    "positions-INITIAL_FORMS": "0",
    "positions-0-title": "Head of Air Force Intelligence",
    "positions-0-organisation": "Syrian Air Force Intelligence",
    "positions-0-function": "military",
    "positions-0-started_on": "2009-01-01",
    "positions-0-ended_on": "2019-07-01",
}


def test_staff_create_a_party_with_names_aliases_and_a_position(client, staff):
    signed_in(client, staff)
    assert client.get(reverse("parties:new")).status_code == 200
    response = client.post(reverse("parties:new"), PARTY)
    party = Party.objects.get(name="Jamil Hassan")
    assert response.status_code == 302
    assert response["Location"] == reverse("parties:detail", args=[party.pk])
    assert party.name_original == "جميل حسن"
    assert party.aliases == ["Jameel Hassan", "Djamil Hassan"]
    assert party.nationalities == ["SY"]
    assert [p.title for p in party.positions.all()] == ["Head of Air Force Intelligence"]
    event = Event.objects.get(type="party.created", subject_id=party.pk)
    assert event.actor_name == "staff"


def test_names_in_any_script_are_typed_right_to_left_where_needed(client, staff):
    """dir="auto" on the original name and the aliases: an Arabic alias reads right to left."""
    signed_in(client, staff)
    page = client.get(reverse("parties:new")).content.decode()
    aliases = re.search(r'<textarea name="aliases"[^>]*>', page)
    assert aliases and 'dir="auto"' in aliases.group(0) and 'rows="3"' in aliases.group(0)
    original = re.search(r'<input type="text" name="name_original"[^>]*>', page)
    assert original and 'dir="auto"' in original.group(0)


def test_party_form_errors_show_next_to_the_field_and_keep_input(client, staff):
    signed_in(client, staff)
    before = counts()
    bad = {
        **PARTY,
        "birth_date": "1953-13",
        "nationalities": "SY, XX",
        "positions-0-ended_on": "2001-01-01",
    }
    response = client.post(reverse("parties:new"), bad)
    page = response.content.decode()
    assert response.status_code == 400
    assert "is not a real date" in error_next_to(page, "birth_date")
    assert "XX" in error_next_to(page, "nationalities")
    assert "Must not be before the start date." in error_next_to(page, "positions-0-ended_on")
    assert 'value="Jamil Hassan"' in page and "Djamil Hassan" in page
    assert 'value="Head of Air Force Intelligence"' in page
    assert counts() == before


def test_a_protected_party_needs_a_pseudonym_and_an_organisation_no_custody(client, lawyer):
    signed_in(client, lawyer)
    response = client.post(
        reverse("parties:new"),
        {**PARTY, "kind": "organization", "protected": "on", "positions-TOTAL_FORMS": "0"},
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "A protected party needs a pseudonym." in page
    assert "Only a person has a custody status." in page
    assert not Party.objects.filter(name="Jamil Hassan").exists()


def test_a_viewer_gets_no_party_forms(client, viewer, system):
    party = builders.person(system)
    signed_in(client, viewer)
    assert "New party" not in client.get(reverse("parties:list")).content.decode()
    assert reverse("parties:edit", args=[party.pk]) not in (
        client.get(reverse("parties:detail", args=[party.pk])).content.decode()
    )
    before = counts()
    assert client.get(reverse("parties:new")).status_code == 403
    assert client.post(reverse("parties:new"), PARTY).status_code == 403
    edit = reverse("parties:edit", args=[party.pk])
    assert client.post(edit, {**PARTY, "expected_version": party.version}).status_code == 403
    assert counts() == before


def test_editing_a_party_and_its_positions_saves_both(client, lawyer, system):
    party = party_create(
        actor=system,
        kind="person",
        name="Ali Mamlouk",
        positions=[{"title": "Head of National Security Bureau", "function": "other"}],
    )
    before = party_update(party_id=party.pk, actor=system, pseudonym="")
    signed_in(client, lawyer)
    form = client.get(reverse("parties:edit", args=[party.pk])).content.decode()
    position = party.positions.get()
    response = client.post(
        reverse("parties:edit", args=[party.pk]),
        {
            **PARTY,
            "name": "Ali Mamlouk",
            "expected_version": version_in(form),
            "positions-TOTAL_FORMS": "2",
            "positions-INITIAL_FORMS": "1",
            "positions-0-id": str(position.pk),
            "positions-0-expected_version": str(position.version),
            "positions-0-title": "Head of the National Security Bureau",
            "positions-0-organisation": "",
            "positions-0-function": "other",
            "positions-0-started_on": "2012-07-24",
            "positions-0-ended_on": "",
            "positions-1-title": "Vice-President for Security Affairs",
            "positions-1-function": "other",
            "positions-1-started_on": "2019-07-01",
        },
    )
    assert response.status_code == 302, response.content.decode()
    party.refresh_from_db()
    assert party.version == before.version + 1
    assert party.aliases == ["Jameel Hassan", "Djamil Hassan"]
    titles = list(party.positions.order_by("started_on").values_list("title", flat=True))
    assert titles == ["Head of the National Security Bureau", "Vice-President for Security Affairs"]


def test_a_stale_party_edit_shows_the_conflict_and_keeps_input(client, staff, system):
    party = builders.person(system, name="Abdel Salam Mahmoud")
    signed_in(client, staff)
    form = client.get(reverse("parties:edit", args=[party.pk])).content.decode()
    party_update(party_id=party.pk, actor=Actor.for_user(staff), name="Abdul Salam Mahmoud")
    response = client.post(
        reverse("parties:edit", args=[party.pk]),
        {**PARTY, "name": "My spelling", "expected_version": version_in(form)},
    )
    page = response.content.decode()
    assert response.status_code == 409
    assert f"{CONFLICT} staff at" in page
    assert 'value="My spelling"' in page
    party.refresh_from_db()
    assert party.name == "Abdul Salam Mahmoud"


def test_staff_edit_a_protected_party_without_seeing_its_identity(client, staff, system):
    witness = party_create(
        actor=system,
        kind="person",
        name="Realname Hidden",
        aliases=["Realalias"],
        protected=True,
        pseudonym="Witness Z",
        positions=[{"title": "Secret position"}],
    )
    signed_in(client, staff)
    page = client.get(reverse("parties:edit", args=[witness.pk])).content.decode()
    for secret in ("Realname", "Realalias", "Secret position"):
        assert secret not in page
    assert 'name="name"' not in page and 'name="protected"' not in page
    response = client.post(
        reverse("parties:edit", args=[witness.pk]),
        {
            "kind": "person",
            "pseudonym": "Witness Y",
            "custody": "unknown",
            "nationalities": "",
            "expected_version": version_in(page),
        },
    )
    assert response.status_code == 302
    witness.refresh_from_db()
    assert (witness.name, witness.pseudonym, witness.protected) == (
        "Realname Hidden",
        "Witness Y",
        True,
    )
    assert witness.aliases == ["Realalias"]


# Incidents ----------------------------------------------------------------------------------

INCIDENT = {
    "title": "Chemical attack on Douma",
    "started_on": "2013-08-21",
    "ended_on": "",
    "place": "Douma, Eastern Ghouta",
    "description": "Sarin rockets at night.",
    "casualties": "1100",
}


def test_staff_add_an_incident_to_a_case(client, staff, case):
    signed_in(client, staff)
    assert reverse("cases:incident_new", args=[case.pk]) in (
        client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    )
    response = client.post(reverse("cases:incident_new", args=[case.pk]), INCIDENT)
    incident = Incident.objects.get(case=case)
    assert response.status_code == 302
    assert (incident.title, incident.casualties) == ("Chemical attack on Douma", 1100)
    # domain.md §3 has no incident events: the creation is in the audit trail, with its author.
    assert last_change(incident)[0] == "staff"


def test_incident_form_errors_show_next_to_the_field_and_keep_input(client, staff, case):
    signed_in(client, staff)
    before = counts()
    response = client.post(
        reverse("cases:incident_new", args=[case.pk]),
        {**INCIDENT, "ended_on": "2013-08-20", "casualties": "-3"},
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "Must not be before the start date." in error_next_to(page, "ended_on")
    assert "greater than or equal to 0" in error_next_to(page, "casualties")
    assert 'value="Chemical attack on Douma"' in page
    assert counts() == before


@pytest.mark.parametrize("persona", ["viewer", "lawyer"])
def test_only_staff_add_or_edit_incidents(request, client, persona, case, system):
    from cases.actions import incident_create

    incident = incident_create(actor=system, case=case, title="Attack", started_on="2013-08-21")
    signed_in(client, request.getfixturevalue(persona))
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert reverse("cases:incident_new", args=[case.pk]) not in page
    assert reverse("cases:incident_edit", args=[incident.pk]) not in page
    assert client.post(reverse("cases:incident_new", args=[case.pk]), INCIDENT).status_code == 403
    edit = reverse("cases:incident_edit", args=[incident.pk])
    assert client.post(edit, {**INCIDENT, "expected_version": 1}).status_code == 403
    incident.refresh_from_db()
    assert incident.title == "Attack"
    assert Incident.objects.count() == 1


def test_a_stale_incident_edit_shows_the_conflict(client, staff, case, system):
    from cases.actions import incident_create, incident_update

    incident = incident_create(actor=system, case=case, title="Attack", started_on="2013-08-21")
    signed_in(client, staff)
    form = client.get(reverse("cases:incident_edit", args=[incident.pk])).content.decode()
    incident_update(incident_id=incident.pk, actor=Actor.for_user(staff), place="Zamalka")
    response = client.post(
        reverse("cases:incident_edit", args=[incident.pk]),
        {**INCIDENT, "expected_version": version_in(form)},
    )
    assert response.status_code == 409
    assert f"{CONFLICT} staff at" in response.content.decode()
    incident.refresh_from_db()
    assert (incident.title, incident.place) == ("Attack", "Zamalka")


def test_an_incident_edit_saves(client, staff, case, system):
    from cases.actions import incident_create

    incident = incident_create(actor=system, case=case, title="Attack", started_on="2013-08-21")
    signed_in(client, staff)
    form = client.get(reverse("cases:incident_edit", args=[incident.pk])).content.decode()
    response = client.post(
        reverse("cases:incident_edit", args=[incident.pk]),
        {**INCIDENT, "expected_version": version_in(form)},
    )
    assert response.status_code == 302
    incident.refresh_from_db()
    assert (incident.title, incident.version) == ("Chemical attack on Douma", 2)


# Participations -----------------------------------------------------------------------------


def test_staff_add_a_party_to_a_case_in_a_role(client, staff, case, system):
    party = builders.person(system, name="Bassam al-Hassan")
    signed_in(client, staff)
    response = client.post(
        reverse("cases:participation_new", args=[case.pk]), {"party": party.pk, "role": "accused"}
    )
    assert response.status_code == 302
    participation = Participation.objects.get(case=case, party=party)
    assert (participation.role, participation.status) == ("accused", "suspect")
    assert Event.objects.filter(
        type="participation.created", subject_id=participation.pk, actor_name="staff"
    ).exists()


def test_a_party_cannot_take_the_same_role_twice(client, staff, case, accused):
    signed_in(client, staff)
    before = counts()
    response = client.post(
        reverse("cases:participation_new", args=[case.pk]),
        {"party": accused.party_id, "role": "accused"},
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "already has this role in this case" in error_next_to(page, "party")
    assert re.search(rf'<option value="{accused.party_id}" selected>', page)
    assert counts() == before


def test_the_party_list_offers_a_protected_party_by_its_pseudonym(client, staff, case, system):
    party_create(
        actor=system, kind="person", name="Realname Hidden", protected=True, pseudonym="Witness Z"
    )
    signed_in(client, staff)
    page = client.get(reverse("cases:participation_new", args=[case.pk])).content.decode()
    # The form lists no one: its picker searches as one types (web/search.py).
    assert reverse("web:pick", args=["parties"]) in page and "Realname" not in page
    pick = reverse("web:pick", args=["parties"])
    offered = client.get(pick, {"q": "Witness Z", "name": "party"}).content.decode()
    assert "Witness Z" in offered and "Realname" not in offered
    assert "Witness Z" not in client.get(pick, {"q": "Realname Hidden"}).content.decode()


@pytest.mark.parametrize("persona", ["viewer", "lawyer"])
def test_only_staff_add_parties_to_cases(request, client, persona, case, system):
    party = builders.person(system)
    signed_in(client, request.getfixturevalue(persona))
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert reverse("cases:participation_new", args=[case.pk]) not in page
    response = client.post(
        reverse("cases:participation_new", args=[case.pk]), {"party": party.pk, "role": "witness"}
    )
    assert response.status_code == 403
    assert not Participation.objects.filter(party=party).exists()


# Counsel (representations) ------------------------------------------------------------------


@pytest.fixture
def plaintiff(system, case):
    return participation_create(
        actor=system, case=case, party=builders.person(system, name="Plaintiff P"), role="plaintiff"
    )


def test_a_lawyer_adds_counsel_for_a_plaintiff_on_the_case_page(client, lawyer, plaintiff, system):
    lawyer_party = builders.person(system, name="Clémence Bectarte")
    signed_in(client, lawyer)
    new = reverse("cases:representation_new", args=[plaintiff.pk])
    assert new in client.get(reverse("cases:detail", args=[plaintiff.case_id])).content.decode()
    assert client.get(new).status_code == 200
    response = client.post(new, {"counsel": lawyer_party.pk, "bar": "Paris Bar"})
    representation = Representation.objects.get(client=plaintiff)
    assert response.status_code == 302
    assert response["Location"] == (
        reverse("cases:detail", args=[plaintiff.case_id]) + f"#representation-{representation.pk}"
    )
    assert (representation.counsel, representation.bar, representation.status) == (
        lawyer_party,
        "Paris Bar",
        "engaged",
    )
    event = Event.objects.get(type="representation.created", subject_id=representation.pk)
    assert (event.actor_name, event.case_id) == ("lawyer", plaintiff.case_id)
    page = client.get(response["Location"]).content.decode()
    assert "Clémence Bectarte" in page and "(Paris Bar)" in page


def test_counsel_form_errors_show_next_to_the_field_and_keep_input(
    client, lawyer, plaintiff, system
):
    organisation = party_create(actor=system, kind="organization", name="Syrian Archive")
    counsel = builders.person(system, name="Counsel Once")
    representation_create(actor=system, counsel=counsel, client=plaintiff)
    signed_in(client, lawyer)
    new = reverse("cases:representation_new", args=[plaintiff.pk])
    assert "Syrian Archive" not in client.get(new).content.decode()  # counsel is a person
    before = counts()
    response = client.post(new, {"counsel": organisation.pk, "bar": "Lyon Bar"})
    page = response.content.decode()
    assert response.status_code == 400
    assert "Select a valid choice" in error_next_to(page, "counsel")
    assert 'value="Lyon Bar"' in page
    response = client.post(new, {"counsel": counsel.pk, "bar": "Lyon Bar"})
    page = response.content.decode()
    assert response.status_code == 400
    assert "already represents this participant" in error_next_to(page, "counsel")
    assert re.search(rf'<option value="{counsel.pk}" selected>', page)
    assert 'value="Lyon Bar"' in page
    assert counts() == before


def test_the_counsel_list_offers_a_protected_person_by_pseudonym_to_who_may_not_see_it(
    client, plaintiff, system
):
    from django.contrib.auth.models import Permission

    from tests.conftest import make_user

    party_create(
        actor=system, kind="person", name="Realname Hidden", protected=True, pseudonym="Witness Z"
    )
    new = reverse("cases:representation_new", args=[plaintiff.pk])
    clerk = make_user("clerk", "viewer")  # may add counsel, may not see protected identities
    clerk.user_permissions.add(Permission.objects.get(codename="add_representation"))
    pick = reverse("web:pick", args=["parties"])
    search = {"q": "Realname Hidden", "kind": "person", "name": "counsel"}
    signed_in(client, make_user("counsel_lawyer", "lawyer"))
    assert pick in client.get(new).content.decode()
    assert "Realname Hidden" in client.get(pick, search).content.decode()
    signed_in(client, clerk)
    page = client.get(new).content.decode()
    assert pick in page and "Realname" not in page
    assert "Realname" not in client.get(pick, search).content.decode()
    by_pseudonym = client.get(pick, {**search, "q": "Witness Z"}).content.decode()
    assert "Witness Z" in by_pseudonym and "Realname" not in by_pseudonym


def test_a_lawyer_edits_counsels_bar_and_a_stale_edit_shows_the_conflict(
    client, lawyer, plaintiff, system
):
    representation = representation_create(
        actor=system, counsel=builders.person(system), client=plaintiff, bar="Paris Bar"
    )
    edit = reverse("cases:representation_edit", args=[representation.pk])
    signed_in(client, lawyer)
    assert edit in client.get(reverse("cases:detail", args=[plaintiff.case_id])).content.decode()
    form = client.get(edit).content.decode()
    assert 'name="counsel"' not in form  # who represents whom is fixed
    response = client.post(edit, {"bar": "Lyon Bar", "expected_version": version_in(form)})
    assert response.status_code == 302
    representation.refresh_from_db()
    assert representation.bar == "Lyon Bar"
    stale = client.post(edit, {"bar": "Marseille Bar", "expected_version": version_in(form)})
    assert stale.status_code == 409
    assert f"{CONFLICT} lawyer at" in stale.content.decode()
    assert 'value="Marseille Bar"' in stale.content.decode()
    representation.refresh_from_db()
    assert representation.bar == "Lyon Bar"


@pytest.mark.parametrize("persona", ["viewer", "staff"])
def test_only_lawyers_add_or_edit_counsel(request, client, persona, plaintiff, system):
    counsel = builders.person(system)
    representation = representation_create(
        actor=system, counsel=builders.person(system), client=plaintiff, bar="Paris Bar"
    )
    new = reverse("cases:representation_new", args=[plaintiff.pk])
    edit = reverse("cases:representation_edit", args=[representation.pk])
    signed_in(client, request.getfixturevalue(persona))
    page = client.get(reverse("cases:detail", args=[plaintiff.case_id])).content.decode()
    assert new not in page and edit not in page
    assert client.get(new).status_code == 403
    created = client.post(new, {"counsel": counsel.pk, "bar": "Lyon Bar"})
    edited = client.post(edit, {"bar": "Lyon Bar", "expected_version": representation.version})
    assert (created.status_code, edited.status_code) == (403, 403)
    assert not Representation.objects.filter(counsel=counsel).exists()
    representation.refresh_from_db()
    assert representation.bar == "Paris Bar"


def test_a_lawyer_registers_counsel_with_the_transition_buttons(client, lawyer, plaintiff, system):
    representation = representation_create(
        actor=system, counsel=builders.person(system), client=plaintiff
    )
    signed_in(client, lawyer)
    page = client.get(reverse("cases:detail", args=[plaintiff.case_id])).content.decode()
    action = reverse("web:transition", args=["representation", representation.pk])
    # A button each (register, withdraw), its form loaded when opened.
    assert page.count(f'href="{action}?transition=') == 2
    response = client.post(
        action,
        {
            "transition": "register",
            "expected_version": representation.version,
            "effective_date": "2024-01-15",
        },
    )
    assert response.status_code == 302
    representation.refresh_from_db()
    assert representation.status == "on_record"
    event = Event.objects.get(type="representation.on_record", subject_id=representation.pk)
    assert (event.actor_name, str(event.effective_date)) == ("lawyer", "2024-01-15")


def test_staff_see_no_counsel_transitions(client, staff, plaintiff, system):
    representation = representation_create(
        actor=system, counsel=builders.person(system), client=plaintiff
    )
    signed_in(client, staff)
    page = client.get(reverse("cases:detail", args=[plaintiff.case_id])).content.decode()
    assert f'id="representation-{representation.pk}"' in page
    assert reverse("web:transition", args=["representation", representation.pk]) not in page


# Charges ------------------------------------------------------------------------------------

CHARGE = {
    "offence": "crimes_against_humanity",
    "label": "Complicity in crimes against humanity",
    "legal_basis": "FR Code pénal 212-1\nRome Statute 7(1)(a)",
    "mode_of_liability": "complicity",
    "qualification_text": "complicité de crimes contre l'humanité",
}


def test_a_lawyer_adds_a_charge_on_the_case_page(client, lawyer, case, accused):
    signed_in(client, lawyer)
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert reverse("cases:charge_new", args=[case.pk]) in page
    response = client.post(
        reverse("cases:charge_new", args=[case.pk]), {**CHARGE, "accused": accused.pk}
    )
    assert response.status_code == 302
    charge = Charge.objects.get(case=case)
    assert charge.legal_basis == ["FR Code pénal 212-1", "Rome Statute 7(1)(a)"]
    assert (charge.accused, charge.status, charge.review) == (accused, "alleged", "unreviewed")
    assert Event.objects.filter(
        type="charge.created", subject_id=charge.pk, actor_name="lawyer"
    ).exists()


def test_charge_form_errors_show_next_to_the_field_and_keep_input(
    client, lawyer, case, accused, system
):
    witness = participation_create(
        actor=system, case=case, party=builders.person(system), role="witness"
    )
    signed_in(client, lawyer)
    before = counts()
    response = client.post(
        reverse("cases:charge_new", args=[case.pk]),
        {**CHARGE, "accused": witness.pk, "offence": "piracy"},
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "Select a valid choice" in error_next_to(page, "accused")
    assert "Select a valid choice" in error_next_to(page, "offence")
    assert 'value="Complicity in crimes against humanity"' in page
    assert "Rome Statute 7(1)(a)" in page
    assert counts() == before


@pytest.mark.parametrize("persona", ["viewer", "staff"])
def test_only_lawyers_add_or_edit_charges(request, client, persona, case, accused, system):
    charge = builders.charge(system, case, accused)
    signed_in(client, request.getfixturevalue(persona))
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert reverse("cases:charge_new", args=[case.pk]) not in page
    assert reverse("cases:charge_edit", args=[charge.pk]) not in page
    data = {**CHARGE, "accused": accused.pk}
    new = client.post(reverse("cases:charge_new", args=[case.pk]), data)
    edit = client.post(
        reverse("cases:charge_edit", args=[charge.pk]),
        {**CHARGE, "accused": accused.pk, "expected_version": charge.version},
    )
    assert (new.status_code, edit.status_code) == (403, 403)
    charge.refresh_from_db()
    assert charge.label == "Complicity in war crimes"
    assert Charge.objects.count() == 1


def test_editing_an_approved_charge_sends_it_back_to_review(client, lawyer, case, accused, system):
    charge = builders.charge(system, case, accused)
    charge = charge_review(charge_id=charge.pk, actor=Actor.for_user(lawyer), decision="approve")
    signed_in(client, lawyer)
    form = client.get(reverse("cases:charge_edit", args=[charge.pk])).content.decode()
    response = client.post(
        reverse("cases:charge_edit", args=[charge.pk]),
        {**CHARGE, "accused": accused.pk, "expected_version": version_in(form)},
    )
    assert response.status_code == 302
    charge.refresh_from_db()
    assert (charge.label, charge.review) == ("Complicity in crimes against humanity", "unreviewed")


def test_a_stale_charge_edit_shows_the_conflict(client, lawyer, case, accused, system):
    charge = builders.charge(system, case, accused)
    signed_in(client, lawyer)
    form = client.get(reverse("cases:charge_edit", args=[charge.pk])).content.decode()
    charge_review(charge_id=charge.pk, actor=Actor.for_user(lawyer), decision="approve")
    response = client.post(
        reverse("cases:charge_edit", args=[charge.pk]),
        {**CHARGE, "accused": accused.pk, "expected_version": version_in(form)},
    )
    page = response.content.decode()
    assert response.status_code == 409
    assert f"{CONFLICT} lawyer at" in page
    assert 'value="Complicity in crimes against humanity"' in page
    charge.refresh_from_db()
    assert (charge.label, charge.review) == ("Complicity in war crimes", "approved")


# Warrants -----------------------------------------------------------------------------------


def warrant_data(case, subject, **extra) -> dict:
    return {
        "case": case.pk,
        "subject": subject.pk,
        "kind": "arrest",
        "issuing_country": "FR",
        "issuing_authority": "Investigating judges, Paris Judicial Court",
        "reference": "PARIS-2023-17",
        "requested_on": "2023-10-01",
        "issued_on": "",
        "disclosed_on": "",
        **extra,
    }


def test_staff_create_an_issued_warrant_from_the_case_page(client, staff, case, accused, system):
    charge = builders.charge(system, case, accused)
    signed_in(client, staff)
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    new = reverse("warrants:warrant_new") + f"?case={case.pk}"
    assert new in page
    assert client.get(new).status_code == 200
    response = client.post(
        new, warrant_data(case, accused.party, issued_on="2023-11-14", charges=[charge.pk])
    )
    assert response.status_code == 302
    warrant = Warrant.objects.get(reference="PARIS-2023-17")
    assert (warrant.status, str(warrant.issued_on)) == ("issued", "2023-11-14")
    assert list(warrant.charges.all()) == [charge]
    event = Event.objects.get(type="warrant.created", subject_id=warrant.pk)
    assert (event.actor_name, str(event.effective_date)) == ("staff", "2023-11-14")


def test_warrant_form_errors_show_next_to_the_field_and_keep_input(client, staff, case, system):
    organisation = party_create(actor=system, kind="organization", name="Air Force Intelligence")
    signed_in(client, staff)
    before = counts()
    response = client.post(
        reverse("warrants:warrant_new"),
        warrant_data(case, organisation, requested_on="2023-02-30", issuing_country="ZZ"),
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "Select a valid choice" in error_next_to(page, "subject")
    assert "Enter a valid date." in error_next_to(page, "requested_on")
    assert "Select a valid choice" in error_next_to(page, "issuing_country")
    assert 'value="Investigating judges, Paris Judicial Court"' in page
    assert 'value="PARIS-2023-17"' in page
    assert counts() == before


def test_charges_of_another_case_are_refused_next_to_the_field(client, staff, case, system):
    other = builders.case(system)
    other_accused = builders.accused(system, other)
    charge = builders.charge(system, other, other_accused)
    signed_in(client, staff)
    before = counts()
    response = client.post(
        reverse("warrants:warrant_new"),
        warrant_data(case, other_accused.party, charges=[charge.pk]),
    )
    assert response.status_code == 400
    assert "Choose charges of the warrant's case." in error_next_to(
        response.content.decode(), "charges"
    )
    assert counts() == before


@pytest.mark.parametrize("persona", ["viewer", "lawyer"])
def test_only_staff_create_or_edit_warrants(request, client, persona, case, warrant):
    signed_in(client, request.getfixturevalue(persona))
    for page in (reverse("cases:detail", args=[case.pk]), reverse("warrants:warrants")):
        assert reverse("warrants:warrant_new") not in client.get(page).content.decode()
    detail = client.get(reverse("warrants:warrant", args=[warrant.pk])).content.decode()
    assert reverse("warrants:warrant_edit", args=[warrant.pk]) not in detail
    new = client.post(reverse("warrants:warrant_new"), warrant_data(case, warrant.subject))
    edit = client.post(
        reverse("warrants:warrant_edit", args=[warrant.pk]),
        warrant_data(case, warrant.subject, expected_version=warrant.version),
    )
    assert (new.status_code, edit.status_code) == (403, 403)
    assert Warrant.objects.count() == 1
    warrant.refresh_from_db()
    assert warrant.reference != "PARIS-2023-17"


def test_a_warrant_edit_saves_and_a_stale_one_shows_the_conflict(client, staff, warrant):
    signed_in(client, staff)
    form = client.get(reverse("warrants:warrant_edit", args=[warrant.pk])).content.decode()
    assert 'name="subject"' not in form and 'name="charges"' not in form
    data = warrant_data(warrant.case, warrant.subject, expected_version=version_in(form))
    assert client.post(reverse("warrants:warrant_edit", args=[warrant.pk]), data).status_code == 302
    warrant.refresh_from_db()
    assert (warrant.reference, warrant.version) == ("PARIS-2023-17", 2)

    warrant_update(warrant_id=warrant.pk, actor=Actor.for_user(staff), reference="PARIS-X")
    response = client.post(
        reverse("warrants:warrant_edit", args=[warrant.pk]), {**data, "reference": "MINE"}
    )
    page = response.content.decode()
    assert response.status_code == 409
    assert f"{CONFLICT} staff at" in page and 'value="MINE"' in page
    warrant.refresh_from_db()
    assert warrant.reference == "PARIS-X"


# Notices ------------------------------------------------------------------------------------


def notice_data(warrant, **extra) -> dict:
    return {
        "kind": "red",
        "warrant": warrant.pk,
        "subject": "",
        "requesting_country": "FR",
        "interpol_id": "2023/12345",
        "visibility": "restricted",
        "requested_on": "2023-11-20",
        **extra,
    }


def test_staff_request_a_red_notice_on_an_issued_warrant(client, staff, warrant, system):
    warrant, _ = warrant_transition(
        warrant_id=warrant.pk, transition="issue", actor=system, effective_date="2023-11-14"
    )
    signed_in(client, staff)
    new = reverse("warrants:notice_new") + f"?warrant={warrant.pk}"
    assert new in client.get(reverse("warrants:warrant", args=[warrant.pk])).content.decode()
    assert client.get(new).status_code == 200
    response = client.post(new, notice_data(warrant))
    assert response.status_code == 302
    notice = Notice.objects.get(interpol_id="2023/12345")
    assert (notice.subject, notice.warrant) == (warrant.subject, warrant)
    assert notice.status == "requested"
    assert Event.objects.filter(
        type="notice.created", subject_id=notice.pk, actor_name="staff"
    ).exists()


def test_a_red_notice_on_a_warrant_not_issued_is_refused_next_to_the_field(client, staff, warrant):
    signed_in(client, staff)
    before = counts()
    response = client.post(reverse("warrants:notice_new"), notice_data(warrant))
    page = response.content.decode()
    assert response.status_code == 400
    assert "needs an issued warrant; this one is requested" in error_next_to(page, "warrant")
    assert 'value="2023/12345"' in page
    assert counts() == before


@pytest.mark.parametrize("persona", ["viewer", "lawyer"])
def test_only_staff_create_or_edit_notices(request, client, persona, warrant, system):
    warrant, _ = warrant_transition(
        warrant_id=warrant.pk, transition="issue", actor=system, effective_date="2023-11-14"
    )
    notice = builders.red_notice(system, warrant)
    signed_in(client, request.getfixturevalue(persona))
    assert reverse("warrants:notice_new") not in (
        client.get(reverse("warrants:notices")).content.decode()
    )
    detail = client.get(reverse("warrants:notice", args=[notice.pk])).content.decode()
    assert reverse("warrants:notice_edit", args=[notice.pk]) not in detail
    new = client.post(reverse("warrants:notice_new"), notice_data(warrant, interpol_id="2023/9"))
    edit = client.post(
        reverse("warrants:notice_edit", args=[notice.pk]),
        notice_data(warrant, expected_version=notice.version),
    )
    assert (new.status_code, edit.status_code) == (403, 403)
    assert Notice.objects.count() == 1
    notice.refresh_from_db()
    assert notice.interpol_id == ""


def test_a_notice_edit_saves_and_a_stale_one_shows_the_conflict(client, staff, warrant, system):
    warrant, _ = warrant_transition(
        warrant_id=warrant.pk, transition="issue", actor=system, effective_date="2023-11-14"
    )
    notice = builders.red_notice(system, warrant)
    signed_in(client, staff)
    form = client.get(reverse("warrants:notice_edit", args=[notice.pk])).content.decode()
    assert 'name="kind"' not in form and 'name="warrant"' not in form
    data = notice_data(warrant, expected_version=version_in(form))
    assert client.post(reverse("warrants:notice_edit", args=[notice.pk]), data).status_code == 302
    notice.refresh_from_db()
    assert (notice.interpol_id, notice.version) == ("2023/12345", 2)

    notice_update(notice_id=notice.pk, actor=Actor.for_user(staff), visibility="public")
    response = client.post(
        reverse("warrants:notice_edit", args=[notice.pk]), {**data, "interpol_id": "2023/999"}
    )
    page = response.content.decode()
    assert response.status_code == 409
    assert f"{CONFLICT} staff at" in page and 'value="2023/999"' in page
    notice.refresh_from_db()
    assert (notice.interpol_id, notice.visibility) == ("2023/12345", "public")


# Languages ----------------------------------------------------------------------------------


def test_the_forms_and_their_choices_speak_french(client, staff):
    signed_in(client, staff)
    client.post(reverse("set_language"), {"language": "fr", "next": "/"})
    page = client.get(reverse("parties:new")).content.decode()
    assert "Nom (alphabet latin)" in page and "Nouvelle partie" in page
    assert '<option value="person">Personne</option>' in page
    assert '<option value="head_of_state">Chef d&#x27;État</option>' in page
    response = client.post(reverse("parties:new"), {**PARTY, "birth_date": "", "name": ""})
    assert "Ce champ est obligatoire." in error_next_to(response.content.decode(), "name")


def test_arabic_has_every_plural_form():
    from django.utils import translation

    with translation.override("ar"):
        killed = [
            translation.ngettext("%(n)s killed", "%(n)s killed", n) % {"n": n}
            for n in (0, 1, 2, 5, 11, 100)
        ]
    assert killed == ["0 قتيل", "1 قتيل", "2 قتيلان", "5 قتلى", "11 قتيلاً", "100 قتيل"]


# A double submit racing past the checks -------------------------------------------------------


@pytest.fixture
def other_request_saves_first():
    """Just before a new participation or counsel is inserted (its checks passed), insert the
    same one, as a concurrent request that got there first would: the database then refuses
    the insert with its unique constraint."""
    from django.db.models.signals import pre_save

    def insert_twin(sender, instance, **kwargs):
        fields = {f.attname: getattr(instance, f.attname) for f in sender._meta.concrete_fields}
        del fields["id"]
        sender.objects.bulk_create([sender(**fields)])  # no signals, no checks

    for model in (Participation, Representation):
        pre_save.connect(insert_twin, sender=model, dispatch_uid=f"twin-{model.__name__}")
    yield
    for model in (Participation, Representation):
        pre_save.disconnect(sender=model, dispatch_uid=f"twin-{model.__name__}")


def top_error(page: str) -> str:
    found = re.search(r'<div role="alert"><ul class="errorlist nonfield">(.*?)</ul>', page, re.S)
    assert found, "no error at the top of the form"
    return html.unescape(re.sub(r"<[^>]+>", " ", found.group(1)))


def test_a_double_submit_of_a_participation_is_a_form_error_and_stores_nothing_twice(
    client, staff, case, system, other_request_saves_first
):
    party = builders.person(system, name="Bassam al-Hassan")
    signed_in(client, staff)
    before = counts()
    response = client.post(
        reverse("cases:participation_new", args=[case.pk]), {"party": party.pk, "role": "accused"}
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "saved meanwhile by another request" in top_error(page)
    assert re.search(rf'<option value="{party.pk}" selected>', page)
    assert counts() == before


def test_a_double_submit_of_counsel_is_a_form_error_and_stores_nothing_twice(
    client, lawyer, plaintiff, system, other_request_saves_first
):
    counsel = builders.person(system, name="Counsel Once")
    signed_in(client, lawyer)
    before = counts()
    response = client.post(
        reverse("cases:representation_new", args=[plaintiff.pk]),
        {"counsel": counsel.pk, "bar": "Lyon Bar"},
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "saved meanwhile by another request" in top_error(page)
    assert 'value="Lyon Bar"' in page
    assert counts() == before


# Hidden fields ------------------------------------------------------------------------------


def hidden_errors(page: str) -> str:
    found = re.findall(r'<div role="alert" class="hidden-field-errors">(.*?)</div>', page, re.S)
    assert found, "no error of a hidden field shown"
    return " | ".join(html.unescape(re.sub(r"<[^>]+>", " ", text)) for text in found)


def test_a_tampered_version_is_refused_with_an_error_shown(client, staff, case, system):
    from cases.actions import incident_create

    incident = incident_create(actor=system, case=case, title="Attack", started_on="2013-08-21")
    signed_in(client, staff)
    response = client.post(
        reverse("cases:incident_edit", args=[incident.pk]), {**INCIDENT, "expected_version": "abc"}
    )
    page = response.content.decode()
    assert response.status_code == 400
    shown = hidden_errors(page)
    assert "expected_version" in shown and "Enter a whole number." in shown
    incident.refresh_from_db()
    assert (incident.title, incident.version) == ("Attack", 1)


def test_a_tampered_position_version_is_refused_with_an_error_shown(client, lawyer, system):
    party = party_create(
        actor=system,
        kind="person",
        name="Ali Mamlouk",
        positions=[{"title": "Head", "function": "other"}],
    )
    position = party.positions.get()
    signed_in(client, lawyer)
    before = counts()
    response = client.post(
        reverse("parties:edit", args=[party.pk]),
        {
            **PARTY,
            "expected_version": str(party.version),
            "positions-TOTAL_FORMS": "1",
            "positions-INITIAL_FORMS": "1",
            "positions-0-id": str(position.pk),
            "positions-0-expected_version": "abc",
            "positions-0-title": "Head of the Bureau",
            "positions-0-function": "other",
        },
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "Enter a whole number." in hidden_errors(page)
    assert counts() == before
    position.refresh_from_db()
    assert position.title == "Head"
