"""Events as the API shows them (domain.md §3), redacted for whoever reads them, and the feed.

The feed (`GET /api/v1/events/?after=<seq>`) never skips an event: see
`casetracker.selectors.feed_events_visible_to`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, viewsets
from rest_framework.request import Request

from casetracker.models import Event
from casetracker.selectors import feed_events_visible_to
from parties.models import Party
from parties.selectors import can_see_protected

from .filters import Param, ParamFilter
from .pagination import FeedPagination
from .permissions import Authenticated

RESOURCE_PATHS = {
    "case": "cases",
    "party": "parties",
    "participation": "participations",
    "representation": "representations",
    "charge": "charges",
    "warrant": "warrants",
    "notice": "notices",
}
PARTY_IDENTITY = {"name_original": "", "aliases": [], "birth_date": ""}


def hidden_parties(events: Iterable[Event], user: Any) -> dict[str, str]:
    """Protected parties (id → pseudonym) among these events that `user` may not see.

    Uses the party's protection *now*: a party protected after an event was
    recorded is redacted in that older event too.
    """
    if can_see_protected(user):
        return {}
    ids = {e.subject_id for e in events if e.resource == "party"}
    if not ids:
        return {}
    rows = Party.objects.filter(pk__in=ids, protected=True).values_list("pk", "pseudonym")
    return {str(pk): pseudonym for pk, pseudonym in rows}


def redacted_data(event: Event, hidden: dict[str, str]) -> dict[str, Any]:
    data = dict(event.data)
    if event.resource == "party" and (data.get("protected") or str(event.subject_id) in hidden):
        pseudonym = hidden.get(str(event.subject_id)) or data.get("pseudonym") or "Protected party"
        data.update(PARTY_IDENTITY, name=pseudonym, pseudonym=pseudonym, protected=True)
    return data


class ActorSerializer(serializers.Serializer):
    kind = serializers.CharField(source="actor_kind", help_text="user, api_key or system.")
    name = serializers.CharField(source="actor_name", help_text="Name of the user, key or process.")


class SubjectSerializer(serializers.Serializer):
    resource = serializers.CharField(help_text="Kind of record, e.g. warrant.")
    id = serializers.UUIDField(source="subject_id", help_text="The record's id.")
    url = serializers.SerializerMethodField(help_text="The record's API path.")

    def get_url(self, event: Event) -> str:
        return f"/api/v1/{RESOURCE_PATHS.get(event.resource, event.resource)}/{event.subject_id}/"


class EventSerializer(serializers.ModelSerializer):
    """One recorded change. `data` is the record after the change, redacted for the reader."""

    actor = ActorSerializer(source="*", read_only=True, help_text="Who made the change.")
    subject = SubjectSerializer(source="*", read_only=True, help_text="The record changed.")
    case = serializers.UUIDField(source="case_id", allow_null=True, help_text="The case, if any.")
    data = serializers.SerializerMethodField(  # type: ignore[assignment]
        help_text="The record after the change (redacted)."
    )

    class Meta:
        model = Event
        fields = [
            "id",
            "seq",
            "type",
            "occurred_at",
            "effective_date",
            "actor",
            "subject",
            "case",
            "transition",
            "from_status",
            "to_status",
            "note",
            "data",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.DictField())
    def get_data(self, event: Event) -> dict[str, Any]:
        return redacted_data(event, self.context.get("hidden_parties", {}))

    @staticmethod
    def context_for(events: list[Event], request: Request) -> dict[str, Any]:
        return {"request": request, "hidden_parties": hidden_parties(events, request.user)}


class EventPageSerializer(serializers.Serializer):
    """A page of events in seq order."""

    next = serializers.URLField(allow_null=True, help_text="Next page, if this one was full.")
    previous = serializers.URLField(allow_null=True, help_text="Always null.")
    results = EventSerializer(many=True)


def filter_types(queryset, values: list[str], request: Request):
    """`warrant.issued` exact, `warrant.*` any type starting `warrant.`."""
    from django.db.models import Q

    condition = Q()
    for value in values:
        if value.endswith("*"):
            condition |= Q(type__startswith=value[:-1])
        else:
            condition |= Q(type=value)
    return queryset.filter(condition)


class EventViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The change feed: every event you may read, ascending `seq`, never skipping one.

    Poll with `after=<the last seq you processed>`. An event appears only once every
    transaction that could still commit an event with a lower seq has finished, so
    reading `after=N` can never miss one that commits later.
    """

    serializer_class = EventSerializer
    pagination_class = FeedPagination
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
        page = self.paginate_queryset(queryset) or []
        context = EventSerializer.context_for(page, request)
        data = EventSerializer(page, many=True, context=context).data
        return self.get_paginated_response(data)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any):
        from rest_framework.response import Response

        event = self.get_object()
        return Response(
            EventSerializer(event, context=EventSerializer.context_for([event], request)).data
        )


def register(router: Any) -> None:
    router.register("events", EventViewSet, basename="event")


__all__ = ["EventPageSerializer", "EventSerializer", "EventViewSet", "extend_schema"]
