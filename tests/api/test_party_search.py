"""The API's name search (`?q=`), `possible_duplicates` on creation, and the rules a
warrant's subject and superseded warrant follow (issue 11)."""

import pytest

from tests import builders
from tests.api.conftest import SECRET_ALIAS, SECRET_NAME, SECRET_ORIGINAL
from tests.api.test_bad_input import problem
from warrants.models import Warrant

SECRETS = ("Secretname", "Hiddenalias", SECRET_ORIGINAL)


@pytest.fixture
def assad(world, system):
    return builders.person(
        system,
        name="Bashar al-Assad",
        name_original="بشار الأسد",
        aliases=["Bachar el-Assad"],
    )


def found(client, q) -> list[str]:
    r = client.get("/api/v1/parties/", {"q": q})
    assert r.status_code == 200
    return [p["name"] for p in r.json()["results"]]


@pytest.mark.parametrize("q", ["Bachar el-Assad", "ASSAD, Bashar", "بشار الاسد", "Bashar al Asad"])
def test_q_finds_a_stored_alias_or_the_original_script_best_first(assad, as_viewer, q):
    assert found(as_viewer, q)[:1] == ["Bashar al-Assad"]


def test_q_ranks_by_similarity_unless_an_ordering_is_asked(assad, world, system, as_viewer):
    builders.person(system, name="Zaher al-Assad")
    assert found(as_viewer, "Bashar al-Assad")[:1] == ["Bashar al-Assad"]
    r = as_viewer.get("/api/v1/parties/", {"q": "Assad", "ordering": "-name"})
    assert [p["name"] for p in r.json()["results"]] == ["Zaher al-Assad", "Bashar al-Assad"]
    assert found(as_viewer, "Jean Dupont") == []


@pytest.mark.parametrize("persona", ["as_staff", "as_viewer", "as_read_key"])
def test_q_matches_a_protected_party_by_its_pseudonym_only(world, persona, request):
    client = request.getfixturevalue(persona)
    for q in (SECRET_NAME, SECRET_ALIAS, SECRET_ORIGINAL, "Rania Secretnam"):
        r = client.get("/api/v1/parties/", {"q": q})
        assert r.json()["results"] == [], q
    assert found(client, "Witness W-1") == ["Witness W-1"]


def test_who_may_see_protected_identities_finds_the_real_name(world, as_lawyer):
    assert found(as_lawyer, "Rania Secretnam") == [SECRET_NAME]
    assert found(as_lawyer, SECRET_ORIGINAL) == [SECRET_NAME]


def test_the_party_list_costs_no_query_per_reviewed_party(world, system, lawyer, as_viewer):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from core.events import Actor
    from parties.actions import party_review

    def queries() -> int:
        with CaptureQueriesContext(connection) as seen:
            assert as_viewer.get("/api/v1/parties/", {"page_size": 50}).status_code == 200
        return len(seen)

    before = queries()
    for party in builders.person(system), builders.person(system):
        party_review(party_id=party.pk, actor=Actor.for_user(lawyer), decision="approve")
    assert queries() == before
    reviewers = {
        p["review"]["reviewer"] for p in as_viewer.get("/api/v1/parties/").json()["results"]
    }
    assert "lawyer" in reviewers


# possible_duplicates -------------------------------------------------------------------------


def test_creating_a_close_name_lists_the_possible_duplicate(assad, as_staff):
    r = as_staff.post(
        "/api/v1/parties/", {"kind": "person", "name": "Bachar al-Asad"}, format="json"
    )
    assert r.status_code == 201
    duplicates = r.json()["possible_duplicates"]
    assert [d["name"] for d in duplicates] == ["Bashar al-Assad"]
    assert duplicates[0]["id"] == str(assad.pk) and 0.7 <= duplicates[0]["similarity"] <= 1
    r = as_staff.post("/api/v1/parties/", {"kind": "person", "name": "Jean Dupont"}, format="json")
    assert r.json()["possible_duplicates"] == []


def test_possible_duplicates_never_reveal_a_protected_name(world, as_staff, as_admin):
    # Staff may not see protected identities: the real name matches nothing of the witness.
    r = as_staff.post("/api/v1/parties/", {"kind": "person", "name": SECRET_NAME}, format="json")
    assert r.status_code == 201
    assert r.json()["possible_duplicates"] == []
    body = r.content.decode()
    assert "Witness W-1" not in body and str(world.witness.pk) not in body
    # By its pseudonym it is a candidate, shown by its pseudonym.
    r = as_staff.post("/api/v1/parties/", {"kind": "person", "name": "Witness W-1"}, format="json")
    assert [d["name"] for d in r.json()["possible_duplicates"]] == ["Witness W-1"]
    assert not [s for s in SECRETS if s in r.content.decode()]
    # Who may see it is told the real name.
    r = as_admin.post(
        "/api/v1/parties/", {"kind": "person", "name": "Rania Secretnam"}, format="json"
    )
    assert [d["name"] for d in r.json()["possible_duplicates"]][:1] == [SECRET_NAME]


# A warrant's subject and the warrant it supersedes ----------------------------------------


def warrant_body(world, **fields):
    return {
        "case": str(world.case.pk),
        "subject": str(world.person.pk),
        "kind": "arrest",
        "issuing_country": "FR",
        "issuing_authority": "Paris investigating judges",
        **fields,
    }


def test_a_warrant_against_someone_not_party_to_the_case_is_refused(world, system, as_staff):
    stranger = builders.person(system, name="Not In This Case")
    before = Warrant.objects.count()
    r = as_staff.post(
        "/api/v1/warrants/", warrant_body(world, subject=str(stranger.pk)), format="json"
    )
    assert "not a party to this case" in problem(r, 400)["errors"]["subject"][0]
    assert Warrant.objects.count() == before


def test_a_warrant_superseding_another_persons_warrant_is_refused(world, system, as_staff):
    other = builders.accused(system, world.case).party
    others_warrant = builders.warrant(system, world.case, other)
    before = Warrant.objects.count()
    r = as_staff.post(
        "/api/v1/warrants/", warrant_body(world, supersedes=str(others_warrant.pk)), format="json"
    )
    assert "same person" in problem(r, 400)["errors"]["supersedes"][0]
    # Nor one of another case, even against the same person.
    elsewhere = builders.warrant(system, builders.case(system), world.person)
    r = as_staff.post(
        "/api/v1/warrants/", warrant_body(world, supersedes=str(elsewhere.pk)), format="json"
    )
    assert "same case" in problem(r, 400)["errors"]["supersedes"][0]
    assert Warrant.objects.count() == before + 1  # only `elsewhere`, built above
    # The same subject's warrant in the same case may be superseded.
    r = as_staff.post(
        "/api/v1/warrants/", warrant_body(world, supersedes=str(world.warrant.pk)), format="json"
    )
    assert r.status_code == 201, r.content


def test_editing_a_warrant_to_supersede_another_persons_is_refused(world, system, as_staff):
    other = builders.accused(system, world.case).party
    others_warrant = builders.warrant(system, world.case, other)
    url = f"/api/v1/warrants/{world.issued.pk}/"
    etag = as_staff.get(url)["ETag"]
    r = as_staff.patch(
        url, {"supersedes": str(others_warrant.pk)}, format="json", HTTP_IF_MATCH=etag
    )
    assert "same person" in problem(r, 400)["errors"]["supersedes"][0]
    world.issued.refresh_from_db()
    assert world.issued.supersedes_id is None
