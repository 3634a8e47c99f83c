"""Rate limits per API key and per user (settings REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]).

Counters live in Django's default cache, which must be shared by every web process
(settings CACHES, `CACHE_URL`: Redis), or each process counts on its own. A 429
carries Retry-After (seconds).

A throttle that cannot reach the cache lets the request through and logs a warning:
the API keeps answering while Redis is down, unthrottled. After a failure the cache
is left alone for CACHE_BACKOFF_SECONDS, so requests do not each wait on it.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from redis.exceptions import RedisError
from rest_framework import throttling
from rest_framework.request import Request

from core.keys import ApiKey

logger = logging.getLogger(__name__)

CACHE_BACKOFF_SECONDS = 5.0
# Redis errors, and socket errors of other cache backends.
CACHE_ERRORS: tuple[type[Exception], ...] = (RedisError, OSError)

_cache_down_until = 0.0  # per process: monotonic time before which the cache is not tried


class SharedCacheThrottle(throttling.SimpleRateThrottle):
    """Counts in the shared cache; lets the request through when the cache is unreachable."""

    def allow_request(self, request: Request, view: Any) -> bool:
        global _cache_down_until
        if time.monotonic() < _cache_down_until:
            return True
        try:
            return super().allow_request(request, view)
        except CACHE_ERRORS as exc:
            _cache_down_until = time.monotonic() + CACHE_BACKOFF_SECONDS
            logger.warning(
                "API throttle %r: cache unreachable (%s: %s); requests are let through "
                "unthrottled, the cache is tried again in %.0f s",
                self.scope,
                type(exc).__name__,
                exc,
                CACHE_BACKOFF_SECONDS,
            )
            return True


class ApiKeyThrottle(SharedCacheThrottle):
    """Each key has its own budget (scope `api_key`)."""

    scope = "api_key"

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        if not isinstance(request.auth, ApiKey):
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.auth.pk}


class UserThrottle(SharedCacheThrottle):
    """Each user has a budget shared by their session and their keys (scope `user`)."""

    scope = "user"

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        if not (request.user and request.user.is_authenticated):
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.user.pk}


class AnonThrottle(SharedCacheThrottle, throttling.AnonRateThrottle):
    """Unauthenticated requests, per client address (scope `anon`)."""
