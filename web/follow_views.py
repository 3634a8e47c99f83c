"""Follow or unfollow a case or a party: its alerts then reach the follower."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from alerts.actions import subscription_follow, subscription_unfollow
from alerts.models import Subscription
from web import records


def following(user, record) -> bool:
    kind = records.resource_of(record)
    return Subscription.objects.filter(user=user, **{kind: record}).exists()


@login_required
@require_POST
def follow(request: HttpRequest, kind: str, pk) -> HttpResponse:
    if kind not in ("case", "party"):
        raise Http404
    record = get_object_or_404(records.RESOURCES[kind].visible(request.user), pk=pk)
    act = subscription_unfollow if request.POST.get("follow") == "off" else subscription_follow
    act(user=request.user, **{kind: record})
    if getattr(request, "htmx", False):
        return render(
            request,
            "web/_follow.html",
            {"kind": kind, "record": record, "following": following(request.user, record)},
        )
    return redirect(records.url_of(record))
