"""bench/floor.py answers the list and the detail with the API's rows and JSON."""

import datetime
import json
from contextlib import nullcontext
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.db import connection
from rest_framework.test import APIClient

from bench.floor import Floor
from cases.models import Charge
from parties.models import Party, Position
from warrants import workflows
from warrants.models import Warrant

try:
    from warrants.proceedings import Proceeding
except ImportError:  # a checkout before issue 13
    Proceeding = None  # type: ignore[assignment, misc]

TRANSITIONS = [(t.name, list(t.sources)) for t in workflows.WARRANT.transitions.values()]


def floor_get(key: str, url: str, **headers: str):
    parts = urlsplit(url)
    floor = Floor(lambda: nullcontext(connection.connection), TRANSITIONS)
    status, response_headers, body = floor.handle(
        "GET",
        parts.path,
        parts.query,
        {"authorization": f"Bearer {key}", **{k.lower(): v for k, v in headers.items()}},
        "testserver",
    )
    return status, dict(response_headers), body


def api_get(key: str, url: str, **headers: str):
    client = APIClient()
    extra: dict[str, Any] = {f"HTTP_{k.upper().replace('-', '_')}": v for k, v in headers.items()}
    return client.get(url, HTTP_AUTHORIZATION=f"Bearer {key}", **extra)


@pytest.mark.parametrize("key_name", ["read_key", "write_key"])
@pytest.mark.parametrize("page_size", [5, 100])
def test_list_is_the_apis(generated, key_name, page_size):
    key = generated[key_name]
    # One subject held an office with personal immunity: its warrants show the risk.
    first = Warrant.objects.filter(status="issued").order_by("-created_at").first()
    office = {"state_office": True} if hasattr(Position, "state_office") else {}
    Position.objects.create(
        party_id=first.subject_id,
        title="President",
        organisation="Republic",
        function="head_of_state",
        started_on=datetime.date(2000, 1, 1),
        **office,
    )
    if office:  # functional immunity (issue 13): the charge is not an international crime
        Charge.objects.filter(warrants=first).update(offence="terrorism")
    if Proceeding is not None:  # an appeal pending against it (issue 13)
        appeal = Proceeding.objects.create(
            case_id=first.case_id,
            kind="appeal_lodged",
            court="Cour d'appel de Paris",
            date=datetime.date(2025, 1, 10),
            status="lodged",
        )
        appeal.warrants.add(first)
    url = f"/api/v1/warrants/?status=issued&page_size={page_size}"
    api = api_get(key, url)
    status, headers, body = floor_get(key, url)
    assert api.status_code == status == 200
    assert headers["Content-Type"] == "application/json"
    assert json.loads(body) == api.json()
    shown = api.json()["results"][0]
    assert shown["immunity_risk"] is True
    if office:
        assert shown["functional_immunity_bar"] is True
    if Proceeding is not None:
        assert shown["appeal_pending"] is True and len(shown["pending_appeals"]) == 1
    issued = Warrant.objects.filter(status="issued").count()
    assert len(api.json()["results"]) == min(page_size, issued)


def test_a_protected_subject_is_redacted_alike(generated, staff):
    """A reader without view_protected_identity (staff) gets the pseudonym from both."""
    from core.keys import api_key_create

    _, key = api_key_create(owner=staff, name="staff read", scope="read")
    warrant = Warrant.objects.filter(subject__protected=True).first()
    assert warrant is not None  # the generator makes protected subjects
    subject = Party.objects.get(pk=warrant.subject_id)
    api = api_get(key, f"/api/v1/warrants/{warrant.pk}/")
    status, _, body = floor_get(key, f"/api/v1/warrants/{warrant.pk}/")
    assert api.status_code == status == 200
    assert json.loads(body) == api.json()
    assert subject.name.encode() not in body and subject.pseudonym.encode() in body
    assert json.loads(body)["immunity_risk"] is None


@pytest.mark.parametrize("key_name", ["read_key", "write_key"])
def test_detail_and_its_304_are_the_apis(generated, key_name):
    key = generated[key_name]
    for warrant in Warrant.objects.order_by("reference")[:12]:
        url = f"/api/v1/warrants/{warrant.pk}/"
        api = api_get(key, url)
        status, headers, body = floor_get(key, url)
        assert api.status_code == status == 200
        assert json.loads(body) == api.json()
        assert headers["ETag"] == api["ETag"]
        api_304 = api_get(key, url, **{"If-None-Match": api["ETag"]})
        status, headers, body = floor_get(key, url, **{"If-None-Match": api["ETag"]})
        assert api_304.status_code == status == 304 and body == b""
        assert headers["ETag"] == api_304["ETag"]
        stale = '"0"'
        assert floor_get(key, url, **{"If-None-Match": stale})[0] == 200


def test_a_wrong_key_is_refused(generated):
    status, _, _ = floor_get("ct_nope_nothing", "/api/v1/warrants/?status=issued")
    assert status == 401
