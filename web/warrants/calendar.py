"""Calendars (issue 13): a page of the hearings and deadlines a user may see, one per case,
and the user's iCalendar feed at a secret URL (any calendar app can subscribe to it).

The feed's token is the only credential of its URL: it is stored hashed, shown once when
made, rotatable and revocable by its user (the old URL is then a 404), and the feed shows
what the token's user may see now, protected parties by pseudonym unless they may see more.
"""

import datetime

import icalendar
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from cases.selectors import cases_visible_to
from warrants.actions import calendar_token_revoke, calendar_token_rotate
from warrants.models import CalendarToken
from warrants.selectors import CalendarEntry, calendar_entries, calendar_token_user


def _upcoming_first(entries: list[CalendarEntry]) -> tuple[list, list]:
    today = timezone.localdate()
    return [e for e in entries if e.day >= today], [e for e in entries if e.day < today][::-1]


@login_required
def calendar(request: HttpRequest) -> HttpResponse:
    """The user's calendar: hearings and deadlines of every case they may see."""
    upcoming, past = _upcoming_first(calendar_entries(request.user))
    return render(
        request,
        "warrants/calendar.html",
        {"upcoming": upcoming, "past": past, "case": None, "heading": _("Calendar")},
    )


@login_required
def case_calendar(request: HttpRequest, pk) -> HttpResponse:
    """One case's hearings and deadlines."""
    case = get_object_or_404(cases_visible_to(request.user), pk=pk)
    upcoming, past = _upcoming_first(calendar_entries(request.user, case_id=case.pk))
    heading = _("Calendar of %(case)s") % {"case": case.reference}
    return render(
        request,
        "warrants/calendar.html",
        {"upcoming": upcoming, "past": past, "case": case, "heading": heading},
    )


def feed_url(request: HttpRequest, token: str) -> str:
    return request.build_absolute_uri(reverse("warrants:calendar_ics", args=[token]))


@login_required
def calendar_feed_settings(request: HttpRequest) -> HttpResponse:
    """Make, rotate (POST action=rotate) or switch off (action=revoke) the user's feed URL. A
    new URL is shown this once."""
    user = request.user
    assert user.is_authenticated  # login_required
    secret = ""
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "rotate":
            secret = calendar_token_rotate(user=user)
        elif action == "revoke":
            calendar_token_revoke(user=user)
            return redirect("warrants:calendar_feed")
        else:
            return render(
                request,
                "warrants/calendar_feed.html",
                {"token": CalendarToken.objects.filter(user=user).first(), "error": True},
                status=400,
            )
    return render(
        request,
        "warrants/calendar_feed.html",
        {
            "token": CalendarToken.objects.filter(user=user).first(),
            "url": feed_url(request, secret) if secret else "",
        },
    )


def _event(entry: CalendarEntry, request: HttpRequest, stamp: datetime.datetime):
    event = icalendar.Event()
    event.add("uid", entry.uid)
    event.add("dtstamp", stamp)
    event.add("summary", entry.title)
    event.add("description", entry.description)
    if entry.time is not None:
        # Local time of the court, without a zone we could vouch for: a floating time.
        event.add("dtstart", datetime.datetime.combine(entry.day, entry.time))
        event.add("duration", datetime.timedelta(hours=2))
    else:
        event.add("dtstart", entry.day)
        event.add("dtend", entry.day + datetime.timedelta(days=1))
    event.add("status", "CANCELLED" if entry.cancelled else "CONFIRMED")
    path = (
        reverse("warrants:proceeding", args=[entry.record_id])
        if entry.resource == "proceeding"
        else reverse("warrants:deadline", args=[entry.record_id])
    )
    event.add("url", settings.SITE_URL + path)
    event.add("categories", [entry.resource])
    return event


@require_GET
def calendar_ics(request: HttpRequest, token: str) -> HttpResponse:
    """The iCalendar feed of the token's user; 404 for a wrong, rotated or revoked token
    (never telling which)."""
    user = calendar_token_user(token)
    if user is None:
        raise Http404
    cal = icalendar.Calendar()
    cal.add("prodid", "-//casetracker//calendar//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", "casetracker")
    stamp = timezone.now()
    for entry in calendar_entries(user):
        cal.add_component(_event(entry, request, stamp))
    response = HttpResponse(cal.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "no-referrer"
    return response
