"""`/api/v1/cases|incidents|participations|representations|charges/` (domain.md §4).

Nothing here deletes: a case is closed or dismissed, a participation ended or
withdrawn, a representation withdrawn, a charge dismissed or withdrawn.
"""

from __future__ import annotations

from typing import Any

from api.exports import DossierMixin
from api.filters import Param, updated_after
from api.viewsets import (
    CreateMixin,
    HistoryMixin,
    RecordViewSet,
    ReviewMixin,
    TransitionsMixin,
    UpdateMixin,
)
from cases import actions, selectors, workflows
from cases.models import (
    PARTICIPATION_STATES,
    Basis,
    Case,
    Charge,
    Incident,
    Offence,
    Participation,
    Representation,
    Role,
)
from core.events import Actor
from core.review import Review

from .serializers import (
    CaseSerializer,
    ChargeSerializer,
    ChargeUpdateSerializer,
    IncidentSerializer,
    IncidentUpdateSerializer,
    ParticipationSerializer,
    RepresentationSerializer,
    RepresentationUpdateSerializer,
)


def case_param(lookup: str = "case_id") -> Param:
    return Param("case", lookup, "uuid", "Only records of this case.")


class CaseViewSet(
    DossierMixin, CreateMixin, UpdateMixin, TransitionsMixin, HistoryMixin, RecordViewSet
):
    """Cases: one proceeding before one forum."""

    queryset_model = Case
    selector = selectors.cases_visible_to
    serializer_class = CaseSerializer
    ordering_fields = ["created_at", "updated_at", "reference", "opened_on"]
    filters = [
        Param("status", "status", "choice", "Case status.", workflows.CASE.states, many=True),
        Param("reference", "reference", "str", "The case reference (exact)."),
        Param("jurisdiction", "jurisdiction", "str", "ISO 3166-1 alpha-2 code of the forum."),
        Param("basis", "basis", "choice", "Basis of jurisdiction.", Basis.values, many=True),
        updated_after(),
    ]

    def create_record(self, actor: Actor, data: dict[str, Any]) -> Case:
        return actions.case_create(actor=actor, **data)

    def update_record(self, pk, actor, expected_version, changes) -> Case:
        return actions.case_update(
            case_id=pk, actor=actor, expected_version=expected_version, **changes
        )

    def transition_record(self, pk, **kwargs) -> Any:
        return actions.case_transition(case_id=pk, **kwargs)


class IncidentViewSet(CreateMixin, UpdateMixin, RecordViewSet):
    """Incidents a case is about."""

    queryset_model = Incident
    selector = selectors.incidents_visible_to
    serializer_class = IncidentSerializer
    update_serializer_class = IncidentUpdateSerializer
    ordering_fields = ["created_at", "updated_at", "started_on"]
    filters = [case_param(), updated_after()]

    def create_record(self, actor: Actor, data: dict[str, Any]) -> Incident:
        return actions.incident_create(actor=actor, **data)

    def update_record(self, pk, actor, expected_version, changes) -> Incident:
        return actions.incident_update(
            incident_id=pk, actor=actor, expected_version=expected_version, **changes
        )


class ParticipationViewSet(CreateMixin, TransitionsMixin, HistoryMixin, RecordViewSet):
    """Participations: a party's role in a case. Fixed once created; ended by a transition."""

    queryset_model = Participation
    selector = selectors.participations_visible_to
    serializer_class = ParticipationSerializer
    filters = [
        Param("status", "status", "choice", "Status.", PARTICIPATION_STATES, many=True),
        case_param(),
        Param("party", "party_id", "uuid", "Only this party's participations."),
        Param("role", "role", "choice", "Role in the case.", Role.values, many=True),
        updated_after(),
    ]

    def create_record(self, actor: Actor, data: dict[str, Any]) -> Participation:
        return actions.participation_create(actor=actor, **data)

    def transition_record(self, pk, **kwargs) -> Any:
        return actions.participation_transition(participation_id=pk, **kwargs)


class RepresentationViewSet(
    CreateMixin, UpdateMixin, TransitionsMixin, HistoryMixin, RecordViewSet
):
    """Counsel acting for participants."""

    queryset_model = Representation
    selector = selectors.representations_visible_to
    serializer_class = RepresentationSerializer
    update_serializer_class = RepresentationUpdateSerializer
    filters = [
        Param("status", "status", "choice", "Status.", workflows.REPRESENTATION.states, many=True),
        case_param("client__case_id"),
        Param("counsel", "counsel_id", "uuid", "Only this lawyer's representations."),
        Param("client", "client_id", "uuid", "Only representations of this participation."),
        updated_after(),
    ]

    def create_record(self, actor: Actor, data: dict[str, Any]) -> Representation:
        return actions.representation_create(actor=actor, **data)

    def update_record(self, pk, actor, expected_version, changes) -> Representation:
        return actions.representation_update(
            representation_id=pk, actor=actor, expected_version=expected_version, **changes
        )

    def transition_record(self, pk, **kwargs) -> Any:
        return actions.representation_transition(representation_id=pk, **kwargs)


class ChargeViewSet(
    CreateMixin, UpdateMixin, TransitionsMixin, HistoryMixin, ReviewMixin, RecordViewSet
):
    """Charges against the accused; lawyers review them."""

    queryset_model = Charge
    selector = selectors.charges_visible_to
    serializer_class = ChargeSerializer
    update_serializer_class = ChargeUpdateSerializer
    filters = [
        Param("status", "status", "choice", "Status.", workflows.CHARGE.states, many=True),
        case_param(),
        Param("accused", "accused_id", "uuid", "Only charges against this participation."),
        Param("offence", "offence", "choice", "Offence.", Offence.values, many=True),
        Param("review", "review", "choice", "Review state.", Review.values, many=True),
        updated_after(),
    ]

    def create_record(self, actor: Actor, data: dict[str, Any]) -> Charge:
        return actions.charge_create(actor=actor, **data)

    def update_record(self, pk, actor, expected_version, changes) -> Charge:
        return actions.charge_update(
            charge_id=pk, actor=actor, expected_version=expected_version, **changes
        )

    def transition_record(self, pk, **kwargs) -> Any:
        return actions.charge_transition(charge_id=pk, **kwargs)

    def review_record(self, pk, **kwargs) -> Any:
        return actions.charge_review(charge_id=pk, **kwargs)


def register(router: Any) -> None:
    router.register("cases", CaseViewSet, basename="case")
    router.register("incidents", IncidentViewSet, basename="incident")
    router.register("participations", ParticipationViewSet, basename="participation")
    router.register("representations", RepresentationViewSet, basename="representation")
    router.register("charges", ChargeViewSet, basename="charge")
