"""Kicks: publish a Celery task after commit, never raising and never waiting long.

A kick is a low-latency hand-off of work that a periodic sweep would find anyway
(see alerts/outbox.py): when the broker is down, the kick is dropped and further
kicks are skipped for a few seconds, so requests never wait on a dead broker.
"""

from __future__ import annotations

import contextlib
import logging
import os
import threading
import time
from typing import Any

from celery import current_app as app
from django.conf import settings
from django.db import transaction

log = logging.getLogger(__name__)

# After a failed publish, skip kicks for this long: the sweep catches up, and
# requests do not each wait for a dead broker.
BROKER_BACKOFF_SECONDS = 5.0
_broker_down_until = 0.0


_held = threading.local()


def _connection() -> tuple[Any, bool]:
    """This thread's broker connection for kicks and whether it was already open: kept
    for the next kick (a new one per kick cost a connect and a channel's setup, most of a
    kick's time). Made again in a new process or for another broker URL."""
    key = (os.getpid(), app.conf.broker_write_url)
    held = getattr(_held, "connection", None)
    if held is not None and held[0] == key:
        return held[1], True
    conn = app.connection_for_write()
    # One connection attempt, no retries: a dead broker costs milliseconds.
    conn.transport_options = {**(conn.transport_options or {}), "max_retries": 0}
    conn.connect_timeout = 1
    _held.connection = (key, conn)
    return conn, False


def _drop_connection() -> None:
    held, _held.connection = getattr(_held, "connection", None), None
    if held is not None:
        with contextlib.suppress(Exception):  # already broken: nothing to close cleanly
            held[1].release()


def kick_many(task_name: str, arg_lists: list[tuple[Any, ...]]) -> bool:
    """Publish tasks without ever raising or waiting long; False if they were not sent.

    Used for low-latency hand-offs whose work a sweep would find anyway (a task sent
    twice finds nothing left to do). One broker connection for the lot, kept for the
    next kick; if a kept one fails (the broker restarted), a new one is tried once.
    """
    global _broker_down_until
    if not arg_lists or not settings.OUTBOX_KICKS or time.monotonic() < _broker_down_until:
        return False
    while True:
        conn, kept = _connection()
        try:
            for args in arg_lists:
                app.send_task(task_name, args=list(args), connection=conn, retry=False)
            return True
        except Exception as exc:
            _drop_connection()
            if kept:
                continue
            _broker_down_until = time.monotonic() + BROKER_BACKOFF_SECONDS
            log.warning("Kick of %s not sent (%s); the sweep will catch up.", task_name, exc)
            return False


def kick(task_name: str, *args: Any) -> bool:
    return kick_many(task_name, [args])


def kick_on_commit(task_name: str, *args: Any) -> None:
    """Publish after the current transaction commits (never if it rolls back)."""
    transaction.on_commit(lambda: kick(task_name, *args))


def kick_many_on_commit(task_name: str, arg_lists: list[tuple[Any, ...]]) -> None:
    """Like kick_on_commit for many tasks, over one broker connection."""
    if arg_lists:
        transaction.on_commit(lambda: kick_many(task_name, arg_lists))


def kick_event(seq: int) -> None:
    """Called by `event_record`: relay this event as soon as its transaction commits.

    The relay task is named by the setting OUTBOX_RELAY_TASK (the pipeline above the
    kernel registers it there; the kernel imports nothing of it).
    """
    kick_on_commit(settings.OUTBOX_RELAY_TASK, seq)
