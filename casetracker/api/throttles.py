"""Rate limits per API key and per user (settings REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]).

Counters live in Django's default cache. A 429 carries Retry-After (seconds).
"""

from __future__ import annotations

from typing import Any

from rest_framework import throttling
from rest_framework.request import Request

from .keys import ApiKey


class ApiKeyThrottle(throttling.SimpleRateThrottle):
    """Each key has its own budget (scope `api_key`)."""

    scope = "api_key"

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        if not isinstance(request.auth, ApiKey):
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.auth.pk}


class UserThrottle(throttling.SimpleRateThrottle):
    """Each user has a budget shared by their session and their keys (scope `user`)."""

    scope = "user"

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        if not (request.user and request.user.is_authenticated):
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.user.pk}


class AnonThrottle(throttling.AnonRateThrottle):
    """Unauthenticated requests, per client address (scope `anon`)."""
