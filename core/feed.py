"""Feed positions: each committed Event gets its place in the change feed, in commit order.

Transactions commit out of the order in which they inserted their events, so the
insertion number (`Event.seq`) cannot be the feed's order: a reader could pass a
number whose event commits later. Instead, once committed, an event is *stamped*
with the next `feed_position` (`seq` on the wire), and the feed serves stamped
events only, in position order.

Why a reader can never skip one: stamps are serialised by a transaction-level
advisory lock, taken by a statement of its own before the stamping UPDATE, whose
snapshot (READ COMMITTED) is therefore taken after every earlier stamp committed.
Each stamp numbers, above the highest position so far, the unstamped events it
sees, all of them committed. A stamp that commits makes its positions visible at
once, and every lower position was given by itself or by a stamp that committed
before it took the lock: a reader that sees position N sees every lower one. A
later commit gets a higher position, never one below what a reader has seen.

Nothing outside this database can hold the feed back: no transaction ids, no
snapshots of the server. Stamping happens right after the writing transaction
commits (`stamp_on_commit`, called by `core.events.event_record`), again in the
relay before it hands events on (alerts/outbox.py), and in every relay sweep
(beat), which covers a process that died between its commit and its stamp.
"""

from __future__ import annotations

import logging

from django.db import DatabaseError, connection, transaction

log = logging.getLogger(__name__)

# Names the feed's stamp among advisory locks (pg_locks.objid; per database).
FEED_LOCK = 0x63744645  # "ctFE"
STAMP_BATCH = 1000
# A stamp waits this long for another one at most; what it leaves, the next one takes.
LOCK_TIMEOUT = "5s"

STAMP = """
WITH top AS (SELECT coalesce(max(feed_position), 0) AS position FROM casetracker_event),
     todo AS (SELECT seq, row_number() OVER (ORDER BY seq) AS n
                FROM casetracker_event WHERE feed_position IS NULL ORDER BY seq LIMIT %s)
UPDATE casetracker_event AS event SET feed_position = top.position + todo.n
  FROM todo, top WHERE event.seq = todo.seq
"""


def stamp_feed(limit: int = STAMP_BATCH) -> int:
    """Give every committed event that has none the next feed positions (in `seq` order
    among them). Idempotent; safe to run anywhere, any number of times at once. Must not
    run inside another transaction (its snapshot would predate earlier stamps). Returns
    how many events were stamped."""
    total = 0
    while True:
        with transaction.atomic(durable=True), connection.cursor() as cursor:
            cursor.execute("SELECT set_config('lock_timeout', %s, true)", [LOCK_TIMEOUT])
            # A statement of its own: the UPDATE's snapshot must come after the lock.
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [FEED_LOCK])
            cursor.execute(STAMP, [limit])
            stamped = cursor.rowcount
        total += stamped
        if stamped < limit:
            return total


def try_stamp_feed() -> None:
    """stamp_feed, where a failure (a lock timeout) must not stop what follows: the commit
    stands, and the next stamp (a relay, a sweep) numbers the events."""
    try:
        stamp_feed()
    except DatabaseError as error:
        log.warning("Feed stamp failed (%s); the next relay or sweep will stamp.", error)


def stamp_on_commit() -> None:
    """Stamp the feed once the current transaction commits (once per transaction, however
    many events it writes; never if it rolls back)."""
    # Entries are (savepoint ids, callback, robust); a rolled-back savepoint drops its own.
    if connection.in_atomic_block and any(
        entry[1] is try_stamp_feed for entry in connection.run_on_commit
    ):
        return
    transaction.on_commit(try_stamp_feed)


def feed_lag_seconds() -> float:
    """Age of the oldest committed event not yet in the feed (0 when there is none)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT coalesce(extract(epoch FROM now() - min(occurred_at)), 0)"
            " FROM casetracker_event WHERE feed_position IS NULL"
        )
        row = cursor.fetchone()
    return max(float(row[0]), 0.0) if row else 0.0
