"""Sources: the documents and links a fact rests on, attachable to any record, cited by events.

A Source is a file (stored through Django's storage API, alias "sources": the local
filesystem under SOURCES_ROOT by default, S3-compatible storage when configured) or a
URL. Files are taken on trust for nothing: the content type comes from the bytes (an
allow-list; programs are refused whatever their name), the SHA-256 is computed at upload
(duplicates are reported, `verify_sources` re-checks it), the stored name is generated
and the client's file name is display metadata only.

A SourceLink attaches a source to any record with a UUID key (a generic relation, so
records of apps above the kernel, e.g. hearings and decisions, need nothing here). An
Event names the source a transition rests on (`Event.source`), set by the interface
around the transition action with `citing()` (core.events).

Who may read a source is decided above the kernel (alerts/sources.py): the rule needs
the parties and the records that name them.
"""

from __future__ import annotations

import hashlib
import re
import uuid
from dataclasses import dataclass
from typing import IO, Any

import filetype
import pghistory
import pgtrigger
from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchQuery, SearchVector, SearchVectorField
from django.core.exceptions import ValidationError
from django.core.files.storage import storages
from django.core.validators import RegexValidator
from django.db import models, transaction
from django.db.models import Q
from django.http import FileResponse

from core.actions import full_clean, require_perm
from core.events import Actor
from core.kicks import kick_on_commit
from core.models import Record


def sources_storage() -> Any:
    """The storage holding source files (settings.STORAGES["sources"])."""
    return storages["sources"]


class SourceKind(models.TextChoices):
    FILE = "file"
    URL = "url"


class SourceLanguage(models.TextChoices):
    EN = "en", "English"
    FR = "fr", "French"
    AR = "ar", "Arabic"
    OTHER = "other", "Other"


# PostgreSQL text search configuration by language; Arabic and the rest: `simple` (no
# stemming, no stop words: words match as written, after lower-casing).
SEARCH_CONFIGS = {SourceLanguage.EN: "english", SourceLanguage.FR: "french"}


def search_config(language: str) -> str:
    return SEARCH_CONFIGS.get(language, "simple")  # type: ignore[call-overload]


class TextStatus(models.TextChoices):
    PENDING = "pending"
    DONE = "done"
    NONE = "none"  # nothing to extract (an image, a link)
    FAILED = "failed"


# Content types taken, as detected from the bytes, with the extension the stored name gets.
ALLOWED_TYPES = {
    "application/pdf": ".pdf",
    "text/plain": ".txt",
    "image/png": ".png",
    "image/jpeg": ".jpg",
    "image/webp": ".webp",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
}
# What filetype calls programs: refused with a message that says so.
EXECUTABLE_TYPES = {
    "application/x-executable",
    "application/x-msdownload",
    "application/x-mach-binary",
    "application/x-sharedlib",
    "application/x-dex",
    "application/vnd.microsoft.portable-executable",
    "application/x-elf",
    "application/x-shockwave-flash",
    "application/java-archive",
}
# Starts of programs filetype may not name (ELF, PE/MZ, Mach-O, scripts).
EXECUTABLE_MAGIC = (
    b"\x7fELF",
    b"MZ",
    b"\xcf\xfa\xed\xfe",
    b"\xce\xfa\xed\xfe",
    b"\xca\xfe\xba\xbe",
)
EXTRACTED_TYPES = {"application/pdf", "text/plain"}

SHA256 = RegexValidator(r"^[0-9a-f]{64}$", "A SHA-256 is 64 lower-case hexadecimal digits.")


@pghistory.track(
    pghistory.InsertEvent(),
    pghistory.UpdateEvent(),
    # One row per download, with the request's context (who, from where): core/audit.py.
    pghistory.ManualEvent("downloaded"),
    exclude=["text", "text_status", "search_vector"],
    model_name="SourceAudit",
    obj_field=pghistory.ObjForeignKey(related_name="audit_trail"),
)
class Source(Record):
    """A document file or a URL that a fact rests on."""

    kind = models.CharField(
        max_length=8, choices=SourceKind.choices, help_text="file (uploaded) or url (a link)."
    )
    title = models.CharField(max_length=500, help_text="Title of the document or page.")
    publisher = models.CharField(
        max_length=300, blank=True, help_text="Who published it (court, newspaper, NGO...)."
    )
    published_on = models.DateField(null=True, blank=True, help_text="Date of publication.")
    language = models.CharField(
        max_length=8,
        choices=SourceLanguage.choices,
        default=SourceLanguage.OTHER,
        help_text="Language of the text (chooses the full-text search configuration).",
    )
    url = models.URLField(
        max_length=2000, blank=True, help_text="Where it was published (required for a link)."
    )
    archived_sha256 = models.CharField(
        max_length=64,
        blank=True,
        validators=[SHA256],
        help_text="SHA-256 of an archived copy of the page, when given (a link's integrity).",
    )
    confidential = models.BooleanField(
        default=False,
        help_text="Seen and downloaded only by holders of casetracker.view_confidential_source "
        "and the user who added it (docs/security.md).",
    )
    file_name = models.CharField(
        max_length=200,
        blank=True,
        editable=False,
        help_text="Internal: the generated name in the sources storage.",
    )
    original_name = models.CharField(
        max_length=255,
        blank=True,
        editable=False,
        help_text="The uploaded file's name as the client gave it (display only).",
    )
    content_type = models.CharField(
        max_length=100, blank=True, editable=False, help_text="Detected from the file's bytes."
    )
    size = models.BigIntegerField(null=True, blank=True, editable=False, help_text="Bytes.")
    sha256 = models.CharField(
        max_length=64, blank=True, editable=False, help_text="SHA-256 of the file at upload."
    )
    text = models.TextField(blank=True, editable=False, help_text="Extracted text (internal).")
    text_status = models.CharField(
        max_length=8,
        choices=TextStatus.choices,
        default=TextStatus.PENDING,
        editable=False,
        help_text="Text extraction: pending, done, none (nothing to extract) or failed.",
    )
    search_vector = SearchVectorField(null=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
        help_text="Who added it.",
    )

    class Meta:
        ordering = ["-created_at"]
        permissions = [("view_confidential_source", "See and download confidential sources")]
        indexes = [
            GinIndex(fields=["search_vector"], name="casetracker_source_search"),
            models.Index(fields=["sha256"], name="casetracker_source_sha256"),
            models.Index(
                fields=["text_status"],
                name="casetracker_source_pending",
                condition=Q(text_status="pending"),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="url", url__gt="")
                | Q(kind="file", file_name__gt="", sha256__regex=r"^[0-9a-f]{64}$"),
                name="casetracker_source_file_or_url",
                violation_error_message="A link needs its URL; a file, its stored name and hash.",
            ),
        ]
        triggers = [
            pgtrigger.Trigger(
                name="bump_version",
                when=pgtrigger.Before,
                operation=pgtrigger.Update,
                # Extraction (text, status, vector) is not a change of the record.
                condition=pgtrigger.AnyChange(
                    exclude=["version", "updated_at", "text", "text_status", "search_vector"]
                ),
                func="NEW.version := OLD.version + 1; RETURN NEW;",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_pdf(self) -> bool:
        return self.content_type == "application/pdf"

    def download_name(self) -> str:
        """A safe file name for downloads: the title's letters and digits, the detected type's
        extension. Never the client's name (it may hold a path or control characters)."""
        stem = re.sub(r"[^\w\-]+", "-", self.title, flags=re.ASCII).strip("-")[:80] or "source"
        return stem + ALLOWED_TYPES.get(self.content_type, "")


class SourceLink(models.Model):
    """A source attached to a record of any kind (by content type and UUID)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    source = models.ForeignKey(
        Source, on_delete=models.PROTECT, related_name="links", help_text="The source."
    )
    content_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, related_name="+", help_text="Kind of record."
    )
    object_id = models.UUIDField(help_text="Id of the record.")
    record = GenericForeignKey("content_type", "object_id")
    created_at = models.DateTimeField(auto_now_add=True, help_text="When it was attached.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Who attached it.",
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["source", "content_type", "object_id"], name="casetracker_sourcelink_once"
            )
        ]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.source_id} → {self.content_type_id}:{self.object_id}"


# Reading files -------------------------------------------------------------------------


def detect_type(head: bytes, whole: IO[bytes]) -> str:
    """The content type of a file from its bytes; ValidationError for anything not allowed.

    `head` is its first bytes; `whole` is read (from the start) only to tell text from
    binary when no signature matched.
    """
    kind = filetype.guess(head)
    mime = kind.mime if kind else ""
    if mime in EXECUTABLE_TYPES or head.startswith(EXECUTABLE_MAGIC) or head.startswith(b"#!"):
        raise ValidationError(
            {"file": "This file is a program, whatever its name says: programs are refused."}
        )
    if mime:
        if mime not in ALLOWED_TYPES:
            allowed = ", ".join(sorted(ALLOWED_TYPES))
            raise ValidationError(
                {
                    "file": f"Files of type {mime} are not taken (detected from its contents; "
                    f"allowed: {allowed})."
                }
            )
        return mime
    whole.seek(0)
    data = whole.read()
    whole.seek(0)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = None
    if text is None or "\x00" in text:
        raise ValidationError(
            {
                "file": "Unknown file type (detected from its contents): send a PDF, plain text "
                "(UTF-8), PNG, JPEG, WebP or DOCX."
            }
        )
    return "text/plain"


def file_sha256(stream: IO[bytes]) -> str:
    digest = hashlib.sha256()
    stream.seek(0)
    for chunk in iter(lambda: stream.read(1024 * 1024), b""):
        digest.update(chunk)
    stream.seek(0)
    return digest.hexdigest()


# Writers ---------------------------------------------------------------------------------


def _metadata(fields: dict[str, Any]) -> dict[str, Any]:
    allowed = {"title", "publisher", "published_on", "language", "confidential", "archived_sha256"}
    unknown = sorted(set(fields) - allowed)
    if unknown:
        raise ValidationError({name: "Unknown field." for name in unknown})
    return fields


def source_create(
    *,
    actor: Actor,
    file: Any = None,
    url: str = "",
    original_name: str = "",
    **fields: Any,
) -> Source:
    """Add a source: a file (`file`, any file-like object with `.size` or seekable) or a
    link (`url`). Checks the size limit and the content type (from the bytes), computes the
    SHA-256, stores the file under a generated name, inserts the row and, once committed,
    queues text extraction (core.tasks). Raises ValidationError, PermissionDenied; on any
    error nothing is stored (a file already written is removed)."""
    require_perm(actor, "casetracker.add_source")
    fields = _metadata(fields)
    if (file is None) == (not url):
        raise ValidationError({"file": "Give a file or a URL (one of them)."})
    source = Source(
        **fields,
        kind=SourceKind.FILE if file is not None else SourceKind.URL,
        url=url,
        created_by=actor.user,
    )
    if file is not None:
        size = getattr(file, "size", None)
        if size is None:
            file.seek(0, 2)
            size = file.tell()
        if size > settings.SOURCES_MAX_UPLOAD_BYTES:
            limit = settings.SOURCES_MAX_UPLOAD_BYTES // (1024 * 1024)
            raise ValidationError({"file": f"The file is larger than the limit ({limit} MB)."})
        if size == 0:
            raise ValidationError({"file": "The file is empty."})
        file.seek(0)
        head = file.read(8192)
        source.content_type = detect_type(head, file)
        source.sha256 = file_sha256(file)
        source.size = size
        # Display metadata only: never a path (whatever separators the client used).
        source.original_name = re.split(r"[/\\]", original_name or "")[-1][:255]
        source.file_name = (
            f"{source.pk.hex[:2]}/{source.pk.hex}{ALLOWED_TYPES[source.content_type]}"
        )
    # Every new source is indexed by the extraction job (links too: title and publisher).
    source.text_status = TextStatus.PENDING
    full_clean(source)
    stored = ""
    if file is not None:
        file.seek(0)
        stored = sources_storage().save(source.file_name, file)
        if stored != source.file_name:  # never: the name is a fresh UUID
            sources_storage().delete(stored)
            raise ValidationError({"file": "Could not store the file under its name."})
    try:
        with transaction.atomic(), actor.audit_context():
            source.save(force_insert=True)
            kick_on_commit("core.tasks.extract_source_text", str(source.pk))
    except Exception:
        if stored:
            sources_storage().delete(stored)
        raise
    return source


def duplicates_of(source: Source, visible: models.QuerySet[Source]) -> list[Source]:
    """Other sources with the same file, among `visible`."""
    if not source.sha256:
        return []
    return list(visible.filter(sha256=source.sha256).exclude(pk=source.pk).order_by("created_at"))


def source_attach(*, actor: Actor, source: Source, record: models.Model) -> SourceLink:
    """Attach `source` to `record` (idempotent: attaching twice keeps one link). The caller
    has checked that the actor may see both."""
    require_perm(actor, "casetracker.add_source")
    content_type = ContentType.objects.get_for_model(record)
    with transaction.atomic(), actor.audit_context():
        link, _ = SourceLink.objects.get_or_create(
            source=source,
            content_type=content_type,
            object_id=record.pk,
            defaults={"created_by": actor.user},
        )
    return link


def file_response(*, source: Source, actor: Actor, inline: bool = False) -> FileResponse:
    """The stored file, its download audited: an attachment (inline only for a PDF preview)
    under a safe name, with its detected type, nosniff, and never kept by a shared cache."""
    source_downloaded(source=source, actor=actor)
    stream = sources_storage().open(source.file_name, "rb")
    response = FileResponse(
        stream,
        as_attachment=not (inline and source.is_pdf),
        filename=source.download_name(),
        content_type=source.content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def source_downloaded(*, source: Source, actor: Actor) -> None:
    """Audit one download (a SourceAudit row labelled "downloaded", with the request's
    context: user, request id, channel)."""
    with actor.audit_context():
        pghistory.create_event(source, label="downloaded")


# Text and search ---------------------------------------------------------------------------


def extract(source: Source) -> str:
    """The text of a PDF or plain-text source file ("" for other types)."""
    if source.content_type not in EXTRACTED_TYPES:
        return ""
    with sources_storage().open(source.file_name, "rb") as stream:
        if source.content_type == "text/plain":
            text = stream.read().decode("utf-8", errors="replace")
        else:
            from pypdf import PdfReader

            reader = PdfReader(stream)
            text = "\n".join(page.extract_text() or "" for page in reader.pages)
    # tsvector holds less than 1 MB: index (and keep) the first part of a very long text.
    return text.replace("\x00", "")[: settings.SOURCES_TEXT_MAX_CHARS]


def search_vector_for(language: str) -> Any:
    config = search_config(language)
    return (
        SearchVector("title", weight="A", config=config)
        + SearchVector("publisher", weight="B", config=config)
        + SearchVector("text", weight="C", config=config)
    )


def source_extract_text(source_id: str) -> str:
    """Extract a pending source's text and index it for search; idempotent (a source not
    pending, or taken by another worker, is left alone). Returns its text status."""
    with transaction.atomic():
        source = (
            Source.objects.select_for_update(skip_locked=True)
            .filter(pk=source_id, text_status=TextStatus.PENDING)
            .first()
        )
        if source is None:
            return ""
        status = TextStatus.NONE
        text = ""
        if source.kind == SourceKind.FILE and source.content_type in EXTRACTED_TYPES:
            try:
                text = extract(source)
                status = TextStatus.DONE
            except Exception:
                status = TextStatus.FAILED
        Source.objects.filter(pk=source.pk).update(text=text, text_status=status)
        Source.objects.filter(pk=source.pk).update(search_vector=search_vector_for(source.language))
    return status


def pending_sources(limit: int = 100) -> list[str]:
    return [
        str(pk)
        for pk in Source.objects.filter(text_status=TextStatus.PENDING)
        .order_by("created_at")
        .values_list("pk", flat=True)[:limit]
    ]


def full_text(queryset: models.QuerySet[Source], q: str) -> models.QuerySet[Source]:
    """Sources of `queryset` whose title, publisher or text match `q` (web search syntax:
    words, "a phrase", -not, or), each with the configuration of its own language."""
    q = q.strip()
    if not q:
        return queryset
    condition = Q()
    for language, config in SEARCH_CONFIGS.items():
        query = SearchQuery(q, config=config, search_type="websearch")
        condition |= Q(language=language, search_vector=query)
    condition |= Q(search_vector=SearchQuery(q, config="simple", search_type="websearch")) & ~Q(
        language__in=list(SEARCH_CONFIGS)
    )
    return queryset.filter(condition)


# Integrity ---------------------------------------------------------------------------------


@dataclass
class Problem:
    source: Source
    kind: str  # "missing" or "tampered"
    detail: str


def verify(queryset: models.QuerySet[Source] | None = None) -> tuple[int, list[Problem]]:
    """Re-hash every stored file; returns how many were checked and the problems found."""
    storage = sources_storage()
    checked, problems = 0, []
    sources = (queryset if queryset is not None else Source.objects.all()).filter(
        kind=SourceKind.FILE
    )
    for source in sources.order_by("created_at").iterator():
        checked += 1
        if not storage.exists(source.file_name):
            problems.append(Problem(source, "missing", f"no file {source.file_name} in storage"))
            continue
        with storage.open(source.file_name, "rb") as stream:
            digest = file_sha256(stream)
        if digest != source.sha256:
            problems.append(
                Problem(source, "tampered", f"SHA-256 is {digest}, was {source.sha256} at upload")
            )
    return checked, problems
