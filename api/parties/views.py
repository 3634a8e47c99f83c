"""`/api/v1/parties/` (domain.md §4): protected identities redacted for whoever may not see them.

Parties are never deleted (events and warrants refer to them); a wrongly
entered party is corrected by editing it, and lawyers review it.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from api.filters import Param, updated_after
from api.problems import problem
from api.viewsets import (
    IF_MATCH,
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

from .serializers import (
    DuplicateSerializer,
    PartyCreatedSerializer,
    PartyCreateSerializer,
    PartySerializer,
    PartyUpdateSerializer,
    ProtectionSerializer,
)


def search(queryset, q: str, request) -> Any:
    """`q`: name search under any spelling or script (parties.selectors.party_search), best
    match first unless `ordering` is given; never matches a protected party's real names
    for those who may not see them."""
    return selectors.party_search(request.user, q, within=queryset)


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

    @property
    def ordering(self) -> list[str]:  # type: ignore[override]
        # A name search lists the best match first (its `search_rank`), unless the caller
        # asks for another `ordering`.
        request = getattr(self, "request", None)
        if request is not None and request.query_params.get("q", "").strip():
            return list(selectors.SEARCH_ORDER)
        return ["-created_at"]

    filters = [
        Param("q", "name", "str", "Name search (names, original script, aliases).", apply=search),
        Param("kind", "kind", "choice", "person or organization.", PartyKind.values),
        Param("custody", "custody", "choice", "Custody (persons).", Custody.values, many=True),
        Param("review", "review", "choice", "Review state.", Review.values, many=True),
        Param("protected", "protected", "bool", "Only protected (or unprotected) parties."),
        updated_after(),
    ]

    @extend_schema(
        request=PartyCreateSerializer,
        responses={201: PartyCreatedSerializer},
        description="Creates a party. The response's `possible_duplicates` lists existing "
        "parties whose names closely match (any spelling or script), so that a person already "
        "entered is not entered twice; the party is created either way.",
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        response = super().create(request, *args, **kwargs)
        created = self.fresh(response.data["id"])
        duplicates = selectors.possible_duplicates(request.user, created)
        response.data["possible_duplicates"] = DuplicateSerializer(duplicates, many=True).data
        return response

    def create_record(self, actor: Actor, data: dict[str, Any]) -> Party:
        positions = [dict(p) for p in data.pop("positions", [])]
        return actions.party_create(actor=actor, positions=positions, **data)

    def update_record(self, pk, actor, expected_version, changes) -> Party:
        try:
            return actions.party_update(
                party_id=pk, actor=actor, expected_version=expected_version, **changes
            )
        except actions.ProtectionNotEditable as refused:
            # 400, not 403: the caller may change protection, only not through an edit.
            where = f"Use POST {self.request.path.rstrip('/')}/protection/ with a note."
            raise serializers.ValidationError(
                {"protected": [f"{m} {where}" for m in refused.message_dict["protected"]]}
            ) from None

    @extend_schema(
        parameters=[IF_MATCH],
        request=ProtectionSerializer,
        responses=PartySerializer,
        summary="Protect or unprotect (lawyers, admins)",
        description="Protects the party's identity (`protected: true`, with a `pseudonym` "
        "unless it has one) or lifts its protection (`false`), with a required `note`; records "
        "one event, `party.protected` or `party.unprotected`, which raises a high alert. 403 "
        "without the permission to see protected identities; 400 without a note (or, when "
        "protecting, a pseudonym); 409 when the party already is in that state. PATCH no "
        "longer changes `protected`.",
    )
    @action(detail=True, methods=["post"], url_path="protection")
    def protection(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        party = self.get_object()
        serializer = ProtectionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            actions.party_set_protection(
                party_id=party.pk,
                protected=data["protected"],
                pseudonym=data.get("pseudonym", ""),
                note=data.get("note", ""),
                actor=self.actor(),
                expected_version=self.expected_version(request, party),
            )
        except actions.ProtectionUnchanged as unchanged:
            # Like a transition not allowed from the current status.
            detail = " ".join(unchanged.message_dict["protected"])
            return problem("conflict", 409, detail, protected=party.protected)
        return self.render(self.fresh(party.pk))

    def review_record(self, pk, **kwargs) -> Any:
        return actions.party_review(party_id=pk, **kwargs)


def register(router: Any) -> None:
    router.register("parties", PartyViewSet, basename="party")
