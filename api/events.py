"""Events as the API shows them (domain.md §3), redacted for whoever reads them, and the feed.

The feed (`GET /api/v1/events/?after=<seq>`) never skips an event: `seq` is the
event's feed position, given in commit order once it is committed (core.feed).
"""

from __future__ import annotations

from typing import Any

import orjson
from django.db.models import CharField, Func, TextField
from django.db.models.functions import Cast
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.request import Request

from alerts.payloads import (
    RESOURCE_PATHS,
    EventSerializer,
    hidden_parties,
    redacted_data,
    visible_sources,
)
from core.events import types_q
from core.selectors import feed_events_visible_to

from .filters import Param, ParamFilter
from .pagination import FeedPagination
from .permissions import Authenticated


class EventPageSerializer(serializers.Serializer):
    """A page of events in seq order."""

    next = serializers.URLField(allow_null=True, help_text="Next page, if this one was full.")
    previous = serializers.URLField(allow_null=True, help_text="Always null.")
    results = EventSerializer(many=True)


def filter_types(queryset, values: list[str], request: Request):
    """`warrant.issued` exact, `warrant.*` any type starting `warrant.`."""
    return queryset.filter(types_q(values))


class EventFeedPagination(FeedPagination):
    """`after=<seq>` on the feed position (what events show as `seq`)."""

    key = "feed_position"


# The columns the feed shows: read as tuples, no model instances (EventSerializer's output,
# built by hand; tests/api/test_feed.py checks they agree).
FEED_COLUMNS = (
    "id",
    "feed_position",
    "type",
    "occurred_at_text",
    "effective_date",
    "actor_kind",
    "actor_name",
    "resource",
    "subject_id",
    "case_id",
    "transition",
    "from_status",
    "to_status",
    "note",
    "data_json",
    "source_id",
)


class UtcInstant(Func):
    """A timestamp as DRF's DateTimeField renders it with TIME_ZONE UTC (ISO 8601, `Z`,
    microseconds only when there are some), formatted by PostgreSQL: parsing a timestamp
    into Python and printing it again cost more than the rest of a feed row."""

    template = (
        "to_char(%(expressions)s AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS')"
        " || CASE WHEN extract(microseconds FROM %(expressions)s)::bigint %%%% 1000000 = 0"
        " THEN '' ELSE to_char(%(expressions)s AT TIME ZONE 'UTC', '.US') END || 'Z'"
    )
    output_field = CharField()


def shown_data(event: Any, hidden: dict[str, str] | None) -> Any:
    """A feed row's `data` as the reader may see it: its stored JSON text as it is (never
    decoded, re-encoded as it stands) unless it is a party's and the reader may not see
    every protected identity."""
    if hidden is None or event.resource != "party":
        return orjson.Fragment(event.data_json)
    return redacted_data(event, hidden, orjson.loads(event.data_json))


def feed_item(
    event: Any, hidden: dict[str, str] | None, sources: set[Any] | None = None
) -> dict[str, Any]:
    """One feed row (a FEED_COLUMNS named tuple) as EventSerializer shows it, redacted;
    `sources`: the cited sources the reader may see."""
    return {
        "id": event.id,
        "seq": event.feed_position,
        "type": event.type,
        "occurred_at": event.occurred_at_text,
        "effective_date": event.effective_date,
        "actor": {"kind": event.actor_kind, "name": event.actor_name},
        "subject": {
            "resource": event.resource,
            "id": event.subject_id,
            "url": f"/api/v1/{RESOURCE_PATHS.get(event.resource, event.resource)}/"
            f"{event.subject_id}/",
        },
        "case": event.case_id,
        "transition": event.transition,
        "from_status": event.from_status,
        "to_status": event.to_status,
        "note": event.note,
        "data": shown_data(event, hidden),
        "source": str(event.source_id) if event.source_id in (sources or ()) else None,
    }


class EventViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The change feed: every event you may read, ascending `seq`, never skipping one.

    Poll with `after=<the last seq you processed>`. An event gets its seq (its feed
    position) once committed, in commit order, and appears then: an event committing
    later always gets a higher seq, so reading `after=N` can never miss one.
    """

    serializer_class = EventSerializer
    pagination_class = EventFeedPagination
    permission_classes = [Authenticated]
    filter_backends = [ParamFilter]
    lookup_field = "id"
    lookup_value_regex = (
        r"[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}"
    )
    filters = [
        Param(
            "type",
            "type",
            many=True,
            description="Event types, e.g. warrant.issued; `warrant.*` matches a prefix.",
            apply=filter_types,
        ),
        Param("case", "case_id", "uuid", "Only events of this case."),
        Param(
            "resource",
            "resource",
            "choice",
            "Only events of this kind of record.",
            choices=list(RESOURCE_PATHS),
            many=True,
        ),
        Param("subject", "subject_id", "uuid", "Only events of this record."),
    ]

    def get_queryset(self):
        return feed_events_visible_to(self.request.user)

    def list(self, request: Request, *args: Any, **kwargs: Any):
        queryset = self.filter_queryset(self.get_queryset())
        rows = queryset.annotate(
            occurred_at_text=UtcInstant("occurred_at"), data_json=Cast("data", TextField())
        ).values_list(*FEED_COLUMNS, named=True)
        page = self.paginate_queryset(rows) or []
        hidden = hidden_parties(page, request.user)
        sources = visible_sources(page, request.user)
        return self.get_paginated_response([feed_item(event, hidden, sources) for event in page])

    def retrieve(self, request: Request, *args: Any, **kwargs: Any):
        from rest_framework.response import Response

        event = self.get_object()
        return Response(
            EventSerializer(event, context=EventSerializer.context_for([event], request)).data
        )


def register(router: Any) -> None:
    router.register("events", EventViewSet, basename="event")


__all__ = ["EventPageSerializer", "EventSerializer", "EventViewSet", "extend_schema"]
