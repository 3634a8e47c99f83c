"""Query-string filters declared per list, validated strictly, described in the schema.

Each list declares `filters = [Param(...), ...]`. A value that does not parse
(a non-UUID `case`, an unknown `status`) is a 400 naming the parameter; values
only ever reach the database as bound parameters of ORM lookups.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.dateparse import parse_datetime
from rest_framework import filters
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request

MAX_VALUES = 50


@dataclass(frozen=True)
class Param:
    """One filter: `?name=value` (or `value1,value2` when `many`) → `lookup`."""

    name: str
    lookup: str
    kind: str = "str"  # str | uuid | choice | datetime | date | bool
    description: str = ""
    choices: Sequence[str] = ()
    many: bool = False
    apply: Callable[[QuerySet, Any, Request], QuerySet] | None = field(default=None, compare=False)

    def parse_one(self, raw: str) -> Any:
        if self.kind == "uuid":
            try:
                return uuid.UUID(raw)
            except ValueError:
                raise ValidationError({self.name: [f"'{raw[:40]}' is not a UUID."]}) from None
        if self.kind == "choice":
            if raw not in self.choices:
                raise ValidationError({self.name: [f"Use one of: {', '.join(self.choices)}."]})
            return raw
        if self.kind == "datetime":
            try:
                value = parse_datetime(raw)
            except ValueError:
                value = None
            if value is None:
                raise ValidationError(
                    {self.name: ["Use an ISO 8601 instant, e.g. 2025-07-29T00:00:00Z."]}
                )
            if value.tzinfo is None:
                value = value.replace(tzinfo=datetime.UTC)
            try:
                return value.astimezone(datetime.UTC)
            except (OverflowError, ValueError):
                raise ValidationError({self.name: ["Out of range."]}) from None
        if self.kind == "date":
            try:
                return datetime.date.fromisoformat(raw)
            except ValueError:
                raise ValidationError({self.name: ["Use a date, YYYY-MM-DD."]}) from None
        if self.kind == "bool":
            if raw not in ("true", "false"):
                raise ValidationError({self.name: ["Use true or false."]})
            return raw == "true"
        if len(raw) > 200 or "\x00" in raw:
            raise ValidationError({self.name: ["Too long, or not text."]})
        return raw

    def parse(self, raw: str) -> Any:
        if not self.many:
            return self.parse_one(raw)
        values = [v for v in raw.split(",") if v]
        if not values or len(values) > MAX_VALUES:
            raise ValidationError({self.name: [f"Give 1 to {MAX_VALUES} comma-separated values."]})
        return [self.parse_one(v) for v in values]

    def filter(self, queryset: QuerySet, value: Any, request: Request) -> QuerySet:
        if self.apply is not None:
            return self.apply(queryset, value, request)
        lookup = f"{self.lookup}__in" if self.many else self.lookup
        return queryset.filter(Q(**{lookup: value}))

    def openapi(self) -> dict[str, Any]:
        schema: dict[str, Any] = {"type": "string"}
        if self.kind == "uuid":
            schema = {"type": "string", "format": "uuid"}
        elif self.kind == "choice":
            schema = {"type": "string", "enum": list(self.choices)}
        elif self.kind == "datetime":
            schema = {"type": "string", "format": "date-time"}
        elif self.kind == "date":
            schema = {"type": "string", "format": "date"}
        elif self.kind == "bool":
            schema = {"type": "boolean"}
        if self.many:
            schema = {"type": "array", "items": schema}
        param: dict[str, Any] = {
            "name": self.name,
            "in": "query",
            "required": False,
            "description": self.description
            + (" Comma-separated values match any." if self.many else ""),
            "schema": schema,
        }
        if self.many:
            param.update(style="form", explode=False)
        return param


def updated_after() -> Param:
    return Param(
        "updated_after",
        "updated_at__gt",
        "datetime",
        "Only records changed after this instant (for incremental sync; pair with "
        "ordering=updated_at).",
    )


class ParamFilter(filters.BaseFilterBackend):
    """Applies the view's declared `filters` to its queryset (list views only)."""

    def filter_queryset(self, request: Request, queryset: QuerySet, view: Any) -> QuerySet:
        if getattr(view, "action", None) != "list":
            return queryset
        for param in getattr(view, "filters", []):
            raw = request.query_params.get(param.name)
            if raw is None:
                continue
            queryset = param.filter(queryset, param.parse(raw), request)
        return queryset

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        if getattr(view, "action", None) != "list":
            return []
        return [param.openapi() for param in getattr(view, "filters", [])]


class StrictOrderingFilter(filters.OrderingFilter):
    """`ordering=field` or `-field` among the view's `ordering_fields`; anything else is a 400."""

    ordering_param = "ordering"

    def get_ordering(self, request: Request, queryset: QuerySet, view: Any):
        raw = request.query_params.get(self.ordering_param)
        allowed = list(getattr(view, "ordering_fields", []))
        if raw is None or raw == "":
            default = self.get_default_ordering(view) or ("-created_at",)
            return (*default, "id")
        if raw.lstrip("-") not in allowed or raw.count("-") > 1 or "," in raw:
            options = ", ".join(f"{f}, -{f}" for f in allowed)
            raise ValidationError({self.ordering_param: [f"Order by one of: {options}."]})
        # A view may sort a public field by another expression (`ordering_aliases`: parties'
        # `name` is the name the reader sees). `id` breaks ties so pages never overlap or
        # drop rows with equal values.
        field = getattr(view, "ordering_aliases", {}).get(raw.lstrip("-"), raw.lstrip("-"))
        return ("-" if raw.startswith("-") else "") + field, "id"

    def filter_queryset(self, request: Request, queryset: QuerySet, view: Any) -> QuerySet:
        # Cursor pagination applies the ordering itself (with a tie-breaker).
        return queryset

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        if getattr(view, "action", None) != "list":
            return []
        allowed = list(getattr(view, "ordering_fields", []))
        return [
            {
                "name": self.ordering_param,
                "required": False,
                "in": "query",
                "description": "Sort order; `-` for descending. Default: "
                + ", ".join(getattr(view, "ordering", None) or ["-created_at"])
                + ".",
                "schema": {"type": "string", "enum": [*allowed, *[f"-{f}" for f in allowed]]},
            }
        ]
