"""`/api/v1/sources/`: documents and links that facts rest on (core/sources.py).

Upload a file (multipart) or add a link (JSON), list them (per record with
`attached_to`, full text with `q`), attach one to a record, download a file. Reads are
scoped by alerts.sources.sources_visible_to: a source the caller may not see is a 404,
download included. Every download is audited.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field, inline_serializer
from rest_framework import exceptions, parsers, serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from alerts.sources import (
    ATTACHABLE,
    attachable_record,
    attached_to,
    sources_visible_to,
)
from core import sources
from core.sources import Source, SourceKind, SourceLanguage

from .filters import Param, updated_after
from .parsers import JSONParser, RequestTooLarge
from .serializers import RECORD_FIELDS, StrictSerializer
from .viewsets import RecordViewSet

# Room for the form fields and multipart boundaries around the file itself.
MULTIPART_OVERHEAD = 64 * 1024


# The kinds of record a source may be attached to (one enum in the schema).
ATTACHABLE_KINDS = sorted(ATTACHABLE)


class UploadParser(parsers.MultiPartParser):
    """Multipart bodies, refused (413) before reading when larger than the upload limit."""

    def parse(self, stream: Any, media_type: Any = None, parser_context: Any = None) -> Any:
        request = (parser_context or {}).get("request")
        try:
            declared = int(getattr(request, "META", {}).get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0
        if declared > settings.SOURCES_MAX_UPLOAD_BYTES + MULTIPART_OVERHEAD:
            raise RequestTooLarge(
                f"The upload is larger than the limit "
                f"({settings.SOURCES_MAX_UPLOAD_BYTES // (1024 * 1024)} MB)."
            )
        return super().parse(stream, media_type, parser_context)


class AttachedSerializer(serializers.Serializer):
    resource = serializers.CharField(help_text="Kind of record, e.g. warrant.")
    id = serializers.UUIDField(help_text="Its id.")


class SourceSerializer(serializers.ModelSerializer):
    """A source as the caller may see it."""

    attached_to = serializers.SerializerMethodField(
        help_text="The records it is attached to that you may see."
    )
    download_url = serializers.SerializerMethodField(
        help_text="Where to download the file (null for a link)."
    )

    class Meta:
        model = Source
        fields = [
            *RECORD_FIELDS,
            "kind",
            "title",
            "publisher",
            "published_on",
            "language",
            "url",
            "archived_sha256",
            "confidential",
            "original_name",
            "content_type",
            "size",
            "sha256",
            "text_status",
            "attached_to",
            "download_url",
        ]
        read_only_fields = fields

    @extend_schema_field(AttachedSerializer(many=True))
    def get_attached_to(self, source: Source) -> list[dict[str, Any]]:
        links = self.context.get("attached")
        if links is None or source.pk not in links:
            links = attached_to([source], self.context["request"].user)
        return [{"resource": name, "id": record.pk} for name, record in links[source.pk]]

    def get_download_url(self, source: Source) -> str | None:
        if source.kind != SourceKind.FILE:
            return None
        request = self.context.get("request")
        path = f"/api/v1/sources/{source.pk}/download/"
        return request.build_absolute_uri(path) if request else path


class SourceCreateSerializer(serializers.Serializer):
    """A new source: `file` (multipart) or `url`, with its metadata; optionally attached at
    once to the record `attach_resource` / `attach_id`."""

    file = serializers.FileField(
        required=False, help_text="The document (multipart/form-data). Or give `url`."
    )
    url = serializers.URLField(
        required=False, allow_blank=True, max_length=2000, help_text="A link. Or give `file`."
    )
    title = serializers.CharField(max_length=500, help_text="Title of the document or page.")
    publisher = serializers.CharField(
        required=False, allow_blank=True, max_length=300, help_text="Who published it."
    )
    published_on = serializers.DateField(
        required=False, allow_null=True, help_text="Date of publication (YYYY-MM-DD)."
    )
    language = serializers.ChoiceField(
        choices=SourceLanguage.values, required=False, help_text="en, fr, ar or other."
    )
    confidential = serializers.BooleanField(
        required=False, help_text="Only lawyers, admins and you will see it."
    )
    archived_sha256 = serializers.CharField(
        required=False, allow_blank=True, max_length=64, help_text="SHA-256 of an archived copy."
    )
    attach_resource = serializers.ChoiceField(
        choices=ATTACHABLE_KINDS, required=False, help_text="Attach to a record of this kind..."
    )
    attach_id = serializers.UUIDField(required=False, help_text="... with this id.")

    def to_internal_value(self, data: Any) -> Any:
        unknown = sorted(set(data) - set(self.fields))
        if unknown:
            raise serializers.ValidationError({name: ["Unknown field."] for name in unknown})
        return super().to_internal_value(data)

    def validate(self, data: dict[str, Any]) -> dict[str, Any]:
        if ("attach_resource" in data) != ("attach_id" in data):
            raise serializers.ValidationError(
                {"attach_id": ["Give attach_resource and attach_id together."]}
            )
        return data


class AttachSerializer(StrictSerializer):
    resource = serializers.ChoiceField(
        choices=ATTACHABLE_KINDS, help_text="Kind of record, e.g. warrant."
    )
    id = serializers.UUIDField(help_text="The record's id.")


def _search(queryset: Any, q: str, request: Request) -> Any:
    return sources.full_text(queryset, q)


def _attached(queryset: Any, record_id: Any, request: Request) -> Any:
    return queryset.filter(links__object_id=record_id)


class SourceViewSet(RecordViewSet):
    """Sources: documents (files) and links that facts rest on. Never deleted."""

    queryset_model = Source
    selector = sources_visible_to
    serializer_class = SourceSerializer
    create_serializer_class = SourceCreateSerializer
    parser_classes = [JSONParser, UploadParser]
    ordering_fields = ["created_at", "updated_at", "published_on", "title"]
    filters = [
        Param(
            "attached_to",
            "links__object_id",
            "uuid",
            "Only sources attached to this record (any kind).",
            apply=_attached,
        ),
        Param(
            "q",
            "search_vector",
            "str",
            "Full-text search in the title, publisher and "
            'text (web search syntax: words, "a phrase", -word, or).',
            apply=_search,
        ),
        Param("kind", "kind", "choice", "file or url.", SourceKind.values),
        Param("language", "language", "choice", "Language.", SourceLanguage.values),
        Param("sha256", "sha256", "str", "Files with this SHA-256."),
        updated_after(),
    ]

    def get_queryset(self) -> Any:
        return sources_visible_to(self.request.user)

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        rows = list(page if page is not None else queryset)
        context = {**self.get_serializer_context(), "attached": attached_to(rows, request.user)}
        data = SourceSerializer(rows, many=True, context=context).data
        return self.get_paginated_response(data)

    @extend_schema(
        request={
            "multipart/form-data": SourceCreateSerializer,
            "application/json": SourceCreateSerializer,
        },
        responses={
            201: inline_serializer(
                "SourceCreated",
                {
                    "source": SourceSerializer(),
                    "duplicates": serializers.ListField(
                        child=serializers.UUIDField(),
                        help_text="Sources you may see holding the same file (same SHA-256).",
                    ),
                },
            )
        },
        summary="Upload a document or add a link",
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = SourceCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        resource, record_id = data.pop("attach_resource", None), data.pop("attach_id", None)
        record = None
        if resource:
            record = attachable_record(request.user, resource, record_id)
            if record is None:
                raise serializers.ValidationError(
                    {"attach_id": ["No such record, or you may not see it."]}
                )
        upload = data.pop("file", None)
        actor = self.actor()
        source = sources.source_create(
            actor=actor,
            file=upload,
            url=data.pop("url", "") or "",
            original_name=getattr(upload, "name", "") or "",
            **{k: v for k, v in data.items() if v is not None},
        )
        if record is not None:
            sources.source_attach(actor=actor, source=source, record=record)
        visible = self.get_queryset()
        duplicates = sources.duplicates_of(source, visible)
        body = {
            "source": self.render(self.written(source)).data,
            "duplicates": [str(s.pk) for s in duplicates],
        }
        location = request.build_absolute_uri(f"{request.path}{source.pk}/")
        return Response(body, status=status.HTTP_201_CREATED, headers={"Location": location})

    @extend_schema(
        request=AttachSerializer, responses=SourceSerializer, summary="Attach to a record"
    )
    @action(detail=True, methods=["post"], url_path="attach")
    def attach(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        source = self.get_object()
        serializer = AttachSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        record = attachable_record(
            request.user, serializer.validated_data["resource"], serializer.validated_data["id"]
        )
        if record is None:
            raise serializers.ValidationError({"id": ["No such record, or you may not see it."]})
        sources.source_attach(actor=self.actor(), source=source, record=record)
        return self.render(self.written(source))

    def written(self, source: Source) -> Source:
        """The source just written, as the caller may see it; as written if the caller may
        see it no more: attached to a record naming a protected party, it is hidden from
        whoever may not see protected identities, its writer too (alerts.sources). The
        write happened: answering 404 would invite a retry, and a duplicate."""
        return self.get_queryset().filter(pk=source.pk).first() or source

    @extend_schema(
        responses={(200, "application/octet-stream"): OpenApiTypes.BINARY},
        summary="Download the file",
        description="The file as stored, as an attachment; audited. 404 for a link.",
    )
    @action(detail=True, methods=["get"], url_path="download")
    def download(self, request: Request, *args: Any, **kwargs: Any) -> Any:
        source = self.get_object()
        if source.kind != SourceKind.FILE:
            raise exceptions.NotFound("A link has no file.")
        return sources.file_response(source=source, actor=self.actor())


def register(router: Any) -> None:
    router.register("sources", SourceViewSet, basename="source")
