"""Serializer building blocks shared by every resource."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.utils.translation import get_language
from django_countries import countries
from django_countries.fields import CountryField as CountryModelField
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.fields import flatten_choices_dict, to_choices_dict

from .authentication import read_only_key


def wrong_json_type(field: serializers.Field, value: Any) -> str | None:
    """DRF coerces 12 to "12" and "12" to 12; the schema promises JSON types, so refuse both."""
    if value is None:
        return None
    if isinstance(field, serializers.BooleanField):
        return None if isinstance(value, bool) else "Must be true or false."
    if isinstance(field, serializers.IntegerField):
        ok = isinstance(value, int) and not isinstance(value, bool)
        return None if ok else "Must be a whole number."
    if isinstance(field, serializers.ListField | serializers.ManyRelatedField):
        if not isinstance(value, list):
            return "Must be a list."
        child = getattr(field, "child", None) or getattr(field, "child_relation", None)
        problems = [wrong_json_type(child, v) for v in value] if child is not None else []
        return next((f"Each item: {p}" for p in problems if p), None)
    if isinstance(field, serializers.RelatedField) and value == "":
        return "Must be an id (a UUID), or null."
    if isinstance(
        field,
        serializers.CharField
        | serializers.ChoiceField
        | serializers.DateField
        | serializers.DateTimeField
        | serializers.UUIDField
        | serializers.RelatedField,
    ):
        return None if isinstance(value, str) else "Must be a string."
    return None


class StrictSerializerMixin:
    """Unknown or read-only fields in a write are a 400, never silently dropped; so are values
    of the wrong JSON type."""

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, Mapping):
            fields = self.fields  # type: ignore[attr-defined]
            writable = {name for name, f in fields.items() if not f.read_only}
            errors: dict[str, Any] = {
                name: [
                    "Read-only field: it changes only through its own endpoint or by itself."
                    if name in fields
                    else "Unknown field."
                ]
                for name in sorted(set(data) - writable)
            }
            for name in sorted(set(data) & writable):
                problem = wrong_json_type(fields[name], data[name])
                if problem:
                    errors[name] = [problem]
            if errors:
                # Report the other fields' problems too, in one answer.
                try:
                    super().to_internal_value(data)  # type: ignore[misc]
                except serializers.ValidationError as more:
                    if isinstance(more.detail, dict):
                        errors = {**more.detail, **errors}
                raise serializers.ValidationError(errors)
        return super().to_internal_value(data)  # type: ignore[misc]


@cache
def _country_choices(language: str | None) -> tuple[dict, dict, dict]:
    """The ~250 countries, named and sorted in `language`: built once per language, not per
    serializer (they were 44% of a single warrant's request)."""
    grouped = to_choices_dict(list(countries))
    flat = flatten_choices_dict(grouped)
    return grouped, flat, {str(code): code for code in flat}


class CountryChoiceField(serializers.ChoiceField):
    """An ISO 3166-1 alpha-2 code, one of django-countries' (its names in the request's
    language, for the schema and the browsable API)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.pop("choices", None)
        super().__init__(choices=(), **kwargs)

    def _set_choices(self, choices: Any) -> None:
        # Shared, never mutated: DRF only reads them.
        self.grouped_choices, self._choices, self.choice_strings_to_values = _country_choices(
            get_language()
        )

    choices = property(serializers.ChoiceField._get_choices, _set_choices)


class CountryFieldsMixin:
    """Model serializers map a django-countries field to CountryChoiceField."""

    def build_standard_field(self, field_name: str, model_field: Any) -> Any:
        field_class, field_kwargs = super().build_standard_field(field_name, model_field)  # type: ignore[misc]
        if isinstance(model_field, CountryModelField) and not model_field.multiple:
            field_class = CountryChoiceField
        return field_class, field_kwargs


class StrictModelSerializer(StrictSerializerMixin, CountryFieldsMixin, serializers.ModelSerializer):
    pass


class StrictSerializer(StrictSerializerMixin, serializers.Serializer):
    pass


def uuid_ref(queryset: Any, help_text: str, **kwargs: Any) -> serializers.PrimaryKeyRelatedField:
    """A reference by UUID: a malformed id is 'not a valid UUID', an unknown one does not exist."""
    return serializers.PrimaryKeyRelatedField(
        queryset=queryset, pk_field=serializers.UUIDField(), help_text=help_text, **kwargs
    )


def allowed_transitions_for(record: Any, request: Any, workflow: Any = None) -> list[str]:
    """Transitions the caller may perform now: by status, role, key scope and guards.
    `workflow`: the record's (default `record.workflow`; give it for a row that is no model
    instance)."""
    if request is None or read_only_key(request):
        return []
    return [t.name for t in (workflow or record.workflow).allowed_for(record, request.user)]


@dataclass(frozen=True)
class Rows:
    """A resource's representation built from tuples, not from model instances through its
    serializer (which still validates writes and gives the schema): `select` turns the
    selector's queryset into a values_list one, `items` its rows into the serializer's
    output. For the lists and details read most (RecordViewSet.rows)."""

    select: Callable[[Any, Any], Any]
    items: Callable[[list[Any], Any], list[dict[str, Any]]]


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
    source = serializers.UUIDField(  # type: ignore[assignment]
        required=False,
        allow_null=True,
        help_text="Id of a source (/api/v1/sources/) the change rests on; the event names it.",
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
