"""Warrant and notice pages: lists with status filters, detail with transitions and history."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from casetracker.selectors import events_visible_to
from casetracker.web.views import transition_forms

from . import workflows
from .forms import StatusFilterForm
from .models import NoticeKind, WarrantKind
from .selectors import notices_visible_to, warrants_visible_to

PAGE_SIZE = 25


def _listing(request: HttpRequest, queryset, workflow, kinds, kind: str, heading: str):
    form = StatusFilterForm(request.GET or None, statuses=workflow.choices(), kinds=kinds)
    if form.is_valid():
        if status := form.cleaned_data["status"]:
            queryset = queryset.filter(status=status)
        if chosen := form.cleaned_data["kind"]:
            queryset = queryset.filter(kind=chosen)
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


def _events(user, record):
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
            "events": _events(user, warrant).order_by("-seq"),
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
            "events": _events(user, notice).order_by("-seq"),
        },
    )
