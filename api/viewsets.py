"""The base of every record endpoint: scoped lists and details, writes through actions,
`transitions/`, `history/`, `review/`, and ETag / If-Match / If-None-Match.

A resource subclasses `RecordViewSet` (list, retrieve) with the mixins it
supports (`CreateMixin`, `UpdateMixin`, `TransitionsMixin`, `HistoryMixin`,
`ReviewMixin`), names its selector, serializers and filters, and implements
the mixins' `*_record` hooks by calling its actions. Everything else (404 for
what the caller may not see, 412, 304, 409, problem+json) comes from here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from django.db import models
from drf_spectacular.utils import OpenApiParameter, OpenApiTypes, extend_schema
from rest_framework import exceptions, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.generics import get_object_or_404
from rest_framework.request import Request
from rest_framework.response import Response

from alerts.sources import sources_visible_to
from core.actions import VersionConflict
from core.events import Actor, citing
from core.selectors import events_for

from .authentication import actor_for
from .events import EventPageSerializer, EventSerializer
from .exports import CsvListMixin
from .filters import Param, ParamFilter, StrictOrderingFilter
from .pagination import CursorPagination, FeedPagination
from .permissions import RolePermission
from .serializers import ReviewSerializer, Rows, TransitionSerializer

UUID_PATTERN = r"[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}"

IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description='The ETag you read, e.g. "3": the write happens only if the record is still at '
    "that version, else 412.",
)
IF_NONE_MATCH = OpenApiParameter(
    "If-None-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description='The ETag you hold, e.g. "3": 304 without a body if the record is unchanged.',
)


def etag(version: int) -> str:
    return f'"{version}"'


def parse_etags(header: str) -> set[str] | None:
    """Versions listed in an If-Match / If-None-Match header; None for `*`."""
    if header.strip() == "*":
        return None
    tags = set()
    for part in header.split(","):
        part = part.strip()
        if part.startswith("W/"):
            part = part[2:]
        tags.add(part.strip('"'))
    return tags


class ETagMixin:
    """ETag on every single-record response; If-None-Match → 304; If-Match → expected version."""

    def finalize_response(self, request: Request, response: Response, *args: Any, **kwargs: Any):
        data = getattr(response, "data", None)
        if (
            200 <= response.status_code < 300
            and isinstance(data, dict)
            and isinstance(data.get("version"), int)
        ):
            response["ETag"] = etag(data["version"])
        return super().finalize_response(request, response, *args, **kwargs)  # type: ignore[misc]

    def expected_version(self, request: Request, record: Any) -> int | None:
        """The version If-Match asks for (None without the header); 412 if it cannot match."""
        header = request.headers.get("If-Match")
        if header is None:
            return None
        tags = parse_etags(header)
        if tags is None:
            return None
        if str(record.version) not in tags:
            given = next(iter(tags)) if len(tags) == 1 else ""
            raise VersionConflict(record, int(given) if given.isdigit() else -1)
        return record.version


class RecordViewSet(ETagMixin, CsvListMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """Base of every record endpoint. No deletes: legal records are retired by transitions."""

    queryset_model: ClassVar[type[models.Model]]
    selector: ClassVar[Callable[[Any], models.QuerySet]]
    # The same records, undecorated (no joins, annotations, prefetches): a 304 reads only
    # their version. Default: the selector.
    scope: ClassVar[Callable[[Any], models.QuerySet] | None] = None
    create_serializer_class: ClassVar[Any] = None
    update_serializer_class: ClassVar[Any] = None
    rows: ClassVar[Rows | None] = None  # reads built from tuples (lists, details, write answers)
    filters: ClassVar[list[Param]] = []
    ordering_fields: ClassVar[list[str]] = ["created_at", "updated_at"]
    ordering: ClassVar[list[str]] = ["-created_at"]

    serializer_class: Any = None
    permission_classes = [RolePermission]
    pagination_class = CursorPagination
    filter_backends = [ParamFilter, StrictOrderingFilter]
    lookup_value_regex = UUID_PATTERN
    http_method_names = ["get", "post", "patch", "head", "options"]  # never delete

    def get_queryset(self) -> models.QuerySet:
        return type(self).selector(self.request.user)

    def get_serializer_class(self) -> Any:
        if self.action == "create" and self.create_serializer_class:
            return self.create_serializer_class
        if self.action == "partial_update" and self.update_serializer_class:
            return self.update_serializer_class
        if self.action == "transitions":
            return TransitionSerializer
        if self.action == "review":
            return ReviewSerializer
        return self.serializer_class

    def actor(self) -> Actor:
        return actor_for(self.request)

    def fresh(self, pk: Any) -> Any:
        """Re-read a record through the selector (nested summaries, redaction, scope)."""
        return get_object_or_404(self.get_queryset(), pk=pk)

    def render(self, record: Any, code: int = status.HTTP_200_OK, **headers: str) -> Response:
        data = self.serializer_class(record, context=self.get_serializer_context()).data
        return Response(data, status=code, headers=headers or None)

    def render_fresh(self, pk: Any, code: int = status.HTTP_200_OK, **headers: str) -> Response:
        """The record re-read through the selector, as the caller may see it; 404 if they
        may not."""
        if self.rows is None:
            return self.render(self.fresh(pk), code, **headers)
        rows = self.rows.select(self.get_queryset(), self.request)
        data = self.rows.items([get_object_or_404(rows, pk=pk)], self.request)[0]
        return Response(data, status=code, headers=headers or None)

    # Reads ------------------------------------------------------------------

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        if self.rows is None or getattr(request.accepted_renderer, "format", "") == "csv":
            return super().list(request, *args, **kwargs)
        queryset = self.rows.select(self.filter_queryset(self.get_queryset()), request)
        page = self.paginate_queryset(queryset) or []
        return self.get_paginated_response(self.rows.items(page, request))

    @extend_schema(parameters=[IF_NONE_MATCH])
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        header = request.headers.get("If-None-Match")
        if header is not None:
            # A 304 needs the version alone: read it, scoped as the record, and nothing else.
            lookup = {self.lookup_field: self.kwargs[self.lookup_url_kwarg or self.lookup_field]}
            scope = type(self).scope or type(self).selector
            versions = scope(request.user).values_list("version", flat=True)
            version = get_object_or_404(versions, **lookup)
            tags = parse_etags(header)
            if tags is None or str(version) in tags:
                return Response(
                    status=status.HTTP_304_NOT_MODIFIED, headers={"ETag": etag(version)}
                )
        if self.rows is None:
            return self.render(self.get_object())
        return self.render_fresh(self.kwargs[self.lookup_url_kwarg or self.lookup_field])


class CreateMixin:
    """`POST <list>/` through the resource's create action (`create_record`)."""

    def create_record(self, actor: Actor, data: dict[str, Any]) -> Any:
        raise NotImplementedError

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        view: Any = self
        serializer = view.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        record = self.create_record(view.actor(), dict(serializer.validated_data))
        location = request.build_absolute_uri(f"{request.path}{record.pk}/")
        return view.render_fresh(record.pk, status.HTTP_201_CREATED, Location=location)


class UpdateMixin:
    """`PATCH <id>/` through the resource's update action (`update_record`), with If-Match."""

    def update_record(
        self, pk: Any, actor: Actor, expected_version: int | None, changes: dict[str, Any]
    ) -> Any:
        raise NotImplementedError

    @extend_schema(parameters=[IF_MATCH])
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        view: Any = self
        record = view.get_object()
        serializer = view.get_serializer(record, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        expected = view.expected_version(request, record)
        self.update_record(record.pk, view.actor(), expected, dict(serializer.validated_data))
        return view.render_fresh(record.pk)


class TransitionsMixin:
    """`POST <id>/transitions/` through the resource's transition action."""

    def transition_record(self, pk: Any, **kwargs: Any) -> Any:
        raise NotImplementedError

    @extend_schema(
        parameters=[IF_MATCH],
        summary="Perform a transition",
        description="Moves the record through its workflow (domain.md §2) and records one "
        "event. 409 lists `allowed_transitions` when the transition is not allowed from the "
        "current status; 400 names a missing `note` or `effective_date`.",
    )
    @action(detail=True, methods=["post"], url_path="transitions")
    def transitions(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        view: Any = self
        record = view.get_object()
        serializer = TransitionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        source_id = data.get("source")
        if source_id is not None and not sources_visible_to(request.user).filter(pk=source_id):
            raise exceptions.ValidationError({"source": ["No such source, or you may not see it."]})
        with citing(source_id):
            self.transition_record(
                record.pk,
                transition=data["transition"],
                actor=view.actor(),
                effective_date=data.get("effective_date"),
                note=data.get("note", ""),
                expected_version=view.expected_version(request, record),
            )
        return view.render_fresh(record.pk)


class HistoryMixin:
    """`GET <id>/history/`: the record's events, oldest first, redacted for the reader."""

    @extend_schema(
        summary="The record's events",
        description="Its events, oldest first; `data` is redacted for you like every read.",
        responses=EventPageSerializer,
    )
    @action(detail=True, methods=["get"], url_path="history")
    def history(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        view: Any = self
        record = view.get_object()
        paginator = FeedPagination()
        page = paginator.paginate_queryset(events_for(record).select_related("case"), request, view)
        context = EventSerializer.context_for(page, request)
        return paginator.get_paginated_response(
            EventSerializer(page, many=True, context=context).data
        )


class ReviewMixin:
    """`POST <id>/review/`: a lawyer approves or requests changes."""

    def review_record(self, pk: Any, **kwargs: Any) -> Any:
        raise NotImplementedError

    @extend_schema(summary="Review (lawyers)")
    @action(detail=True, methods=["post"], url_path="review")
    def review(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        view: Any = self
        record = view.get_object()
        serializer = ReviewSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        self.review_record(
            record.pk,
            actor=view.actor(),
            decision=serializer.validated_data["decision"],
            comment=serializer.validated_data.get("comment", ""),
        )
        return view.render_fresh(record.pk)
