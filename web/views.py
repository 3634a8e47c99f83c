"""Pages that span the domain apps: dashboard, transitions, review queue, history, settings.

Thin: parse input, call an action or a selector, render. Every write goes
through a named action with `Actor.for_user(request.user)`; the version the
reader saw travels in a hidden field, so a concurrent change is refused and
explained instead of silently overwritten.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required, user_passes_test
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Case, Value, When
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from alerts.models import Alert
from alerts.sources import sources_of
from cases.actions import charge_review
from cases.selectors import charges_visible_to
from core.actions import VersionConflict
from core.events import Actor, citing
from core.forms import apply_errors
from core.selectors import cached_counts_by, counts_by, events_visible_to
from core.workflow import InvalidTransition, Transition
from parties.actions import party_review
from parties.selectors import parties_visible_to
from warrants import workflows as warrant_workflows
from warrants.selectors import notices_visible_to, warrants_visible_to
from web import history as audit
from web import pictures, records, vocabulary
from web.forms import ReviewForm, TransitionForm, UserRolesForm

SEVERITIES = ["critical", "high", "normal", "info"]


def by_severity(alerts):
    """Most severe first, then newest."""
    rank = Case(
        *[When(severity=s, then=Value(i)) for i, s in enumerate(SEVERITIES)],
        default=Value(len(SEVERITIES)),
    )
    return alerts.annotate(rank=rank).order_by("rank", "-created_at")


def allowed_moves(record, user) -> list[Transition]:
    """The transitions `user` may perform on `record` now (`Workflow.allowed_for`)."""
    return record.workflow.allowed_for(record, user)


def transition_forms(record, user, next_url: str = "") -> list[tuple[Transition, str]]:
    """The transitions `user` may perform on `record` now, each with the URL of its form
    (web/_transitions.html loads it when its button is opened: no form per move per row)."""
    base = reverse("web:transition", args=[records.resource_of(record), record.pk])
    return [
        (move, f"{base}?{urlencode({'transition': move.name, 'next': next_url})}")
        for move in allowed_moves(record, user)
    ]


def cite_sources(form: TransitionForm, record, user) -> None:
    """Offer the sources attached to `record` that `user` may see: the event will name the
    one chosen (core.events.citing)."""
    offered = list(sources_of(record, user)[:100])
    if offered:
        form.fields["source"] = forms.ChoiceField(
            label=_("Source it rests on"),
            required=False,
            choices=[("", "—"), *((str(s.pk), s.title) for s in offered)],
        )


def conflict_message(record) -> str:
    who, when = audit.last_change(record)
    stamp = formats.time_format(when, "H:i") if when else ""
    return _("This record was changed by %(who)s at %(when)s — reload to see the changes.") % {
        "who": who or _("someone else"),
        "when": stamp,
    }


def safe_next(request: HttpRequest, url: str, fallback: str) -> str:
    if url and url_has_allowed_host_and_scheme(url, {request.get_host()}, request.is_secure()):
        return url
    return fallback


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    user = request.user
    alerts = records.RESOURCES["alert"].visible(user).exclude(status="resolved")
    # Counted in SQL; alerts change without an Event (acknowledge, resolve), so uncached.
    severity_counts = counts_by(alerts, "severity")
    warrant_counts = cached_counts_by(warrants_visible_to(user), "status")
    notice_counts = cached_counts_by(notices_visible_to(user), "status")
    latest = list(events_visible_to(user).order_by("-seq")[:12])
    subjects = records.subjects_of(latest, user)
    attention: dict[Any, list[Alert]] = {}
    for alert in by_severity(alerts.exclude(condition="").exclude(case=None)):
        attention.setdefault(alert.case, []).append(alert)
    return render(
        request,
        "web/dashboard.html",
        {
            "severities": [(s, severity_counts.get(s, 0)) for s in SEVERITIES],
            "open_alerts": by_severity(alerts)[:5],
            "warrant_bars": pictures.bars(warrant_counts, warrant_workflows.WARRANT.states),
            "notice_bars": pictures.bars(notice_counts, warrant_workflows.NOTICE.states),
            "latest": [(e, subjects.get(e.subject_id)) for e in latest],
            "attention": attention.items(),
        },
    )


@login_required
def transition(request: HttpRequest, resource: str, pk) -> HttpResponse:
    """Perform one transition (POST), or show its form alone (GET, and after an error).

    Errors keep what the user typed; a version conflict names who changed the record.
    """
    spec = records.RESOURCES.get(resource)
    if spec is None or spec.transition is None:
        raise Http404
    record = get_object_or_404(spec.visible(request.user), pk=pk)
    fallback = records.url_of(record)
    name = request.POST.get("transition") or request.GET.get("transition", "")
    move = next((m for m in allowed_moves(record, request.user) if m.name == name), None)
    if move is None:
        raise PermissionDenied(_("This transition is not available to you now."))
    data = request.POST if request.method == "POST" else None
    back = safe_next(request, request.GET.get("next", ""), fallback)
    fragment = request.method == "GET" and bool(getattr(request, "htmx", False))
    form = TransitionForm(
        data,
        move=move,
        initial={"transition": name, "expected_version": record.version, "next": back},
        # Loaded into a record's page beside other forms: ids unique on that page.
        auto_id=f"id_{record.pk}_{move.name}_%s" if fragment else "id_%s",
    )
    cite_sources(form, record, request.user)
    if fragment:
        return render(
            request, "web/_transition_form.html", {"record": record, "move": move, "form": form}
        )
    conflict = ""
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                with citing(form.cleaned_data.get("source") or None):
                    spec.transition(
                        **{spec.id_kwarg: record.pk},
                        transition=name,
                        actor=Actor.for_user(request.user),
                        effective_date=form.cleaned_data["effective_date"],
                        note=form.cleaned_data["note"],
                        expected_version=form.cleaned_data["expected_version"],
                    )
            except VersionConflict as error:
                conflict, status = conflict_message(error.record), 409
            except InvalidTransition as error:
                form.add_error(None, str(error))
                status = 409
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(
                    request,
                    _("%(record)s: %(transition)s done.")
                    % {
                        "record": records.label(record, request.user),
                        "transition": vocabulary.term(move.name),
                    },
                )
                return redirect(safe_next(request, form.cleaned_data["next"], fallback))
    return render(
        request,
        "web/transition.html",
        {"record": record, "move": move, "form": form, "conflict": conflict, "back": fallback},
        status=status,
    )


def _review_perm(resource: str) -> str:
    return {"party": "parties.review_party", "charge": "cases.review_charge"}[resource]


@login_required
def review_queue(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not (user.has_perm("parties.review_party") or user.has_perm("cases.review_charge")):
        raise PermissionDenied
    items: list[tuple[str, Any, Any]] = []
    if user.has_perm("parties.review_party"):
        for party in parties_visible_to(user).exclude(review="approved").order_by("updated_at"):
            items.append(("party", party, audit.changed_since_approval(party, request.user)))
    if user.has_perm("cases.review_charge"):
        charges = charges_visible_to(user).exclude(review="approved").order_by("updated_at")
        for charge in charges:
            items.append(("charge", charge, audit.changed_since_approval(charge, request.user)))
    return render(request, "web/review_queue.html", {"items": items})


@login_required
@require_POST
def review(request: HttpRequest, resource: str, pk) -> HttpResponse:
    if resource not in ("party", "charge"):
        raise Http404
    if not request.user.has_perm(_review_perm(resource)):
        raise PermissionDenied
    record = get_object_or_404(records.RESOURCES[resource].visible(request.user), pk=pk)
    form = ReviewForm(request.POST)
    if form.is_valid():
        act = party_review if resource == "party" else charge_review
        try:
            record = act(
                **{f"{resource}_id": record.pk},
                actor=Actor.for_user(request.user),
                decision=form.cleaned_data["decision"],
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            if getattr(request, "htmx", False):
                return render(
                    request, "web/review_done.html", {"resource": resource, "record": record}
                )
            messages.success(request, _("Review recorded."))
            return redirect("web:review_queue")
    return render(
        request,
        "web/review_page.html",
        {
            "resource": resource,
            "record": record,
            "changes": audit.changed_since_approval(record, request.user),
            "form": form,
        },
        status=400,
    )


@login_required
def record_history(request: HttpRequest, resource: str, pk) -> HttpResponse:
    spec = records.RESOURCES.get(resource)
    if spec is None:
        raise Http404
    record = get_object_or_404(spec.visible(request.user), pk=pk)
    events = []
    if hasattr(record, "RESOURCE"):
        events = list(
            events_visible_to(request.user)
            .filter(resource=record.RESOURCE, subject_id=record.pk)
            .order_by("-seq")
        )
    return render(
        request,
        "web/history.html",
        {
            "record": record,
            "resource": resource,
            "entries": audit.history(record, request.user),
            "events": events,
            "back": records.url_of(record),
        },
    )


def is_admin(user) -> bool:
    return user.is_active and user.is_superuser


@user_passes_test(is_admin)
def users(request: HttpRequest) -> HttpResponse:
    people = User.objects.prefetch_related("groups").order_by("username")
    return render(request, "web/settings_users.html", {"people": people})


@user_passes_test(is_admin)
def user_edit(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_object_or_404(User, pk=pk)
    form = UserRolesForm(
        request.POST or None,
        initial={"roles": person.groups.all(), "is_active": person.is_active},
    )
    if request.method == "POST" and form.is_valid():
        if person == request.user and not form.cleaned_data["is_active"]:
            form.add_error("is_active", _("You cannot deactivate yourself."))
        else:
            person.groups.set(form.cleaned_data["roles"])
            person.is_active = form.cleaned_data["is_active"]
            person.save(update_fields=["is_active"])
            messages.success(request, _("Roles of %(user)s saved.") % {"user": person.username})
            return redirect("web:users")
    return render(request, "web/settings_user.html", {"person": person, "form": form})
