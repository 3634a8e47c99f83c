"""`/api/v1/alerts/` and `/api/v1/webhooks/`: scoping, secrets shown once, redelivery."""

import pytest
from rest_framework.test import APIClient

from alerts.models import Alert, WebhookDelivery, WebhookEndpoint
from alerts.webhooks import endpoint_create
from core.events import Actor
from core.keys import api_key_create
from core.models import Event
from tests.conftest import clear_cache

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _setup(settings):
    settings.WEBHOOKS_ALLOW_PRIVATE = False
    clear_cache()


def client(user=None, key=None) -> APIClient:
    api = APIClient()
    if user is not None:
        api.force_login(user)
    if key is not None:
        api.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return api


PUBLIC_URL = "https://93.184.215.14/hooks/casetracker"  # a literal public address: no DNS


def test_creating_a_webhook_shows_its_secret_once(staff):
    api = client(staff)
    created = api.post(
        "/api/v1/webhooks/", {"url": PUBLIC_URL, "event_types": ["warrant.*"]}, format="json"
    )
    assert created.status_code == 201, created.json()
    assert created.json()["secret"].startswith("whsec_")
    listed = api.get("/api/v1/webhooks/").json()["results"]
    detail = api.get(f"/api/v1/webhooks/{created.json()['id']}/").json()
    assert "secret" not in listed[0] and "secret" not in detail
    rotated = api.post(f"/api/v1/webhooks/{detail['id']}/rotate-secret/").json()
    assert rotated["secret"].startswith("whsec_") and rotated["secret"] != created.json()["secret"]
    assert rotated["previous_secret_expires_at"]


@pytest.mark.parametrize(
    "body",
    [
        {"url": PUBLIC_URL, "event_types": ["*"], "active": 0},
        {"url": PUBLIC_URL, "event_types": "warrant.*"},
        {"url": PUBLIC_URL, "event_types": ["*"], "secret": "whsec_mine"},
        {"url": PUBLIC_URL, "event_types": ["*"], "colour": "red"},
    ],
)
def test_a_webhook_with_wrong_types_or_unknown_fields_is_a_400(staff, body):
    response = client(staff).post("/api/v1/webhooks/", body, format="json")
    assert response.status_code == 400, response.content
    assert response["Content-Type"].startswith("application/problem+json")
    assert not WebhookEndpoint.objects.exists()


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8000/hook",
        "http://10.0.0.7/hook",
        "http://169.254.169.254/latest/meta-data/",
        "http://2130706433/",
        "http://[::ffff:10.0.0.1]/",
        "ftp://93.184.215.14/",
    ],
)
def test_registering_a_webhook_to_a_private_address_is_refused(staff, url):
    response = client(staff).post(
        "/api/v1/webhooks/", {"url": url, "event_types": ["*"]}, format="json"
    )
    assert response.status_code == 400
    assert "url" in response.json()["errors"]
    assert not WebhookEndpoint.objects.exists()


def test_users_see_only_their_own_webhooks_and_the_admin_sees_all(staff, viewer, admin_user):
    mine = endpoint_create(actor=Actor.for_user(staff), url=PUBLIC_URL, event_types=["*"])
    endpoint_create(actor=Actor.for_user(viewer), url=PUBLIC_URL, event_types=["*"])
    assert [w["id"] for w in client(staff).get("/api/v1/webhooks/").json()["results"]] == [
        str(mine.pk)
    ]
    assert len(client(admin_user).get("/api/v1/webhooks/").json()["results"]) == 2
    assert client(viewer).get(f"/api/v1/webhooks/{mine.pk}/").status_code == 404
    assert client(viewer).delete(f"/api/v1/webhooks/{mine.pk}/").status_code == 404
    assert client(staff).delete(f"/api/v1/webhooks/{mine.pk}/").status_code == 204


def test_webhooks_need_a_role_and_a_write_key(outsider, staff):
    body = {"url": PUBLIC_URL, "event_types": ["*"]}
    assert client().post("/api/v1/webhooks/", body, format="json").status_code == 401
    assert client(outsider).post("/api/v1/webhooks/", body, format="json").status_code == 403
    read_key = api_key_create(owner=staff, name="reader", scope="read")[1]
    assert client(key=read_key).post("/api/v1/webhooks/", body, format="json").status_code == 403
    write_key = api_key_create(owner=staff, name="writer", scope="write")[1]
    assert client(key=write_key).post("/api/v1/webhooks/", body, format="json").status_code == 201


def test_deliveries_list_their_attempts_and_can_be_redelivered(staff, case):
    endpoint = endpoint_create(actor=Actor.for_user(staff), url=PUBLIC_URL, event_types=["*"])
    delivery = WebhookDelivery.objects.create(
        endpoint=endpoint, event=Event.objects.get(type="case.created"), status="failed"
    )
    api = client(staff)
    listed = api.get(f"/api/v1/webhooks/{endpoint.pk}/deliveries/").json()["results"]
    assert [(d["id"], d["status"], d["attempt_log"]) for d in listed] == [
        (str(delivery.pk), "failed", [])
    ]
    response = api.post(f"/api/v1/webhooks/{endpoint.pk}/deliveries/{delivery.pk}/redeliver/")
    assert response.status_code == 202
    delivery.refresh_from_db()
    assert (delivery.status, delivery.redelivery_requested) == ("pending", True)


def test_alerts_are_read_acknowledged_and_resolved_by_whom_and_when(
    viewer, staff, lawyer, outsider, case
):
    alert = Alert.objects.create(severity="high", title="Warrant W-1 annulled", case=case)
    assert client(outsider).get("/api/v1/alerts/").status_code == 403
    listed = client(viewer).get("/api/v1/alerts/?severity=high").json()["results"]
    assert [(a["id"], a["status"]) for a in listed] == [(str(alert.pk), "open")]
    url = f"/api/v1/alerts/{alert.pk}/transitions/"
    acked = client(staff).post(url, {"transition": "acknowledge"}, format="json")
    assert acked.status_code == 200
    assert (acked.json()["status"], acked.json()["acknowledged_by"]) == ("acknowledged", "staff")
    assert acked.json()["allowed_transitions"] == ["resolve"]
    again = client(staff).post(url, {"transition": "acknowledge"}, format="json")
    assert again.status_code == 409
    refused = client(viewer).post(url, {"transition": "resolve"}, format="json")
    assert refused.status_code == 403  # viewers only read
    resolved = client(lawyer).post(url, {"transition": "resolve"}, format="json").json()
    assert (resolved["status"], resolved["resolved_by"]) == ("resolved", "lawyer")
    assert resolved["resolved_at"]


def test_a_resolution_keeps_its_note_and_an_acknowledgement_takes_none(staff, case):
    alert = Alert.objects.create(severity="high", title="Warrant W-1 annulled", case=case)
    url = f"/api/v1/alerts/{alert.pk}/transitions/"
    body = {"transition": "acknowledge", "note": "Seen"}
    refused = client(staff).post(url, body, format="json")
    assert refused.status_code == 400 and "note" in refused.json()["errors"]
    alert.refresh_from_db()
    assert alert.status == "open"
    body = {"transition": "resolve", "note": "Ministry confirmed the withdrawal"}
    resolved = client(staff).post(url, body, format="json").json()
    assert (resolved["status"], resolved["resolved_by"], resolved["resolution_note"]) == (
        "resolved",
        "staff",
        "Ministry confirmed the withdrawal",
    )
