"""Committed changes reach every consumer once; rolled-back ones reach none; Redis may go away."""

import json
from collections import Counter

import pytest
from django.db import transaction
from rest_framework.test import APIClient

from alerts.models import Alert, DeliveryStatus, EventReceipt, Subscription, WebhookDelivery
from alerts.webhooks import endpoint_create
from cases.actions import case_transition
from core.events import Actor
from core.models import Event
from tests import builders
from tests.conftest import clear_cache, make_user
from warrants.actions import notice_transition, warrant_transition

from .conftest import WEBHOOKS_WORKER
from .harness import mails, wait_for

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def test_a_red_notice_raises_a_critical_alert_an_email_and_a_signed_webhook_a_rollback_nothing(
    start_worker, receiver, mail_dir, settings, system
):
    settings.WEBHOOKS_ALLOW_PRIVATE = True
    case = builders.case(system, title="Chemical attacks on Douma and Eastern Ghouta")
    assad = builders.person(system, name="Bashar al-Assad")
    notice = builders.red_notice(
        system, builders.warrant(system, case, assad, issued_on="2023-11-14")
    )
    annulled = builders.warrant(system, case, builders.person(system), issued_on="2023-11-14")
    follower = make_user("follower", "staff", email="follower@example.org")
    Subscription.objects.create(user=follower, case=case)
    make_user("bystander", "staff", email="bystander@example.org")
    owner = make_user("client", "viewer", email="client@example.org")
    endpoint = endpoint_create(
        actor=Actor.for_user(owner),
        url=receiver.url(),
        event_types=["notice.published", "warrant.annulled"],
    )
    receiver.secret = endpoint.secret
    start_worker(queues=settings.CELERY_TASK_DEFAULT_QUEUE)  # the Procfile's two workers
    start_worker(**WEBHOOKS_WORKER)

    with pytest.raises(RuntimeError), transaction.atomic():
        warrant_transition(
            warrant_id=annulled.pk, transition="annul", actor=system, effective_date="2025-07-25"
        )
        raise RuntimeError("the request failed after the transition")
    _, event = notice_transition(
        notice_id=notice.pk, transition="publish", actor=system, effective_date="2023-11-20"
    )

    alert = wait_for(lambda: Alert.objects.filter(event=event).first(), what="the alert")
    assert (alert.severity, alert.shown_title, alert.case_id) == (
        "critical",
        "Red Notice published for Bashar al-Assad",
        case.pk,
    )
    wait_for(lambda: receiver.ids(), what="the webhook")
    [hit] = receiver.received
    assert hit.headers["webhook-id"] == str(event.id)
    assert hit.verified  # checked by the receiver with the standardwebhooks library
    body = json.loads(hit.body)
    assert (body["id"], body["type"], body["seq"], body["subject"]["id"]) == (
        str(event.id),
        "notice.published",
        Event.objects.get(pk=event.pk).feed_position,  # `seq` is its feed position
        str(notice.pk),
    )
    wait_for(
        lambda: WebhookDelivery.objects.filter(event=event, status="succeeded").exists(),
        what="the delivery to be recorded",
    )
    sent = wait_for(
        lambda: [m for m in mails(mail_dir) if "Red Notice published" in m["Subject"]],
        what="the email",
    )
    assert [m["To"] for m in sent] == ["follower@example.org"]
    # The rolled-back annulment left nothing: no event, alert, email or delivery.
    wait_for(
        lambda: EventReceipt.objects.count() == 2 * Event.objects.count(),
        what="every event to be relayed",
    )
    assert not Event.objects.filter(type="warrant.annulled").exists()
    assert not Alert.objects.filter(title__contains="annulled").exists()
    assert not [m for m in mails(mail_dir) if "annulled" in m["Subject"]]
    assert WebhookDelivery.objects.count() == 1


def test_with_redis_stopped_the_api_keeps_answering_and_every_event_is_processed_once_after(
    start_worker, receiver, broker, settings, system, caplog
):
    settings.WEBHOOKS_ALLOW_PRIVATE = True
    # The API throttles count in the throwaway Redis too (db 1), so they lose it with the broker.
    cache_url = broker.url.rsplit("/", 1)[0] + "/1"
    settings.CACHES = {"default": {**settings.CACHES["default"], "LOCATION": cache_url}}
    clear_cache()
    case = builders.case(system)
    case_transition(case_id=case.pk, transition="open_investigation", actor=system)
    staff = make_user("staff", "staff")
    owner = make_user("client", "viewer", email="client@example.org")
    endpoint = endpoint_create(
        actor=Actor.for_user(owner), url=receiver.url(), event_types=["case.*"]
    )
    receiver.secret = endpoint.secret
    start_worker()
    api = APIClient()
    api.force_login(staff)
    url = f"/api/v1/cases/{case.pk}/transitions/"

    broker.stop()
    assert api.get("/healthz").status_code == 503
    codes = Counter(
        api.post(url, {"transition": "suspend" if n % 2 == 0 else "resume"}).status_code
        for n in range(200)
    )
    assert codes == {200: 200}
    assert "cache unreachable" in caplog.text  # the throttle let them through, unthrottled
    broker.start()

    case_events = Event.objects.filter(case=case).exclude(type="case.created")
    assert case_events.count() == 201
    wait_for(
        lambda: EventReceipt.objects.count() == 2 * Event.objects.count(),
        timeout=90,
        what="every event to be relayed",
    )
    wait_for(
        lambda: not WebhookDelivery.objects.exclude(status=DeliveryStatus.SUCCEEDED).exists()
        and WebhookDelivery.objects.count() == Event.objects.filter(case=case).count(),
        timeout=90,
        what="every delivery to succeed",
    )
    received = Counter(receiver.ids())
    assert set(received) == {
        str(i) for i in Event.objects.filter(case=case).values_list("id", flat=True)
    }
    # Each delivery is recorded once; a receiver sees a webhook-id again only after an
    # attempt that failed on our side (e.g. a timeout on this loaded machine): that is
    # the at-least-once contract receivers dedupe by webhook-id.
    attempts = dict(WebhookDelivery.objects.values_list("event__id", "attempts"))
    assert all(received[str(i)] <= n for i, n in attempts.items()), (received, attempts)
    assert Alert.objects.filter(event__case=case).count() == Event.objects.filter(case=case).count()
    assert all(r.verified for r in receiver.received)
    assert api.get("/healthz").status_code == 200
