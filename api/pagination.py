"""Cursor pagination for lists, and `after=<seq>` pagination for event feeds.

Both answer `{"next": url|null, "previous": url|null, "results": [...]}`.
A bad cursor or page size is a 400 naming the parameter, never a 404 or 500.
"""

from __future__ import annotations

from base64 import b64decode
from typing import Any
from urllib.parse import parse_qs

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import pagination
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 200


def page_size_from(request: Request, default: int = DEFAULT_PAGE_SIZE) -> int:
    raw = request.query_params.get("page_size")
    if raw is None or raw == "":
        return default
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_PAGE_SIZE:
        raise ValidationError({"page_size": [f"Give a whole number from 1 to {MAX_PAGE_SIZE}."]})
    return int(raw)


def is_cursor(encoded: str) -> bool:
    """Whether `encoded` has the shape of a cursor DRF wrote (base64 of `o=..&r=..&p=..`).

    DRF's own decoding drops characters outside base64 and reads what is left, so
    `cursor=!!!` would silently answer the first page.
    """
    try:
        tokens = parse_qs(b64decode(encoded.encode("ascii"), validate=True).decode("ascii"))
    except (ValueError, UnicodeError):
        return False
    return bool(tokens) and set(tokens) <= {"o", "r", "p"}


class CursorPagination(pagination.CursorPagination):
    """Stable under inserts; `ordering` (see each list's parameters) picks the order."""

    page_size = DEFAULT_PAGE_SIZE
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE
    ordering = "-created_at"
    cursor_query_param = "cursor"

    def get_page_size(self, request: Request) -> int:
        return page_size_from(request, self.page_size)

    def decode_cursor(self, request: Request):
        encoded = request.query_params.get(self.cursor_query_param)
        try:
            if encoded is not None and not is_cursor(encoded):
                raise ValueError(encoded)
            return super().decode_cursor(request)
        except Exception:
            raise ValidationError(
                {"cursor": ["Not a cursor this API gave; follow `next`."]}
            ) from None

    def paginate_queryset(self, queryset, request, view=None):
        try:
            return super().paginate_queryset(queryset, request, view)
        except (DjangoValidationError, ValueError, TypeError, OverflowError):
            # A well-formed cursor carrying a position the ordering's field cannot parse.
            raise ValidationError(
                {"cursor": ["Not a cursor this API gave; follow `next`."]}
            ) from None

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        return [
            {
                "name": "cursor",
                "required": False,
                "in": "query",
                "description": "Opaque position from a previous page's `next` or `previous`.",
                "schema": {"type": "string"},
            },
            page_size_parameter(),
        ]


def page_size_parameter() -> dict[str, Any]:
    return {
        "name": "page_size",
        "required": False,
        "in": "query",
        "description": f"Results per page, 1 to {MAX_PAGE_SIZE} (default {DEFAULT_PAGE_SIZE}).",
        "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE},
    }


class FeedPagination(pagination.BasePagination):
    """Keyset on `seq`: `after=N` returns events with seq > N, ascending.

    `next` carries `after=<last seq of this page>` while a full page came back;
    a client that keeps the last seq it processed can always resume from it.
    `key` is the field shown as `seq`: the feed pages on `feed_position` (core.feed).
    """

    key = "seq"

    def paginate_queryset(self, queryset, request: Request, view=None) -> list[Any]:
        self.request = request
        self.page_size = page_size_from(request)
        raw = request.query_params.get("after", "")
        if raw and not raw.isdigit():
            raise ValidationError(
                {"after": ["Give the seq (a whole number) of the last event read."]}
            )
        after = int(raw or 0)
        if after > 2**63 - 1:
            raise ValidationError({"after": ["Too large for a seq."]})
        self.page = list(
            queryset.filter(**{f"{self.key}__gt": after}).order_by(self.key)[: self.page_size]
        )
        return self.page

    def get_next_link(self) -> str | None:
        if len(self.page) < self.page_size:
            return None
        url = self.request.build_absolute_uri()
        return replace_query_param(url, "after", getattr(self.page[-1], self.key))

    def get_paginated_response(self, data: Any) -> Response:
        return Response({"next": self.get_next_link(), "previous": None, "results": data})

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        return {
            "type": "object",
            "required": ["next", "previous", "results"],
            "properties": {
                "next": {
                    "type": "string",
                    "nullable": True,
                    "format": "uri",
                    "description": "The next page (after the last seq of this one), if full.",
                },
                "previous": {"type": "string", "nullable": True, "description": "Always null."},
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        return [
            {
                "name": "after",
                "required": False,
                "in": "query",
                "description": "Return events with seq greater than this (the last seq you read).",
                "schema": {"type": "integer", "minimum": 0},
            },
            page_size_parameter(),
        ]
