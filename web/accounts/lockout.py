"""Sign-in lockout (django-axes): per user and, with a higher limit, per address.

Axes counts failed sign-ins in AccessAttempt rows (username and address) and keeps
every sign-in (AccessLog) and every failure (AccessFailureLog) for the audit; the
admin lists all three and deleting an attempt unlocks (so does `manage.py axes_reset`).
"""

from __future__ import annotations

from typing import Any

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_cool_off, get_failure_limit
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


class LockoutHandler(AxesDatabaseHandler):
    """Axes' database handler with a limit of its own for an address.

    Axes applies one limit to every lockout parameter. An address is often shared
    (an NGO office behind one NAT), so it gets a higher limit
    (`LOGIN_IP_FAILURE_LIMIT`) than a username (`AXES_FAILURE_LIMIT`): an address
    at its limit counts as the user limit reached, for every username tried from it.
    """

    def get_failures(self, request: HttpRequest, credentials: dict | None = None) -> int:
        # One queryset per AXES_LOCKOUT_PARAMETERS entry: [["username"], ["ip_address"]].
        by_user, by_address = (
            attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        )
        if by_address >= settings.LOGIN_IP_FAILURE_LIMIT:
            return max(by_user, get_failure_limit(request, credentials))
        return by_user


def locked_out(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: Any = None
) -> HttpResponse:
    """The page a locked-out sign-in gets (429), saying for how long and what to do."""
    cool_off = get_cool_off(request)
    minutes = int(cool_off.total_seconds() // 60) if cool_off else None
    return render(request, "registration/locked_out.html", {"minutes": minutes}, status=429)
