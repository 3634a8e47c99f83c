"""Warrant and notice pages: lists with status filters, detail with transitions and history,
create and edit forms."""

from uuid import UUID

from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _

from cases.selectors import cases_visible_to
from core.events import Actor
from core.selectors import events_visible_to
from warrants import workflows
from warrants.actions import notice_create, notice_update, warrant_create, warrant_update
from warrants.models import NoticeKind, WarrantKind
from warrants.selectors import notices_visible_to, warrants_visible_to
from web import exports, records
from web.editing import save_page
from web.views import transition_forms

from .forms import NoticeForm, StatusFilterForm, WarrantForm

PAGE_SIZE = 25


def _listing(request: HttpRequest, queryset, workflow, kinds, kind: str, heading: str):
    form = StatusFilterForm(request.GET or None, statuses=workflow.choices(), kinds=kinds)
    if form.is_valid():
        if status := form.cleaned_data["status"]:
            queryset = queryset.filter(status=status)
        if chosen := form.cleaned_data["kind"]:
            queryset = queryset.filter(kind=chosen)
    if exports.wants_csv(request):
        if kind == "warrant":
            return exports.warrants_csv(queryset, request.user)
        return exports.notices_csv(queryset, request.user)
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    here = request.get_full_path()
    rows = [(record, transition_forms(record, request.user, here)) for record in page]
    return render(
        request,
        "warrants/list.html",
        {"form": form, "page": page, "rows": rows, "kind": kind, "heading": heading},
    )


@login_required
def warrant_list(request: HttpRequest) -> HttpResponse:
    warrants = warrants_visible_to(request.user).order_by("-issued_on", "reference")
    return _listing(
        request, warrants, workflows.WARRANT, WarrantKind.choices, "warrant", _("Warrants")
    )


@login_required
def notice_list(request: HttpRequest) -> HttpResponse:
    notices = notices_visible_to(request.user).order_by("-requested_on")
    return _listing(
        request, notices, workflows.NOTICE, NoticeKind.choices, "notice", _("INTERPOL notices")
    )


def record_events(user, record):
    """The events of one record `user` may read (its page's history)."""
    return events_visible_to(user).filter(resource=record.RESOURCE, subject_id=record.pk)


@login_required
def warrant_detail(request: HttpRequest, pk) -> HttpResponse:
    user = request.user
    warrant = get_object_or_404(warrants_visible_to(user), pk=pk)
    here = request.get_full_path()
    notices = notices_visible_to(user).filter(warrant=warrant)
    return render(
        request,
        "warrants/warrant.html",
        {
            "warrant": warrant,
            "forms": transition_forms(warrant, user, here),
            "notices": [(n, transition_forms(n, user, here)) for n in notices],
            "superseded_by": warrants_visible_to(user).filter(supersedes=warrant),
            "events": record_events(user, warrant).order_by("-seq"),
        },
    )


@login_required
def notice_detail(request: HttpRequest, pk) -> HttpResponse:
    user = request.user
    notice = get_object_or_404(notices_visible_to(user), pk=pk)
    return render(
        request,
        "warrants/notice.html",
        {
            "notice": notice,
            "forms": transition_forms(notice, user, request.get_full_path()),
            "events": record_events(user, notice).order_by("-seq"),
        },
    )


def _uuid_param(request: HttpRequest, name: str) -> str | None:
    """A preset from the query string (?case=, ?warrant=); the form checks it like any input."""
    value = request.GET.get(name, "")
    try:
        return str(UUID(value))
    except ValueError:
        return None


@login_required
@permission_required("warrants.add_warrant", raise_exception=True)
def warrant_new(request: HttpRequest) -> HttpResponse:
    """Create a warrant: issued when its issue date is given, else requested."""
    user = request.user
    case_id = _uuid_param(request, "case")
    case = cases_visible_to(user).filter(pk=case_id).first() if case_id else None
    form = WarrantForm(
        request.POST or None, user=user, case=case, initial={"case": case, "kind": "arrest"}
    )
    return save_page(
        request,
        form=form,
        write=lambda: warrant_create(actor=Actor.for_user(user), **form.creation()),
        saved=_("Warrant created."),
        heading=_("New warrant"),
        back=(reverse("cases:detail", args=[case.pk]), case.reference)
        if case
        else (reverse("warrants:warrants"), _("Warrants")),
    )


@login_required
@permission_required("warrants.change_warrant", raise_exception=True)
def warrant_edit(request: HttpRequest, pk) -> HttpResponse:
    """Edit a warrant; its case, subject and charges are fixed, its status moves by transitions."""
    user = request.user
    warrant = get_object_or_404(warrants_visible_to(user), pk=pk)
    heading = _("Edit %(name)s") % {"name": records.label(warrant, user)}
    form = WarrantForm(request.POST or None, instance=warrant, user=user)
    return save_page(
        request,
        form=form,
        write=lambda: warrant_update(warrant_id=pk, actor=Actor.for_user(user), **form.update()),
        saved=_("Warrant saved."),
        heading=heading,
        back=(reverse("warrants:warrant", args=[pk]), warrant.reference or _("Warrant")),
    )


@login_required
@permission_required("warrants.add_notice", raise_exception=True)
def notice_new(request: HttpRequest) -> HttpResponse:
    """Create an INTERPOL notice as requested; a red one rests on an issued warrant."""
    user = request.user
    warrant_id = _uuid_param(request, "warrant")
    form = NoticeForm(
        request.POST or None,
        user=user,
        initial={"warrant": warrant_id, "kind": "red" if warrant_id else None},
    )
    return save_page(
        request,
        form=form,
        write=lambda: notice_create(actor=Actor.for_user(user), **form.changes()),
        saved=_("Notice created."),
        heading=_("New INTERPOL notice"),
        back=(reverse("warrants:warrant", args=[warrant_id]), _("Warrant"))
        if warrant_id
        else (reverse("warrants:notices"), _("INTERPOL notices")),
    )


@login_required
@permission_required("warrants.change_notice", raise_exception=True)
def notice_edit(request: HttpRequest, pk) -> HttpResponse:
    """Edit a notice; kind, subject and warrant are fixed, its status moves by transitions."""
    user = request.user
    notice = get_object_or_404(notices_visible_to(user), pk=pk)
    heading = _("Edit %(name)s") % {"name": records.label(notice, user)}
    form = NoticeForm(request.POST or None, instance=notice, user=user)
    return save_page(
        request,
        form=form,
        write=lambda: notice_update(notice_id=pk, actor=Actor.for_user(user), **form.update()),
        saved=_("Notice saved."),
        heading=heading,
        back=(reverse("warrants:notice", args=[pk]), _("Notice")),
    )
