"""Every endpoint and persona (domain.md §5): who may read, create, edit and move what.

Personas: staff, lawyer, viewer, outsider (no role), a read key and a write key
(both owned by a staff user), anonymous. Reads: every role; writes: the role
table. No credentials is 401; a role or scope that does not allow it is 403.
"""

from collections.abc import Callable

import pytest
from django.db import transaction

PERSONAS = ["staff", "lawyer", "viewer", "outsider", "read_key", "write_key", "anonymous"]
READERS = {"staff", "lawyer", "viewer", "read_key", "write_key"}


def expected(persona: str, allowed: set[str], ok: int) -> int:
    if persona == "anonymous":
        return 401
    return ok if persona in allowed else 403


class Undo(Exception):
    pass


def each_persona(clients, attempt: Callable) -> dict[str, int]:
    """Run `attempt(persona, client)` for every persona, each on the same untouched data."""
    codes = {}
    for persona in PERSONAS:
        try:
            with transaction.atomic():
                codes[persona] = attempt(persona, clients[persona])
                raise Undo
        except Undo:
            pass
    return codes


def want(allowed: set[str], ok: int) -> dict[str, int]:
    return {p: expected(p, allowed, ok) for p in PERSONAS}


RESOURCES = {
    "cases": "case",
    "incidents": "incident",
    "parties": "person",
    "participations": "accused",
    "representations": "representation",
    "charges": "charge",
    "warrants": "warrant",
    "notices": "notice",
}


@pytest.mark.parametrize("resource", RESOURCES)
def test_reading_lists_and_details(world, clients, resource):
    record = getattr(world, RESOURCES[resource])

    def attempt(persona, client):
        listed = client.get(f"/api/v1/{resource}/")
        detail = client.get(f"/api/v1/{resource}/{record.pk}/")
        assert listed.status_code == detail.status_code
        if detail.status_code == 200:
            assert str(record.pk) in {r["id"] for r in listed.json()["results"]}
        else:
            assert detail["Content-Type"] == "application/problem+json"
        return detail.status_code

    assert each_persona(clients, attempt) == want(READERS, 200)


WRITERS = {
    "cases": {"staff", "write_key"},
    "incidents": {"staff", "write_key"},
    "parties": {"staff", "lawyer", "write_key"},
    "participations": {"staff", "write_key"},
    "representations": {"lawyer"},
    "charges": {"lawyer"},
    "warrants": {"staff", "write_key"},
    "notices": {"staff", "write_key"},
}


def create_body(resource, w):
    return {
        "cases": {
            "reference": "FR-NEW-1",
            "title": "New case",
            "jurisdiction": "FR",
            "forum": "Paris Judicial Court",
            "basis": "universal",
        },
        "incidents": {"case": str(w.case.pk), "title": "Shelling", "started_on": "2013-08-21"},
        "parties": {"kind": "person", "name": "New Person"},
        "participations": {"case": str(w.case.pk), "party": str(w.counsel.pk), "role": "victim"},
        "representations": {"counsel": str(w.counsel.pk), "client": str(w.witness_role.pk)},
        "charges": {
            "case": str(w.case.pk),
            "accused": str(w.accused.pk),
            "offence": "torture",
            "label": "Torture",
            "mode_of_liability": "ordering",
        },
        "warrants": {
            "case": str(w.case.pk),
            "subject": str(w.person.pk),
            "issuing_country": "FR",
            "issuing_authority": "Investigating judges",
        },
        "notices": {"kind": "blue", "subject": str(w.person.pk), "requesting_country": "FR"},
    }[resource]


@pytest.mark.parametrize("resource", RESOURCES)
def test_creating(world, clients, resource):
    def attempt(persona, client):
        return client.post(
            f"/api/v1/{resource}/", create_body(resource, world), format="json"
        ).status_code

    assert each_persona(clients, attempt) == want(WRITERS[resource], 201)


EDITS = {
    "cases": {"title": "Renamed"},
    "incidents": {"title": "Renamed"},
    "parties": {"aliases": ["Another spelling"]},
    "representations": {"bar": "Brussels Bar"},
    "charges": {"label": "Complicity in torture"},
    "warrants": {"issuing_authority": "Another judge"},
    "notices": {"visibility": "public"},
}


@pytest.mark.parametrize("resource", EDITS)
def test_editing(world, clients, resource):
    record = getattr(world, RESOURCES[resource])

    def attempt(persona, client):
        r = client.patch(f"/api/v1/{resource}/{record.pk}/", EDITS[resource], format="json")
        if r.status_code == 200:
            assert r.json()["version"] == record.version + 1
        return r.status_code

    assert each_persona(clients, attempt) == want(WRITERS[resource], 200)


TRANSITIONS = {
    "cases": ("case", {"transition": "open_investigation"}, {"staff", "write_key"}),
    "participations": ("accused", {"transition": "charge"}, {"staff", "lawyer", "write_key"}),
    "representations": ("representation", {"transition": "register"}, {"lawyer"}),
    "charges": ("charge", {"transition": "bring"}, {"lawyer"}),
    "warrants": (
        "warrant",
        {"transition": "issue", "effective_date": "2023-11-14"},
        {"staff", "write_key"},
    ),
    "notices": ("notice", {"transition": "begin_review"}, {"staff", "write_key"}),
}


@pytest.mark.parametrize("resource", TRANSITIONS)
def test_transitions_follow_the_role_table(world, clients, resource):
    attr, body, allowed = TRANSITIONS[resource]
    record = getattr(world, attr)

    def attempt(persona, client):
        if persona in READERS:
            # allowed_transitions reflects the caller: empty for those who may not move it.
            shown = client.get(f"/api/v1/{resource}/{record.pk}/").json()["allowed_transitions"]
            assert (body["transition"] in shown) == (persona in allowed), persona
        r = client.post(f"/api/v1/{resource}/{record.pk}/transitions/", body, format="json")
        return r.status_code

    assert each_persona(clients, attempt) == want(allowed, 200)


@pytest.mark.parametrize("resource,attr", [("parties", "person"), ("charges", "charge")])
def test_reviews_are_for_lawyers(world, clients, resource, attr):
    record = getattr(world, attr)

    def attempt(persona, client):
        r = client.post(
            f"/api/v1/{resource}/{record.pk}/review/", {"decision": "approve"}, format="json"
        )
        if r.status_code == 200:
            assert (r.json()["review"]["state"], r.json()["review"]["reviewer"]) == (
                "approved",
                "lawyer",
            )
        return r.status_code

    assert each_persona(clients, attempt) == want({"lawyer"}, 200)


def test_history_is_for_readers_and_the_feed_for_anyone_authenticated(world, clients):
    def history(persona, client):
        return client.get(f"/api/v1/warrants/{world.warrant.pk}/history/").status_code

    def feed(persona, client):
        return client.get("/api/v1/events/").status_code

    assert each_persona(clients, history) == want(READERS, 200)
    # Any authenticated caller may poll the feed; it holds only events they may read.
    assert each_persona(clients, feed) == {**want(READERS, 200), "outsider": 200}


def test_nobody_deletes_a_legal_record(world, clients):
    def attempt(persona, client):
        return client.delete(f"/api/v1/warrants/{world.warrant.pk}/").status_code

    codes = each_persona(clients, attempt)
    assert codes == {**want(READERS, 405), "outsider": 403, "read_key": 403}
