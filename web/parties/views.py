"""Party pages. Every party shown goes through `redact`: a protected party shows its
pseudonym, and nothing else that identifies it, to readers who may not see more."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _

from cases.selectors import charges_visible_to, participations_visible_to
from core.actions import VersionConflict
from core.events import Actor
from core.forms import apply_errors
from parties.actions import (
    PROTECTION_PERM,
    ProtectionUnchanged,
    party_create,
    party_set_protection,
    party_update_with_positions,
)
from parties.models import Position
from parties.selectors import (
    SEARCH_ORDER,
    can_see_protected,
    parties_visible_to,
    party_search,
    possible_duplicates,
    redact,
)
from warrants.selectors import notices_visible_to, warrants_visible_to
from web import exports
from web.editing import save_page
from web.follow_views import following
from web.views import conflict_message, transition_forms

from .forms import PartyForm, PartySearchForm, PositionFormSet, ProtectionForm

PAGE_SIZE = 25


@login_required
def party_list(request: HttpRequest) -> HttpResponseBase:
    form = PartySearchForm(request.GET or None)
    parties = parties_visible_to(request.user).order_by("shown_name", "pk")
    if form.is_valid():
        # Best match first when there is a name to search; by name otherwise.
        q = form.cleaned_data["q"]
        parties = party_search(request.user, q).order_by(
            *(SEARCH_ORDER if q.strip() else ("shown_name", "pk"))
        )
        if kind := form.cleaned_data["kind"]:
            parties = parties.filter(kind=kind)
    if exports.wants_csv(request):
        return exports.parties_csv(parties, request.user)
    page = Paginator(parties, PAGE_SIZE).get_page(request.GET.get("page"))
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
            "protection_form": ProtectionForm(party=party)
            if user.has_perm(PROTECTION_PERM)
            else None,
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


def _positions(request: HttpRequest, queryset) -> Any:
    return PositionFormSet(request.POST or None, queryset=queryset, prefix="positions")


@login_required
@permission_required("parties.add_party", raise_exception=True)
def party_new(request: HttpRequest) -> HttpResponse:
    """Create a party with its names in every script, aliases and positions."""
    form = PartyForm(request.POST or None)
    positions = _positions(request, Position.objects.none())
    return save_page(
        request,
        form=form,
        write=lambda: party_create(
            actor=Actor.for_user(request.user),
            positions=[p.entry() for p in positions if p.has_changed()],
            **form.changes(),
        ),
        saved=lambda party: _created(request, party),
        heading=_("New party"),
        back=(reverse("parties:list"), _("Parties")),
        formset=positions,
        formset_legend=_("Position"),
        formset_new_legend=_("New position (optional)"),
    )


def _created(request: HttpRequest, party) -> str:
    """The message for a new party; a warning too, with links, when existing parties have
    closely matching names (parties.selectors.possible_duplicates: a protected one appears
    by its pseudonym only, to those who may not see more)."""
    duplicates = possible_duplicates(request.user, party)
    if duplicates:
        links = format_html_join(
            ", ",
            '<a href="{}" dir="auto">{}</a>',
            ((reverse("parties:detail", args=[d.pk]), d.name) for d in duplicates),
        )
        messages.warning(
            request,
            format_html(
                "{} {}",
                _("Possibly entered already, under a close name: check"),
                links,
            ),
        )
    return _("Party %(name)s created.") % {"name": redact(party, request.user).name}


@login_required
@permission_required("parties.change_party", raise_exception=True)
def party_edit(request: HttpRequest, pk) -> HttpResponse:
    """Edit a party and its positions; the version the user started from travels along.

    A reader who may not see protected identities edits only what they may see of a
    protected party (no names, aliases, birth date or positions).
    """
    user = request.user
    party = redact(get_object_or_404(parties_visible_to(user), pk=pk), user)
    hidden, shown_name = party.redacted, party.name  # before the form copies input onto it
    form = PartyForm(request.POST or None, instance=party, hide_identity=hidden)
    positions = None if hidden else _positions(request, party.positions.order_by("started_on"))
    return save_page(
        request,
        form=form,
        write=lambda: party_update_with_positions(
            party_id=pk,
            actor=Actor.for_user(user),
            positions=[p.entry() for p in positions or [] if p.has_changed()],
            **form.update(),
        ),
        saved=_("Party saved."),
        heading=_("Edit %(name)s") % {"name": shown_name},
        back=(reverse("parties:detail", args=[pk]), shown_name),
        formset=positions,
        formset_legend=_("Position"),
        formset_new_legend=_("New position (optional)"),
    )


@login_required
@permission_required(PROTECTION_PERM, raise_exception=True)
def party_protection(request: HttpRequest, pk) -> HttpResponse:
    """Protect a party's identity or lift its protection, with a note (POST); the form alone
    on GET and after an error. Lifting needs the confirmation box ticked."""
    user = request.user
    party = get_object_or_404(parties_visible_to(user), pk=pk)
    form = ProtectionForm(request.POST or None, party=party)
    conflict, status = "", 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                party_set_protection(
                    party_id=party.pk,
                    protected=data["protected"],
                    pseudonym=data.get("pseudonym", ""),
                    note=data["note"],
                    actor=Actor.for_user(user),
                    expected_version=data["expected_version"],
                )
            except VersionConflict as error:
                conflict, status = conflict_message(error.record), 409
            except ProtectionUnchanged as error:
                form.add_error(None, error.messages)  # not the hidden field's fault
                status = 409
            except ValidationError as error:
                apply_errors(form, error)
            else:
                done = _("Identity protected.") if data["protected"] else _("Protection lifted.")
                messages.success(request, done)
                return redirect("parties:detail", pk=party.pk)
    return render(
        request,
        "parties/protection.html",
        {"party": party, "form": form, "conflict": conflict},
        status=status,
    )
