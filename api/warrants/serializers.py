"""Warrants and notices as the API shows them, with the nested summaries a client needs."""

from __future__ import annotations

from typing import Any

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import OuterRef, QuerySet
from django.db.models.functions import JSONObject
from rest_framework import serializers
from rest_framework.request import Request

from api.cases.serializers import CaseSummarySerializer
from api.parties.serializers import PartySummarySerializer
from api.serializers import (
    RECORD_FIELDS,
    CountryFieldsMixin,
    Rows,
    StrictModelSerializer,
    WorkflowFieldsMixin,
    allowed_transitions_for,
    uuid_ref,
)
from cases.models import Case, Charge
from parties.models import Party
from parties.selectors import shown_name
from warrants.models import Notice, Proceeding, Warrant
from warrants.proceedings import APPEAL_PENDING, ProceedingKind

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


# WarrantSerializer's output, built from tuples: a page of 100 warrants spent most of its
# time building model instances and their prefetches and walking DRF's fields per row
# (docs/benchmarks.md). tests/api/test_warrant_rows.py checks the two agree, for readers
# who may and may not see protected identities.
PENDING_APPEAL_FIELDS = ProceedingSummarySerializer.Meta.fields
WARRANT_COLUMNS = (
    *RECORD_FIELDS,
    "case_id",
    "case__reference",
    "case__title",
    "case__status",
    "subject_id",
    "subject__kind",
    "subject_shown_name",
    "subject__protected",
    "kind",
    "issuing_country",
    "issuing_authority",
    "reference",
    "requested_on",
    "issued_on",
    "disclosed_on",
    "charge_ids",
    "supersedes_id",
    "status",
    "shown_immunity_risk",
    "shown_functional_immunity_bar",
    "appeal_pending",
    "pending_appeal_rows",
)


def warrant_rows(warrants: QuerySet[Warrant], request: Request) -> QuerySet:
    """`warrants` (warrants_visible_to's, filtered and ordered) as WARRANT_COLUMNS tuples:
    the subject's name as the reader may see it (chosen in SQL: a protected subject's real
    name never leaves the database for one who may not see it), charges and pending appeals
    in the same query."""
    charges = Charge.objects.filter(warrants=OuterRef("pk")).order_by("label", "id")
    appeals = Proceeding.objects.filter(
        warrants=OuterRef("pk"), kind=ProceedingKind.APPEAL_LODGED, status__in=APPEAL_PENDING
    ).order_by("date")
    return (
        warrants.prefetch_related(None)
        .annotate(
            subject_shown_name=shown_name(request.user, "subject"),
            charge_ids=ArraySubquery(charges.values("id")),
            pending_appeal_rows=ArraySubquery(
                appeals.values(row=JSONObject(**{f: f for f in PENDING_APPEAL_FIELDS}))
            ),
        )
        .values_list(*WARRANT_COLUMNS, named=True)
    )


def warrant_items(rows: list[Any], request: Request) -> list[dict[str, Any]]:
    """WarrantSerializer's representation of each of warrant_rows' tuples (UUIDs, dates and
    instants as Python values: the JSON renderer writes them as the serializer does)."""
    return [
        {
            "id": w.id,
            "version": w.version,
            "created_at": w.created_at,
            "updated_at": w.updated_at,
            "case": w.case_id,
            "case_summary": {
                "id": w.case_id,
                "reference": w.case__reference,
                "title": w.case__title,
                "status": w.case__status,
            },
            "subject": w.subject_id,
            "subject_summary": {
                "id": w.subject_id,
                "kind": w.subject__kind,
                "name": w.subject_shown_name,
                "protected": w.subject__protected,
            },
            "kind": w.kind,
            "issuing_country": w.issuing_country,
            "issuing_authority": w.issuing_authority,
            "reference": w.reference,
            "requested_on": w.requested_on,
            "issued_on": w.issued_on,
            "disclosed_on": w.disclosed_on,
            "charges": w.charge_ids,
            "supersedes": w.supersedes_id,
            "status": w.status,
            "allowed_transitions": allowed_transitions_for(w, request, Warrant.WORKFLOW),
            "immunity_risk": w.shown_immunity_risk,
            "functional_immunity_bar": w.shown_functional_immunity_bar,
            "appeal_pending": w.appeal_pending,
            "pending_appeals": [
                {f: appeal[f] for f in PENDING_APPEAL_FIELDS} for appeal in w.pending_appeal_rows
            ],
        }
        for w in rows
    ]


WARRANT_ROWS = Rows(warrant_rows, warrant_items)


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
