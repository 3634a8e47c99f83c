"""`/api/v1/proceedings/`, `/api/v1/deadlines/` and `/api/v1/calendar/` (issue 13).

Proceedings (hearings, decisions, appeals lodged, judgments) and deadlines of cases, with
their workflows through `transitions/`; the calendar lists the hearings and deadlines the
caller may see, parties named as the caller may see them.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, OpenApiTypes, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from api.cases.serializers import CaseSummarySerializer
from api.filters import Param, updated_after
from api.permissions import RolePermission
from api.serializers import RECORD_FIELDS, StrictModelSerializer, WorkflowFieldsMixin, uuid_ref
from api.viewsets import CreateMixin, HistoryMixin, RecordViewSet, TransitionsMixin, UpdateMixin
from cases.models import Case, Charge
from core.events import Actor
from warrants import actions, selectors, workflows
from warrants.models import Deadline, Notice, Proceeding, Warrant
from warrants.proceedings import PROCEEDING_STATES, DeadlineKind, ProceedingKind

READ_ONLY = [*RECORD_FIELDS, "status"]


class ProceedingSummarySerializer(serializers.ModelSerializer):
    """A proceeding in passing: an appeal pending against a warrant, the appeal of a hearing."""

    class Meta:
        model = Proceeding
        fields = ["id", "kind", "court", "chamber", "date", "status"]
        read_only_fields = fields


class ProceedingSerializer(WorkflowFieldsMixin, StrictModelSerializer):
    """A step before a court. Its workflow depends on `kind`: a hearing is scheduled, then
    held, postponed or cancelled; an appeal is lodged, heard, decided or withdrawn; a decision
    or judgment is delivered. `status` moves only through transitions."""

    case = uuid_ref(Case.objects.all(), "The case (id).")
    case_summary = CaseSummarySerializer(source="case", read_only=True, help_text="The case.")
    appeal = uuid_ref(
        Proceeding.objects.filter(kind=ProceedingKind.APPEAL_LODGED),
        "The appeal (kind appeal_lodged, same case) this hearing or decision is part of.",
        required=False,
        allow_null=True,
    )
    warrants = uuid_ref(
        Warrant.objects.all(),
        "Ids of the warrants it concerns (same case).",
        many=True,
        required=False,
    )
    charges = uuid_ref(
        Charge.objects.all(),
        "Ids of the charges it concerns (same case).",
        many=True,
        required=False,
    )

    class Meta:
        model = Proceeding
        fields = [
            *RECORD_FIELDS,
            "case",
            "case_summary",
            "kind",
            "court",
            "chamber",
            "reference",
            "date",
            "time",
            "outcome",
            "appeal",
            "warrants",
            "charges",
            "remind_days_before",
            "status",
            "allowed_transitions",
        ]
        read_only_fields = READ_ONLY
        validators: list = []


class ProceedingUpdateSerializer(ProceedingSerializer):
    case = serializers.PrimaryKeyRelatedField(read_only=True, help_text="The case (fixed).")  # type: ignore[assignment]
    kind = serializers.CharField(read_only=True, help_text="The kind (fixed).")

    class Meta(ProceedingSerializer.Meta):
        pass


class DeadlineSerializer(WorkflowFieldsMixin, StrictModelSerializer):
    """A date by which something must be done in a case, reminded `remind_days_before` days
    ahead (default: the REMINDER_DAYS_BEFORE setting). open, then met, missed or cancelled."""

    case = uuid_ref(Case.objects.all(), "The case (id).")
    case_summary = CaseSummarySerializer(source="case", read_only=True, help_text="The case.")
    proceeding = uuid_ref(
        Proceeding.objects.all(),
        "The proceeding it follows from (same case).",
        required=False,
        allow_null=True,
    )
    warrant = uuid_ref(
        Warrant.objects.all(),
        "The warrant it concerns (same case).",
        required=False,
        allow_null=True,
    )
    notice = uuid_ref(
        Notice.objects.all(), "The notice whose review it is.", required=False, allow_null=True
    )

    class Meta:
        model = Deadline
        fields = [
            *RECORD_FIELDS,
            "case",
            "case_summary",
            "kind",
            "title",
            "due_on",
            "proceeding",
            "warrant",
            "notice",
            "remind_days_before",
            "status",
            "allowed_transitions",
        ]
        read_only_fields = READ_ONLY
        validators: list = []


class DeadlineUpdateSerializer(DeadlineSerializer):
    case = serializers.PrimaryKeyRelatedField(read_only=True, help_text="The case (fixed).")  # type: ignore[assignment]

    class Meta(DeadlineSerializer.Meta):
        pass


class ProceedingViewSet(CreateMixin, UpdateMixin, TransitionsMixin, HistoryMixin, RecordViewSet):
    """Court proceedings. Not deleted: a hearing is cancelled, an appeal withdrawn."""

    queryset_model = Proceeding
    selector = selectors.proceedings_visible_to
    serializer_class = ProceedingSerializer
    update_serializer_class = ProceedingUpdateSerializer
    ordering_fields = ["created_at", "updated_at", "date"]
    filters = [
        Param("status", "status", "choice", "Proceeding status.", PROCEEDING_STATES, many=True),
        Param("case", "case_id", "uuid", "Only proceedings of this case."),
        Param("kind", "kind", "choice", "Kind.", ProceedingKind.values, many=True),
        Param("warrant", "warrants", "uuid", "Only proceedings concerning this warrant."),
        Param("appeal", "appeal_id", "uuid", "Only the hearings and decisions of this appeal."),
        updated_after(),
    ]

    def create_record(self, actor: Actor, data: dict[str, Any]) -> Proceeding:
        return actions.proceeding_create(actor=actor, **data)

    def update_record(self, pk, actor, expected_version, changes) -> Proceeding:
        return actions.proceeding_update(
            proceeding_id=pk, actor=actor, expected_version=expected_version, **changes
        )

    def transition_record(self, pk, **kwargs) -> Any:
        return actions.proceeding_transition(proceeding_id=pk, **kwargs)


class DeadlineViewSet(CreateMixin, UpdateMixin, TransitionsMixin, HistoryMixin, RecordViewSet):
    """Deadlines of cases. Not deleted: a deadline is met, missed or cancelled."""

    queryset_model = Deadline
    selector = selectors.deadlines_visible_to
    serializer_class = DeadlineSerializer
    update_serializer_class = DeadlineUpdateSerializer
    ordering_fields = ["created_at", "updated_at", "due_on"]
    filters = [
        Param(
            "status", "status", "choice", "Deadline status.", workflows.DEADLINE.states, many=True
        ),
        Param("case", "case_id", "uuid", "Only deadlines of this case."),
        Param("kind", "kind", "choice", "Kind.", DeadlineKind.values, many=True),
        Param("warrant", "warrant_id", "uuid", "Only deadlines concerning this warrant."),
        updated_after(),
    ]

    def create_record(self, actor: Actor, data: dict[str, Any]) -> Deadline:
        return actions.deadline_create(actor=actor, **data)

    def update_record(self, pk, actor, expected_version, changes) -> Deadline:
        return actions.deadline_update(
            deadline_id=pk, actor=actor, expected_version=expected_version, **changes
        )

    def transition_record(self, pk, **kwargs) -> Any:
        return actions.deadline_transition(deadline_id=pk, **kwargs)


class CalendarEntrySerializer(serializers.Serializer):
    """A hearing or a deadline on a day, described for you."""

    uid = serializers.CharField(help_text="Stable id of the entry (also its iCalendar UID).")
    resource = serializers.CharField(help_text="proceeding or deadline.")
    record_id = serializers.UUIDField(help_text="Id of the hearing or deadline.")
    day = serializers.DateField(help_text="Its day.")
    time = serializers.TimeField(allow_null=True, help_text="A hearing's start, if known.")
    title = serializers.CharField(help_text="What it is.")
    description = serializers.CharField(help_text="The case and warrants, parties as you see them.")
    status = serializers.CharField(help_text="The record's status.")
    case_id = serializers.UUIDField(help_text="The case.")
    case_reference = serializers.CharField(help_text="The case's reference.")
    cancelled = serializers.BooleanField(help_text="Postponed or cancelled: no longer on.")


class CalendarQuerySerializer(serializers.Serializer):
    case = serializers.UUIDField(required=False, help_text="Only this case's entries.")
    start = serializers.DateField(required=False, help_text="From this day (YYYY-MM-DD).")
    end = serializers.DateField(required=False, help_text="Up to this day (YYYY-MM-DD).")

    def validate(self, attrs: dict) -> dict:
        if attrs.get("start") and attrs.get("end") and attrs["end"] < attrs["start"]:
            raise serializers.ValidationError({"end": ["end must not be before start."]})
        unknown = sorted(set(self.initial_data) - set(self.fields))
        if unknown:
            raise serializers.ValidationError({name: ["Unknown parameter."] for name in unknown})
        return attrs


class CalendarViewSet(viewsets.ViewSet):
    """`GET /api/v1/calendar/`: your hearings and deadlines, by day."""

    permission_classes = [RolePermission]
    queryset_model = Proceeding  # reading the calendar needs warrants.view_proceeding

    @extend_schema(
        parameters=[
            OpenApiParameter("case", OpenApiTypes.UUID, description="Only this case's entries."),
            OpenApiParameter("start", OpenApiTypes.DATE, description="From this day."),
            OpenApiParameter("end", OpenApiTypes.DATE, description="Up to this day."),
        ],
        responses=CalendarEntrySerializer(many=True),
    )
    def list(self, request: Request) -> Response:
        query = CalendarQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data
        entries = selectors.calendar_entries(
            request.user,
            case_id=params.get("case"),
            start=params.get("start"),
            end=params.get("end"),
        )
        return Response(CalendarEntrySerializer(entries, many=True).data)


def register(router: Any) -> None:
    router.register("proceedings", ProceedingViewSet, basename="proceeding")
    router.register("deadlines", DeadlineViewSet, basename="deadline")
    router.register("calendar", CalendarViewSet, basename="calendar")
