"""The global search (the header's box) and the pickers' search-as-you-type.

The results page is a list of `Section`s, each a titled function from (user, q) to hits,
read through the selectors (so scoped to the reader, protected identities redacted).
Adding a kind of record is one entry in SECTIONS:

    Section("documents", _("Documents"), find_documents)

where `find_documents(user, q, limit) -> list[Hit]`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import F, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from alerts.sources import source_search
from cases.selectors import cases_visible_to, charges_visible_to
from parties.models import PartyKind
from parties.selectors import parties_visible_to, party_search, redact
from warrants.selectors import notices_visible_to, supersedable, warrants_visible_to
from web import records, vocabulary

# Hits per section on the results page; options per picker answer.
SECTION_LIMIT = 20
PICKER_LIMIT = 20
MAX_QUERY = 200


@dataclass(frozen=True)
class Hit:
    label: str
    url: str
    detail: str = ""


@dataclass(frozen=True)
class Section:
    key: str
    title: Any
    find: Callable[[Any, str, int], list[Hit]]


def _text_match(queryset: QuerySet, q: str, *fields: str) -> QuerySet:
    """Rows with `q` in any of `fields`, ignoring case and accents."""
    match = Q()
    for field in fields:
        match |= Q(**{f"{field}__unaccent__icontains": q})
    return queryset.filter(match)


def find_cases(user, q: str, limit: int) -> list[Hit]:
    cases = _text_match(cases_visible_to(user), q, "reference", "title").order_by("reference")
    return [
        Hit(f"{c.reference} — {c.title}", reverse("cases:detail", args=[c.pk]))
        for c in cases[:limit]
    ]


def find_parties(user, q: str, limit: int) -> list[Hit]:
    return [
        Hit(
            redact(p, user).name,
            reverse("parties:detail", args=[p.pk]),
            vocabulary.term(p.kind),
        )
        for p in party_search(user, q)[:limit]
    ]


def find_warrants(user, q: str, limit: int) -> list[Hit]:
    warrants = _text_match(warrants_visible_to(user), q, "reference").order_by("reference")
    return [
        Hit(records.label(w, user), reverse("warrants:warrant", args=[w.pk]))
        for w in warrants[:limit]
    ]


def find_notices(user, q: str, limit: int) -> list[Hit]:
    notices = _text_match(notices_visible_to(user), q, "interpol_id").order_by("interpol_id")
    return [
        Hit(records.label(n, user), reverse("warrants:notice", args=[n.pk]))
        for n in notices[:limit]
    ]


def find_documents(user, q: str, limit: int) -> list[Hit]:
    """Sources whose title, publisher or text match `q` (full text, core.sources), among
    those `user` may read (alerts.sources)."""
    found = source_search(user, q).order_by(F("published_on").desc(nulls_last=True), "-created_at")
    return [Hit(s.title, reverse("web:source", args=[s.pk]), s.publisher) for s in found[:limit]]


SECTIONS: list[Section] = [
    Section("cases", gettext_lazy("Cases"), find_cases),
    Section("parties", gettext_lazy("Parties"), find_parties),
    Section("warrants", gettext_lazy("Warrants"), find_warrants),
    Section("notices", gettext_lazy("INTERPOL notices"), find_notices),
    Section("documents", gettext_lazy("Documents"), find_documents),
]


@login_required
@require_GET
def search_page(request: HttpRequest) -> HttpResponse:
    """Every kind of record matching `q`, section by section, as the reader may see them."""
    q = request.GET.get("q", "").strip()[:MAX_QUERY]
    sections = [(s, s.find(request.user, q, SECTION_LIMIT)) for s in SECTIONS] if q else []
    return render(
        request,
        "web/search.html",
        {"q": q, "sections": sections, "found": any(hits for _s, hits in sections)},
    )


# Pickers ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Picker:
    scope: Callable[[Any, Any], QuerySet]
    """Records `user` may choose here, given the request's parameters (case=, subject=...)."""
    search: Callable[[QuerySet, Any, str], QuerySet]
    """Those of them matching what is typed, best first."""
    label: Callable[[Any, Any], str]


def _persons_or_parties(user, params) -> QuerySet:
    parties = parties_visible_to(user)
    if params.get("kind") == PartyKind.PERSON:
        parties = parties.filter(kind=PartyKind.PERSON)
    return parties


def _supersedable(user, params) -> QuerySet:
    """Warrants a new one may supersede: the same subject's, in the same case (none until
    both are chosen)."""
    case, subject = params.get("case", ""), params.get("subject", "")
    if not (case and subject):
        return warrants_visible_to(user).none()
    warrants = supersedable(user, case=case, subject=subject, exclude=params.get("exclude"))
    return warrants.order_by("-issued_on", "reference")


def _charges(user, params) -> QuerySet:
    charges = charges_visible_to(user).order_by("case__reference", "label")
    return charges.filter(case_id=params["case"]) if params.get("case") else charges


def _charge_search(charges: QuerySet, user, q: str) -> QuerySet:
    accused = party_search(user, q).values("pk")
    return charges.filter(Q(label__unaccent__icontains=q) | Q(accused__party__in=accused))


PICKERS: dict[str, Picker] = {
    "parties": Picker(
        _persons_or_parties,
        lambda parties, user, q: party_search(user, q, within=parties),
        lambda party, user: redact(party, user).name,
    ),
    "warrants": Picker(
        _supersedable,
        lambda warrants, user, q: _text_match(warrants, q, "reference", "issuing_authority"),
        records.label,
    ),
    "charges": Picker(
        _charges,
        _charge_search,
        lambda charge, user: f"{charge.case.reference}: {records.label(charge, user)}",
    ),
}


@login_required
@require_GET
def pick(request: HttpRequest, kind: str) -> HttpResponse:
    """The `<option>`s a picker offers for what is typed (htmx swaps them into its select):
    what is already chosen (`name=` says which parameter holds it), then up to
    PICKER_LIMIT matches, labelled as the reader may see them."""
    picker = PICKERS.get(kind)
    if picker is None:
        raise Http404(_("No such picker."))
    q = request.GET.get("q", "").strip()[:MAX_QUERY]
    name = request.GET.get("name", "")
    chosen_ids = [v for v in request.GET.getlist(name) if v] if name else []
    try:
        scope = picker.scope(request.user, request.GET)
        chosen = list(scope.filter(pk__in=chosen_ids)) if chosen_ids else []
        found = list(picker.search(scope, request.user, q)[:PICKER_LIMIT]) if q else []
    except ValidationError:
        # A malformed id in case=, subject=, exclude= or the chosen value: nothing to offer
        # rather than an error page inside a select.
        chosen, found = [], []
    kept = {c.pk for c in chosen}
    options = [(c.pk, picker.label(c, request.user), True) for c in chosen] + [
        (f.pk, picker.label(f, request.user), False) for f in found if f.pk not in kept
    ]
    return render(
        request,
        "web/_options.html",
        {"options": options, "blank": request.GET.get("blank") == "1", "q": q},
    )
