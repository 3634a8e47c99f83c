"""A webhook endpoint acts for its owner: each delivery checks the owner's rights when it is
sent and renders the event as the owner may see it then. An owner deactivated or left without
any role gets nothing more; the endpoint is disabled with the reason, shown to admins."""

import json

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from alerts.models import WebhookDelivery, WebhookEndpoint
from alerts.webhooks import deliver, endpoint_create, endpoint_update
from core.events import Actor
from core.models import Event
from tests import builders
from tests.conftest import make_user

from .harness import Receiver

pytestmark = pytest.mark.django_db


@pytest.fixture
def receiver(settings):
    settings.WEBHOOKS_ALLOW_PRIVATE = True
    server = Receiver()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def protected(system):
    return builders.person(system, name="Real Name", protected=True, pseudonym="Witness A")


def endpoint_of(user, receiver) -> WebhookEndpoint:
    return endpoint_create(actor=Actor.for_user(user), url=receiver.url(), event_types=["*"])


def queued(endpoint, event) -> WebhookDelivery:
    return WebhookDelivery.objects.create(
        endpoint=endpoint, event=event, next_attempt_at=timezone.now()
    )


def party_created(party) -> Event:
    return Event.objects.get(type="party.created", subject_id=party.pk)


def assert_held_back(delivery, receiver, reason_words: str) -> WebhookEndpoint:
    assert deliver(delivery.pk) is None
    assert receiver.received == []
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("pending", 0)
    assert delivery.attempt_log.count() == 0
    endpoint = WebhookEndpoint.objects.get(pk=delivery.endpoint_id)
    assert endpoint.active is False and endpoint.disabled_at is not None
    assert reason_words in endpoint.disabled_reason
    return endpoint


def test_an_endpoint_of_a_deactivated_owner_is_not_sent_to_and_is_disabled(staff, case, receiver):
    endpoint = endpoint_of(staff, receiver)
    delivery = queued(endpoint, Event.objects.get(type="case.created"))
    staff.is_active = False
    staff.save()
    endpoint = assert_held_back(delivery, receiver, "deactivated")
    assert "staff" in endpoint.disabled_reason


def test_an_endpoint_of_an_owner_stripped_of_every_role_is_not_sent_to_and_is_disabled(
    viewer, case, receiver
):
    endpoint = endpoint_of(viewer, receiver)
    delivery = queued(endpoint, Event.objects.get(type="case.created"))
    viewer.groups.clear()
    assert_held_back(delivery, receiver, "no longer has a role")


def test_re_enabling_it_while_the_owner_still_has_no_role_sends_nothing(viewer, case, receiver):
    endpoint = endpoint_of(viewer, receiver)
    delivery = queued(endpoint, Event.objects.get(type="case.created"))
    viewer.groups.clear()
    assert deliver(delivery.pk) is None
    endpoint_update(actor=Actor.system("tests"), endpoint_id=endpoint.pk, active=True)
    assert_held_back(delivery, receiver, "no longer has a role")


def test_the_reason_is_a_column_of_the_admins_endpoint_list(
    client, admin_user, staff, case, receiver
):
    endpoint = endpoint_of(staff, receiver)
    delivery = queued(endpoint, Event.objects.get(type="case.created"))
    staff.is_active = False
    staff.save()
    deliver(delivery.pk)
    client.force_login(admin_user)
    html = client.get(reverse("admin:alerts_webhookendpoint_changelist")).content.decode()
    assert "Disabled reason" in html
    assert "Its owner staff is deactivated" in html
    settings_page = client.get(reverse("web:webhooks")).content.decode()
    assert "Its owner staff is deactivated" in settings_page


def test_an_admin_owner_without_any_group_is_still_sent_to(case, receiver):
    admin = make_user("root", is_superuser=True, is_staff=True)
    delivery = queued(endpoint_of(admin, receiver), Event.objects.get(type="case.created"))
    assert deliver(delivery.pk).status_code == 200
    assert len(receiver.received) == 1


def test_the_body_is_rendered_for_the_owners_rights_at_send_time(protected, receiver):
    counsel = make_user("counsel", "lawyer")
    delivery = queued(endpoint_of(counsel, receiver), party_created(protected))
    counsel.groups.set([Group.objects.get(name="viewer")])  # no longer a lawyer
    assert deliver(delivery.pk).status_code == 200
    [hit] = receiver.received
    assert json.loads(hit.body)["data"]["name"] == "Witness A"
    assert b"Real Name" not in hit.body


@pytest.mark.parametrize("role", ["lawyer", "admin"])
def test_an_owner_who_may_see_protected_identities_receives_them(role, protected, receiver):
    owner = (
        make_user("counsel", "lawyer")
        if role == "lawyer"
        else make_user("root", is_superuser=True, is_staff=True)
    )
    assert deliver(queued(endpoint_of(owner, receiver), party_created(protected)).pk)
    [hit] = receiver.received
    data = json.loads(hit.body)["data"]
    assert (data["name"], data["pseudonym"], data["protected"]) == ("Real Name", "Witness A", True)


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_through_the_workers_a_deactivated_owner_gets_nothing_and_the_others_still_do(
    start_worker, receiver, settings, system
):
    from tests.pipeline.conftest import WEBHOOKS_WORKER
    from tests.pipeline.harness import wait_for

    gone, kept = make_user("gone", "viewer"), make_user("kept", "viewer")
    for owner in (gone, kept):
        endpoint_create(
            actor=Actor.for_user(owner), url=receiver.url(f"/{owner}"), event_types=["case.*"]
        )
    gone.is_active = False
    gone.save()
    start_worker(queues=settings.CELERY_TASK_DEFAULT_QUEUE)
    start_worker(**WEBHOOKS_WORKER)

    case = builders.case(system)
    event = Event.objects.get(type="case.created", subject_id=case.pk)
    wait_for(lambda: receiver.received, what="the delivery to the active owner")
    disabled = wait_for(
        lambda: WebhookEndpoint.objects.filter(owner=gone, active=False).first(),
        what="the deactivated owner's endpoint to be disabled",
    )
    assert disabled.disabled_reason == "Its owner gone is deactivated."
    assert [hit.path for hit in receiver.received] == ["/kept"]
    pending = WebhookDelivery.objects.get(endpoint=disabled, event=event)
    assert (pending.status, pending.attempts) == ("pending", 0)
