"""The "What you follow" page: the user's subscriptions, unfollowing, following a severity."""

import pytest

from alerts.actions import subscription_create, subscription_follow
from alerts.models import Subscription
from core.events import Actor
from tests import builders

pytestmark = pytest.mark.django_db

URL = "/alerts/following/"


def test_following_a_severity_and_unfollowing_it(client, staff):
    client.force_login(staff)
    assert "You follow nothing yet" in client.get(URL).content.decode()
    response = client.post(URL, {"min_severity": "high"}, follow=True)
    assert "Every alert at least High" in response.content.decode()
    subscription = Subscription.objects.get(user=staff)
    assert subscription.min_severity == "high"

    client.post(f"{URL}{subscription.pk}/stop/")
    assert not Subscription.objects.filter(user=staff).exists()


def test_following_the_same_severity_twice_is_an_error_next_to_the_field(client, staff):
    subscription_create(actor=Actor.for_user(staff), min_severity="critical")
    client.force_login(staff)
    response = client.post(URL, {"min_severity": "critical"})
    assert response.status_code == 400
    assert response.context["form"].errors == {
        "min_severity": ["You already follow alerts at this level."]
    }
    assert Subscription.objects.filter(user=staff).count() == 1


def test_an_unknown_severity_is_refused_and_nothing_is_stored(client, staff):
    client.force_login(staff)
    response = client.post(URL, {"min_severity": "urgent"})
    assert response.status_code == 400
    assert "min_severity" in response.context["form"].errors
    assert not Subscription.objects.exists()


def test_cases_and_parties_followed_are_listed_protected_ones_by_pseudonym(
    client, viewer, system, case
):
    witness = builders.person(system, name="Karim Haddad", protected=True, pseudonym="Witness A")
    subscription_follow(user=viewer, case=case)
    subscription_follow(user=viewer, party=witness)
    client.force_login(viewer)
    html = client.get(URL).content.decode()
    assert case.reference in html and "Witness A" in html
    assert "Karim" not in html and "Haddad" not in html


def test_a_user_cannot_stop_someone_elses_subscription(client, staff, lawyer, case):
    theirs = subscription_follow(user=lawyer, case=case)
    client.force_login(staff)
    assert client.post(f"{URL}{theirs.pk}/stop/").status_code == 404
    assert Subscription.objects.filter(pk=theirs.pk).exists()


def test_a_user_without_a_role_gets_403(client, outsider):
    client.force_login(outsider)
    assert client.get(URL).status_code == 403
    assert client.post(URL, {"min_severity": "high"}).status_code == 403
    assert not Subscription.objects.exists()


def test_the_page_needs_a_post_with_csrf(viewer):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(viewer)
    assert strict.post(URL, {"min_severity": "high"}).status_code == 403
    assert not Subscription.objects.exists()


def test_the_page_is_translated(client, staff):
    subscription_create(actor=Actor.for_user(staff), min_severity="normal")
    client.force_login(staff)
    html = client.get(URL, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Ce que vous suivez" in html and "Toute alerte de gravité" in html
