"""What a protected person's records imply stays hidden from those who may not see the
identity, and those who may see it get the real data everywhere (details, feed, history)."""

import pytest

from parties.actions import party_create
from tests import builders
from tests.builders import SECRET_TITLE

pytestmark = pytest.mark.django_db


def risks(client, warrant) -> list:
    """immunity_risk of the warrant in its detail, the list and the list filtered by subject."""
    detail = client.get(f"/api/v1/warrants/{warrant.pk}/").json()
    listed = [
        w["immunity_risk"]
        for url in ("/api/v1/warrants/", f"/api/v1/warrants/?subject={warrant.subject_id}")
        for w in client.get(url).json()["results"]
        if w["id"] == str(warrant.pk)
    ]
    return [detail["immunity_risk"], *listed]


@pytest.mark.parametrize("persona", ["as_viewer", "as_staff", "as_read_key", "as_write_key"])
def test_immunity_risk_is_null_for_a_protected_subject_to_who_may_not_see_them(
    immune_warrant, persona, request
):
    assert risks(request.getfixturevalue(persona), immune_warrant) == [None, None, None]


@pytest.mark.parametrize("persona", ["as_lawyer", "as_admin"])
def test_immunity_risk_is_shown_to_who_may_see_protected_identities(
    immune_warrant, persona, request
):
    assert risks(request.getfixturevalue(persona), immune_warrant) == [True, True, True]


def test_immunity_risk_of_an_unprotected_subject_is_shown_to_viewers(system, case, as_viewer):
    party = party_create(
        actor=system,
        kind="person",
        name="Open Head",
        positions=[{"title": "President", "function": "head_of_state"}],
    )
    accused = builders.accused(system, case, party)
    immune = builders.warrant(system, case, accused.party, issued_on="2023-11-14")
    plain = builders.warrant(system, case, builders.accused(system, case).party)
    assert risks(as_viewer, immune) == [True, True, True]
    assert risks(as_viewer, plain) == [False, False, False]


def test_a_staff_write_answers_with_a_null_immunity_risk(immune_warrant, as_staff):
    r = as_staff.patch(
        f"/api/v1/warrants/{immune_warrant.pk}/", {"issuing_authority": "Judges"}, format="json"
    )
    assert r.status_code == 200 and r.json()["immunity_risk"] is None


def history_bodies(client, party, warrant) -> dict[str, str]:
    bodies = {}
    for url in (
        f"/api/v1/parties/{party.pk}/history/",
        f"/api/v1/warrants/{warrant.pk}/history/",
    ):
        r = client.get(url)
        assert r.status_code == 200, url
        bodies[url] = r.content.decode()
    return bodies


def leaks(body: str) -> list[str]:
    found = [s for s in (SECRET_TITLE, "Realname", "Realalias") if s in body]
    return found + ["immunity_risk"] * ('"immunity_risk":true' in body.replace(" ", ""))


@pytest.mark.parametrize("persona", ["as_viewer", "as_staff", "as_read_key"])
def test_no_history_shows_a_protected_persons_identity_positions_or_immunity(
    head_of_state, immune_warrant, persona, request
):
    client = request.getfixturevalue(persona)
    for url, body in history_bodies(client, head_of_state, immune_warrant).items():
        assert leaks(body) == [], url
    [created] = client.get(f"/api/v1/parties/{head_of_state.pk}/history/").json()["results"]
    assert (created["data"]["name"], created["data"]["aliases"]) == ("Witness H", [])


@pytest.mark.parametrize("persona", ["as_lawyer", "as_admin"])
def test_who_may_see_protected_identities_gets_the_real_data_in_history(
    head_of_state, persona, request
):
    client = request.getfixturevalue(persona)
    [created] = client.get(f"/api/v1/parties/{head_of_state.pk}/history/").json()["results"]
    data = created["data"]
    assert (data["name"], data["aliases"], data["protected"], data["pseudonym"]) == (
        "Realname Hidden",
        ["Realalias"],
        True,
        "Witness H",
    )


# The feed serves only committed events (core.selectors.feed_events_visible_to).
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize(
    "persona, name",
    [
        ("as_lawyer", "Realname Hidden"),
        ("as_admin", "Realname Hidden"),
        ("as_viewer", "Witness H"),
        ("as_staff", "Witness H"),
        ("as_read_key", "Witness H"),
    ],
)
def test_the_feed_shows_the_real_data_only_to_who_may_see_it(
    head_of_state, immune_warrant, persona, name, request
):
    from tests.api.test_feed import settle

    client = request.getfixturevalue(persona)
    settle()
    feeds = {
        url: client.get(url)
        for url in (
            "/api/v1/events/",
            "/api/v1/events/?resource=party,warrant",
            f"/api/v1/events/?subject={head_of_state.pk}",
            f"/api/v1/events/?subject={immune_warrant.pk}",
        )
    }
    [created] = feeds[f"/api/v1/events/?subject={head_of_state.pk}"].json()["results"]
    single = client.get(f"/api/v1/events/{created['id']}/").json()
    assert created["data"]["name"] == single["data"]["name"] == name
    if name == "Witness H":
        for url, r in feeds.items():
            assert leaks(r.content.decode()) == [], url


def test_the_immunity_checks_alert_is_not_shown_to_a_viewer_while_its_subject_is_protected(
    immune_warrant, as_viewer, as_lawyer
):
    """Its very existence says the person held high office: it is for those who may see
    the identity (Alert.reveals_identity), until the protection is lifted."""
    from alerts.checks import run_checks

    run_checks(["warrant_against_immune_person"])
    assert immune_warrant.reference in as_lawyer.get("/api/v1/alerts/").content.decode()
    body = as_viewer.get("/api/v1/alerts/").content.decode()
    assert immune_warrant.reference not in body
    assert "immunity" not in body
