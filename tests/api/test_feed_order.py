"""The feed in commit order: nothing elsewhere on the server holds it back, and it never skips.

Events get their feed position (`seq` on the wire) once committed, in the order they are
stamped (core.feed). A long transaction in another database of the same PostgreSQL server
once froze the feed for 30 minutes while /healthz said ok.
"""

import os
import random
import threading
import time
import uuid

import psycopg
import pytest
from django.db import connection, transaction
from psycopg import sql

from core import feed
from core.feed import stamp_feed
from tests.api.test_feed import append_event, connect
from warrants.actions import warrant_transition

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def feed_types(client, query: str = "") -> list[str]:
    r = client.get(f"/api/v1/events/?page_size=200{query}")
    assert r.status_code == 200, r.content
    return [e["type"] for e in r.json()["results"]]


@pytest.fixture
def other_database():
    """A throwaway database on the same server, with a write transaction left open in it."""
    name = f"ct_other_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    admin_params = {**params, "dbname": "postgres"}
    with psycopg.connect(**admin_params, autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        with psycopg.connect(**{**params, "dbname": name}) as other:
            other.execute("CREATE TABLE ledger (line text)")
            other.commit()
            other.execute("INSERT INTO ledger VALUES ('a long import, still running')")
            (xid,) = other.execute("SELECT txid_current()").fetchone() or (None,)
            assert xid is not None  # a real transaction id: it is in every snapshot's xmin
            yield other
            other.rollback()
    finally:
        with psycopg.connect(**admin_params, autocommit=True) as admin:
            admin.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


def test_a_long_write_transaction_in_another_database_does_not_hold_back_the_feed(
    other_database, warrant, system, as_viewer
):
    warrant_transition(
        warrant_id=warrant.pk, transition="issue", actor=system, effective_date="2023-11-14"
    )
    deadline = time.monotonic() + 1.0
    while "warrant.issued" not in (seen := feed_types(as_viewer, "&type=warrant.*")):
        assert time.monotonic() < deadline, f"not in the feed within a second: {seen}"
        time.sleep(0.05)
    # Still open: the other database's transaction was not what let it through.
    assert other_database.info.transaction_status == psycopg.pq.TransactionStatus.INTRANS


def test_a_committed_event_is_served_once_stamped_and_not_before(viewer, as_viewer):
    writer = connect()
    try:
        append_event(writer, "test.raw")  # raw SQL: no on-commit stamp
        writer.commit()
    finally:
        writer.close()
    assert "test.raw" not in feed_types(as_viewer)
    assert stamp_feed() == 1
    [event] = as_viewer.get("/api/v1/events/?type=test.raw").json()["results"]
    assert isinstance(event["seq"], int)
    assert stamp_feed() == 0  # stamped once


def test_a_transaction_committing_after_a_later_one_is_served_after_it_and_never_skipped(
    viewer, as_viewer
):
    slow, fast = connect(), connect()
    try:
        low = append_event(slow, "test.slow")
        high = append_event(fast, "test.fast")
        assert low < high  # slow took its row first
        fast.commit()
        stamp_feed()
        served = as_viewer.get("/api/v1/events/?type=test.*").json()["results"]
        assert [e["type"] for e in served] == ["test.fast"]
        last_read = served[-1]["seq"]
        slow.commit()
        stamp_feed()
        resumed = as_viewer.get(f"/api/v1/events/?type=test.*&after={last_read}").json()
        assert [e["type"] for e in resumed["results"]] == ["test.slow"]
    finally:
        slow.close()
        fast.close()


def test_concurrent_writers_committing_out_of_order_skip_nothing(viewer, as_viewer):
    """Writers commit in random order while stamps run; a client that keeps `after=<last
    seq read>` gets every event exactly once, in ascending seq."""
    writers, per_writer = 6, 15
    committed: list[str] = []
    lock = threading.Lock()
    failures: list[BaseException] = []
    stop = threading.Event()

    def write(n: int) -> None:
        rng = random.Random(n)
        conn = connect()
        try:
            for i in range(per_writer):
                kind = f"test.w{n}.{i}"
                append_event(conn, kind)
                time.sleep(rng.random() * 0.02)  # others take later rows and commit first
                conn.commit()
                with lock:
                    committed.append(kind)
        except BaseException as error:
            failures.append(error)
        finally:
            conn.close()

    def stamp() -> None:
        while not stop.is_set():
            try:
                stamp_feed()
            except BaseException as error:
                failures.append(error)
                return
            time.sleep(0.005)
        connection.close()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(writers)]
    stampers = [threading.Thread(target=stamp) for _ in range(2)]
    for t in threads + stampers:
        t.start()
    read: list[str] = []
    seqs: list[int] = []
    last = 0
    deadline = time.monotonic() + 60
    while True:
        writing = any(t.is_alive() for t in threads)
        page = as_viewer.get(f"/api/v1/events/?type=test.*&after={last}&page_size=7").json()
        for event in page["results"]:
            read.append(event["type"])
            seqs.append(event["seq"])
            last = event["seq"]
        if not writing and not page["results"] and len(read) >= len(committed):
            break
        assert time.monotonic() < deadline, "the feed did not catch up"
    stop.set()
    for t in threads + stampers:
        t.join()
    assert not failures, failures
    assert seqs == sorted(seqs) and len(set(seqs)) == len(seqs)
    assert sorted(read) == sorted(committed) and len(read) == writers * per_writer


def test_healthz_reports_the_feed_lag(viewer, client):
    body = client.get("/healthz").json()
    assert (body["checks"]["feed"], body["feed_lag_seconds"]) == (True, 0)
    writer = connect()
    try:
        append_event(writer, "test.unstamped")
        writer.commit()
    finally:
        writer.close()
    time.sleep(0.2)
    body = client.get("/healthz").json()
    assert body["feed_lag_seconds"] > 0 and body["status"] == "ok"
    stamp_feed()
    assert client.get("/healthz").json()["feed_lag_seconds"] == 0


def test_a_transaction_referencing_an_unstamped_event_does_not_hold_up_the_stamp(viewer):
    """A relay inserting receipts, alerts or deliveries holds FOR KEY SHARE on their event;
    the stamp must not wait for it (its unique index is partial: not a key)."""
    writer, relay = connect(), connect()
    try:
        seq = append_event(writer, "test.referenced")
        writer.commit()
        relay.execute("SELECT 1 FROM casetracker_event WHERE seq = %s FOR KEY SHARE", (seq,))
        started = time.monotonic()
        assert stamp_feed() == 1
        assert time.monotonic() - started < 1.0
    finally:
        relay.close()
        writer.close()


def test_a_transaction_is_stamped_once_after_it_commits_however_many_events_it_writes(
    warrant, system, as_viewer
):
    def stamps_queued() -> int:
        return sum(entry[1] is feed.try_stamp_feed for entry in connection.run_on_commit)

    with transaction.atomic():
        warrant_transition(
            warrant_id=warrant.pk, transition="issue", actor=system, effective_date="2023-11-14"
        )
        warrant_transition(
            warrant_id=warrant.pk, transition="challenge", actor=system, note="Defence"
        )
        assert stamps_queued() == 1
        assert "warrant.issued" not in feed_types(as_viewer)  # not committed yet
    assert feed_types(as_viewer, "&type=warrant.issued,warrant.challenged") == [
        "warrant.issued",
        "warrant.challenged",
    ]
