"""Readers of Events: timelines and the change feed."""

import hashlib
from contextlib import suppress

from django.core.cache import cache
from django.db.models import Count, QuerySet
from redis.exceptions import RedisError

from .models import Event


def events_visible_to(user) -> QuerySet[Event]:
    """Events of the records `user` may read. Event.data must still be redacted per reader."""
    if not (user and user.has_perm("cases.view_case")):
        return Event.objects.none()
    return Event.objects.select_related("case")


def events_for(record) -> QuerySet[Event]:
    """One record's history, oldest first."""
    return Event.objects.filter(resource=record.RESOURCE, subject_id=record.pk).order_by("seq")


def feed_events_visible_to(user) -> QuerySet[Event]:
    """The change feed: events `user` may read that have their feed position (core.feed),
    to be read in position order. Positions are given in commit order once committed, so
    whoever has seen position N has seen every lower one: reading `after=N` never skips."""
    return events_visible_to(user).filter(feed_position__isnull=False)


def counts_by(queryset: QuerySet, field: str) -> dict[str, int]:
    """How many rows of `queryset` (a selector's, so scoped to its reader) have each value of
    `field`: one aggregate query, no rows into Python."""
    rows = queryset.order_by().values_list(field).annotate(n=Count("pk"))
    return {value: n for value, n in rows}


def cached_counts_by(queryset: QuerySet, field: str, timeout: int = 60) -> dict[str, int]:
    """`counts_by`, cached for records that change only with an Event (warrants, notices,
    cases...), so for as long as no event has been recorded since (and `timeout` seconds at
    most: events commit out of `seq` order, so one may land under an older number).

    The key is the counting query's SQL: readers whose selector gives the same rows share
    an entry, and a selector that scoped rows per reader would give each its own.
    """
    if queryset.query.is_empty():
        return {}
    sql, params = queryset.order_by().values_list(field).query.sql_with_params()
    latest = Event.objects.order_by("-seq").values_list("seq", flat=True).first()
    digest = hashlib.sha256(repr((sql, params, field)).encode()).hexdigest()[:32]
    key = f"counts:{digest}:{latest or 0}"
    try:
        counts = cache.get(key)
    except (RedisError, OSError):  # the cache is down: count, as without one
        return counts_by(queryset, field)
    if counts is None:
        counts = counts_by(queryset, field)
        with suppress(RedisError, OSError):
            cache.set(key, counts, timeout)
    return counts
