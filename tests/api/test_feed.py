"""The change feed: ascending seq, filters, and never skipping an event that commits late."""

import json
import uuid

import psycopg
import pytest
from django.db import connection

from core.feed import stamp_feed
from warrants.actions import warrant_transition

# The feed serves committed events once they have their feed position (core.feed): these
# tests commit.
committing = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def settle() -> None:
    """Stamp what committed without a stamp of its own (the raw SQL writers below), as the
    relay and its sweep do: events written through the actions are stamped on commit."""
    stamp_feed()


def feed(client, query="", settled=True):
    if settled and connection.get_autocommit():
        settle()
    r = client.get(f"/api/v1/events/{query}")
    assert r.status_code == 200, r.content
    return r.json()


@committing
def test_the_feed_is_in_seq_order_and_resumes_after_a_seq(world, as_viewer):
    everything = feed(as_viewer, "?page_size=200")["results"]
    seqs = [e["seq"] for e in everything]
    assert seqs == sorted(seqs) and len(seqs) > 4
    first = feed(as_viewer, "?page_size=3")
    assert [e["seq"] for e in first["results"]] == seqs[:3]
    rest = as_viewer.get(first["next"]).json()["results"]
    assert [e["seq"] for e in rest] == seqs[3:6]
    assert [e["seq"] for e in feed(as_viewer, f"?after={seqs[-2]}")["results"]] == seqs[-1:]


@committing
def test_the_feed_filters_by_type_prefix_case_and_resource(world, system, as_viewer):
    warrant_transition(
        warrant_id=world.warrant.pk, transition="issue", actor=system, effective_date="2023-11-14"
    )
    types = {e["type"] for e in feed(as_viewer, "?type=warrant.*")["results"]}
    assert types == {"warrant.created", "warrant.issued"}
    exact = feed(as_viewer, "?type=warrant.issued,notice.created")["results"]
    assert {e["type"] for e in exact} == {"warrant.issued", "notice.created"}
    in_case = feed(as_viewer, f"?case={world.case.pk}")["results"]
    assert in_case and all(e["case"] == str(world.case.pk) for e in in_case)
    parties = feed(as_viewer, "?resource=party")["results"]
    assert parties and {e["subject"]["resource"] for e in parties} == {"party"}


@committing
def test_an_event_shows_who_what_and_the_record(world, system, as_viewer):
    warrant_transition(
        warrant_id=world.warrant.pk,
        transition="issue",
        actor=system,
        effective_date="2023-11-14",
        note="Signed by the judges",
    )
    event = feed(as_viewer, "?type=warrant.issued")["results"][0]
    assert event["subject"] == {
        "resource": "warrant",
        "id": str(world.warrant.pk),
        "url": f"/api/v1/warrants/{world.warrant.pk}/",
    }
    assert (event["transition"], event["from_status"], event["to_status"]) == (
        "issue",
        "requested",
        "issued",
    )
    assert (event["effective_date"], event["note"], event["actor"]["kind"]) == (
        "2023-11-14",
        "Signed by the judges",
        "system",
    )
    assert event["data"]["status"] == "issued"


# --- Out-of-order commits -------------------------------------------------------------------


def connect() -> psycopg.Connection:
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    return psycopg.connect(**params)


def append_event(conn: psycopg.Connection, type: str) -> int:
    row = conn.execute(
        """INSERT INTO casetracker_event (id, type, occurred_at, effective_date, actor_kind,
               actor_name, resource, subject_id, transition, from_status, to_status, note, data)
           VALUES (%s, %s, now(), current_date, 'system', 'test', 'case', %s, '', '', '', '', %s)
           RETURNING seq""",
        (uuid.uuid4(), type, uuid.uuid4(), json.dumps({})),
    ).fetchone()
    assert row is not None
    return row[0]


def served(client, settled=True) -> list[str]:
    return [e["type"] for e in feed(client, "?type=test.*", settled)["results"]]


@committing
@pytest.mark.parametrize("slow_starts_first", [True, False])
def test_the_feed_never_skips_an_event_committed_after_a_later_one(
    viewer, as_viewer, slow_starts_first
):
    """Transaction `slow` inserts before `fast`, but `fast` commits first.

    Whichever transaction got its id first, a client that read the feed while
    `slow` was open and resumes after what it read gets both events, none
    skipped (tests/api/test_feed_order.py: also with a stamp in between).
    """
    slow, fast = connect(), connect()
    try:
        first, second = (slow, fast) if slow_starts_first else (fast, slow)
        first.execute("SELECT txid_current()")  # transaction ids in this order
        second.execute("SELECT txid_current()")
        low = append_event(slow, "test.slow")
        high = append_event(fast, "test.fast")
        assert low < high
        fast.commit()
        # test.fast is visible in the table, but held back while test.slow may still commit.
        assert served(as_viewer, settled=False) == []
        seen = feed(as_viewer, "?page_size=200", settled=False)["results"]
        last_read = seen[-1]["seq"] if seen else 0
        slow.commit()
        assert served(as_viewer) == ["test.slow", "test.fast"]
        resumed = [e["type"] for e in feed(as_viewer, f"?after={last_read}")["results"]]
        assert resumed[-2:] == ["test.slow", "test.fast"]
    finally:
        slow.close()
        fast.close()


@committing
def test_a_rolled_back_event_does_not_hold_the_feed(viewer, as_viewer):
    slow, fast = connect(), connect()
    try:
        append_event(slow, "test.slow")
        append_event(fast, "test.fast")
        fast.commit()
        assert served(as_viewer, settled=False) == []
        slow.rollback()
        assert served(as_viewer) == ["test.fast"]
    finally:
        slow.close()
        fast.close()


@committing
def test_the_feed_redacts_protected_parties_even_in_events_from_before_protection(
    world, as_viewer, as_lawyer
):
    from tests.api.conftest import SECRET_NAME

    def party_events(client):
        return feed(client, f"?subject={world.witness.pk}")["results"]

    # party.created (before protection: its data holds the real name) and party.protected.
    assert [(e["type"], e["data"]["name"]) for e in party_events(as_viewer)] == [
        ("party.created", "Witness W-1"),
        ("party.protected", "Witness W-1"),
    ]
    assert [e["data"]["name"] for e in party_events(as_lawyer)] == [SECRET_NAME, SECRET_NAME]
    assert SECRET_NAME not in as_viewer.get("/api/v1/events/?page_size=200").content.decode()


def test_events_of_an_open_transaction_are_not_served_yet(world, as_viewer):
    """Inside one transaction (like this test) nothing it wrote is in the feed before commit."""
    assert feed(as_viewer)["results"] == []


@committing
@pytest.mark.parametrize("reader", ["viewer", "lawyer"])
def test_feed_pages_show_each_event_as_the_event_serializer_does(world, reader, request):
    """The feed builds its rows from tuples for speed: the same JSON as EventSerializer's,
    redaction included, for every event."""
    from alerts.payloads import EventSerializer
    from core.models import Event
    from tests.api.conftest import SECRET_NAME, client_for

    user = request.getfixturevalue(reader)
    served = feed(client_for(user), "?page_size=200")["results"]
    events = list(Event.objects.filter(feed_position__isnull=False).order_by("feed_position"))
    assert len(served) == len(events) > 10
    context = EventSerializer.context_for(events, type("R", (), {"user": user})())
    expected = json.loads(json.dumps(EventSerializer(events, many=True, context=context).data))
    assert served == expected
    assert (SECRET_NAME in json.dumps(served)) is (reader == "lawyer")


def test_the_feed_prints_instants_as_drf_does(db):
    """api.events.UtcInstant formats in PostgreSQL what DRF's DateTimeField prints: UTC,
    `Z`, microseconds only when there are some."""
    import datetime

    from django.db import connection
    from rest_framework import serializers

    from api.events import UtcInstant

    utc = datetime.UTC
    sql = "SELECT " + UtcInstant.template % {"expressions": "%(t)s"}
    for instant in (
        datetime.datetime(2024, 6, 26, 9, 5, 7, tzinfo=utc),
        datetime.datetime(2024, 6, 26, 9, 5, 7, 120, tzinfo=utc),
        datetime.datetime(1999, 12, 31, 23, 59, 59, 999999, tzinfo=utc),
        datetime.datetime(2024, 3, 1, 1, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=5))),
    ):
        with connection.cursor() as cursor:
            cursor.execute(sql, {"t": instant})
            (printed,) = cursor.fetchone()
        assert printed == serializers.DateTimeField().to_representation(instant), instant
