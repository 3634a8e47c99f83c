"""The outbox relay: every committed Event reaches every consumer, exactly once in effect.

Events are the outbox: they are written in the transaction of the change
(`casetracker.events.event_record`). Two paths hand them on:

- the *kick*: on commit, `event_record` asks Celery to relay the event at once
  (low latency). Publishing never blocks or fails a request: when the broker
  is down the kick is dropped (and further kicks skipped for a few seconds);
- the *sweep*: Celery beat runs `relay_sweep` every OUTBOX_SWEEP_SECONDS. It
  claims unprocessed events with `SELECT ... FOR NO KEY UPDATE SKIP LOCKED`
  and relays them itself, so an event whose kick was lost (process killed
  after commit, broker down) is still processed.

Consumers are named in settings.OUTBOX_CONSUMERS. Each runs in its own
savepoint together with the insertion of its `EventReceipt` (unique per event
and consumer): a consumer that has run for an event never runs again for it,
and one that failed is retried by the next sweep without redoing the others.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils.module_loading import import_string

from casetracker.models import Event

log = logging.getLogger(__name__)

# After a failed publish, skip kicks for this long: the sweep catches up, and
# requests do not each wait for a dead broker.
BROKER_BACKOFF_SECONDS = 5.0
_broker_down_until = 0.0


def kick(task_name: str, *args: Any) -> bool:
    """Publish a task without ever raising or waiting long; False if it was not sent.

    Used for low-latency hand-offs whose work a sweep would find anyway.
    """
    global _broker_down_until
    if not settings.OUTBOX_KICKS or time.monotonic() < _broker_down_until:
        return False
    from casetracker.celery import app

    try:
        with app.connection_for_write() as conn:
            # One connection attempt, no retries: a dead broker costs milliseconds.
            conn.transport_options = {**(conn.transport_options or {}), "max_retries": 0}
            conn.connect_timeout = 1
            app.send_task(task_name, args=list(args), connection=conn, retry=False)
        return True
    except Exception as exc:
        _broker_down_until = time.monotonic() + BROKER_BACKOFF_SECONDS
        log.warning("Kick of %s%r not sent (%s); the sweep will catch up.", task_name, args, exc)
        return False


def kick_on_commit(task_name: str, *args: Any) -> None:
    transaction.on_commit(lambda: kick(task_name, *args))


def kick_event(seq: int) -> None:
    """Called by `event_record`: relay this event as soon as its transaction commits."""
    kick_on_commit("alerts.tasks.relay_event", seq)


def consumers() -> dict[str, Callable[[Event], None]]:
    return {name: import_string(path) for name, path in settings.OUTBOX_CONSUMERS.items()}


def _relay(event: Event) -> list[str]:
    """Run every consumer that has not handled `event` yet; the caller holds its lock."""
    from alerts.models import EventReceipt

    done = set(EventReceipt.objects.filter(event=event).values_list("consumer", flat=True))
    ran = []
    for name, consume in consumers().items():
        if name in done:
            continue
        try:
            with transaction.atomic():
                consume(event)
                EventReceipt.objects.create(event=event, consumer=name)
            ran.append(name)
        except Exception:
            # Left without a receipt: the next sweep retries this consumer only.
            log.exception("Consumer %s failed on event #%s", name, event.seq)
    return ran


def relay_event(seq: int) -> list[str]:
    """Relay one event. Returns the consumers that ran (none if another relay holds it)."""
    with transaction.atomic():
        event = (
            Event.objects.select_for_update(no_key=True, skip_locked=True).filter(seq=seq).first()
        )
        if event is None:
            return []  # being relayed by a sweep right now, or (rolled back) never existed
        return _relay(event)


def pending_events_sql(consumer_count: int) -> str:
    # FOR NO KEY UPDATE does not conflict with the FOR KEY SHARE locks that
    # inserting receipts, alerts and deliveries take on the event row.
    return f"""
        SELECT e.seq FROM {Event._meta.db_table} e
        WHERE (SELECT count(*) FROM alerts_eventreceipt r WHERE r.event_id = e.seq)
              < {int(consumer_count)}
        ORDER BY e.seq
        LIMIT %s
        FOR NO KEY UPDATE OF e SKIP LOCKED
    """


def relay_sweep(batch: int | None = None) -> int:
    """Relay up to `batch` unprocessed events (oldest first). Returns how many were relayed."""
    batch = batch or settings.OUTBOX_SWEEP_BATCH
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(pending_events_sql(len(settings.OUTBOX_CONSUMERS)), [batch])
            seqs = [row[0] for row in cursor.fetchall()]
        for event in Event.objects.filter(seq__in=seqs).order_by("seq"):
            _relay(event)
    return len(seqs)
