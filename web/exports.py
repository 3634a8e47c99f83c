"""Downloads: a case's dossier (PDF, DOCX, FollowTheMoney) and any list as filtered (CSV).

The dossier is read by warrants.chronology and rendered by warrants.exports, for the
reader, redacted. A list's CSV is the list's own queryset (its filters applied by its view),
streamed whole, each row shown as the page shows it: parties through `redact`, alerts by
their `shown_title`, warrants with the immunity risk the reader may see.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.views.decorators.http import require_safe

from alerts import dossier
from cases.models import Case
from core.tabular import CSV_CONTENT_TYPE, csv_filename, csv_lines
from parties.selectors import redact
from warrants import exports

CHUNK = 500


@login_required
@require_safe
def case_dossier(request: HttpRequest, pk, kind: str) -> HttpResponse:
    """A case's chronology as `kind` (pdf, docx, ftm), as its reader may see it."""
    if kind not in exports.FORMATS:
        raise Http404("No such export format.")
    try:
        chronology = dossier.case_dossier(request.user, pk)
    except Case.DoesNotExist:
        raise Http404("No such case.") from None
    content_type, _suffix = exports.FORMATS[kind]
    response = HttpResponse(exports.render(chronology, kind), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{exports.filename(chronology, kind)}"'
    return response


def wants_csv(request: HttpRequest) -> bool:
    return request.GET.get("format") == "csv"


def csv_response(stem: str, header: list[str], rows: Iterable[Iterable[Any]]):
    response = StreamingHttpResponse(csv_lines(header, rows), content_type=CSV_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{csv_filename(stem)}"'
    return response


def _each(queryset: QuerySet) -> Iterator[Any]:
    # In chunks: a whole table is never held in memory (prefetches run per chunk).
    return queryset.iterator(chunk_size=CHUNK)


def cases_csv(cases: QuerySet) -> StreamingHttpResponse:
    header = ["id", "reference", "title", "jurisdiction", "forum", "basis", "opened_on", "status"]
    rows = (
        [c.pk, c.reference, c.title, c.jurisdiction.code, c.forum, c.basis, c.opened_on, c.status]
        for c in _each(cases)
    )
    return csv_response("cases", header, rows)


def parties_csv(parties: QuerySet, user) -> StreamingHttpResponse:
    header = ["id", "name", "name_original", "kind", "protected", "custody", "review"]
    rows = (
        [p.pk, p.name, p.name_original, p.kind, p.protected, p.custody, p.review]
        for p in (redact(party, user) for party in _each(parties))
    )
    return csv_response("parties", header, rows)


def warrants_csv(warrants: QuerySet, user) -> StreamingHttpResponse:
    header = [
        "id",
        "case",
        "kind",
        "reference",
        "subject",
        "issuing_country",
        "issuing_authority",
        "requested_on",
        "issued_on",
        "status",
        "immunity_risk",
    ]
    rows = (
        [
            w.pk,
            w.case.reference,
            w.kind,
            w.reference,
            redact(w.subject, user).name,
            w.issuing_country.code,
            w.issuing_authority,
            w.requested_on,
            w.issued_on,
            w.status,
            "" if w.shown_immunity_risk is None else w.shown_immunity_risk,
        ]
        for w in _each(warrants)
    )
    return csv_response("warrants", header, rows)


def notices_csv(notices: QuerySet, user) -> StreamingHttpResponse:
    header = [
        "id",
        "kind",
        "interpol_id",
        "subject",
        "warrant",
        "requesting_country",
        "requested_on",
        "published_on",
        "public_listing",
        "status",
    ]
    rows = (
        [
            n.pk,
            n.kind,
            n.interpol_id,
            redact(n.subject, user).name,
            n.warrant.reference if n.warrant else "",
            n.requesting_country.code,
            n.requested_on,
            n.published_on,
            n.public_listing,
            n.status,
        ]
        for n in _each(notices)
    )
    return csv_response("notices", header, rows)


def alerts_csv(alerts: QuerySet) -> StreamingHttpResponse:
    header = ["id", "severity", "title", "message", "case", "created_at", "status"]
    rows = (
        [
            a.pk,
            a.severity,
            a.shown_title,
            a.message,
            a.case.reference if a.case else "",
            a.created_at,
            a.status,
        ]
        for a in _each(alerts)
    )
    return csv_response("alerts", header, rows)
