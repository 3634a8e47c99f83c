"""Protecting and unprotecting a party (issue 10): its own step, with a note and an Event.

`protected` changes only through `POST /api/v1/parties/<id>/protection/`, for those who may
see protected identities (lawyers, admins). A generic edit that tries is refused: 403 for a
caller without that right, 400 pointing to the endpoint for one with it. Whoever may not
see a protected identity may not overwrite it either (403, nothing changed).
"""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from alerts.models import Alert
from alerts.outbox import relay_sweep
from core.events import Actor
from core.models import Event
from parties.actions import (
    party_set_protection,
    party_update,
    party_update_with_positions,
    position_create,
    position_update,
)
from parties.models import Party
from tests import builders
from tests.api.conftest import SECRET_ALIAS, SECRET_NAME, SECRET_ORIGINAL

pytestmark = pytest.mark.django_db

PROBLEM = "application/problem+json"
SECRETS = ("Secretname", "Hiddenalias", SECRET_ORIGINAL)


def url(party) -> str:
    return f"/api/v1/parties/{party.pk}/"


def protection_url(party) -> str:
    return f"{url(party)}protection/"


def state(party) -> tuple:
    """What must stay put when a write is refused."""
    row = Party.objects.get(pk=party.pk)
    return (
        row.protected,
        row.pseudonym,
        row.name,
        row.name_original,
        row.aliases,
        row.birth_date,
        row.version,
        list(row.positions.values_list("title", flat=True)),
        Event.objects.filter(subject_id=party.pk).count(),
    )


def leaks(body: str) -> list[str]:
    return [s for s in SECRETS if s in body]


def assert_problem(response, status: int) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith(PROBLEM)
    body = response.json()
    assert body["status"] == status and body["detail"]
    return body


# The generic edit no longer changes protection ------------------------------------------------


@pytest.mark.parametrize("persona", ["as_staff", "as_write_key"])
def test_staff_cannot_lift_protection_with_a_patch(world, persona, request):
    client = request.getfixturevalue(persona)
    before = state(world.witness)
    r = client.patch(url(world.witness), {"protected": False}, format="json")
    body = assert_problem(r, 403)
    assert "protect" in body["detail"]
    assert leaks(r.content.decode()) == []
    assert state(world.witness) == before
    assert not Event.objects.filter(type="party.unprotected").exists()
    # Every reader still gets the pseudonym.
    assert client.get(url(world.witness)).json()["name"] == "Witness W-1"


def test_staff_cannot_protect_with_a_patch_either(db, system, as_staff):
    party = builders.person(system, name="Open Person")
    before = state(party)
    r = as_staff.patch(url(party), {"protected": True, "pseudonym": "W-9"}, format="json")
    assert_problem(r, 403)
    assert state(party) == before


@pytest.mark.parametrize(
    ("persona", "changes"),
    [
        ("as_lawyer", {"protected": False}),
        ("as_admin", {"protected": False, "name": "Rania Secretname"}),
    ],
)
def test_a_lawyers_patch_of_protected_points_to_the_protection_endpoint(
    world, persona, changes, request
):
    client = request.getfixturevalue(persona)
    before = state(world.witness)
    body = assert_problem(client.patch(url(world.witness), changes, format="json"), 400)
    assert "protection/" in " ".join(body["errors"]["protected"])
    assert state(world.witness) == before


def test_a_patch_that_repeats_the_current_protection_changes_nothing(world, as_lawyer):
    r = as_lawyer.patch(
        url(world.witness), {"protected": True, "nationalities": ["SY"]}, format="json"
    )
    assert r.status_code == 200, r.content
    assert r.json()["protected"] is True and r.json()["nationalities"] == ["SY"]


def test_a_new_party_may_still_be_created_protected(as_staff):
    r = as_staff.post(
        "/api/v1/parties/",
        {"kind": "person", "name": "New Secretname", "protected": True, "pseudonym": "W-3"},
        format="json",
    )
    assert r.status_code == 201, r.content
    assert (r.json()["protected"], r.json()["name"]) == (True, "W-3")


# Who may not see a protected identity may not overwrite it --------------------------------------


@pytest.mark.parametrize(
    "changes",
    [
        {"name": "Overwritten Name"},
        {"name": SECRET_NAME},  # even the right guess: the answer must not confirm it
        {"name_original": "اسم"},
        {"aliases": ["Someone Else"]},
        {"aliases": [SECRET_ALIAS]},
        {"birth_date": "1970"},
        {"nationalities": ["FR"], "name": "Mixed In"},
    ],
)
@pytest.mark.parametrize("persona", ["as_staff", "as_write_key"])
def test_staff_cannot_overwrite_a_protected_identity(world, persona, changes, request):
    client = request.getfixturevalue(persona)
    before = state(world.witness)
    r = client.patch(url(world.witness), changes, format="json")
    assert_problem(r, 403)
    assert leaks(r.content.decode()) == []
    assert state(world.witness) == before


def test_staff_still_edit_what_they_see_of_a_protected_party(world, as_staff):
    r = as_staff.patch(
        url(world.witness), {"pseudonym": "Witness W-2", "nationalities": ["SY"]}, format="json"
    )
    assert r.status_code == 200, r.content
    assert r.json()["name"] == "Witness W-2" and leaks(r.content.decode()) == []
    world.witness.refresh_from_db()
    assert (world.witness.name, world.witness.aliases) == (SECRET_NAME, [SECRET_ALIAS])


def test_the_actions_refuse_identity_and_positions_of_a_protected_party(world, staff):
    actor = Actor.for_user(staff)
    before = state(world.witness)
    with pytest.raises(PermissionDenied):
        party_update(party_id=world.witness.pk, actor=actor, name="Overwritten")
    with pytest.raises(PermissionDenied):
        party_update_with_positions(
            party_id=world.witness.pk, actor=actor, positions=[{"title": "Reveals who"}]
        )
    witness = Party.objects.get(pk=world.witness.pk)
    with pytest.raises(PermissionDenied):
        position_create(actor=actor, party=witness, title="Reveals who")
    assert state(world.witness) == before


def test_the_position_action_refuses_a_protected_partys_position(db, system, staff):
    party = builders.person(
        system,
        name="Real Person",
        protected=True,
        pseudonym="W-5",
        positions=[{"title": "Colonel"}],
    )
    position = party.positions.get()
    with pytest.raises(PermissionDenied):
        position_update(position_id=position.pk, actor=Actor.for_user(staff), title="General")
    position.refresh_from_db()
    assert position.title == "Colonel"


# The protection endpoint ------------------------------------------------------------------------


@pytest.mark.parametrize("note", [None, "", "   "])
def test_lifting_protection_needs_a_note(world, as_lawyer, note):
    before = state(world.witness)
    payload = {"protected": False} if note is None else {"protected": False, "note": note}
    body = assert_problem(
        as_lawyer.post(protection_url(world.witness), payload, format="json"), 400
    )
    assert "note" in body["errors"]
    assert state(world.witness) == before


def test_a_lawyer_lifts_protection_with_a_note_and_it_is_flagged(world, lawyer, as_lawyer):
    version = world.witness.version
    r = as_lawyer.post(
        protection_url(world.witness),
        {"protected": False, "note": "The witness testified in open court."},
        format="json",
    )
    assert r.status_code == 200, r.content
    body = r.json()
    assert (body["protected"], body["name"], body["version"]) == (False, SECRET_NAME, version + 1)
    assert r["ETag"] == f'"{version + 1}"'
    event = Event.objects.get(type="party.unprotected", subject_id=world.witness.pk)
    assert (event.note, event.actor_name, event.actor_user, event.transition) == (
        "The witness testified in open court.",
        "lawyer",
        lawyer,
        "unprotect",
    )
    assert event.data["protected"] is False
    relay_sweep()
    alert = Alert.objects.get(event=event)
    assert alert.severity == "high"
    assert "visible to every reader" in alert.title


def test_once_lifted_every_reader_sees_the_real_name(world, as_lawyer, as_viewer):
    as_lawyer.post(
        protection_url(world.witness), {"protected": False, "note": "Public now."}, format="json"
    )
    assert as_viewer.get(url(world.witness)).json()["name"] == SECRET_NAME


def test_a_lawyer_protects_a_party_with_a_pseudonym_and_a_note(db, system, as_lawyer, as_viewer):
    party = builders.person(system, name="Karim Realname", aliases=["Kareem"])
    r = as_lawyer.post(
        protection_url(party),
        {"protected": True, "pseudonym": "Witness K", "note": "Threats received."},
        format="json",
    )
    assert r.status_code == 200, r.content
    assert (r.json()["protected"], r.json()["name"]) == (True, "Karim Realname")
    event = Event.objects.get(type="party.protected", subject_id=party.pk)
    assert (event.note, event.transition) == ("Threats received.", "protect")
    shown = as_viewer.get(url(party)).json()
    assert (shown["name"], shown["aliases"]) == ("Witness K", [])
    relay_sweep()
    assert Alert.objects.get(event=event).severity == "high"


def test_protecting_needs_a_pseudonym(db, system, as_lawyer):
    party = builders.person(system, name="Karim Realname")
    before = state(party)
    body = assert_problem(
        as_lawyer.post(
            protection_url(party), {"protected": True, "note": "Threats."}, format="json"
        ),
        400,
    )
    assert "pseudonym" in body["errors"]
    assert state(party) == before


def test_protecting_a_protected_party_again_is_a_conflict(world, as_lawyer):
    before = state(world.witness)
    r = as_lawyer.post(
        protection_url(world.witness),
        {"protected": True, "pseudonym": "Other", "note": "Again."},
        format="json",
    )
    assert_problem(r, 409)
    assert state(world.witness) == before


def test_a_stale_if_match_is_a_412(world, as_lawyer):
    before = state(world.witness)
    r = as_lawyer.post(
        protection_url(world.witness),
        {"protected": False, "note": "Public now."},
        format="json",
        HTTP_IF_MATCH=f'"{world.witness.version - 1}"',
    )
    assert_problem(r, 412)
    assert state(world.witness) == before
    r = as_lawyer.post(
        protection_url(world.witness),
        {"protected": False, "note": "Public now."},
        format="json",
        HTTP_IF_MATCH=f'"{world.witness.version}"',
    )
    assert r.status_code == 200, r.content


def test_an_admin_may_change_protection(world, as_admin):
    r = as_admin.post(
        protection_url(world.witness), {"protected": False, "note": "Public now."}, format="json"
    )
    assert r.status_code == 200, r.content


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("as_staff", 403),
        ("as_viewer", 403),
        ("as_write_key", 403),
        ("as_read_key", 403),
        ("as_outsider", 403),
        ("anon", 401),
    ],
)
@pytest.mark.parametrize("protected", [True, False])
def test_who_may_not_see_identities_may_not_change_protection(
    world, system, persona, status, protected, request
):
    client = request.getfixturevalue(persona)
    party = world.witness if not protected else builders.person(system, name="Open Person")
    before = state(party)
    payload = {"protected": protected, "pseudonym": "W-7", "note": "Because."}
    r = client.post(protection_url(party), payload, format="json")
    assert_problem(r, status)
    assert leaks(r.content.decode()) == []
    assert state(party) == before


def test_the_action_refuses_without_the_permission(world, staff):
    before = state(world.witness)
    with pytest.raises(PermissionDenied):
        party_set_protection(
            party_id=world.witness.pk,
            protected=False,
            actor=Actor.for_user(staff),
            note="I want to see.",
        )
    assert state(world.witness) == before


def test_the_action_refuses_a_pseudonym_when_lifting(world, system):
    with pytest.raises(ValidationError) as refused:
        party_set_protection(
            party_id=world.witness.pk,
            protected=False,
            pseudonym="New one",
            actor=system,
            note="Public now.",
        )
    assert "pseudonym" in refused.value.message_dict


def test_the_protection_endpoint_is_in_the_schema(as_viewer):
    schema = as_viewer.get("/api/schema/?format=json").json()
    operation = schema["paths"]["/api/v1/parties/{id}/protection/"]["post"]
    ref = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    body = schema["components"]["schemas"][ref.rsplit("/", 1)[1]]
    assert {"protected", "pseudonym", "note"} <= set(body["properties"])


def test_the_world_witness_was_protected_through_the_action(world):
    event = Event.objects.get(type="party.protected", subject_id=world.witness.pk)
    assert event.note and world.witness.protected
    assert Party.objects.get(pk=world.witness.pk).name_original == SECRET_ORIGINAL
