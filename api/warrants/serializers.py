"""Warrants and notices as the API shows them, with the nested summaries a client needs."""

from __future__ import annotations

from rest_framework import serializers

from api.cases.serializers import CaseSummarySerializer
from api.parties.serializers import PartySummarySerializer
from api.serializers import (
    RECORD_FIELDS,
    CountryFieldsMixin,
    StrictModelSerializer,
    WorkflowFieldsMixin,
    uuid_ref,
)
from cases.models import Case, Charge
from parties.models import Party
from warrants.models import Notice, Warrant

from .proceedings import ProceedingSummarySerializer

READ_ONLY = [*RECORD_FIELDS, "status"]


class WarrantSummarySerializer(CountryFieldsMixin, serializers.ModelSerializer):
    """The warrant a notice rests on, with its status."""

    class Meta:
        model = Warrant
        fields = ["id", "reference", "kind", "issuing_country", "status", "issued_on"]
        read_only_fields = fields


class WarrantSerializer(WorkflowFieldsMixin, StrictModelSerializer):
    """A warrant against one person. `status` moves only through transitions."""

    case = uuid_ref(Case.objects.all(), "The case (id).")
    subject = uuid_ref(Party.objects.all(), "The person sought (a person party's id).")
    charges = uuid_ref(
        Charge.objects.all(), "Ids of the charges it rests on.", many=True, required=False
    )
    supersedes = uuid_ref(
        Warrant.objects.all(),
        "An earlier warrant this one replaces (e.g. after an annulment).",
        required=False,
        allow_null=True,
    )
    case_summary = CaseSummarySerializer(source="case", read_only=True, help_text="The case.")
    subject_summary = PartySummarySerializer(
        source="subject", read_only=True, help_text="The person sought (redacted if protected)."
    )
    immunity_risk = serializers.BooleanField(
        source="shown_immunity_risk",
        read_only=True,
        allow_null=True,
        help_text="The subject held a position with personal immunity on issued_on. null when "
        "the subject is protected and you may not see protected identities: a risk would tell "
        "that the person held high office.",
    )
    functional_immunity_bar = serializers.BooleanField(
        source="shown_functional_immunity_bar",
        read_only=True,
        allow_null=True,
        help_text="Functional immunity (ratione materiae) may bar it: the subject held a State "
        "office and it rests on a charge that is not an international crime (no bar for "
        "genocide, crimes against humanity, war crimes, torture, enforced disappearance). null "
        "as immunity_risk.",
    )
    appeal_pending = serializers.BooleanField(
        read_only=True,
        help_text="An appeal against it is lodged or heard, not yet decided (see pending_appeals).",
    )
    pending_appeals = ProceedingSummarySerializer(
        many=True,
        read_only=True,
        help_text="The appeals pending against it (/api/v1/proceedings/), oldest first.",
    )

    class Meta:
        model = Warrant
        fields = [
            *RECORD_FIELDS,
            "case",
            "case_summary",
            "subject",
            "subject_summary",
            "kind",
            "issuing_country",
            "issuing_authority",
            "reference",
            "requested_on",
            "issued_on",
            "disclosed_on",
            "charges",
            "supersedes",
            "status",
            "allowed_transitions",
            "immunity_risk",
            "functional_immunity_bar",
            "appeal_pending",
            "pending_appeals",
        ]
        read_only_fields = [*READ_ONLY, "issued_on"]
        validators: list = []  # uniqueness is the action's (and the database's) to report


class WarrantCreateSerializer(WarrantSerializer):
    issued_on = serializers.DateField(
        required=False,
        allow_null=True,
        help_text="Give it to create the warrant as issued; else it starts as requested.",
    )

    class Meta(WarrantSerializer.Meta):
        read_only_fields = READ_ONLY


class WarrantUpdateSerializer(WarrantSerializer):
    case = serializers.PrimaryKeyRelatedField(read_only=True, help_text="The case (fixed).")  # type: ignore[assignment]
    subject = serializers.PrimaryKeyRelatedField(read_only=True, help_text="The person (fixed).")  # type: ignore[assignment]
    charges = serializers.PrimaryKeyRelatedField(  # type: ignore[assignment]
        many=True, read_only=True, help_text="Charges (set at creation)."
    )

    class Meta(WarrantSerializer.Meta):
        pass


class NoticeSerializer(WorkflowFieldsMixin, StrictModelSerializer):
    """An INTERPOL notice. `public_listing` is what INTERPOL's public site last showed."""

    subject = uuid_ref(
        Party.objects.all(),
        "The party it is about (default: the warrant's subject).",
        required=False,
    )
    warrant = uuid_ref(
        Warrant.objects.all(),
        "The warrant it rests on (required for red notices).",
        required=False,
        allow_null=True,
    )
    subject_summary = PartySummarySerializer(
        source="subject", read_only=True, help_text="The party (redacted if protected)."
    )
    warrant_summary = WarrantSummarySerializer(
        source="warrant", read_only=True, allow_null=True, help_text="The warrant and its status."
    )
    case = serializers.UUIDField(
        source="warrant.case_id",
        read_only=True,
        allow_null=True,
        default=None,
        help_text="The warrant's case, if any.",
    )

    class Meta:
        model = Notice
        fields = [
            *RECORD_FIELDS,
            "kind",
            "subject",
            "subject_summary",
            "warrant",
            "warrant_summary",
            "case",
            "requesting_country",
            "interpol_id",
            "visibility",
            "requested_on",
            "published_on",
            "public_listing",
            "status",
            "allowed_transitions",
        ]
        read_only_fields = [*READ_ONLY, "published_on", "public_listing"]
        validators: list = []


class NoticeUpdateSerializer(NoticeSerializer):
    kind = serializers.CharField(read_only=True, help_text="Notice colour (fixed).")
    subject = serializers.PrimaryKeyRelatedField(read_only=True, help_text="The party (fixed).")  # type: ignore[assignment]
    warrant = serializers.PrimaryKeyRelatedField(read_only=True, help_text="The warrant (fixed).")  # type: ignore[assignment]

    class Meta(NoticeSerializer.Meta):
        pass
