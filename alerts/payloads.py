"""Events as every reader sees them (domain.md §3): the API's feed and history, and the
bodies of webhook deliveries. `data` is redacted for the reader: protected identities stay
hidden from whoever may not see them.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.request import Request

from alerts.sources import sources_visible_to
from core.models import Event
from parties.models import Party
from parties.selectors import can_see_protected, hidden_identity

RESOURCE_PATHS = {
    "case": "cases",
    "party": "parties",
    "participation": "participations",
    "representation": "representations",
    "charge": "charges",
    "warrant": "warrants",
    "notice": "notices",
    "proceeding": "proceedings",
    "deadline": "deadlines",
}


def hidden_parties(events: Iterable[Event], user: Any) -> dict[str, str] | None:
    """Protected parties (id → pseudonym) among these events that `user` may not see;
    None when `user` may see every protected identity (nothing is redacted for them).

    Uses the party's protection *now*: a party protected after an event was
    recorded is redacted in that older event too.
    """
    if can_see_protected(user):
        return None
    ids = {e.subject_id for e in events if e.resource == "party"}
    if not ids:
        return {}
    rows = Party.objects.filter(pk__in=ids, protected=True).values_list("pk", "pseudonym")
    return {str(pk): pseudonym for pk, pseudonym in rows}


def redacted_data(
    event: Event, hidden: dict[str, str] | None, data: dict[str, Any] | None = None
) -> dict[str, Any]:
    """`data` as the reader may see it; `hidden` from `hidden_parties` (None: sees all).
    `data`: the event's, where the caller decoded it itself."""
    data = dict(event.data if data is None else data)
    if hidden is None:
        return data
    if event.resource == "party" and (data.get("protected") or str(event.subject_id) in hidden):
        pseudonym = hidden.get(str(event.subject_id)) or data.get("pseudonym") or "Protected party"
        data.update(hidden_identity(pseudonym), pseudonym=pseudonym, protected=True)
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

    seq = serializers.IntegerField(
        source="feed_position",
        allow_null=True,
        read_only=True,
        help_text="Position in the change feed, given in commit order once committed; "
        "null only for the moment before the feed has it (history).",
    )
    actor = ActorSerializer(source="*", read_only=True, help_text="Who made the change.")
    subject = SubjectSerializer(source="*", read_only=True, help_text="The record changed.")
    case = serializers.UUIDField(source="case_id", allow_null=True, help_text="The case, if any.")
    data = serializers.SerializerMethodField(  # type: ignore[assignment]
        help_text="The record after the change (redacted)."
    )
    source = serializers.SerializerMethodField(  # type: ignore[assignment]
        help_text="Id of the source (/api/v1/sources/) the change rests on, if one was cited "
        "and you may see it; else null."
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
            "source",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.DictField())
    def get_data(self, event: Event) -> dict[str, Any]:
        # Without a reader in the context, redact as for one who may see nothing protected.
        return redacted_data(event, self.context.get("hidden_parties", {}))

    @extend_schema_field(serializers.UUIDField(allow_null=True))
    def get_source(self, event: Event) -> str | None:
        seen = self.context.get("visible_sources", set())
        return str(event.source_id) if event.source_id in seen else None

    @staticmethod
    def context_for(events: list[Event], request: Request) -> dict[str, Any]:
        return {
            "request": request,
            "hidden_parties": hidden_parties(events, request.user),
            "visible_sources": visible_sources(events, request.user),
        }


def visible_sources(events: list[Event], user: Any) -> set[Any]:
    """Ids of the sources the events cite that `user` may see (one query, none if none)."""
    cited = {event.source_id for event in events if event.source_id}
    if not cited:
        return set()
    return set(sources_visible_to(user).filter(pk__in=cited).values_list("pk", flat=True))


def event_json(event: Event, user: Any) -> dict[str, Any]:
    """The event exactly as the API's feed shows it to `user` (protected identities redacted)."""
    context = {
        "hidden_parties": hidden_parties([event], user),
        "visible_sources": visible_sources([event], user),
    }
    data: Any = EventSerializer(event, context=context).data
    return data
