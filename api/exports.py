"""Exports of the API: any list as CSV (`?format=csv` or `Accept: text/csv`), with the
list's filters and ordering, unpaginated and streamed; and a case's dossier
(`GET /api/v1/cases/<id>/chronology/<pdf|docx|ftm>/`).

A CSV row is the list's own JSON representation of the record (so redacted exactly as the
JSON is), flattened: nested objects as `subject.name`, lists joined by "; ". Cells are
formula-safe (core.tabular). Errors stay application/problem+json.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from django.http import HttpResponse, StreamingHttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import renderers
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.request import Request

from alerts import dossier
from cases.models import Case
from core.tabular import CSV_CONTENT_TYPE, csv_filename, csv_lines
from warrants import exports

from .filters import StrictOrderingFilter

CHUNK = 500


def _as_json(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False, default=str).encode()


def flatten(data: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """`{"subject": {"name": "X"}}` as `{"subject.name": "X"}`; lists of objects as JSON."""
    out: dict[str, Any] = {}
    for key, value in data.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            out.update(flatten(value, f"{name}."))
        elif isinstance(value, list) and any(isinstance(v, dict | list) for v in value):
            out[name] = json.dumps(value, ensure_ascii=False, default=str)
        else:
            out[name] = value
    return out


class CSVRenderer(renderers.BaseRenderer):
    """text/csv, offered by lists only. A list is streamed by `CsvListMixin` and never
    reaches this renderer; what does is an error (its problem+json body, as JSON)."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data: Any, accepted_media_type: Any = None, renderer_context: Any = None):
        response = (renderer_context or {}).get("response")
        if data is None:
            return b""
        if (response is not None and response.status_code >= 400) or not isinstance(data, dict):
            return _as_json(data)
        row = flatten(data)
        return "".join(csv_lines(list(row), [list(row.values())])).encode()


class CsvListMixin:
    """`?format=csv` (or `Accept: text/csv`) on a list: every matching record, streamed."""

    def get_renderers(self) -> list[renderers.BaseRenderer]:
        found = super().get_renderers()  # type: ignore[misc]
        if getattr(self, "action", None) == "list":
            found.append(CSVRenderer())
        return found

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Any:
        view: Any = self
        if getattr(request.accepted_renderer, "format", "") != "csv":
            return super().list(request, *args, **kwargs)  # type: ignore[misc]
        queryset = view.filter_queryset(view.get_queryset())
        # The order the pages would have (`ordering`, else the list's default; ties by id).
        queryset = queryset.order_by(*StrictOrderingFilter().get_ordering(request, queryset, view))
        serializer_class = view.get_serializer_class()
        fields = list(serializer_class().fields)
        context = view.get_serializer_context()

        def rows() -> Iterator[list[Any]]:
            header: list[str] | None = None
            for record in queryset.iterator(chunk_size=CHUNK):
                row = flatten(serializer_class(record, context=context).data)
                if header is None:
                    header = list(row)
                    yield header
                yield [row.get(name, "") for name in header]
            if header is None:
                yield fields

        lines = rows()
        header = next(lines)
        response = StreamingHttpResponse(csv_lines(header, lines), content_type=CSV_CONTENT_TYPE)
        stem = getattr(view, "basename", None) or "export"
        response["Content-Disposition"] = f'attachment; filename="{csv_filename(stem)}"'
        return response


class FileRenderer(renderers.BaseRenderer):
    """Lets a request for a file's own media type through negotiation (the view answers
    with the file); errors are rendered as their problem+json body."""

    media_type = "*/*"
    format = "file"

    def render(self, data: Any, accepted_media_type: Any = None, renderer_context: Any = None):
        return b"" if data is None else _as_json(data)


class DossierMixin:
    """`GET /api/v1/cases/<id>/chronology/<kind>/` for a case's resource."""

    @extend_schema(
        summary="A case's chronology as a file",
        description="The case's timeline, incidents, parties (redacted for you), counsel, "
        "charges, warrants and notices: `pdf`, `docx`, or `ftm` (FollowTheMoney entities, "
        "JSON lines).",
        responses={
            (200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY),
            (200, exports.FORMATS["docx"][0]): OpenApiResponse(OpenApiTypes.BINARY),
            (200, "application/x-ndjson"): OpenApiResponse(OpenApiTypes.STR),
        },
    )
    @action(
        detail=True,
        methods=["get"],
        url_path="chronology/(?P<kind>[a-z]+)",
        renderer_classes=[renderers.JSONRenderer, FileRenderer],
    )
    def chronology(self, request: Request, pk: Any = None, kind: str = "") -> Any:
        view: Any = self
        case = view.get_object()  # 404 for a case the caller may not see
        if kind not in exports.FORMATS:
            raise NotFound(f"No export '{kind}': use one of {', '.join(exports.FORMATS)}.")
        try:
            chronology = dossier.case_dossier(request.user, case.pk)
        except Case.DoesNotExist:
            raise NotFound() from None
        content_type = exports.FORMATS[kind][0]
        response = HttpResponse(exports.render(chronology, kind), content_type=content_type)
        response["Content-Disposition"] = (
            f'attachment; filename="{exports.filename(chronology, kind)}"'
        )
        return response
