"""Cases, incidents, participations, representations and charges as the API shows them."""

from __future__ import annotations

from rest_framework import serializers

from api.parties.serializers import PartySummarySerializer
from api.serializers import (
    RECORD_FIELDS,
    ReviewStateSerializer,
    StrictModelSerializer,
    WorkflowFieldsMixin,
    uuid_ref,
)
from cases.models import Case, Charge, Incident, Participation, Representation
from parties.models import Party

READ_ONLY = [*RECORD_FIELDS, "status"]


class CaseSummarySerializer(serializers.ModelSerializer):
    """The case a record belongs to."""

    class Meta:
        model = Case
        fields = ["id", "reference", "title", "status"]
        read_only_fields = fields


class CaseSerializer(WorkflowFieldsMixin, StrictModelSerializer):
    """One proceeding before one forum. `status` moves only through transitions."""

    class Meta:
        model = Case
        fields = [
            *RECORD_FIELDS,
            "reference",
            "title",
            "summary",
            "jurisdiction",
            "forum",
            "basis",
            "opened_on",
            "status",
            "allowed_transitions",
        ]
        read_only_fields = READ_ONLY


class IncidentSerializer(StrictModelSerializer):
    """An event the case is about."""

    case = uuid_ref(Case.objects.all(), "The case (id).")
    case_summary = CaseSummarySerializer(source="case", read_only=True, help_text="The case.")

    class Meta:
        model = Incident
        fields = [
            *RECORD_FIELDS,
            "case",
            "case_summary",
            "title",
            "started_on",
            "ended_on",
            "place",
            "description",
            "casualties",
        ]
        read_only_fields = RECORD_FIELDS


class IncidentUpdateSerializer(IncidentSerializer):
    case = serializers.PrimaryKeyRelatedField(read_only=True, help_text="The case (fixed).")  # type: ignore[assignment]

    class Meta(IncidentSerializer.Meta):
        pass


class ParticipationSummarySerializer(serializers.ModelSerializer):
    """A participation nested in another record."""

    party = PartySummarySerializer(read_only=True, help_text="The party (redacted if protected).")

    class Meta:
        model = Participation
        fields = ["id", "case", "party", "role", "status"]
        read_only_fields = fields


class ParticipationSerializer(WorkflowFieldsMixin, StrictModelSerializer):
    """A party's role in a case; its workflow depends on the role. Fixed once created."""

    case = uuid_ref(Case.objects.all(), "The case (id).")
    party = uuid_ref(Party.objects.all(), "The party (id).")
    case_summary = CaseSummarySerializer(source="case", read_only=True, help_text="The case.")
    party_summary = PartySummarySerializer(
        source="party", read_only=True, help_text="The party (redacted if protected)."
    )

    class Meta:
        model = Participation
        fields = [
            *RECORD_FIELDS,
            "case",
            "case_summary",
            "party",
            "party_summary",
            "role",
            "status",
            "allowed_transitions",
        ]
        read_only_fields = READ_ONLY
        validators: list = []  # uniqueness is the action's (and the database's) to report


class RepresentationSerializer(WorkflowFieldsMixin, StrictModelSerializer):
    """Counsel acting for a participant."""

    counsel = uuid_ref(Party.objects.all(), "The lawyer (a person party's id).")
    client = uuid_ref(Participation.objects.all(), "The participation represented (id).")
    counsel_summary = PartySummarySerializer(
        source="counsel", read_only=True, help_text="The lawyer."
    )
    client_summary = ParticipationSummarySerializer(
        source="client", read_only=True, help_text="The participant represented."
    )

    class Meta:
        model = Representation
        fields = [
            *RECORD_FIELDS,
            "counsel",
            "counsel_summary",
            "client",
            "client_summary",
            "bar",
            "status",
            "allowed_transitions",
        ]
        read_only_fields = READ_ONLY
        validators: list = []


class RepresentationUpdateSerializer(RepresentationSerializer):
    counsel = serializers.PrimaryKeyRelatedField(read_only=True, help_text="The lawyer (fixed).")  # type: ignore[assignment]
    client = serializers.PrimaryKeyRelatedField(read_only=True, help_text="The client (fixed).")  # type: ignore[assignment]

    class Meta(RepresentationSerializer.Meta):
        pass


class ChargeSerializer(WorkflowFieldsMixin, StrictModelSerializer):
    """An accusation against an accused in a case. Lawyers review it."""

    case = uuid_ref(Case.objects.all(), "The case (id).")
    accused = uuid_ref(
        Participation.objects.all(),
        "The accused: a participation with role accused in the same case (id).",
    )
    case_summary = CaseSummarySerializer(source="case", read_only=True, help_text="The case.")
    accused_summary = ParticipationSummarySerializer(
        source="accused", read_only=True, help_text="The accused."
    )
    review = ReviewStateSerializer(source="*", read_only=True, help_text="Lawyers' sign-off.")

    class Meta:
        model = Charge
        fields = [
            *RECORD_FIELDS,
            "case",
            "case_summary",
            "accused",
            "accused_summary",
            "offence",
            "label",
            "legal_basis",
            "mode_of_liability",
            "qualification_text",
            "status",
            "allowed_transitions",
            "review",
        ]
        read_only_fields = READ_ONLY


class ChargeUpdateSerializer(ChargeSerializer):
    case = serializers.PrimaryKeyRelatedField(read_only=True, help_text="The case (fixed).")  # type: ignore[assignment]
    accused = serializers.PrimaryKeyRelatedField(read_only=True, help_text="The accused (fixed).")  # type: ignore[assignment]

    class Meta(ChargeSerializer.Meta):
        pass
