"""Warrants are read through api.warrants.serializers.WARRANT_ROWS (tuples, for speed): the
same JSON as WarrantSerializer's, redaction included, in lists, details and write answers."""

import json

import pytest
from rest_framework.renderers import JSONRenderer

from api.warrants.serializers import WarrantSerializer
from core.keys import ApiKey
from tests import builders
from tests.api.conftest import client_for
from warrants.actions import proceeding_create
from warrants.selectors import warrants_visible_to

pytestmark = pytest.mark.django_db


@pytest.fixture
def warrants(system, case, immune_warrant):
    """Every shape a warrant takes: a protected head of state's (immunity), with charges in
    label order, superseding another, with an appeal pending, requested and issued."""
    accused = builders.accused(system, case)
    first = builders.charge(system, case, accused, label="B: torture")
    second = builders.charge(system, case, accused, label="A: murder", offence="other")
    charged = builders.warrant(
        system, case, accused.party, issued_on="2023-11-14", charges=[first, second]
    )
    replacing = builders.warrant(system, case, accused.party, supersedes=charged)
    for day in ("2024-02-01", "2024-01-10"):
        proceeding_create(
            actor=system,
            case=case,
            kind="appeal_lodged",
            court="Cour de cassation",
            date=day,
            warrants=[charged, immune_warrant],
        )
    return [immune_warrant, charged, replacing]


def serialized(records, user, key=None) -> list:
    request = type("R", (), {"user": user, "auth": key})()
    data = WarrantSerializer(records, many=True, context={"request": request}).data
    return json.loads(JSONRenderer().render(data))


@pytest.mark.parametrize("reader", ["viewer", "staff", "lawyer"])
def test_lists_details_and_write_answers_show_warrants_as_the_serializer_does(
    warrants, reader, request
):
    user = request.getfixturevalue(reader)
    client = client_for(user)
    listed = client.get("/api/v1/warrants/?page_size=200").json()["results"]
    records = list(warrants_visible_to(user).order_by("-created_at", "-id"))
    assert len(listed) == len(records) == 3
    expected = serialized(records, user)
    assert listed == expected
    for record, item in zip(records, expected, strict=True):
        assert client.get(f"/api/v1/warrants/{record.pk}/").json() == item
    assert any(w["pending_appeals"] and w["charges"] for w in listed)
    assert any(w["supersedes"] for w in listed)
    assert ("Realname Hidden" in json.dumps(listed)) is (reader == "lawyer")
    assert {w["immunity_risk"] for w in listed} == (
        {True, False} if reader == "lawyer" else {None, False}
    )
    if reader == "staff":  # a write answers with the re-read warrant, the same way
        warrant = records[0]
        r = client.patch(
            f"/api/v1/warrants/{warrant.pk}/", {"issuing_authority": "Judges"}, format="json"
        )
        assert r.status_code == 200
        warrant.refresh_from_db()
        assert r.json() == serialized(warrants_visible_to(user).filter(pk=warrant.pk), user)[0]


def test_a_read_only_key_is_offered_no_transition(warrants, staff, read_key):
    listed = client_for(key=read_key).get("/api/v1/warrants/").json()["results"]
    key = ApiKey.objects.get(scope="read")
    expected = serialized(warrants_visible_to(staff).order_by("-created_at", "-id"), staff, key)
    assert listed == expected
    assert all(w["allowed_transitions"] == [] for w in listed)
