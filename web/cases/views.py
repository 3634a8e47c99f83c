"""Case pages: list with filters, the case page (everything about one proceeding), create, edit."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django_countries import countries

from cases import selectors, workflows
from cases.actions import (
    case_create,
    case_update,
    charge_create,
    charge_update,
    incident_create,
    incident_update,
    participation_create,
    representation_create,
    representation_update,
)
from cases.models import Case, Charge, Incident, Participation, Representation, Role
from core.actions import VersionConflict
from core.events import Actor
from core.forms import apply_errors
from core.selectors import events_visible_to
from warrants.selectors import notices_visible_to, warrants_visible_to
from web import exports, pictures, records
from web.editing import save_page
from web.follow_views import following
from web.views import by_severity, conflict_message, transition_forms

from .forms import (
    CaseFilterForm,
    CaseForm,
    ChargeForm,
    IncidentForm,
    ParticipationForm,
    RepresentationForm,
)

PAGE_SIZE = 20
EVENTS_PAGE_SIZE = 50
TIMELINE_FIELDS = ["seq", "effective_date", "resource", "type", "subject_id", "note", "to_status"]


@login_required
def case_list(request: HttpRequest) -> HttpResponseBase:
    cases = selectors.cases_visible_to(request.user)
    codes = sorted({str(c) for c in cases.values_list("jurisdiction", flat=True)})
    form = CaseFilterForm(
        request.GET or None,
        statuses=workflows.CASE.choices(),
        jurisdictions=[(code, countries.name(code)) for code in codes],
    )
    if form.is_valid():
        if q := form.cleaned_data["q"].strip():
            cases = cases.filter(
                Q(reference__icontains=q) | Q(title__icontains=q) | Q(summary__icontains=q)
            )
        if status := form.cleaned_data["status"]:
            cases = cases.filter(status=status)
        if jurisdiction := form.cleaned_data["jurisdiction"]:
            cases = cases.filter(jurisdiction=jurisdiction)
    if exports.wants_csv(request):
        return exports.cases_csv(cases.order_by("reference"))
    page = Paginator(cases.order_by("reference"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "cases/list.html", {"form": form, "page": page})


@login_required
def case_detail(request: HttpRequest, pk) -> HttpResponse:
    user = request.user
    case = get_object_or_404(selectors.cases_visible_to(user), pk=pk)
    here = request.get_full_path()
    participations = list(
        selectors.participations_visible_to(user).filter(case=case).order_by("created_at")
    )
    representations = selectors.representations_visible_to(user).filter(client__case=case)
    counsel: dict = {}
    for rep in representations:
        counsel.setdefault(rep.client_id, []).append((rep, transition_forms(rep, user, here)))
    groups: dict[str, list] = {Role.ACCUSED: [], Role.PLAINTIFF: [], "others": []}
    for p in participations:
        entry = (p, transition_forms(p, user, here), counsel.get(p.pk, []))
        groups[p.role if p.role in groups else "others"].append(entry)
    charges = selectors.charges_visible_to(user).filter(case=case)
    warrants = warrants_visible_to(user).filter(case=case).order_by("requested_on", "issued_on")
    notices = notices_visible_to(user).filter(warrant__case=case)
    case_events = events_visible_to(user).filter(case=case)
    # The table shows a page of events, newest first; the timeline places every event, so
    # it reads only the columns it draws.
    events_page = Paginator(case_events.order_by("-seq"), EVENTS_PAGE_SIZE).get_page(
        request.GET.get("events")
    )
    events = list(events_page)
    marks = list(case_events.select_related(None).only(*TIMELINE_FIELDS))
    subjects = records.subjects_of(marks, user)
    labels = {pk: records.label(record, user) for pk, record in subjects.items()}
    alerts = by_severity(
        records.RESOURCES["alert"].visible(user).filter(case=case).exclude(status="resolved")
    )
    return render(
        request,
        "cases/detail.html",
        {
            "case": case,
            "case_forms": transition_forms(case, user, here),
            "incidents": selectors.incidents_visible_to(user).filter(case=case),
            "accused": groups[Role.ACCUSED],
            "plaintiffs": groups[Role.PLAINTIFF],
            "others": groups["others"],
            "charges": [(c, transition_forms(c, user, here)) for c in charges],
            "warrants": [(w, transition_forms(w, user, here)) for w in warrants],
            "notices": [(n, transition_forms(n, user, here)) for n in notices],
            "events": [(e, subjects.get(e.subject_id)) for e in events],
            "events_page": events_page,
            "timeline": pictures.timeline(marks, labels),
            "alerts": alerts[:8],
            "alert_count": alerts.count(),
            "following": following(user, case),
        },
    )


@login_required
@permission_required("cases.add_case", raise_exception=True)
def case_new(request: HttpRequest) -> HttpResponse:
    form = CaseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            case = case_create(actor=Actor.for_user(request.user), **form.changes())
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Case %(ref)s created.") % {"ref": case.reference})
            return redirect("cases:detail", case.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "cases/form.html", {"form": form, "case": None}, status=status)


@login_required
@permission_required("cases.change_case", raise_exception=True)
def case_edit(request: HttpRequest, pk) -> HttpResponse:
    """Edit a case; the version the user started from travels with the form (optimistic lock)."""
    case = get_object_or_404(selectors.cases_visible_to(request.user), pk=pk)
    form = CaseForm(request.POST or None, instance=case, initial={"expected_version": case.version})
    conflict = ""
    if request.method == "POST" and form.is_valid():
        try:
            case_update(
                case_id=pk,
                actor=Actor.for_user(request.user),
                expected_version=form.cleaned_data["expected_version"],
                **form.changes(),
            )
        except VersionConflict as error:
            conflict = conflict_message(error.record)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Case saved."))
            return redirect("cases:detail", pk)
    status = 409 if conflict else 400 if request.method == "POST" else 200
    return render(
        request,
        "cases/form.html",
        {"form": form, "case": case, "conflict": conflict},
        status=status,
    )


def _case_of(request: HttpRequest, pk) -> Case:
    return get_object_or_404(selectors.cases_visible_to(request.user), pk=pk)


def _back_to(case: Case) -> tuple[str, str]:
    return reverse("cases:detail", args=[case.pk]), case.reference


@login_required
@permission_required("cases.add_incident", raise_exception=True)
def incident_new(request: HttpRequest, pk) -> HttpResponse:
    case = _case_of(request, pk)
    form = IncidentForm(request.POST or None, instance=Incident(case=case))
    return save_page(
        request,
        form=form,
        write=lambda: incident_create(
            actor=Actor.for_user(request.user), case=case, **form.changes()
        ),
        saved=_("Incident added."),
        heading=_("New incident in %(ref)s") % {"ref": case.reference},
        back=_back_to(case),
    )


@login_required
@permission_required("cases.change_incident", raise_exception=True)
def incident_edit(request: HttpRequest, pk) -> HttpResponse:
    incident = get_object_or_404(selectors.incidents_visible_to(request.user), pk=pk)
    heading = _("Edit %(name)s") % {"name": incident.title}  # before the form copies input
    form = IncidentForm(request.POST or None, instance=incident)
    return save_page(
        request,
        form=form,
        write=lambda: incident_update(
            incident_id=pk, actor=Actor.for_user(request.user), **form.update()
        ),
        saved=_("Incident saved."),
        heading=heading,
        back=_back_to(incident.case),
    )


@login_required
@permission_required("cases.add_participation", raise_exception=True)
def participation_new(request: HttpRequest, pk) -> HttpResponse:
    """Add a party to the case in a role. Who and in which role are fixed afterwards;
    its status moves through the role's transitions."""
    case = _case_of(request, pk)
    form = ParticipationForm(
        request.POST or None,
        instance=Participation(case=case),
        user=request.user,
        initial={"party": request.GET.get("party")},
    )
    return save_page(
        request,
        form=form,
        write=lambda: participation_create(
            actor=Actor.for_user(request.user), case=case, **form.changes()
        ),
        saved=_("Party added to the case."),
        heading=_("Add a party to %(ref)s") % {"ref": case.reference},
        back=_back_to(case),
    )


@login_required
@permission_required("cases.add_representation", raise_exception=True)
def representation_new(request: HttpRequest, pk) -> HttpResponse:
    """Add counsel for a participant (the participation `pk`); it starts as engaged and moves
    through the representation transitions."""
    client = get_object_or_404(selectors.participations_visible_to(request.user), pk=pk)
    form = RepresentationForm(
        request.POST or None, instance=Representation(client=client), user=request.user
    )
    return save_page(
        request,
        form=form,
        write=lambda: representation_create(
            actor=Actor.for_user(request.user), client=client, **form.changes()
        ),
        saved=_("Counsel added."),
        heading=_("Add counsel for %(party)s in %(ref)s")
        % {"party": records.label(client, request.user), "ref": client.case.reference},
        back=_back_to(client.case),
    )


@login_required
@permission_required("cases.change_representation", raise_exception=True)
def representation_edit(request: HttpRequest, pk) -> HttpResponse:
    """Edit counsel's bar; who represents whom is fixed (add another counsel instead)."""
    representation = get_object_or_404(selectors.representations_visible_to(request.user), pk=pk)
    heading = _("Edit %(name)s") % {"name": records.label(representation, request.user)}
    form = RepresentationForm(request.POST or None, instance=representation, user=request.user)
    return save_page(
        request,
        form=form,
        write=lambda: representation_update(
            representation_id=pk, actor=Actor.for_user(request.user), **form.update()
        ),
        saved=_("Counsel saved."),
        heading=heading,
        back=_back_to(representation.client.case),
    )


@login_required
@permission_required("cases.add_charge", raise_exception=True)
def charge_new(request: HttpRequest, pk) -> HttpResponse:
    case = _case_of(request, pk)
    form = ChargeForm(
        request.POST or None,
        instance=Charge(case=case),
        user=request.user,
        initial={"accused": request.GET.get("accused")},
    )
    return save_page(
        request,
        form=form,
        write=lambda: charge_create(
            actor=Actor.for_user(request.user), case=case, **form.changes()
        ),
        saved=_("Charge added."),
        heading=_("New charge in %(ref)s") % {"ref": case.reference},
        back=_back_to(case),
    )


@login_required
@permission_required("cases.change_charge", raise_exception=True)
def charge_edit(request: HttpRequest, pk) -> HttpResponse:
    """Edit a charge; an approved charge goes back to the review queue."""
    charge = get_object_or_404(selectors.charges_visible_to(request.user), pk=pk)
    heading = _("Edit %(name)s") % {"name": charge.label}  # before the form copies input
    form = ChargeForm(request.POST or None, instance=charge, user=request.user)
    return save_page(
        request,
        form=form,
        write=lambda: charge_update(
            charge_id=pk, actor=Actor.for_user(request.user), **form.update()
        ),
        saved=_("Charge saved."),
        heading=heading,
        back=_back_to(charge.case),
    )
