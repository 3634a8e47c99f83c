"""Webhook deliveries survive a killed worker and a failing receiver; the schedule is in the DB."""

import datetime

import pytest

from alerts.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint
from alerts.webhooks import delivery_redeliver, endpoint_create, endpoint_update
from core.events import Actor
from tests import builders
from tests.conftest import make_user
from warrants.actions import warrant_transition

from .conftest import WEBHOOKS_WORKER, WORKER_SETTINGS
from .harness import mails, wait_for

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def issued(system):
    """Issue a fresh warrant; returns its warrant.issued event."""

    def issue():
        case = builders.case(system)
        warrant = builders.warrant(system, case, builders.person(system))
        return warrant_transition(
            warrant_id=warrant.pk, transition="issue", actor=system, effective_date="2023-11-14"
        )[1]

    return issue


def register(receiver, path, owner_name="client"):
    owner = make_user(owner_name, "viewer", email=f"{owner_name}@example.org")
    endpoint = endpoint_create(
        actor=Actor.for_user(owner), url=receiver.url(path), event_types=["warrant.issued"]
    )
    receiver.secret = endpoint.secret
    return endpoint


def test_a_worker_killed_mid_delivery_delivers_on_restart_with_the_same_webhook_id(
    start_worker, receiver, settings, issued
):
    settings.WEBHOOKS_ALLOW_PRIVATE = True
    register(receiver, "/slow")
    receiver.script["/slow"] = [("hold",)]
    start_worker(queues=settings.CELERY_TASK_DEFAULT_QUEUE)  # the Procfile's two workers
    deliveries = start_worker(**WEBHOOKS_WORKER)
    event = issued()

    wait_for(lambda: receiver.ids("/slow"), what="the first request to arrive")
    deliveries.kill()  # SIGKILL while the receiver holds the request open
    receiver.release.set()
    start_worker(**WEBHOOKS_WORKER)

    delivery = wait_for(
        lambda: WebhookDelivery.objects.filter(event=event, status="succeeded").first(),
        what="the delivery to complete after the restart",
    )
    assert receiver.ids("/slow") == [str(event.id), str(event.id)]
    assert all(r.verified for r in receiver.received)
    assert WebhookDelivery.objects.filter(event=event).count() == 1
    assert [a.status_code for a in delivery.attempt_log.all()] == [200]


def test_a_failing_receiver_is_retried_with_backoff_disabled_its_owner_emailed_and_redelivery_works(
    start_worker, receiver, mail_dir, settings, issued
):
    settings.WEBHOOKS_ALLOW_PRIVATE = True
    gone = register(receiver, "/flaky", "gone-client")
    down = register(receiver, "/down", "down-client")
    # 500, 500, a timeout (WEBHOOK_TIMEOUT=2 s), then 410 Gone.
    receiver.script["/flaky"] = [500, 500, ("sleep", 3, 200), 410]
    receiver.script["/down"] = [500] * 4
    start_worker(WEBHOOK_DISABLE_AFTER_FAILURES="4")
    event = issued()

    wait_for(
        lambda: not WebhookEndpoint.objects.filter(active=True).exists(),
        timeout=60,
        what="both endpoints to be disabled",
    )
    gone.refresh_from_db()
    down.refresh_from_db()
    assert "410" in gone.disabled_reason
    assert "4 consecutive failed attempts" in down.disabled_reason

    delivery = WebhookDelivery.objects.get(endpoint=gone, event=event)
    attempts = list(delivery.attempt_log.all())
    assert [(a.status_code, a.error) for a in attempts] == [
        (500, ""),
        (500, ""),
        (None, "timeout"),
        (410, ""),
    ]
    assert delivery.status == DeliveryStatus.FAILED
    # Backoff: each retry waited at least its (jittered) delay from the schedule.
    schedule = [float(s) for s in WORKER_SETTINGS["WEBHOOK_RETRY_SCHEDULE"].split(",")]
    jitter = float(WORKER_SETTINGS["WEBHOOK_RETRY_JITTER"])
    for before, after, delay in zip(attempts, attempts[1:], schedule, strict=False):
        assert after.attempted_at - before.attempted_at >= datetime.timedelta(
            seconds=delay * (1 - jitter)
        )
    assert [
        a.status_code for a in WebhookDelivery.objects.get(endpoint=down).attempt_log.all()
    ] == [500] * 4

    def owners_mailed() -> list[str]:
        return sorted(m["To"] for m in mails(mail_dir) if "disabled" in m["Subject"])

    notices = wait_for(lambda: len(owners_mailed()) >= 2 and owners_mailed(), what="2 emails")
    assert notices == ["down-client@example.org", "gone-client@example.org"]

    # The receiver is fixed: enable the endpoint again and redeliver by hand.
    owner = Actor.for_user(gone.owner)
    endpoint_update(actor=owner, endpoint_id=gone.pk, active=True)
    delivery_redeliver(actor=owner, delivery_id=delivery.pk)
    wait_for(
        lambda: WebhookDelivery.objects.filter(pk=delivery.pk, status="succeeded").exists(),
        what="the redelivery",
    )
    last = delivery.attempt_log.last()
    assert (last.status_code, last.manual) == (200, True)
    assert receiver.ids("/flaky") == [str(event.id)] * 5
