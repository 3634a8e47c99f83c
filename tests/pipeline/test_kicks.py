"""Kicks (core.kicks) keep their broker connection from one kick to the next, survive a
broker restart without losing a kick, and give up at once on a dead broker."""

import time

import redis

from core import kicks

TASK = "alerts.tasks.canary"


def queued(broker) -> int:
    return int(redis.Redis.from_url(broker.url).llen("casetracker"))  # type: ignore[arg-type]


def test_kicks_reuse_their_connection_and_survive_a_broker_restart(broker):
    assert kicks.kick(TASK) and kicks.kick(TASK)
    kept = kicks._held.connection
    assert kicks.kick_many(TASK, [(), ()])
    assert kicks._held.connection is kept  # one connection for every kick of this thread
    assert queued(broker) == 4

    broker.stop()
    broker.start()  # same port, empty: the kept connection is dead
    assert kicks.kick(TASK)  # not lost
    assert queued(broker) == 1


def test_a_dead_broker_costs_a_kick_little_and_skips_the_next_ones(broker):
    assert kicks.kick(TASK)
    broker.stop()
    try:
        started = time.monotonic()
        assert not kicks.kick(TASK)
        assert time.monotonic() - started < 3
        assert kicks._broker_down_until > time.monotonic()
        assert not kicks.kick(TASK)  # skipped while the backoff lasts
    finally:
        broker.start()
        kicks._broker_down_until = 0.0
