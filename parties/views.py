"""Party pages. Every party shown goes through `redact`: a protected party shows its
pseudonym, and nothing else that identifies it, to readers who may not see more."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from cases.selectors import charges_visible_to, participations_visible_to
from casetracker.web.follow_views import following
from casetracker.web.views import transition_forms
from warrants.selectors import notices_visible_to, warrants_visible_to

from .forms import PartySearchForm
from .selectors import can_see_protected, parties_visible_to, party_search, redact

PAGE_SIZE = 25


@login_required
def party_list(request: HttpRequest) -> HttpResponse:
    form = PartySearchForm(request.GET or None)
    parties = parties_visible_to(request.user)
    if form.is_valid():
        parties = party_search(request.user, form.cleaned_data["q"])
        if kind := form.cleaned_data["kind"]:
            parties = parties.filter(kind=kind)
    page = Paginator(parties.order_by("name"), PAGE_SIZE).get_page(request.GET.get("page"))
    for party in page:
        redact(party, request.user)
    return render(request, "parties/list.html", {"form": form, "page": page})


@login_required
def party_detail(request: HttpRequest, pk) -> HttpResponse:
    user = request.user
    party = redact(get_object_or_404(parties_visible_to(user), pk=pk), user)
    here = request.get_full_path()
    participations = participations_visible_to(user).filter(party=party).order_by("case")
    warrants = warrants_visible_to(user).filter(subject=party).order_by("issued_on")
    return render(
        request,
        "parties/detail.html",
        {
            "party": party,
            "identity_hidden": party.protected and not can_see_protected(user),
            "following": following(user, party),
            "positions": party.positions.all(),
            "participations": [(p, transition_forms(p, user, here)) for p in participations],
            "charges": charges_visible_to(user).filter(accused__party=party),
            "warrants": [(w, transition_forms(w, user, here)) for w in warrants],
            "notices": [
                (n, transition_forms(n, user, here))
                for n in notices_visible_to(user).filter(subject=party)
            ],
        },
    )
