"""The alerts inbox: filter, acknowledge, resolve (htmx swaps the row in place)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from alerts.actions import (
    AlreadySubscribed,
    alert_transition,
    subscription_create,
    subscription_delete,
)
from alerts.models import Severity, Subscription
from alerts.selectors import subscriptions_of
from cases.selectors import memberships_of
from core.events import Actor
from core.workflow import InvalidTransition
from web import exports, records, vocabulary
from web.context import forget_open_alert_count
from web.views import safe_next

from .forms import AlertFilterForm, FollowSeverityForm

PAGE_SIZE = 30


@login_required
def inbox(request: HttpRequest) -> HttpResponseBase:
    alerts = records.RESOURCES["alert"].visible(request.user).select_related("resolved_by")
    form = AlertFilterForm(request.GET or None)
    status = severity = ""
    if form.is_valid():
        status, severity = form.cleaned_data["status"], form.cleaned_data["severity"]
        if form.cleaned_data["case"]:
            alerts = alerts.filter(case_id=form.cleaned_data["case"])
    if status == "":
        alerts = alerts.exclude(status="resolved")
    elif status != "all":
        alerts = alerts.filter(status=status)
    if severity:
        alerts = alerts.filter(severity=severity)
    if exports.wants_csv(request):
        return exports.alerts_csv(alerts.order_by("-created_at"))
    page = Paginator(alerts.order_by("-created_at"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "alerts/inbox.html",
        {"form": form, "page": page},
    )


@login_required
@require_GET
def record(request: HttpRequest, pk) -> HttpResponse:
    """The page of the record an alert is about (emails link here): 404 unless the reader may
    read both the alert and the record; the inbox row for an alert about no page."""
    alert = get_object_or_404(records.RESOURCES["alert"].visible(request.user), pk=pk)
    resource = records.RESOURCES.get(alert.subject_resource)
    if resource is None or alert.subject_id is None:
        return redirect(records.url_of(alert))
    subject = get_object_or_404(resource.visible(request.user), pk=alert.subject_id)
    return redirect(records.url_of(subject) or records.url_of(alert))


@login_required
@require_POST
def move(request: HttpRequest, pk, transition: str) -> HttpResponse:
    """Acknowledge or resolve one alert; a resolution may carry a note saying why.

    With htmx the row comes back in place, an error shown inside it; otherwise the
    inbox again with a message.
    """
    visible = records.RESOURCES["alert"].visible(request.user)
    alert = get_object_or_404(visible, pk=pk)
    note = request.POST.get("note", "").strip()
    error = ""
    try:
        # A viewer's refusal (PermissionDenied) is the action's, and a 403 here.
        alert_transition(
            alert_id=alert.pk, transition=transition, actor=Actor.for_user(request.user), note=note
        )
    except InvalidTransition as refused:
        error = str(refused)
    except ValidationError as refused:
        error = " ".join(refused.messages)
    forget_open_alert_count(request.user)
    # Re-read through the selector: as it is now (it may have moved meanwhile), its title
    # naming parties as this reader may see them.
    # (Not found once a party it reveals was protected meanwhile.)
    alert = get_object_or_404(visible, pk=alert.pk)
    if getattr(request, "htmx", False):
        row = {"alert": alert, "swapped": True, "error": error}
        if error:
            # The note typed is not lost: back in the form, or shown to copy if the form is gone.
            offered = {m.name for m in alert.workflow.allowed_for(alert, request.user)}
            row |= {"note": note, "failed": transition, "note_not_saved": transition not in offered}
        return render(request, "alerts/_row.html", row)
    if error:
        messages.error(request, error)
        if note:
            messages.info(request, _("Your note, not saved: %(note)s") % {"note": note})
    else:
        messages.success(request, _("Alert %(what)s.") % {"what": vocabulary.term(alert.status)})
    return redirect(safe_next(request, request.POST.get("next", ""), reverse("alerts:inbox")))


def _followed(subscription: Subscription, user) -> tuple[str, str]:
    """What a subscription follows, as a label (protected parties redacted) and a link."""
    if subscription.case:
        return records.label(subscription.case, user), records.url_of(subscription.case)
    if subscription.party:
        return records.label(subscription.party, user), records.url_of(subscription.party)
    severity = Severity(subscription.min_severity).label
    return _("Every alert at least %(severity)s") % {"severity": severity}, ""


@permission_required("alerts.view_alert", raise_exception=True)
def following(request: HttpRequest) -> HttpResponse:
    """What the user follows (cases, parties, severities), each with a way to stop; and a
    form to follow every alert at least as severe as a level."""
    form = FollowSeverityForm(request.POST or None)
    if form.is_valid():
        try:
            subscription_create(
                actor=Actor.for_user(request.user), min_severity=form.cleaned_data["min_severity"]
            )
        except AlreadySubscribed:
            form.add_error("min_severity", _("You already follow alerts at this level."))
        else:
            messages.success(request, _("You will be told of these alerts."))
            return redirect("alerts:following")
    subscriptions = subscriptions_of(request.user)
    rows = [(s, *_followed(s, request.user)) for s in subscriptions.order_by("created_at")]
    teams = memberships_of(request.user).order_by("created_at")
    return render(
        request,
        "alerts/following.html",
        {"form": form, "rows": rows, "teams": teams},
        status=400 if form.errors else 200,
    )


@permission_required("alerts.view_alert", raise_exception=True)
@require_POST
def unfollow(request: HttpRequest, pk) -> HttpResponse:
    try:
        subscription_delete(actor=Actor.for_user(request.user), subscription_id=pk)
    except Subscription.DoesNotExist:
        raise Http404 from None
    messages.success(request, _("You no longer follow it."))
    return redirect("alerts:following")
