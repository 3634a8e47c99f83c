"""`/api/v1/warrants/` and `/api/v1/notices/` (domain.md §4)."""

from __future__ import annotations

from typing import Any

from api.filters import Param, updated_after
from api.viewsets import (
    CreateMixin,
    HistoryMixin,
    RecordViewSet,
    TransitionsMixin,
    UpdateMixin,
)
from core.events import Actor
from warrants import actions, selectors, workflows
from warrants.models import Notice, NoticeKind, Warrant, WarrantKind

from . import proceedings
from .serializers import (
    WARRANT_ROWS,
    NoticeSerializer,
    NoticeUpdateSerializer,
    WarrantCreateSerializer,
    WarrantSerializer,
    WarrantUpdateSerializer,
)


class WarrantViewSet(CreateMixin, UpdateMixin, TransitionsMixin, HistoryMixin, RecordViewSet):
    """Warrants. Not deleted: a warrant ends by a transition (withdraw, annul, lapse...)."""

    queryset_model = Warrant
    selector = selectors.warrants_visible_to
    scope = selectors.warrants_readable_by
    serializer_class = WarrantSerializer
    rows = WARRANT_ROWS
    create_serializer_class = WarrantCreateSerializer
    update_serializer_class = WarrantUpdateSerializer
    ordering_fields = ["created_at", "updated_at", "issued_on", "reference"]
    filters = [
        Param("status", "status", "choice", "Warrant status.", workflows.WARRANT.states, many=True),
        Param("case", "case_id", "uuid", "Only warrants of this case."),
        Param("subject", "subject_id", "uuid", "Only warrants against this person."),
        Param("kind", "kind", "choice", "Warrant kind.", WarrantKind.values, many=True),
        Param("reference", "reference", "str", "The authority's reference (exact)."),
        Param("issuing_country", "issuing_country", "str", "ISO 3166-1 alpha-2 code."),
        updated_after(),
    ]

    def create_record(self, actor: Actor, data: dict[str, Any]) -> Warrant:
        return actions.warrant_create(actor=actor, **data)

    def update_record(self, pk, actor, expected_version, changes) -> Warrant:
        return actions.warrant_update(
            warrant_id=pk, actor=actor, expected_version=expected_version, **changes
        )

    def transition_record(self, pk, **kwargs) -> Any:
        return actions.warrant_transition(warrant_id=pk, **kwargs)


class NoticeViewSet(CreateMixin, UpdateMixin, TransitionsMixin, HistoryMixin, RecordViewSet):
    """INTERPOL notices. Not deleted: a notice ends by a transition (withdraw, cancel...)."""

    queryset_model = Notice
    selector = selectors.notices_visible_to
    serializer_class = NoticeSerializer
    update_serializer_class = NoticeUpdateSerializer
    ordering_fields = ["created_at", "updated_at", "requested_on", "published_on"]
    filters = [
        Param("status", "status", "choice", "Notice status.", workflows.NOTICE.states, many=True),
        Param("case", "warrant__case_id", "uuid", "Only notices resting on this case's warrants."),
        Param("subject", "subject_id", "uuid", "Only notices about this party."),
        Param("warrant", "warrant_id", "uuid", "Only notices resting on this warrant."),
        Param("kind", "kind", "choice", "Notice colour.", NoticeKind.values, many=True),
        Param("interpol_id", "interpol_id", "str", 'INTERPOL\'s id, e.g. "2023/12345".'),
        updated_after(),
    ]

    def create_record(self, actor: Actor, data: dict[str, Any]) -> Notice:
        return actions.notice_create(actor=actor, **data)

    def update_record(self, pk, actor, expected_version, changes) -> Notice:
        return actions.notice_update(
            notice_id=pk, actor=actor, expected_version=expected_version, **changes
        )

    def transition_record(self, pk, **kwargs) -> Any:
        return actions.notice_transition(notice_id=pk, **kwargs)


def register(router: Any) -> None:
    router.register("warrants", WarrantViewSet, basename="warrant")
    router.register("notices", NoticeViewSet, basename="notice")
    proceedings.register(router)
