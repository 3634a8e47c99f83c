"""Serializer building blocks shared by every resource."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .authentication import read_only_key


class StrictSerializerMixin:
    """Unknown or read-only fields in a write are a 400, never silently dropped."""

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, Mapping):
            fields = self.fields  # type: ignore[attr-defined]
            writable = {name for name, f in fields.items() if not f.read_only}
            errors = {
                name: [
                    "Read-only field: it changes only through its own endpoint or by itself."
                    if name in fields
                    else "Unknown field."
                ]
                for name in sorted(set(data) - writable)
            }
            if errors:
                raise serializers.ValidationError(errors)
        return super().to_internal_value(data)  # type: ignore[misc]


class StrictModelSerializer(StrictSerializerMixin, serializers.ModelSerializer):
    pass


class StrictSerializer(StrictSerializerMixin, serializers.Serializer):
    pass


def uuid_ref(queryset: Any, help_text: str, **kwargs: Any) -> serializers.PrimaryKeyRelatedField:
    """A reference by UUID: a malformed id is 'not a valid UUID', an unknown one does not exist."""
    return serializers.PrimaryKeyRelatedField(
        queryset=queryset, pk_field=serializers.UUIDField(), help_text=help_text, **kwargs
    )


def allowed_transitions_for(record: Any, request: Any) -> list[str]:
    """Transitions the caller may perform now: by status, role, key scope and guards."""
    if request is None or read_only_key(request):
        return []
    workflow = record.workflow
    if workflow.permission and not request.user.has_perm(workflow.permission):
        return []
    allowed = []
    for transition in workflow.allowed_from(record.status):
        try:
            transition.check_guards(record)
        except DjangoValidationError:
            continue
        allowed.append(transition.name)
    return allowed


class WorkflowFieldsMixin(serializers.Serializer):
    """`allowed_transitions` for records with a workflow."""

    allowed_transitions = serializers.SerializerMethodField(
        help_text="Transitions you may perform now (POST .../transitions/)."
    )

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_allowed_transitions(self, record: Any) -> list[str]:
        return allowed_transitions_for(record, self.context.get("request"))


class TransitionSerializer(StrictSerializer):
    """A transition request (domain.md §2)."""

    transition = serializers.CharField(
        max_length=64, help_text="Name of the transition, e.g. issue."
    )
    effective_date = serializers.DateField(
        required=False,
        allow_null=True,
        help_text="The legal date (YYYY-MM-DD), default today; some transitions require it.",
    )
    note = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=10000,
        help_text="Free text recorded with the event; some transitions require it.",
    )


class ReviewSerializer(StrictSerializer):
    """A lawyer's review decision (domain.md §4)."""

    decision = serializers.ChoiceField(
        choices=["approve", "request_changes"], help_text="approve or request_changes."
    )
    comment = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=10000,
        help_text="Required with request_changes: what should change.",
    )


class ReviewStateSerializer(serializers.Serializer):
    """The review of a party or charge."""

    state = serializers.CharField(
        source="review", help_text="unreviewed, approved or changes_requested."
    )
    reviewer = serializers.CharField(
        source="reviewed_by.username", default=None, allow_null=True, help_text="Who reviewed it."
    )
    reviewed_at = serializers.DateTimeField(allow_null=True, help_text="When.")
    comment = serializers.CharField(source="review_comment", help_text="The reviewer's comment.")


RECORD_FIELDS = ["id", "version", "created_at", "updated_at"]
