"""Alert titles, emails and webhook bodies name a party as the reader may see it *now*
(issue 10, item 2): a person entered unprotected and protected later is named by pseudonym
everywhere at once, in alerts raised before the protection too, for everyone who may not
see protected identities; lawyers still see the real name. And viewers only read alerts
(item 5): acknowledging and resolving is refused to them by the action, 403 on web and API.
"""

from __future__ import annotations

import importlib
import json
from typing import Any

import pytest
from django.apps import apps
from django.core import mail
from django.test import Client
from django.urls import reverse

from alerts import mail as alert_mail
from alerts.actions import alert_transition, subscription_follow
from alerts.checks import check_run
from alerts.flags import raise_for_events
from alerts.models import Alert, Notification, WebhookDelivery
from alerts.webhooks import deliver, endpoint_create, fan_out
from cases.actions import participation_create
from core.events import Actor
from core.models import Event
from parties.actions import party_set_protection
from tests import builders
from tests.api.conftest import client_for
from warrants.actions import notice_transition, warrant_transition

pytestmark = pytest.mark.django_db

SECRET = "Rania Secretname"
PSEUDONYM = "Witness W-1"
PUBLIC_URL = "https://93.184.215.14/hooks/casetracker"  # a literal public address: no DNS


def protect(party, actor: Actor) -> None:
    party_set_protection(
        party_id=party.pk, actor=actor, protected=True, pseudonym=PSEUDONYM, note="At risk"
    )


class Story:
    """A witness entered unprotected, alerts (rules and a check) and emails and webhooks
    queued about them, and only then protected."""

    case: Any
    witness: Any
    alerts: list[Alert]
    endpoints: dict[str, Any]


@pytest.fixture
def story(system, viewer, lawyer, settings) -> Story:
    settings.WEBHOOKS_ALLOW_PRIVATE = False
    s = Story()
    for user in (viewer, lawyer):
        user.email = f"{user.username}@example.org"
        user.save(update_fields=["email"])
    s.endpoints = {
        user.username: endpoint_create(
            actor=Actor.for_user(user), url=PUBLIC_URL, event_types=["*"]
        )
        for user in (viewer, lawyer)
    }
    s.case = builders.case(system)
    subscription_follow(user=viewer, case=s.case)
    subscription_follow(user=lawyer, case=s.case)
    s.witness = builders.person(system, name=SECRET)
    participation_create(actor=system, case=s.case, party=s.witness, role="witness")
    warrant = builders.warrant(system, s.case, s.witness, issued_on="2023-11-14")
    notice = builders.red_notice(system, warrant)
    notice_transition(notice_id=notice.pk, transition="publish", actor=system)
    warrant_transition(
        warrant_id=warrant.pk, transition="annul", actor=system, effective_date="2025-07-25"
    )
    events = list(Event.objects.order_by("seq"))
    raise_for_events(events)
    check_run(["red_notice_without_issued_warrant"])
    fan_out(events)
    s.alerts = list(Alert.objects.all())
    # The story only shows something if the titles named the witness before protection.
    named = [a for a in s.alerts if SECRET in alert_title_as_lawyer_would_read(a, lawyer)]
    assert len(named) >= 4, [a.title for a in s.alerts]
    assert Notification.objects.filter(alert__in=named, user=viewer).exists()
    protect(s.witness, system)
    # The protection's own event (party.protected) raises an alert too.
    raise_for_events(list(Event.objects.filter(seq__gt=events[-1].seq)))
    s.alerts = list(Alert.objects.all())
    return s


def alert_title_as_lawyer_would_read(alert: Alert, lawyer) -> str:
    return client_for(lawyer).get(f"/api/v1/alerts/{alert.pk}/").json()["title"]


def web_client(user) -> Client:
    web = Client()
    web.force_login(user)
    return web


def pages(user, story: Story) -> dict[str, str]:
    web = web_client(user)
    urls = {
        "dashboard": reverse("web:dashboard"),
        "inbox": reverse("alerts:inbox") + "?status=all",
        "case inbox": reverse("alerts:inbox") + f"?status=all&case={story.case.pk}",
        "case page": reverse("cases:detail", args=[story.case.pk]),
    }
    shown = {}
    for name, url in urls.items():
        response = web.get(url)
        assert response.status_code == 200, (name, response.status_code)
        shown[name] = response.content.decode()
    return shown


def api_alerts(user) -> list[dict[str, Any]]:
    response = client_for(user).get("/api/v1/alerts/?page_size=200")
    assert response.status_code == 200
    return response.json()["results"]


def emails_to(user) -> list[str]:
    return [f"{m.subject}\n{m.body}" for m in mail.outbox if m.to == [user.email]]


def send_all_email() -> None:
    for pk in Notification.objects.filter(digest=False).values_list("pk", flat=True):
        assert alert_mail.send_notification(pk)
    assert alert_mail.send_digests() == 2


# --- titles --------------------------------------------------------------------------------


def test_a_viewer_never_reads_the_name_of_a_party_protected_after_its_alerts_were_raised(
    story, viewer
):
    listed = api_alerts(viewer)
    assert len(listed) == len(story.alerts)
    assert not [a["title"] for a in listed if SECRET in json.dumps(a)]
    assert sum(PSEUDONYM in a["title"] for a in listed) >= 4
    for alert in story.alerts:
        detail = client_for(viewer).get(f"/api/v1/alerts/{alert.pk}/").content.decode()
        assert SECRET not in detail
    for name, page in pages(viewer, story).items():
        assert SECRET not in page, name
        assert PSEUDONYM in page, name


def test_a_lawyer_reads_the_real_name_in_the_same_alerts(story, lawyer):
    listed = api_alerts(lawyer)
    assert sum(SECRET in a["title"] for a in listed) >= 4
    assert not [a["title"] for a in listed if PSEUDONYM in a["title"]]
    for name, page in pages(lawyer, story).items():
        assert SECRET in page, name


def test_a_check_names_the_party_as_each_reader_may_see_it(story, viewer, lawyer):
    (alert,) = [a for a in story.alerts if a.condition]
    by_viewer = client_for(viewer).get(f"/api/v1/alerts/{alert.pk}/").json()["title"]
    by_lawyer = client_for(lawyer).get(f"/api/v1/alerts/{alert.pk}/").json()["title"]
    assert by_viewer == f"Red Notice published for {PSEUDONYM} while its warrant is annulled"
    assert by_lawyer == f"Red Notice published for {SECRET} while its warrant is annulled"


# --- email ---------------------------------------------------------------------------------


def test_emails_queued_before_the_protection_are_written_for_their_recipient(story, viewer, lawyer):
    send_all_email()
    to_viewer, to_lawyer = emails_to(viewer), emails_to(lawyer)
    assert to_viewer and len(to_viewer) == len(to_lawyer)
    assert not [m for m in to_viewer if SECRET in m]
    assert any(PSEUDONYM in m for m in to_viewer)
    assert any(SECRET in m for m in to_lawyer)


# --- webhooks ------------------------------------------------------------------------------


class FakeResponse:
    status_code = 200
    text = ""


class Recorder:
    """Stands in for the HTTP client: keeps each body posted, answers 200."""

    def __init__(self) -> None:
        self.bodies: list[str] = []

    def post(self, url, *, content, **kwargs) -> FakeResponse:
        self.bodies.append(content)
        return FakeResponse()


@pytest.fixture
def receiver(monkeypatch) -> Recorder:
    from alerts import webhooks

    recorder = Recorder()
    monkeypatch.setattr(webhooks, "http_client", lambda host: recorder)
    return recorder


def delivered_to(endpoint, receiver: Recorder) -> list[str]:
    receiver.bodies.clear()
    for delivery in WebhookDelivery.objects.filter(endpoint=endpoint):
        attempt = deliver(delivery.pk)
        assert attempt is not None and attempt.succeeded, attempt
    return list(receiver.bodies)


def test_webhooks_queued_before_the_protection_are_redacted_when_sent(story, receiver):
    bodies = delivered_to(story.endpoints["viewer"], receiver)
    assert bodies and not [b for b in bodies if SECRET in b]
    party_created = [json.loads(b) for b in bodies if '"party.created"' in b]
    assert [b["data"]["name"] for b in party_created] == [PSEUDONYM]
    lawyer_bodies = delivered_to(story.endpoints["lawyer"], receiver)
    assert any(SECRET in b for b in lawyer_bodies)


def test_a_lawyer_gets_the_real_name_of_a_party_protected_from_the_start(
    system, lawyer, viewer, receiver, settings
):
    settings.WEBHOOKS_ALLOW_PRIVATE = False
    endpoints = [
        endpoint_create(actor=Actor.for_user(user), url=PUBLIC_URL, event_types=["party.*"])
        for user in (lawyer, viewer)
    ]
    builders.person(system, name=SECRET, protected=True, pseudonym=PSEUDONYM)
    fan_out(list(Event.objects.filter(type="party.created")))
    (to_lawyer,) = delivered_to(endpoints[0], receiver)
    (to_viewer,) = delivered_to(endpoints[1], receiver)
    assert json.loads(to_lawyer)["data"]["name"] == SECRET
    assert SECRET not in to_viewer and json.loads(to_viewer)["data"]["name"] == PSEUDONYM


# --- titles stored before this change ------------------------------------------------------


def test_the_migration_turns_stored_names_into_the_party_reference(story, viewer, lawyer):
    """Alerts raised before titles were rendered per reader hold the name they were written
    with; the data migration finds the party and puts the placeholder in its place."""
    migration = importlib.import_module("alerts.migrations.0011_alert_titles_name_parties")
    party_created = Event.objects.get(type="party.created", subject_id=story.witness.pk)
    old = Alert.objects.get(event=party_created)
    Alert.objects.filter(pk=old.pk).update(party=None, title=f"Party created ({SECRET})")
    check = Alert.objects.exclude(condition="").get()
    written = f"Red Notice published for {SECRET} while its warrant is annulled"
    Alert.objects.filter(pk=check.pk).update(party=None, title=written)
    migration.forwards(apps, None)
    for alert in (old, check):
        alert.refresh_from_db()
        assert alert.party_id == story.witness.pk
        assert SECRET not in alert.title
        assert SECRET not in client_for(viewer).get(f"/api/v1/alerts/{alert.pk}/").json()["title"]
        assert SECRET in client_for(lawyer).get(f"/api/v1/alerts/{alert.pk}/").json()["title"]
    # Backwards, titles are written as anyone may read them (as before); forwards again
    # finds the pseudonym written there.
    migration.backwards(apps, None)
    old.refresh_from_db()
    assert old.title == f"Party created ({PSEUDONYM})"
    Alert.objects.update(party=None)  # as 0010 reversed would leave them
    migration.forwards(apps, None)
    old.refresh_from_db()
    assert old.title == "Party created ({subject})"


# --- viewers only read ---------------------------------------------------------------------


def test_viewers_cannot_acknowledge_or_resolve_alerts(story, viewer, staff):
    alert = story.alerts[0]
    for transition in ("acknowledge", "resolve"):
        api = client_for(viewer).post(
            f"/api/v1/alerts/{alert.pk}/transitions/", {"transition": transition}, format="json"
        )
        assert api.status_code == 403, api.content
        web = web_client(viewer).post(reverse("alerts:move", args=[alert.pk, transition]))
        assert web.status_code == 403
        htmx = web_client(viewer).post(
            reverse("alerts:move", args=[alert.pk, transition]), headers={"HX-Request": "true"}
        )
        assert htmx.status_code == 403
    alert.refresh_from_db()
    assert (alert.status, alert.version, alert.acknowledged_by, alert.resolved_by) == (
        "open",
        1,
        None,
        None,
    )
    listed = client_for(viewer).get(f"/api/v1/alerts/{alert.pk}/").json()
    assert listed["allowed_transitions"] == []
    inbox = web_client(viewer).get(reverse("alerts:inbox")).content.decode()
    assert reverse("alerts:move", args=[alert.pk, "acknowledge"]) not in inbox
    acked = alert_transition(
        alert_id=alert.pk, transition="acknowledge", actor=Actor.for_user(staff)
    )
    assert acked.status == "acknowledged"


def test_the_action_refuses_a_viewer(story, viewer):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        alert_transition(
            alert_id=story.alerts[0].pk, transition="resolve", actor=Actor.for_user(viewer)
        )


# --- alerts that tell what a protected identity hides ---------------------------------------


def test_an_alert_telling_that_a_protected_person_held_office_is_for_lawyers_only(
    system, case, viewer, lawyer
):
    """The immunity check's alert says the person held an office with personal immunity:
    the positions a protected identity hides. Once the person is protected, only those who
    may see the identity see the alert at all (list, detail, inbox, email)."""
    for user in (viewer, lawyer):
        user.email = f"{user.username}@example.org"
        user.save(update_fields=["email"])
        subscription_follow(user=user, case=case)
    head = builders.person(
        system,
        name=SECRET,
        positions=[{"title": "President", "function": "head_of_state", "started_on": "2000-07-17"}],
    )
    warrant = builders.warrant(system, case, head, issued_on="2023-11-14")
    (alert,) = check_run(["warrant_against_immune_person"]).raised
    assert "immunity" in client_for(viewer).get(f"/api/v1/alerts/{alert.pk}/").json()["title"]
    protect(head, system)
    assert [a["id"] for a in api_alerts(viewer)] == []
    assert client_for(viewer).get(f"/api/v1/alerts/{alert.pk}/").status_code == 404
    inbox = web_client(viewer).get(reverse("alerts:inbox")).content.decode()
    assert "immunity" not in inbox and warrant.reference not in inbox
    by_lawyer = client_for(lawyer).get(f"/api/v1/alerts/{alert.pk}/").json()["title"]
    assert by_lawyer.startswith(f"Warrant {warrant.reference} issued on 2023-11-14 while {SECRET}")
    for notification in Notification.objects.filter(alert=alert):
        alert_mail.send_notification(notification.pk)
    assert [m.to for m in mail.outbox] == [[lawyer.email]]
    refused = Notification.objects.get(alert=alert, user=viewer)
    assert (refused.status, refused.last_error) == ("failed", alert_mail.NOT_FOR_RECIPIENT)


def test_an_alerts_history_never_shows_a_title_written_with_the_real_name(story, viewer):
    # Alerts raised before titles kept {subject} stored the name; their audit rows still do.
    alert = next(a for a in story.alerts if a.party_id == story.witness.pk)
    Alert.objects.filter(pk=alert.pk).update(title=f"Warrant for {SECRET} annulled")
    Alert.objects.filter(pk=alert.pk).update(title=alert.title)
    page = web_client(viewer).get(reverse("web:history", args=["alert", alert.pk]))
    assert page.status_code == 200
    assert SECRET not in page.content.decode()


@pytest.mark.parametrize("change", ["deactivated", "left_every_role"])
def test_no_email_goes_to_a_user_who_may_no_longer_read_alerts(story, viewer, change):
    if change == "deactivated":
        viewer.is_active = False
        viewer.save(update_fields=["is_active"])
    else:
        viewer.groups.clear()
    mail.outbox.clear()
    rows = Notification.objects.filter(user=viewer, digest=False, status="pending")
    assert rows.exists()
    for row in rows:
        assert alert_mail.send_notification(row.pk) is False
    alert_mail.send_digests()
    assert [m for m in mail.outbox if viewer.email in m.to] == []
    refused = Notification.objects.filter(user=viewer).exclude(status="pending")
    assert {n.last_error for n in refused} == {alert_mail.NOT_FOR_RECIPIENT}
