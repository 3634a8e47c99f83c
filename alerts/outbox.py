"""The outbox relay: every committed Event reaches every consumer, exactly once in effect.

Events are the outbox: they are written in the transaction of the change
(`core.events.event_record`). Two paths hand them on:

- the *kick*: on commit, `event_record` asks Celery to relay the event at once
  (low latency). Publishing never blocks or fails a request: when the broker
  is down the kick is dropped (and further kicks skipped for a few seconds);
- the *sweep*: Celery beat runs `relay_sweep` every OUTBOX_SWEEP_SECONDS, so
  an event whose kick was lost (process killed after commit, broker down) is
  still processed.

Both claim work the same way: a database trigger queues every Event in
`alerts.OutboxEntry` within the event's own transaction; a relay takes the
oldest entries with `SELECT ... FOR UPDATE SKIP LOCKED` (so concurrent relays
split the backlog and never take the same event) and handles them as a batch.

Consumers are named in settings.OUTBOX_CONSUMERS; each takes a list of events.
A consumer runs in its own savepoint together with the insertion of its
`EventReceipt`s (unique per event and consumer): a consumer that has run for
an event never runs again for it, and one that failed is retried later
without redoing the others. A batch that fails is retried event by event, so
one bad event cannot hold up the rest. The entry is deleted once every
consumer has its receipt.

Each relay first stamps the feed (core.feed), so what it hands on normally has its
feed position; an event whose writer died before stamping it gets one by the next
sweep at the latest. A stamp that fails (a lock timeout) is logged and the relay goes
on: alerts and emails do not wait for the feed (a webhook body may then carry
`"seq": null`, as history does for an event not yet in the feed).
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.conf import settings
from django.db import transaction
from django.utils.module_loading import import_string

from core.feed import try_stamp_feed
from core.models import Event

from .models import EventReceipt, OutboxEntry

log = logging.getLogger(__name__)


def consumers() -> dict[str, Callable[[list[Event]], None]]:
    return {name: import_string(path) for name, path in settings.OUTBOX_CONSUMERS.items()}


def _consume(name: str, consume: Callable[[list[Event]], None], events: list[Event]) -> list[Event]:
    """Run one consumer on `events` with their receipts; returns the events it handled."""
    try:
        with transaction.atomic():
            consume(events)
            EventReceipt.objects.bulk_create(
                [EventReceipt(event=event, consumer=name) for event in events]
            )
        return events
    except Exception:
        if len(events) == 1:
            # Left without a receipt: retried by a later relay, this consumer only.
            log.exception("Consumer %s failed on event #%s", name, events[0].seq)
            return []
    handled = []
    for event in events:
        handled += _consume(name, consume, [event])
    return handled


def relay_batch(limit: int | None = None) -> int:
    """Claim up to `limit` queued events (oldest first) and relay them. Returns how many."""
    limit = limit or settings.OUTBOX_SWEEP_BATCH
    with transaction.atomic():
        seqs = list(
            OutboxEntry.objects.select_for_update(skip_locked=True)
            .order_by("event_id")
            .values_list("event_id", flat=True)[:limit]
        )
        if not seqs:
            return 0
        events = list(Event.objects.filter(seq__in=seqs).order_by("seq"))
        done = set(
            EventReceipt.objects.filter(event_id__in=seqs).values_list("event_id", "consumer")
        )
        finished = set(seqs)
        for name, consume in consumers().items():
            todo = [e for e in events if (e.seq, name) not in done]
            handled = {e.seq for e in _consume(name, consume, todo)} if todo else set()
            finished -= {e.seq for e in todo} - handled
        OutboxEntry.objects.filter(event_id__in=finished).delete()
    return len(seqs)


def relay_event(seq: int) -> int:
    """The kick of event `seq`: relay a batch of queued events (oldest first, its own among
    them unless another relay holds it). Returns how many were relayed."""
    try_stamp_feed()
    return relay_batch()


def relay_sweep() -> int:
    """Relay every queued event, batch by batch. Returns how many were relayed."""
    try_stamp_feed()
    total = 0
    while True:
        relayed = relay_batch()
        total += relayed
        if relayed == 0 or total >= 10000:
            return total
