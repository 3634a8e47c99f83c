"""A committed transition reaches every consumer: alert, email, signed webhook."""

import json

import pytest
from django.contrib.auth.models import User

from alerts.models import Alert, DeliveryStatus, Subscription, WebhookDelivery
from alerts.webhooks import endpoint_create
from casetracker.events import Actor
from casetracker.models import Event
from tests import builders
from tests.conftest import make_user
from warrants.actions import notice_transition

from .harness import mails, wait_for

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def assad_red_notice(system):
    case = builders.case(system, title="Chemical attacks on Douma and Eastern Ghouta")
    assad = builders.person(system, name="Bashar al-Assad")
    warrant = builders.warrant(system, case, assad, issued_on="2023-11-14")
    notice = builders.red_notice(system, warrant)
    return case, assad, warrant, notice


def test_publishing_a_red_notice_raises_a_critical_alert_emails_followers_and_posts_a_signed_webhook(
    start_worker, receiver, mail_dir, settings, system
):
    settings.WEBHOOKS_ALLOW_PRIVATE = True
    case, assad, warrant, notice = assad_red_notice(system)
    staff = make_user("follower", "staff", email="follower@example.org")
    Subscription.objects.create(user=staff, case=case)
    make_user("bystander", "staff", email="bystander@example.org")
    owner = make_user("client", "viewer", email="client@example.org")
    endpoint = endpoint_create(
        actor=Actor.for_user(owner), url=receiver.url(), event_types=["notice.*"]
    )
    receiver.secret = endpoint.secret
    start_worker()

    _, event = notice_transition(
        notice_id=notice.pk, transition="publish", actor=system, effective_date="2023-11-20"
    )

    alert = wait_for(lambda: Alert.objects.filter(event=event).first(), what="the alert")
    assert (alert.severity, alert.title, alert.case_id) == (
        "critical",
        "Red Notice published for Bashar al-Assad",
        case.pk,
    )
    wait_for(lambda: str(event.id) in receiver.ids(), what="the webhook")
    hit = next(r for r in receiver.received if r.headers["webhook-id"] == str(event.id))
    assert hit.verified
    body = json.loads(hit.body)
    assert (body["type"], body["seq"], body["to_status"], body["subject"]["id"]) == (
        "notice.published",
        event.seq,
        "published",
        str(notice.pk),
    )
    delivery = wait_for(
        lambda: WebhookDelivery.objects.filter(
            event=event, status=DeliveryStatus.SUCCEEDED
        ).first(),
        what="the delivery to be recorded",
    )
    assert delivery.attempt_log.get().status_code == 200
    sent = wait_for(
        lambda: [m for m in mails(mail_dir) if "Red Notice published" in m["Subject"]],
        what="the email",
    )
    assert [m["To"] for m in sent] == ["follower@example.org"]
    # notice.created was recorded before the endpoint existed? No: all events of notice.* reach it.
    assert set(receiver.ids()) == {
        str(e.id) for e in Event.objects.filter(type__startswith="notice.")
    }
    assert User.objects.count() == 3
