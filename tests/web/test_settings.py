"""Settings pages (API keys shown once, webhooks with their delivery log) and following."""

import re

from django.urls import reverse

from alerts.models import Subscription, WebhookDelivery, WebhookEndpoint
from core.keys import ApiKey, api_key_check
from core.models import Event


def test_a_new_api_key_is_shown_once_and_works(client, staff):
    client.force_login(staff)
    page = client.post(reverse("web:api_keys"), {"name": "sync-bot", "scope": "read"})
    raw = re.search(r'id="new-key" type="text" readonly value="([^"]+)"', page.content.decode())
    assert raw is not None
    assert api_key_check(raw.group(1)).name == "sync-bot"
    again = client.get(reverse("web:api_keys")).content.decode()
    assert raw.group(1) not in again and "sync-bot" in again


def test_an_api_key_can_be_revoked_by_its_owner_only(client, staff, viewer):
    client.force_login(staff)
    client.post(reverse("web:api_keys"), {"name": "mine", "scope": "write"})
    key = ApiKey.objects.get(name="mine")
    client.force_login(viewer)
    assert client.post(reverse("web:api_key_revoke", args=[key.pk])).status_code == 404
    client.force_login(staff)
    client.post(reverse("web:api_key_revoke", args=[key.pk]))
    key.refresh_from_db()
    assert key.revoked_at is not None


def test_a_webhook_secret_is_shown_once_and_a_private_url_is_refused(client, staff, settings):
    settings.WEBHOOKS_ALLOW_PRIVATE = False
    client.force_login(staff)
    refused = client.post(
        reverse("web:webhooks"), {"url": "http://127.0.0.1:9/hook", "event_types": "*"}
    )
    assert refused.status_code == 400
    assert 'value="http://127.0.0.1:9/hook"' in refused.content.decode()
    assert not WebhookEndpoint.objects.exists()


def test_the_delivery_log_offers_redelivery(client, staff, settings, case):
    settings.WEBHOOKS_ALLOW_PRIVATE = True
    client.force_login(staff)
    page = client.post(
        reverse("web:webhooks"),
        {"url": "http://127.0.0.1:9/hook", "event_types": "case.*", "description": "local"},
    ).content.decode()
    endpoint = WebhookEndpoint.objects.get()
    assert endpoint.secret in page
    assert endpoint.secret not in client.get(reverse("web:webhooks")).content.decode()
    delivery = WebhookDelivery.objects.create(
        endpoint=endpoint, event=Event.objects.filter(case=case).first(), status="failed"
    )
    log = client.get(reverse("web:webhook", args=[endpoint.pk])).content.decode()
    assert f'id="delivery-{delivery.pk}"' in log
    client.post(reverse("web:redeliver", args=[delivery.pk]))
    delivery.refresh_from_db()
    assert (delivery.status, delivery.redelivery_requested) == ("pending", True)


def test_following_and_unfollowing_a_case(client, viewer, case):
    client.force_login(viewer)
    client.post(reverse("web:follow", args=["case", case.pk]), {"follow": "on"})
    assert Subscription.objects.filter(user=viewer, case=case).exists()
    assert (
        "Following — unfollow"
        in client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    )
    client.post(reverse("web:follow", args=["case", case.pk]), {"follow": "off"})
    assert not Subscription.objects.filter(user=viewer, case=case).exists()


def test_a_tampered_version_on_the_webhook_page_is_an_error_not_a_500(client, staff, settings):
    settings.WEBHOOKS_ALLOW_PRIVATE = True
    client.force_login(staff)
    client.post(reverse("web:webhooks"), {"url": "http://127.0.0.1:9/hook", "event_types": "*"})
    endpoint = WebhookEndpoint.objects.get()
    page = client.post(
        reverse("web:webhook", args=[endpoint.pk]), {"expected_version": "abc", "active": ""}
    )
    assert page.status_code == 400
    assert "version" in page.content.decode().lower()
    endpoint.refresh_from_db()
    assert endpoint.active
