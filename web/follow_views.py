"""Follow or unfollow a case or a party: its alerts then reach the follower."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from alerts.actions import subscription_follow, subscription_unfollow
from alerts.models import Subscription
from cases.actions import case_member_follow
from cases.models import CaseMember
from web import records
from web.views import safe_next


def following(user, record) -> bool:
    """Subscribed, or (a case) on its team and not stopped."""
    kind = records.resource_of(record)
    if kind == "case" and CaseMember.objects.filter(case=record, user=user, follows=True).exists():
        return True
    return Subscription.objects.filter(user=user, **{kind: record}).exists()


@login_required
@require_POST
def follow(request: HttpRequest, kind: str, pk) -> HttpResponse:
    if kind not in ("case", "party"):
        raise Http404
    record = get_object_or_404(records.RESOURCES[kind].visible(request.user), pk=pk)
    on = request.POST.get("follow") != "off"
    # A team member follows by default: their choice is kept on the membership, so that
    # stopping is not undone by the default (cases.CaseMember.follows).
    member = kind == "case" and case_member_follow(user=request.user, case=record, follows=on)
    if not on:
        subscription_unfollow(user=request.user, **{kind: record})
    elif not member:
        subscription_follow(user=request.user, **{kind: record})
    if getattr(request, "htmx", False):
        return render(
            request,
            "web/_follow.html",
            {"kind": kind, "record": record, "following": following(request.user, record)},
        )
    return redirect(safe_next(request, request.POST.get("next", ""), records.url_of(record)))
