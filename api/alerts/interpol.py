"""`/api/v1/interpol-matches/`: public red notices that may be about accused persons with no
red notice here (alerts.interpol_watch), to confirm or dismiss."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from alerts import interpol_watch, selectors
from alerts.models import InterpolMatch, MatchStatus
from api.authentication import actor_for
from api.filters import Param, ParamFilter, StrictOrderingFilter
from api.pagination import CursorPagination
from api.parties.serializers import PartySummarySerializer
from api.permissions import Authenticated
from api.problems import problem
from api.viewsets import UUID_PATTERN


class InterpolMatchSerializer(serializers.ModelSerializer):
    """A possible match: the accused person, the public red notice as INTERPOL shows it,
    and what was decided."""

    party = PartySummarySerializer(read_only=True, help_text="The accused person.")
    public_notice = serializers.SerializerMethodField(
        help_text="The public notice's fields as seen when raised (entity_id, name, forename, "
        "date_of_birth, nationalities) and its page on interpol.int."
    )
    alert = serializers.UUIDField(
        source="alert_id", allow_null=True, read_only=True, help_text="Its high alert."
    )
    notice = serializers.UUIDField(
        source="notice_id",
        allow_null=True,
        read_only=True,
        help_text="The Notice recorded on confirmation.",
    )
    decided_by: Any = serializers.SlugRelatedField(
        slug_field="username", read_only=True, help_text="Who confirmed or dismissed it."
    )

    class Meta:
        model = InterpolMatch
        fields = [
            "id",
            "version",
            "created_at",
            "updated_at",
            "status",
            "party",
            "kind",
            "entity_id",
            "public_notice",
            "score",
            "birth_date",
            "alert",
            "notice",
            "decided_by",
            "decided_at",
            "note",
        ]
        read_only_fields = fields

    def get_public_notice(self, match: InterpolMatch) -> dict[str, Any]:
        shown = ("entity_id", "name", "forename", "date_of_birth", "nationalities")
        fields = {k: (match.fields or {}).get(k) for k in shown}
        return {**fields, "url": interpol_watch.PUBLIC_PAGE.format(match.entity_id)}


class ConfirmSerializer(serializers.Serializer):
    warrant = serializers.UUIDField(
        help_text="The issued warrant against the person that the red notice rests on."
    )
    note = serializers.CharField(
        required=False, allow_blank=True, max_length=2000, help_text="Why it is this person."
    )


class DismissSerializer(serializers.Serializer):
    note = serializers.CharField(
        max_length=2000, help_text="Why it is not this person (kept with the match)."
    )


class InterpolMatchViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Possible INTERPOL matches raised by the sync (docs/api.md, "INTERPOL watch"). Confirm
    (`confirm/`: records the red notice, published and listed) or dismiss (`dismiss/`: never
    raised again); both resolve the alert and need the permission to edit notices. A match
    of a protected person is shown only to those who may see protected identities."""

    serializer_class = InterpolMatchSerializer
    permission_classes = [Authenticated]
    pagination_class = CursorPagination
    filter_backends = [ParamFilter, StrictOrderingFilter]
    filters = [
        Param("status", "status", "choice", "Match status.", MatchStatus.values, many=True),
        Param("party", "party_id", "uuid", "Only matches of this party."),
        Param("entity_id", "entity_id", "str", "Only matches of this public notice."),
    ]
    ordering_fields = ["created_at", "updated_at"]
    ordering = ["-created_at"]
    lookup_value_regex = UUID_PATTERN
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self):
        return selectors.interpol_matches_visible_to(self.request.user)

    def check_permissions(self, request: Request) -> None:
        super().check_permissions(request)
        if not request.user.has_perm("alerts.view_alert"):
            raise exceptions.PermissionDenied(
                "Your role does not allow reading alerts (alerts.view_alert)."
            )

    def render(self, match: InterpolMatch) -> Response:
        fresh = self.get_queryset().get(pk=match.pk)
        return Response(self.get_serializer(fresh).data)

    @extend_schema(request=ConfirmSerializer, responses=InterpolMatchSerializer)
    @action(detail=True, methods=["post"])
    def confirm(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """It is this person: record the red notice (published, listed) and resolve the alert.
        A match decided already is a 409."""
        match = self.get_object()
        body = ConfirmSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            match, _ = interpol_watch.match_confirm(
                match_id=match.pk,
                actor=actor_for(request),
                warrant_id=body.validated_data["warrant"],
                note=body.validated_data.get("note", ""),
            )
        except interpol_watch.AlreadyDecided as already:
            return problem("conflict", 409, " ".join(already.messages))
        return self.render(match)

    @extend_schema(request=DismissSerializer, responses=InterpolMatchSerializer)
    @action(detail=True, methods=["post"])
    def dismiss(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Not this person: never raised again; the alert is resolved."""
        match = self.get_object()
        body = DismissSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            match = interpol_watch.match_dismiss(
                match_id=match.pk, actor=actor_for(request), note=body.validated_data["note"]
            )
        except interpol_watch.AlreadyDecided as already:
            return problem("conflict", 409, " ".join(already.messages))
        return self.render(match)


def register(router: Any) -> None:
    router.register("interpol-matches", InterpolMatchViewSet, basename="interpol-match")
