"""Web pages' query counts are pinned: the same however many records a list or a case holds
(no query per row, per event or per transition)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases.actions import case_transition
from tests import builders
from tests.conftest import clear_cache
from warrants.actions import warrant_transition

pytestmark = pytest.mark.django_db


def count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        r = client.get(url)
    assert r.status_code == 200, r.content[:500]
    return len(queries)


def grow(system, case, n: int) -> None:
    """n more accused in `case`, each with a charge, an issued warrant and a red notice, and
    events of every kind of record."""
    for _ in range(n):
        accused = builders.accused(system, case)
        charge = builders.charge(system, case, accused)
        issued = builders.warrant(
            system, case, accused.party, charges=[charge], issued_on="2023-11-14"
        )
        builders.red_notice(system, issued)
        requested = builders.warrant(system, case, accused.party)
        warrant_transition(warrant_id=requested.pk, transition="refuse", actor=system)


@pytest.fixture
def signed_in_staff(client, staff):
    client.force_login(staff)
    client.get("/")  # a session's first page costs one query more, once
    return client


def test_the_dashboard_costs_the_same_however_much_there_is(signed_in_staff, system, case):
    # The latest changes name their records with a query per kind of record among them:
    # the same kinds each time (a case's among them).
    grow(system, case, 1)
    case_transition(case_id=case.pk, transition="open_investigation", actor=system)
    clear_cache()
    small = count(signed_in_staff, "/")
    grow(system, case, 6)
    case_transition(case_id=case.pk, transition="suspend", actor=system)
    clear_cache()
    assert count(signed_in_staff, "/") == small


def test_the_dashboard_counts_follow_each_change_and_the_readers_permissions(
    client, staff, outsider, system, warrant
):
    def bars(user):
        client.force_login(user)
        chart = client.get("/").context["warrant_bars"]
        return {bar.key: bar.count for bar in chart.bars}

    assert bars(staff) == {"requested": 1}
    assert bars(staff) == {"requested": 1}  # cached
    warrant_transition(
        warrant_id=warrant.pk, transition="issue", actor=system, effective_date="2023-11-14"
    )
    assert bars(staff) == {"issued": 1}
    # One who may not read warrants never gets the counts another reader's visit cached.
    assert bars(outsider) == {}


def test_the_warrants_list_costs_the_same_whatever_the_page_holds(signed_in_staff, system, case):
    grow(system, case, 1)
    url = reverse("warrants:warrants")
    small = count(signed_in_staff, url)
    grow(system, case, 14)  # more than a page (25)
    assert count(signed_in_staff, url) == small
    assert count(signed_in_staff, f"{url}?status=issued") == small
    assert count(signed_in_staff, f"{url}?page=2") == small


def test_the_case_page_costs_the_same_however_large_the_case(signed_in_staff, system, case):
    grow(system, case, 1)
    url = reverse("cases:detail", args=[case.pk])
    count(signed_in_staff, url)  # content types are looked up once per process
    small = count(signed_in_staff, url)
    grow(system, case, 8)
    case_transition(case_id=case.pk, transition="open_investigation", actor=system)
    for _ in range(30):  # more events than a page of them (50)
        case_transition(case_id=case.pk, transition="suspend", actor=system)
        case_transition(case_id=case.pk, transition="resume", actor=system)
    assert count(signed_in_staff, url) == small
    assert count(signed_in_staff, f"{url}?events=2") == small


def test_the_case_page_pages_its_events_and_loads_each_transition_form_on_demand(
    signed_in_staff, system, case
):
    grow(system, case, 1)
    case_transition(case_id=case.pk, transition="open_investigation", actor=system)
    for _ in range(30):
        case_transition(case_id=case.pk, transition="suspend", actor=system)
        case_transition(case_id=case.pk, transition="resume", actor=system)
    url = reverse("cases:detail", args=[case.pk])
    page = signed_in_staff.get(url).content.decode()
    assert page.count('<tr data-event="') == 50
    assert 'data-type="case.suspended"' in page  # the timeline still places every event
    older = signed_in_staff.get(f"{url}?events=2").content.decode()
    assert 0 < older.count('<tr data-event="') < 50
    # A button per transition, no form until one is opened.
    assert 'data-transition="suspend"' in page
    assert 'name="expected_version"' not in page
    form_url = reverse("web:transition", args=["case", case.pk])
    query = {"transition": "suspend", "next": url}
    fragment = signed_in_staff.get(form_url, query, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in fragment
    assert 'name="expected_version"' in fragment
    assert f'value="{url}"' in fragment  # back to the case page after the move
    assert f'id="id_{case.pk}_suspend_note"' in fragment
