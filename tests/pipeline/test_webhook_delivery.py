"""Delivering one webhook in-process: SSRF refusals, no redirects, signatures during rotation."""

import json

import pytest
from django.core import mail
from django.utils import timezone
from standardwebhooks.webhooks import Webhook

from alerts import mail as alert_mail
from alerts import targets
from alerts.flags import Finding, raise_for_finding
from alerts.models import Subscription, WebhookDelivery, WebhookEndpoint
from alerts.webhooks import deliver, endpoint_create, endpoint_rotate_secret
from core.events import Actor
from core.models import Event
from tests.conftest import make_user

from .harness import Receiver

pytestmark = pytest.mark.django_db


@pytest.fixture
def receiver():
    server = Receiver()
    server.start()
    yield server
    server.stop()


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/",
        "http://localhost:8000/",
        "http://[::1]/",
        "http://10.1.2.3/",
        "http://192.168.0.10/",
        "http://172.16.5.4/",
        "http://169.254.169.254/latest/meta-data/",
        "http://2130706433/",  # 127.0.0.1 as a decimal number
        "http://0x7f000001/",  # ... in hex
        "http://0177.0.0.1/",  # ... in octal
        "http://167772161/",  # 10.0.0.1 as a decimal number
        "http://[::ffff:10.0.0.1]/",  # IPv4-mapped IPv6
        "http://[::ffff:169.254.169.254]/",
        "http://[2002:a00:1::]/",  # 6to4 around 10.0.0.1
        "http://[fd00:ec2::254]/",  # AWS metadata over IPv6
        "http://100.64.0.1/",  # shared address space
        "http://0.0.0.0/",
        "http://user:pw@93.184.215.14/",
        "file:///etc/passwd",
    ],
)
def test_private_loopback_link_local_metadata_and_disguised_addresses_are_refused(url):
    with pytest.raises(targets.TargetRefused):
        targets.check(url, allow_private=False)


def test_a_public_address_is_accepted_and_pinned():
    target = targets.check("https://93.184.215.14:8443/hook", allow_private=False)
    assert (target.address, target.port, target.host) == ("93.184.215.14", 8443, "93.184.215.14")


def test_allowing_private_targets_still_refuses_metadata_and_link_local():
    assert targets.check("http://127.0.0.1:9/", allow_private=True).address == "127.0.0.1"
    for url in ["http://169.254.169.254/", "http://[fe80::1]/", "http://[::ffff:169.254.169.254]/"]:
        with pytest.raises(targets.TargetRefused):
            targets.check(url, allow_private=True)


def queued(endpoint, event_type="case.created"):
    return WebhookDelivery.objects.create(
        endpoint=endpoint, event=Event.objects.get(type=event_type), next_attempt_at=timezone.now()
    )


def test_a_private_target_is_refused_at_delivery_time_too(staff, case, settings):
    settings.WEBHOOKS_ALLOW_PRIVATE = False
    # Stored directly, as if its name resolved elsewhere at registration.
    endpoint = WebhookEndpoint.objects.create(
        owner=staff, url="http://10.0.0.1/hook", event_types=["*"], secret="whsec_AAAA"
    )
    attempt = deliver(queued(endpoint).pk)
    assert attempt is not None
    assert (attempt.status_code, attempt.error) == (
        None,
        "refused: 10.0.0.1 is refused: 10.0.0.1 is a private or reserved address.",
    )


def test_redirects_are_not_followed(staff, case, settings, receiver):
    settings.WEBHOOKS_ALLOW_PRIVATE = True
    receiver.script["/to-private"] = [("redirect", "http://10.0.0.1/internal")]
    receiver.script["/to-trap"] = [("redirect", receiver.url("/trap"))]
    for path in ("/to-private", "/to-trap"):
        endpoint = endpoint_create(
            actor=Actor.for_user(staff), url=receiver.url(path), event_types=["*"]
        )
        delivery = queued(endpoint)
        attempt = deliver(delivery.pk)
        assert attempt is not None and attempt.status_code == 302
        delivery.refresh_from_db()
        assert (delivery.status, delivery.attempts) == ("pending", 1)  # a failure, retried later
    assert [r.path for r in receiver.received] == ["/to-private", "/to-trap"]


def test_connections_are_kept_alive_per_receiver_host_never_shared_between_hosts(
    staff, case, settings, receiver
):
    """localhost and 127.0.0.1 pin the same address: each still gets its own connection."""
    settings.WEBHOOKS_ALLOW_PRIVATE = True
    assert targets.check(f"http://localhost:{receiver.port}/").address == "127.0.0.1"
    by_ip = endpoint_create(actor=Actor.for_user(staff), url=receiver.url("/ip"), event_types=["*"])
    by_name = endpoint_create(
        actor=Actor.for_user(staff),
        url=f"http://localhost:{receiver.port}/name",
        event_types=["*"],
    )
    for endpoint in (by_ip, by_name, by_ip, by_name):
        delivery = queued(endpoint)
        assert deliver(delivery.pk).status_code == 200
        delivery.delete()
    peers = {
        path: {r.peer for r in receiver.received if r.path == path} for path in ("/ip", "/name")
    }
    assert len(peers["/ip"]) == len(peers["/name"]) == 1  # kept alive
    assert peers["/ip"] != peers["/name"]  # one connection per host name
    assert [r.headers["host"] for r in receiver.received][:2] == [
        f"127.0.0.1:{receiver.port}",
        f"localhost:{receiver.port}",
    ]


def test_during_a_secret_rotation_both_signatures_are_sent_and_each_verifies(
    staff, case, settings, receiver
):
    settings.WEBHOOKS_ALLOW_PRIVATE = True
    endpoint = endpoint_create(actor=Actor.for_user(staff), url=receiver.url(), event_types=["*"])
    old_secret = endpoint.secret
    endpoint = endpoint_rotate_secret(actor=Actor.for_user(staff), endpoint_id=endpoint.pk)
    deliver(queued(endpoint).pk)
    [hit] = receiver.received
    assert len(hit.headers["webhook-signature"].split(" ")) == 2
    for secret in (old_secret, endpoint.secret):
        assert Webhook(secret).verify(hit.body, hit.headers) == json.loads(hit.body)


def test_protected_parties_are_redacted_in_webhooks_for_owners_who_may_not_see_them(
    viewer, system, settings, receiver
):
    from tests import builders

    settings.WEBHOOKS_ALLOW_PRIVATE = True
    builders.person(system, name="Real Name", protected=True, pseudonym="Witness A")
    endpoint = endpoint_create(actor=Actor.for_user(viewer), url=receiver.url(), event_types=["*"])
    deliver(queued(endpoint, "party.created").pk)
    body = json.loads(receiver.received[0].body)
    assert body["data"]["name"] == "Witness A"
    assert "Real Name" not in receiver.received[0].body.decode()


def test_normal_alerts_are_mailed_once_in_a_daily_digest(staff, case):
    follower = make_user("follower", "viewer", email="follower@example.org")
    Subscription.objects.create(user=follower, case=case)
    for n in (1, 2):
        raise_for_finding(
            Finding(condition=f"test:{n}", severity="normal", title=f"Dormant {n}", case_id=case.pk)
        )
    assert mail.outbox == []
    assert alert_mail.send_digests() == 1
    assert alert_mail.send_digests() == 0
    [digest] = mail.outbox
    assert digest.to == ["follower@example.org"]
    assert "Dormant 1" in digest.body and "Dormant 2" in digest.body
