"""Readers of Events: timelines and the change feed."""

from django.db.models import QuerySet

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
