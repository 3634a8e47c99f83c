"""Two-factor sign-in (django-otp): who must give a second factor, and the gate that asks.

A user gives one after the password when they enrolled an authenticator app, or when
their role requires it (core.accounts: the permission an admin grants in the admin);
required but not enrolled, they enrol first. Until then every page and the API
(session) send them to that step; API keys are not sign-ins and are not asked.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django_otp import devices_for_user

from core.accounts import two_factor_required

# Decided at sign-in and kept in the session: no query per request. A change of the
# requirement takes effect at the user's next sign-in.
SESSION_KEY = "two_factor"
NEEDED, OFF = "needed", "off"
# What a signed-in user may reach before the second factor (view names: namespaced ones,
# such as the admin's "admin:login", are not these).
OPEN_VIEWS = {
    "login",
    "logout",
    "two_factor_verify",
    "two_factor_enroll",
    "set_language",
    "healthz",
}


def has_device(user: Any) -> bool:
    return any(devices_for_user(user, confirmed=True))


def needs_second_factor(user: Any) -> bool:
    return has_device(user) or two_factor_required(user)


@receiver(user_logged_in, dispatch_uid="web.two_factor.decide")
def decide_at_sign_in(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if request is not None and hasattr(request, "session"):
        request.session[SESSION_KEY] = NEEDED if needs_second_factor(user) else OFF


class TwoFactorMiddleware:
    """After django-otp's OTPMiddleware: holds back a signed-in user still owing a factor."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: Any, view_args: Any, view_kwargs: Any
    ) -> HttpResponse | None:
        user = request.user
        if not user.is_authenticated or user.is_verified():  # type: ignore[union-attr,attr-defined]
            return None
        match = request.resolver_match
        if match is not None and match.view_name in OPEN_VIEWS:
            return None
        api = request.path.startswith("/api/")
        if api and request.headers.get("Authorization", "").lower().startswith("bearer "):
            # An API key: the API authenticates it or answers 401, never falling back on
            # this session. Any other header would leave the session in play: not skipped.
            return None
        state = request.session.get(SESSION_KEY)
        if state is None:  # a session opened before two-factor sign-in existed
            state = request.session[SESSION_KEY] = NEEDED if needs_second_factor(user) else OFF
        if state == OFF:
            return None
        step = "two_factor_verify" if has_device(user) else "two_factor_enroll"
        if api:
            return JsonResponse(
                {
                    "type": "urn:casetracker:problem:two-factor-required",
                    "title": "Two-factor sign-in required",
                    "status": 403,
                    "detail": "Finish signing in with your second factor at "
                    f"{reverse(step)} (or use an API key).",
                },
                status=403,
                content_type="application/problem+json",
            )
        return redirect(f"{reverse(step)}?{urlencode({'next': request.get_full_path()})}")
