"""`/api/v1/parties/` (domain.md §4): protected identities redacted for whoever may not see them.

Parties are never deleted (events and warrants refer to them); a wrongly
entered party is corrected by editing it, and lawyers review it.
"""

from __future__ import annotations

from typing import Any

from api.filters import Param, updated_after
from api.viewsets import (
    CreateMixin,
    HistoryMixin,
    RecordViewSet,
    ReviewMixin,
    UpdateMixin,
)
from core.events import Actor
from core.review import Review
from parties import actions, selectors
from parties.models import Custody, Party, PartyKind

from .serializers import PartyCreateSerializer, PartySerializer, PartyUpdateSerializer


def search(queryset, q: str, request) -> Any:
    """`q`: name search that never matches a protected party's real names for those who may not
    see them."""
    return queryset & selectors.party_search(request.user, q)


class PartyViewSet(CreateMixin, UpdateMixin, HistoryMixin, ReviewMixin, RecordViewSet):
    """People and organisations."""

    queryset_model = Party
    selector = selectors.parties_visible_to
    serializer_class = PartySerializer
    create_serializer_class = PartyCreateSerializer
    update_serializer_class = PartyUpdateSerializer
    ordering_fields = ["created_at", "updated_at", "name"]
    # By the name the reader sees (its pseudonym for a protected party), never the real one.
    ordering_aliases = {"name": "shown_name"}
    filters = [
        Param("q", "name", "str", "Name search (names, original script, aliases).", apply=search),
        Param("kind", "kind", "choice", "person or organization.", PartyKind.values),
        Param("custody", "custody", "choice", "Custody (persons).", Custody.values, many=True),
        Param("review", "review", "choice", "Review state.", Review.values, many=True),
        Param("protected", "protected", "bool", "Only protected (or unprotected) parties."),
        updated_after(),
    ]

    def create_record(self, actor: Actor, data: dict[str, Any]) -> Party:
        positions = [dict(p) for p in data.pop("positions", [])]
        return actions.party_create(actor=actor, positions=positions, **data)

    def update_record(self, pk, actor, expected_version, changes) -> Party:
        return actions.party_update(
            party_id=pk, actor=actor, expected_version=expected_version, **changes
        )

    def review_record(self, pk, **kwargs) -> Any:
        return actions.party_review(party_id=pk, **kwargs)


def register(router: Any) -> None:
    router.register("parties", PartyViewSet, basename="party")
