"""Query counts per endpoint are pinned, and the same whatever the page size (no N+1)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases.actions import participation_create, representation_create
from cases.models import Incident
from parties.actions import party_set_protection, party_update
from tests import builders
from warrants.actions import notice_create

N = 3


@pytest.fixture
def many(world, system):
    """N more records of every kind, some protected, some with positions."""
    for i in range(N):
        case = builders.case(system)
        accused = builders.accused(system, case)
        if i % 2 == 0:
            party_set_protection(
                party_id=accused.party.pk,
                actor=system,
                protected=True,
                pseudonym=f"P{i}",
                note="At risk.",
            )
        else:
            party_update(party_id=accused.party.pk, actor=system, pseudonym=f"P{i}")
        builders.charge(system, case, accused)
        issued = builders.warrant(system, case, accused.party, issued_on="2023-11-14")
        builders.red_notice(system, issued)
        notice_create(actor=system, kind="blue", subject=accused.party, requesting_country="FR")
        Incident.objects.create(case=case, title=f"Incident {i}", started_on="2013-08-21")
        counsel = builders.person(
            system,
            positions=[{"title": "Minister", "function": "foreign_minister"}],
        )
        witness = participation_create(actor=system, case=case, party=counsel, role="witness")
        representation_create(actor=system, counsel=counsel, client=witness)
    return world


def count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        r = client.get(url)
    assert r.status_code == 200, r.content
    return len(queries)


# Pinned per endpoint (session user: session + user + permissions, one query each, included).
LISTS = {
    "cases": 4,
    "incidents": 4,
    "parties": 5,
    "participations": 4,
    "representations": 4,
    "charges": 4,
    # Read as tuples (api.warrants.serializers.WARRANT_ROWS): immunity findings, charges and
    # pending appeals in the page's one query.
    "warrants": 4,
    "notices": 4,
}


@pytest.mark.parametrize("resource", LISTS)
def test_a_list_costs_the_same_queries_whatever_its_page_size(many, as_viewer, resource):
    small = count(as_viewer, f"/api/v1/{resource}/?page_size=1")
    large = count(as_viewer, f"/api/v1/{resource}/?page_size={N}")
    assert small == large == LISTS[resource]


DETAILS = {
    "cases": ("case", 4),
    "incidents": ("incident", 4),
    "parties": ("witness", 5),
    "participations": ("accused", 4),
    "representations": ("representation", 4),
    "charges": ("charge", 4),
    "warrants": ("issued", 4),
    "notices": ("notice", 4),
}


@pytest.mark.parametrize("resource", DETAILS)
def test_a_detail_costs_a_pinned_number_of_queries(many, as_viewer, resource):
    attr, expected = DETAILS[resource]
    assert count(as_viewer, f"/api/v1/{resource}/{getattr(many, attr).pk}/") == expected


def test_history_costs_the_same_whatever_its_length(many, as_viewer, as_staff):
    url = f"/api/v1/warrants/{many.warrant.pk}/history/"
    before = count(as_viewer, url)
    for transition in ("issue", "challenge", "uphold"):
        as_staff.post(
            f"/api/v1/warrants/{many.warrant.pk}/transitions/",
            {"transition": transition, "effective_date": "2024-06-26", "note": "x"},
            format="json",
        )
    assert count(as_viewer, url) == before


def test_a_key_costs_one_lookup_and_at_most_one_update(many, as_read_key):
    assert count(as_read_key, "/api/v1/cases/?page_size=2") <= LISTS["cases"]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_feed_costs_the_same_whatever_its_page_size(world, as_viewer):
    from tests.api.test_feed import settle

    settle()
    small = count(as_viewer, "/api/v1/events/?page_size=2")
    large = count(as_viewer, "/api/v1/events/?page_size=20")
    # session, user, permissions, events, protected parties among them
    assert small == large == 5


def test_a_filtered_list_costs_the_same_whatever_its_page_size(many, as_viewer):
    url = "/api/v1/warrants/?status=issued&ordering=-created_at"
    assert count(as_viewer, f"{url}&page_size=1") == count(as_viewer, f"{url}&page_size={N}")


def test_a_304_reads_the_version_alone(many, as_viewer):
    url = f"/api/v1/warrants/{many.issued.pk}/"
    tag = as_viewer.get(url)["ETag"]
    with CaptureQueriesContext(connection) as queries:
        r = as_viewer.get(url, HTTP_IF_NONE_MATCH=tag)
    assert r.status_code == 304
    # session, user, permissions, the version: no prefetch, no annotation
    assert len(queries) == 4
    assert 'SELECT "warrants_warrant"."version" AS "version" FROM' in queries[-1]["sql"]
