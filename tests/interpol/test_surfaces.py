"""The possible-match surfaces: /api/v1/interpol-matches/ and the web page with its two
decisions; a protected accused person's real name reaches none of them for readers without
the permission."""

import pytest
from django.test import Client
from django.urls import reverse

from alerts import interpol_watch
from alerts.models import InterpolMatch
from parties.actions import party_set_protection
from tests import builders
from tests.api.conftest import client_for
from warrants.models import Notice

from .server import red

pytestmark = pytest.mark.django_db

REAL = "Realname Accusedperson"
PSEUDONYM = "Accused P-1"


@pytest.fixture
def match(interpol, system, case):
    party = builders.person(system, name="Ghassan Abbas", birth_date="1951")
    builders.accused(system, case, party)
    interpol.publish(red("2024/00100", "ABBAS", "GHASSAN", "1951/03/02"))
    interpol_watch.sync()
    return InterpolMatch.objects.get()


@pytest.fixture
def protected_match(interpol, system, case):
    party = builders.person(system, name=REAL, birth_date="1970")
    builders.accused(system, case, party)
    party_set_protection(
        party_id=party.pk, protected=True, pseudonym=PSEUDONYM, note="At risk", actor=system
    )
    interpol.publish(red("2024/00200", "ACCUSEDPERSON", "REALNAME", "1970/01/01"))
    interpol_watch.sync()
    return InterpolMatch.objects.get()


def web(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_api_lists_a_match_with_the_public_notice(match, viewer):
    body = client_for(viewer).get("/api/v1/interpol-matches/").json()
    [shown] = body["results"]
    assert shown["id"] == str(match.pk) and shown["status"] == "open"
    assert shown["party"]["name"] == "Ghassan Abbas"
    assert shown["public_notice"]["entity_id"] == "2024/00100"
    assert shown["public_notice"]["date_of_birth"] == "1951/03/02"
    assert shown["alert"] == str(match.alert_id)


def test_confirming_through_the_api_needs_a_warrant_and_records_the_notice(
    match, system, case, staff, viewer
):
    url = f"/api/v1/interpol-matches/{match.pk}/confirm/"
    missing = client_for(staff).post(url, {}, format="json")
    assert missing.status_code == 400 and missing["Content-Type"] == "application/problem+json"
    assert "warrant" in missing.json()["errors"]

    someone = builders.accused(system, case).party
    other = builders.warrant(system, case, someone, issued_on="2023-11-14")
    wrong = client_for(staff).post(url, {"warrant": str(other.pk)}, format="json")
    assert wrong.status_code == 400 and "issued warrant" in wrong.json()["errors"]["warrant"][0]

    warrant = builders.warrant(system, case, match.party, issued_on="2023-11-14")
    refused = client_for(viewer).post(url, {"warrant": str(warrant.pk)}, format="json")
    assert refused.status_code == 403
    assert not Notice.objects.filter(interpol_id="2024/00100").exists()

    done = client_for(staff).post(url, {"warrant": str(warrant.pk)}, format="json")
    assert done.status_code == 200, done.json()
    assert done.json()["status"] == "confirmed"
    notice = Notice.objects.get(interpol_id="2024/00100")
    assert done.json()["notice"] == str(notice.pk)
    assert (notice.status, notice.public_listing) == ("published", "listed")

    again = client_for(staff).post(url, {"warrant": str(warrant.pk)}, format="json")
    assert again.status_code == 409 and again.json()["detail"] == "This match is already confirmed."


def test_dismissing_through_the_api_needs_a_note(match, staff):
    url = f"/api/v1/interpol-matches/{match.pk}/dismiss/"
    assert client_for(staff).post(url, {}, format="json").status_code == 400
    match.refresh_from_db()
    assert match.status == "open"
    done = client_for(staff).post(url, {"note": "Namesake, born elsewhere"}, format="json")
    assert done.status_code == 200 and done.json()["status"] == "dismissed"
    assert done.json()["note"] == "Namesake, born elsewhere"


def test_the_alert_links_to_the_match_page_and_its_buttons_decide(match, staff, viewer):
    inbox = web(staff).get(reverse("alerts:inbox")).content.decode()
    page_url = reverse("alerts:interpol_match", args=[match.pk])
    assert page_url in inbox
    page = web(staff).get(page_url).content.decode()
    assert "2024/00100" in page and 'id="confirm-match"' in page and 'id="dismiss-match"' in page
    # A viewer reads the page, without the buttons, and may not decide.
    seen = web(viewer).get(page_url).content.decode()
    assert "2024/00100" in seen and 'id="dismiss-match"' not in seen
    dismiss = reverse("alerts:interpol_decide", args=[match.pk, "dismiss"])
    assert web(viewer).post(dismiss, {"note": "no"}).status_code == 403

    empty = web(staff).post(dismiss, {"note": ""})
    assert empty.status_code == 400 and "This field is required" in empty.content.decode()
    done = web(staff).post(dismiss, {"note": "Namesake"})
    assert done.status_code == 302
    match.refresh_from_db()
    assert match.status == "dismissed" and match.alert.status == "resolved"


def test_the_confirm_button_records_the_notice(match, system, case, staff):
    warrant = builders.warrant(system, case, match.party, issued_on="2023-11-14")
    confirm = reverse("alerts:interpol_decide", args=[match.pk, "confirm"])
    done = web(staff).post(confirm, {"warrant": str(warrant.pk), "note": ""})
    notice = Notice.objects.get(interpol_id="2024/00100")
    assert done.status_code == 302 and done["Location"] == reverse(
        "warrants:notice", args=[notice.pk]
    )
    refused = web(staff).post(confirm, {"warrant": str(warrant.pk)})
    assert refused.status_code == 400 and "already confirmed" in refused.content.decode()


def test_a_protected_accused_persons_real_name_reaches_no_reader_without_the_permission(
    protected_match, staff, viewer, lawyer, admin_user
):
    match = protected_match
    page_url = reverse("alerts:interpol_match", args=[match.pk])
    for user in (staff, viewer):
        api = client_for(user)
        for path in (
            "/api/v1/interpol-matches/",
            f"/api/v1/interpol-matches/{match.pk}/",
            "/api/v1/alerts/",
            f"/api/v1/alerts/{match.alert_id}/",
        ):
            response = api.get(path)
            assert (
                REAL not in response.content.decode()
                and "REALNAME" not in response.content.decode()
            )
        assert api.get(f"/api/v1/interpol-matches/{match.pk}/").status_code == 404
        assert web(user).get(page_url).status_code == 404
        inbox = web(user).get(reverse("alerts:inbox")).content.decode()
        assert REAL not in inbox and "2024/00200" not in inbox
    # Who may see protected identities sees the match, the real name and the pseudonym.
    body = client_for(lawyer).get(f"/api/v1/interpol-matches/{match.pk}/").json()
    assert body["party"]["name"] == REAL and body["public_notice"]["name"] == "ACCUSEDPERSON"
    page = web(admin_user).get(page_url).content.decode()
    assert REAL in page and 'id="confirm-match"' in page
