"""Readers of Events: timelines and the change feed."""

from django.db.models import QuerySet
from django.db.models.expressions import RawSQL

from .models import Event


def events_visible_to(user) -> QuerySet[Event]:
    """Events of the records `user` may read. Event.data must still be redacted per reader."""
    if not (user and user.has_perm("cases.view_case")):
        return Event.objects.none()
    return Event.objects.select_related("case")


def events_for(record) -> QuerySet[Event]:
    """One record's history, oldest first."""
    return Event.objects.filter(resource=record.RESOURCE, subject_id=record.pk).order_by("seq")


# The oldest transaction still running, as seen by the statement that reads the feed.
OLDEST_RUNNING = "txid_snapshot_xmin(txid_current_snapshot())"
FIRST_HELD_BACK = (
    "COALESCE((SELECT min(held.seq) FROM casetracker_event held"
    f" WHERE held.horizon > {OLDEST_RUNNING}), 9223372036854775807)"
)


def feed_events_visible_to(user) -> QuerySet[Event]:
    """The change feed: events `user` may read, held back so that reading by `seq` never skips.

    Transactions commit out of `seq` order. An event is served only when every
    transaction older than its `horizon` has finished (so no lower `seq` can
    still appear), and only below the first visible event that is not yet
    servable (so what is served is a prefix). Both use the snapshot of the one
    SQL statement that reads, so they agree. Needs READ COMMITTED writers.
    """
    return events_visible_to(user).filter(
        horizon__lte=RawSQL(OLDEST_RUNNING, []), seq__lt=RawSQL(FIRST_HELD_BACK, [])
    )
