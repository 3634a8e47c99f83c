"""A protected party's real identity never leaks to those who may not see it (domain.md §1):
not in lists, details, nested summaries, search, the feed, history, or write responses."""

import pytest

from tests.api.conftest import SECRET_ALIAS, SECRET_NAME, SECRET_ORIGINAL

SECRETS = ("Secretname", "Hiddenalias", SECRET_ORIGINAL)


def urls(w):
    party = f"/api/v1/parties/{w.witness.pk}/"
    return [
        "/api/v1/parties/",
        party,
        f"{party}history/",
        "/api/v1/parties/?q=Rania",
        "/api/v1/parties/?q=Secretname",
        "/api/v1/parties/?q=Hiddenalias",
        "/api/v1/parties/?q=Witness",
        "/api/v1/participations/",
        f"/api/v1/participations/{w.witness_role.pk}/",
        "/api/v1/notices/",
        f"/api/v1/notices/{w.witness_notice.pk}/",
        "/api/v1/events/",
        "/api/v1/events/?resource=party",
        f"/api/v1/events/?subject={w.witness.pk}",
    ]


def leaks(body: str) -> list[str]:
    return [s for s in SECRETS if s in body]


@pytest.mark.parametrize("persona", ["as_staff", "as_viewer", "as_read_key", "as_write_key"])
def test_nobody_without_the_permission_sees_the_real_name_anywhere(world, persona, request):
    client = request.getfixturevalue(persona)
    for url in urls(world):
        r = client.get(url)
        assert r.status_code == 200, url
        assert leaks(r.content.decode()) == [], url


def test_they_see_the_pseudonym_and_the_protected_flag(world, as_viewer):
    party = as_viewer.get(f"/api/v1/parties/{world.witness.pk}/").json()
    assert (party["name"], party["protected"], party["aliases"], party["positions"]) == (
        "Witness W-1",
        True,
        [],
        [],
    )
    role = as_viewer.get(f"/api/v1/participations/{world.witness_role.pk}/").json()
    assert role["party_summary"] == {
        "id": str(world.witness.pk),
        "kind": "person",
        "name": "Witness W-1",
        "protected": True,
    }


def test_search_by_the_pseudonym_finds_them_but_by_real_names_does_not(world, as_viewer):
    def found(q):
        return [p["id"] for p in as_viewer.get(f"/api/v1/parties/?q={q}").json()["results"]]

    assert found("Witness W-1") == [str(world.witness.pk)]
    assert found("Rania") == found("Hiddenalias") == []


def test_events_recorded_before_protection_are_redacted_too(world, as_viewer):
    history = as_viewer.get(f"/api/v1/parties/{world.witness.pk}/history/").json()["results"]
    created = history[0]
    assert created["type"] == "party.created"
    assert (created["data"]["name"], created["data"]["aliases"]) == ("Witness W-1", [])


def test_a_lawyer_sees_the_real_identity(world, as_lawyer):
    party = as_lawyer.get(f"/api/v1/parties/{world.witness.pk}/").json()
    assert (party["name"], party["aliases"]) == (SECRET_NAME, [SECRET_ALIAS])
    assert [p["id"] for p in as_lawyer.get("/api/v1/parties/?q=Secretname").json()["results"]] == [
        str(world.witness.pk)
    ]
    assert (
        SECRET_NAME
        in as_lawyer.get(f"/api/v1/parties/{world.witness.pk}/history/").content.decode()
    )


def test_staff_writing_a_protected_party_get_a_redacted_answer(world, as_staff):
    r = as_staff.patch(
        f"/api/v1/parties/{world.witness.pk}/", {"nationalities": ["SY"]}, format="json"
    )
    assert r.status_code == 200 and leaks(r.content.decode()) == []
    created = as_staff.post(
        "/api/v1/parties/",
        {"kind": "person", "name": "Another Secretname", "protected": True, "pseudonym": "W-2"},
        format="json",
    )
    assert created.status_code == 201 and leaks(created.content.decode()) == []


def walk(client, url: str) -> list[str]:
    names = []
    while url:
        page = client.get(url).json()
        names += [party["name"] for party in page["results"]]
        url = page["next"]
    return names


@pytest.mark.parametrize("ordering", ["name", "-name"])
def test_sorting_by_name_uses_the_name_shown_and_pages_through_every_party(
    db, system, as_viewer, as_lawyer, ordering
):
    from tests import builders

    for name in ["Aaron", "Peter", "Zed"]:
        builders.person(system, name=name)
    builders.person(system, name="Nadia Realname", protected=True, pseudonym="Witness 7")
    url = f"/api/v1/parties/?ordering={ordering}&page_size=2"
    shown = ["Aaron", "Peter", "Witness 7", "Zed"]
    # Sorted by the real name, the pseudonym would sit where "Nadia" falls (a hint), and a
    # cursor taken from the pseudonym would skip "Peter".
    assert walk(as_viewer, url) == (shown if ordering == "name" else shown[::-1])
    real = ["Aaron", "Nadia Realname", "Peter", "Zed"]
    assert walk(as_lawyer, url) == (real if ordering == "name" else real[::-1])
