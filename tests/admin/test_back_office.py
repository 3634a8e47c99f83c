"""The Django admin writes through the actions: validated, versioned, audited, with Events."""

import pytest
import time_machine
from django.urls import reverse

from cases.models import Case
from core.models import Event
from parties.models import Party
from tests import builders


@pytest.fixture
def staff_client(client, staff):
    staff.is_staff = True
    staff.save()
    client.force_login(staff)
    return client


def test_a_warrant_page_offers_only_the_transitions_allowed_now(staff_client, warrant):
    page = staff_client.get(reverse("admin:warrants_warrant_change", args=[warrant.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    for name in ("issue", "refuse", "withdraw"):
        assert reverse("admin:warrants_warrant_transition", args=[warrant.pk, name]) in html
    assert reverse("admin:warrants_warrant_transition", args=[warrant.pk, "annul"]) not in html


def test_issuing_a_warrant_from_the_admin_records_the_event(staff_client, warrant):
    url = reverse("admin:warrants_warrant_transition", args=[warrant.pk, "issue"])
    response = staff_client.post(url, {"effective_date": "2023-11-14", "note": "signed"})
    assert response.status_code == 302
    warrant.refresh_from_db()
    assert (warrant.status, str(warrant.issued_on), warrant.version) == ("issued", "2023-11-14", 2)
    event = Event.objects.get(subject_id=warrant.pk, type="warrant.issued")
    assert (event.actor_name, event.note) == ("staff", "signed")


@time_machine.travel("2024-06-01 12:00 +00:00", tick=False)
def test_a_transition_dated_in_the_future_is_refused_on_the_form(staff_client, warrant):
    url = reverse("admin:warrants_warrant_transition", args=[warrant.pk, "issue"])
    page = staff_client.post(url, {"effective_date": "2024-06-03", "note": "signed"})
    assert page.status_code == 200
    assert page.context["form"].errors == {
        "effective_date": ["2024-06-03 is in the future; legal dates have happened."]
    }
    warrant.refresh_from_db()
    assert (warrant.status, warrant.version) == ("requested", 1)


def test_an_irreversible_transition_needs_confirmation(staff_client, warrant):
    url = reverse("admin:warrants_warrant_transition", args=[warrant.pk, "refuse"])
    page = staff_client.post(url, {"note": "no"})
    assert page.status_code == 200 and "This field is required" in page.content.decode()
    warrant.refresh_from_db()
    assert warrant.status == "requested"


def test_a_transition_not_allowed_now_is_refused_with_the_allowed_ones(staff_client, warrant):
    url = reverse("admin:warrants_warrant_transition", args=[warrant.pk, "annul"])
    page = staff_client.get(url, follow=True)
    assert "Allowed now: issue, refuse, withdraw" in page.content.decode()


def test_a_viewer_is_offered_no_transition(client, viewer, warrant):
    viewer.is_staff = True
    viewer.save()
    client.force_login(viewer)
    page = client.get(reverse("admin:warrants_warrant_change", args=[warrant.pk]))
    assert page.status_code == 200
    assert "/transition/" not in page.content.decode()
    response = client.post(
        reverse("admin:warrants_warrant_transition", args=[warrant.pk, "issue"]), {}
    )
    warrant.refresh_from_db()
    assert (response.status_code, warrant.status) == (403, "requested")


def test_creating_a_case_in_the_admin_goes_through_the_action(staff_client):
    response = staff_client.post(
        reverse("admin:cases_case_add"),
        {
            "reference": "FR-TEST-1",
            "title": "A case",
            "summary": "",
            "jurisdiction": "FR",
            "forum": "Paris",
            "basis": "universal",
            "opened_on": "2021-03-01",
            "incidents-TOTAL_FORMS": "0",
            "incidents-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    case = Case.objects.get(reference="FR-TEST-1")
    assert case.status == "complaint_filed"
    assert Event.objects.filter(subject_id=case.pk, type="case.created").count() == 1


def test_an_unknown_country_code_is_refused_in_the_admin(staff_client):
    response = staff_client.post(
        reverse("admin:cases_case_add"),
        {
            "reference": "FR-TEST-2",
            "title": "A case",
            "jurisdiction": "XX",
            "forum": "Paris",
            "basis": "universal",
            "incidents-TOTAL_FORMS": "0",
            "incidents-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "jurisdiction" in response.content.decode()
    assert not Case.objects.filter(reference="FR-TEST-2").exists()


def test_a_protected_party_is_not_shown_to_a_viewer_in_the_admin(client, viewer, system):
    party = builders.person(system, name="Real Name Hidden", protected=True, pseudonym="Witness Z")
    viewer.is_staff = True
    viewer.save()
    client.force_login(viewer)
    listing = client.get(reverse("admin:parties_party_changelist")).content.decode()
    assert "Witness Z" in listing and "Real Name Hidden" not in listing
    search = client.get(reverse("admin:parties_party_changelist"), {"q": "Real Name"})
    assert "Witness Z" not in search.content.decode()
    detail = client.get(reverse("admin:parties_party_change", args=[party.pk]))
    assert detail.status_code in (302, 403, 404)
    assert Party.objects.get(pk=party.pk).name == "Real Name Hidden"
