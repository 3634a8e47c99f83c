"""`/api/v1/subscriptions/`: follow a case, a party or a severity; only your own; no leaks."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from alerts.actions import subscription_follow
from alerts.flags import Finding, raise_for_finding
from alerts.models import Notification, Subscription
from core.keys import api_key_create
from tests.api.conftest import SECRET_ALIAS, SECRET_NAME, SECRET_ORIGINAL, client_for

pytestmark = pytest.mark.django_db

URL = "/api/v1/subscriptions/"


def follow(api, **body):
    return api.post(URL, body, format="json")


def test_a_user_follows_a_case_a_party_and_a_severity(world, as_viewer, viewer):
    case = follow(as_viewer, case=str(world.case.pk))
    assert case.status_code == 201, case.json()
    assert case["Location"].endswith(f"{URL}{case.json()['id']}/")
    assert case.json() | {"id": "", "created_at": ""} == {
        "id": "",
        "created_at": "",
        "follows": "case",
        "case": str(world.case.pk),
        "case_summary": {
            "id": str(world.case.pk),
            "reference": world.case.reference,
            "title": world.case.title,
            "status": "complaint_filed",
        },
        "party": None,
        "party_summary": None,
        "min_severity": None,
    }
    party = follow(as_viewer, party=str(world.person.pk)).json()
    assert (party["follows"], party["party_summary"]["name"]) == ("party", world.person.name)
    severity = follow(as_viewer, min_severity="high").json()
    assert (severity["follows"], severity["min_severity"]) == ("severity", "high")
    listed = as_viewer.get(URL).json()
    assert [s["follows"] for s in listed["results"]] == ["severity", "party", "case"]
    assert listed["next"] is None
    assert Subscription.objects.filter(user=viewer).count() == 3


def test_a_subscription_reaches_the_follower_by_email(world, as_viewer, viewer):
    viewer.email = "viewer@example.org"
    viewer.save()
    follow(as_viewer, case=str(world.case.pk))
    alert = raise_for_finding(
        Finding(condition="test:1", severity="high", title="Dormant", case_id=world.case.pk)
    )
    assert list(Notification.objects.values_list("alert", "user", "digest")) == [
        (alert.pk, viewer.pk, False)
    ]


@pytest.mark.parametrize(
    "body",
    [
        {"case": "CASE"},
        {"party": "PARTY"},
        {"min_severity": "critical"},
    ],
)
def test_following_the_same_thing_twice_is_a_409_and_changes_nothing(world, as_viewer, body):
    body = {
        k: str(world.case.pk) if v == "CASE" else str(world.person.pk) if v == "PARTY" else v
        for k, v in body.items()
    }
    first = follow(as_viewer, **body)
    assert first.status_code == 201
    again = follow(as_viewer, **body)
    assert again.status_code == 409, again.content
    assert again["Content-Type"].startswith("application/problem+json")
    problem = again.json()
    assert problem["type"] == "urn:casetracker:problem:conflict"
    assert (
        "You already follow this" in problem["detail"] and first.json()["id"] in problem["detail"]
    )
    assert Subscription.objects.count() == 1


def test_the_web_follow_button_and_the_api_share_one_subscription(world, viewer, as_viewer):
    subscription_follow(user=viewer, case=world.case)  # what the case page's button calls
    assert follow(as_viewer, case=str(world.case.pk)).status_code == 409
    assert subscription_follow(user=viewer, case=world.case).pk == Subscription.objects.get().pk


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({}, {"non_field_errors"}),
        ({"case": "CASE", "party": "PARTY"}, {"case", "party"}),
        ({"case": "CASE", "min_severity": "high"}, {"case", "min_severity"}),
        ({"min_severity": "urgent"}, {"min_severity"}),
        ({"min_severity": ""}, {"min_severity"}),
        ({"min_severity": 3}, {"min_severity"}),
        ({"case": "not-a-uuid"}, {"case"}),
        ({"case": "00000000-0000-0000-0000-000000000000"}, {"case"}),
        ({"case": 12}, {"case"}),
        ({"party": "CASE"}, {"party"}),  # a case's id is no party
        ({"case": "CASE", "user": "admin"}, {"user"}),
        ({"case": "CASE", "id": "00000000-0000-0000-0000-000000000000"}, {"id"}),
    ],
)
def test_bad_input_is_a_400_naming_the_field_and_nothing_is_created(world, as_viewer, body, fields):
    ids = {"CASE": str(world.case.pk), "PARTY": str(world.person.pk)}
    body = {k: ids.get(v, v) if isinstance(v, str) else v for k, v in body.items()}
    response = follow(as_viewer, **body)
    assert response.status_code == 400, response.content
    assert response["Content-Type"].startswith("application/problem+json")
    assert set(response.json()["errors"]) == fields
    assert not Subscription.objects.exists()


def test_users_see_and_delete_only_their_own(world, viewer, staff, admin_user):
    as_viewer, as_staff, as_admin = client_for(viewer), client_for(staff), client_for(admin_user)
    mine = follow(as_viewer, case=str(world.case.pk)).json()["id"]
    theirs = follow(as_staff, case=str(world.case.pk)).json()["id"]
    assert [s["id"] for s in as_viewer.get(URL).json()["results"]] == [mine]
    assert [s["id"] for s in as_staff.get(URL).json()["results"]] == [theirs]
    assert as_admin.get(URL).json()["results"] == []  # following is personal, admins too
    for api in (as_viewer, as_admin):
        assert api.get(f"{URL}{theirs}/").status_code == 404
        assert api.delete(f"{URL}{theirs}/").status_code == 404
    assert Subscription.objects.filter(pk=theirs).exists()
    assert as_viewer.get(f"{URL}{mine}/").json()["id"] == mine
    assert as_viewer.delete(f"{URL}{mine}/").status_code == 204
    assert as_viewer.delete(f"{URL}{mine}/").status_code == 404
    assert list(Subscription.objects.values_list("pk", flat=True)) == [
        Subscription.objects.get(user=staff).pk
    ]


def test_subscriptions_need_credentials_a_role_and_a_write_key_to_change(
    world, anon, as_outsider, staff
):
    body = {"case": str(world.case.pk)}
    assert anon.get(URL).status_code == 401
    assert anon.post(URL, body, format="json").status_code == 401
    assert as_outsider.get(URL).status_code == 403
    assert as_outsider.post(URL, body, format="json").status_code == 403
    read = client_for(key=api_key_create(owner=staff, name="reader", scope="read")[1])
    write = client_for(key=api_key_create(owner=staff, name="writer", scope="write")[1])
    assert read.post(URL, body, format="json").status_code == 403
    created = write.post(URL, body, format="json")
    assert created.status_code == 201  # a key follows for its owner
    assert Subscription.objects.get().user == staff
    assert [s["id"] for s in read.get(URL).json()["results"]] == [created.json()["id"]]
    assert read.delete(f"{URL}{created.json()['id']}/").status_code == 403
    assert write.delete(f"{URL}{created.json()['id']}/").status_code == 204


def test_following_a_protected_party_never_shows_its_real_name_to_a_viewer(
    world, as_viewer, as_lawyer
):
    created = follow(as_viewer, party=str(world.witness.pk))
    again = follow(as_viewer, party=str(world.witness.pk))
    listed = as_viewer.get(URL)
    detail = as_viewer.get(f"{URL}{created.json()['id']}/")
    for response in (created, again, listed, detail):
        text = response.content.decode()
        for secret in (SECRET_NAME, SECRET_ALIAS, SECRET_ORIGINAL):
            assert secret not in text and json.dumps(secret) not in text
    assert created.json()["party_summary"] == {
        "id": str(world.witness.pk),
        "kind": "person",
        "name": "Witness W-1",
        "protected": True,
    }
    lawyers = follow(as_lawyer, party=str(world.witness.pk)).json()
    assert lawyers["party_summary"]["name"] == SECRET_NAME


def test_subscriptions_filter_by_what_they_follow(world, as_viewer):
    case = follow(as_viewer, case=str(world.case.pk)).json()["id"]
    party = follow(as_viewer, party=str(world.person.pk)).json()["id"]
    severity = follow(as_viewer, min_severity="critical").json()["id"]

    def ids(query: str) -> list[str]:
        response = as_viewer.get(f"{URL}?{query}")
        assert response.status_code == 200, response.content
        return [s["id"] for s in response.json()["results"]]

    assert ids("follows=case") == [case]
    assert ids("follows=party") == [party]
    assert ids("follows=severity") == [severity]
    assert ids(f"case={world.case.pk}") == [case]
    assert ids(f"party={world.person.pk}") == [party]
    assert ids("ordering=created_at") == [case, party, severity]
    assert ids("page_size=1") == [severity]
    for bad in ("follows=everything", "case=12", "ordering=user", "page_size=0"):
        assert as_viewer.get(f"{URL}?{bad}").status_code == 400


def test_a_list_of_subscriptions_costs_the_same_whatever_its_page_size(world, viewer, as_viewer):
    follow(as_viewer, case=str(world.case.pk))
    follow(as_viewer, party=str(world.person.pk))
    follow(as_viewer, party=str(world.witness.pk))
    follow(as_viewer, min_severity="high")

    def count(url: str) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert as_viewer.get(url).status_code == 200
        return len(queries)

    # session, user, permissions, subscriptions joined with case and party
    assert count(f"{URL}?page_size=1") == count(f"{URL}?page_size=4") == 4
