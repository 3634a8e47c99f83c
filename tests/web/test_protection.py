"""Protecting and unprotecting a party on its page (issue 10): lawyers and admins only, with a
note; lifting protection needs a second, explicit confirmation, checked on the server. The edit
form and the admin no longer toggle `protected`."""

import pytest
from django.urls import reverse

from core.models import Event
from parties.actions import party_set_protection
from parties.models import Party
from tests import builders

pytestmark = pytest.mark.django_db

SECRET = "Rania Secretname"
CONFIRM = "I understand every reader will see the real name"


@pytest.fixture
def witness(system):
    party = builders.person(system, name=SECRET, aliases=["Rania Hiddenalias"])
    return party_set_protection(
        party_id=party.pk,
        actor=system,
        protected=True,
        pseudonym="Witness W-1",
        note="Entered protected.",
    )


def signed_in(client, user):
    client.force_login(user)
    return client


def protection(party) -> str:
    return reverse("parties:protection", args=[party.pk])


def fresh(party) -> Party:
    return Party.objects.get(pk=party.pk)


def unprotect(client, party, **extra):
    return client.post(
        protection(party),
        {
            "protected": "false",
            "note": "Testified in open court.",
            "expected_version": party.version,
            **extra,
        },
    )


def test_a_lawyer_finds_the_protection_form_on_the_party_page(client, lawyer, witness):
    page = signed_in(client, lawyer).get(reverse("parties:detail", args=[witness.pk]))
    html = page.content.decode()
    assert protection(witness) in html
    assert CONFIRM in html and 'name="confirm"' in html


@pytest.mark.parametrize("persona", ["staff", "viewer"])
def test_others_get_no_protection_form_and_a_403(client, request, persona, witness, system):
    signed_in(client, request.getfixturevalue(persona))
    assert protection(witness) not in (
        client.get(reverse("parties:detail", args=[witness.pk])).content.decode()
    )
    before = fresh(witness).version
    response = unprotect(client, witness, confirm="on")
    assert response.status_code == 403
    assert SECRET not in response.content.decode()
    assert (fresh(witness).protected, fresh(witness).version) == (True, before)
    open_party = builders.person(system, name="Open Person")
    response = client.post(
        protection(open_party),
        {"protected": "true", "pseudonym": "W-2", "note": "x", "expected_version": 1},
    )
    assert response.status_code == 403
    assert not fresh(open_party).protected


def test_lifting_protection_needs_the_confirmation_ticked(client, lawyer, witness):
    signed_in(client, lawyer)
    response = unprotect(client, witness)
    assert response.status_code == 400
    assert CONFIRM in response.content.decode()
    assert fresh(witness).protected
    assert not Event.objects.filter(type="party.unprotected").exists()


def test_lifting_protection_needs_a_note(client, lawyer, witness):
    signed_in(client, lawyer)
    response = unprotect(client, witness, confirm="on", note=" ")
    assert response.status_code == 400
    assert fresh(witness).protected


def test_a_lawyer_lifts_protection_with_note_and_confirmation(client, lawyer, witness):
    signed_in(client, lawyer)
    response = unprotect(client, witness, confirm="on")
    assert response.status_code == 302
    assert response["Location"] == reverse("parties:detail", args=[witness.pk])
    assert not fresh(witness).protected
    event = Event.objects.get(type="party.unprotected", subject_id=witness.pk)
    assert (event.note, event.actor_name) == ("Testified in open court.", "lawyer")


def test_a_lawyer_protects_a_party_with_a_pseudonym(client, lawyer, viewer, system):
    party = builders.person(system, name="Karim Realname")
    signed_in(client, lawyer)
    response = client.post(
        protection(party),
        {
            "protected": "true",
            "pseudonym": "Witness K",
            "note": "Threats.",
            "expected_version": party.version,
        },
    )
    assert response.status_code == 302, response.content.decode()
    assert (fresh(party).protected, fresh(party).pseudonym) == (True, "Witness K")
    assert Event.objects.filter(type="party.protected", subject_id=party.pk).exists()
    page = signed_in(client, viewer).get(reverse("parties:detail", args=[party.pk]))
    assert "Karim Realname" not in page.content.decode()


def test_protecting_without_a_pseudonym_shows_the_error(client, lawyer, system):
    party = builders.person(system, name="Karim Realname")
    signed_in(client, lawyer)
    response = client.post(
        protection(party),
        {"protected": "true", "note": "Threats.", "expected_version": party.version},
    )
    assert response.status_code == 400
    assert "pseudonym" in response.content.decode()
    assert not fresh(party).protected


def test_a_stale_protection_form_shows_the_conflict(client, lawyer, witness, system):
    signed_in(client, lawyer)
    response = unprotect(client, witness, confirm="on", expected_version=witness.version - 1)
    assert response.status_code == 409
    assert fresh(witness).protected


def test_the_edit_form_no_longer_toggles_protection(client, lawyer, witness):
    signed_in(client, lawyer)
    edit = reverse("parties:edit", args=[witness.pk])
    page = client.get(edit).content.decode()
    assert 'name="protected"' not in page
    response = client.post(
        edit,
        {
            "kind": "person",
            "name": SECRET,
            "name_original": "",
            "aliases": "Rania Hiddenalias",
            "birth_date": "",
            "nationalities": "",
            "pseudonym": "Witness W-1",
            "custody": "unknown",
            "protected": "",  # unticked: would lift protection if the form still offered it
            "expected_version": witness.version,
            "positions-TOTAL_FORMS": "0",
            "positions-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()
    assert fresh(witness).protected


def test_the_new_party_form_still_offers_protection(client, staff):
    page = signed_in(client, staff).get(reverse("parties:new")).content.decode()
    assert 'name="protected"' in page


def test_the_admin_shows_protected_read_only(client, admin_user, witness):
    signed_in(client, admin_user)
    change = reverse("admin:parties_party_change", args=[witness.pk])
    page = client.get(change).content.decode()
    assert 'name="protected"' not in page
    assert 'name="protected"' in client.get(reverse("admin:parties_party_add")).content.decode()
