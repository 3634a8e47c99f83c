"""Pages of sources (core/sources.py): the list with full-text search, one source with its
PDF preview, downloads, and attaching a source to any record.

Reads go through alerts.sources.sources_visible_to: a source the reader may not see is a
404 everywhere, its download and preview included. Files leave only through
`file_response` (audited, attachment, nosniff); a PDF preview is the same file inline, in
a frame of our own pages only.
"""

from __future__ import annotations

from csp.decorators import csp_replace
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_safe

from alerts.sources import attachable_record, attached_to, source_search, sources_visible_to
from core import sources
from core.events import Actor
from core.forms import apply_errors
from core.sources import SourceKind, SourceLanguage
from web import records


class SourceForm(forms.Form):
    """A new source: a file or a URL, with what is known about it."""

    file = forms.FileField(label=gettext_lazy("File"), required=False)
    url = forms.URLField(
        label=gettext_lazy("Or a URL"), required=False, max_length=2000, assume_scheme="https"
    )
    title = forms.CharField(label=gettext_lazy("Title"), max_length=500)
    publisher = forms.CharField(label=gettext_lazy("Publisher"), max_length=300, required=False)
    published_on = forms.DateField(
        label=gettext_lazy("Published on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    language = forms.ChoiceField(
        label=gettext_lazy("Language"), choices=SourceLanguage.choices, initial="other"
    )
    archived_sha256 = forms.CharField(
        label=gettext_lazy("SHA-256 of an archived copy"), max_length=64, required=False
    )
    confidential = forms.BooleanField(
        label=gettext_lazy("Confidential (only lawyers, admins and you will see it)"),
        required=False,
    )

    def clean(self):
        data = super().clean()
        upload = data.get("file")
        if upload is not None and upload.size > settings.SOURCES_MAX_UPLOAD_BYTES:
            self.add_error(
                "file",
                _("The file is larger than the limit (%(mb)s MB).")
                % {"mb": settings.SOURCES_MAX_UPLOAD_BYTES // (1024 * 1024)},
            )
        if bool(upload) == bool(data.get("url")) and not self.errors.get("file"):
            self.add_error("file", _("Give a file or a URL (one of them)."))
        return data


class ExistingForm(forms.Form):
    source = forms.ChoiceField(label=gettext_lazy("A source already recorded"))


@login_required
@require_safe
def source_list(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()[:200]
    found = source_search(request.user, q)  # an empty q: every source the reader may see
    page = Paginator(found.order_by("-created_at", "pk"), 50).get_page(request.GET.get("page"))
    rows = list(page)
    links = attached_to(rows, request.user)
    return render(
        request,
        "sources/list.html",
        {"page": page, "rows": [(s, links[s.pk]) for s in rows], "q": q},
    )


@login_required
@require_safe
def source_detail(request: HttpRequest, pk) -> HttpResponse:
    source = get_object_or_404(sources_visible_to(request.user), pk=pk)
    links = attached_to([source], request.user)[source.pk]
    return render(request, "sources/detail.html", {"source": source, "links": links})


def _file_of(request: HttpRequest, pk):
    source = get_object_or_404(sources_visible_to(request.user), pk=pk)
    if source.kind != SourceKind.FILE:
        raise Http404
    return source


@login_required
@require_safe
def source_download(request: HttpRequest, pk) -> HttpResponseBase:
    source = _file_of(request, pk)
    return sources.file_response(source=source, actor=Actor.for_user(request.user))


@login_required
@require_safe
@xframe_options_sameorigin
# Only our own pages may frame it; the browser's PDF viewer embeds it (object-src).
@csp_replace({"frame-ancestors": ["'self'"], "object-src": ["'self'"]})  # type: ignore[arg-type]
def source_preview(request: HttpRequest, pk) -> HttpResponseBase:
    """A PDF inline, framed by our own pages only (the source page's preview)."""
    source = _file_of(request, pk)
    if not source.is_pdf:
        raise Http404
    return sources.file_response(source=source, actor=Actor.for_user(request.user), inline=True)


@login_required
def source_attach(request: HttpRequest, resource: str, pk) -> HttpResponse:
    """Attach a new source (a file or a URL) or one already recorded to any record."""
    record = attachable_record(request.user, resource, pk)
    if record is None:
        raise Http404
    if not request.user.has_perm("casetracker.add_source"):
        raise PermissionDenied(_("Your role does not allow adding sources."))
    back = records.url_of(record) or "/"
    actor = Actor.for_user(request.user)
    choices = [("", "—")] + [
        (str(s.pk), s.title) for s in sources_visible_to(request.user).order_by("-created_at")[:200]
    ]
    new = SourceForm(prefix="new")
    existing = ExistingForm(prefix="old")
    existing.fields["source"].choices = choices  # type: ignore[attr-defined]
    status = 200
    if request.method == "POST":
        status = 400
        if "old-source" in request.POST:
            existing = ExistingForm(request.POST, prefix="old")
            existing.fields["source"].choices = choices  # type: ignore[attr-defined]
            if existing.is_valid() and existing.cleaned_data["source"]:
                source = sources_visible_to(request.user).get(pk=existing.cleaned_data["source"])
                sources.source_attach(actor=actor, source=source, record=record)
                messages.success(request, _("Source attached."))
                return redirect(back)
            existing.add_error("source", _("Choose a source."))
        else:
            new = SourceForm(request.POST, request.FILES, prefix="new")
            if new.is_valid():
                data = dict(new.cleaned_data)
                upload, url = data.pop("file"), data.pop("url")
                try:
                    source = sources.source_create(
                        actor=actor,
                        file=upload,
                        url=url,
                        original_name=getattr(upload, "name", "") or "",
                        **data,
                    )
                except ValidationError as error:
                    apply_errors(new, error)
                else:
                    sources.source_attach(actor=actor, source=source, record=record)
                    messages.success(request, _("Source added and attached."))
                    duplicates = sources.duplicates_of(source, sources_visible_to(request.user))
                    if duplicates:
                        messages.warning(
                            request,
                            _("The same file was already recorded as: %(titles)s.")
                            % {"titles": "; ".join(d.title for d in duplicates)},
                        )
                    return redirect(back)
    return render(
        request,
        "sources/attach.html",
        {
            "record": record,
            "resource": resource,
            "new": new,
            "existing": existing,
            "back": back,
            "max_mb": settings.SOURCES_MAX_UPLOAD_BYTES // (1024 * 1024),
        },
        status=status,
    )
