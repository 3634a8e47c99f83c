"""Rate limits per API key and per user (settings REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]).

Counters live in Django's default cache, which must be shared by every web process
(settings CACHES, `CACHE_URL`: Redis), or each process counts on its own. A 429
carries Retry-After (seconds).

A throttle that cannot reach the cache lets the request through and logs a warning:
the API keeps answering while Redis is down, unthrottled. After a failure the cache
is left alone for CACHE_BACKOFF_SECONDS, so requests do not each wait on it.

One round trip per request: DRF asks each throttle in turn, and each would read then write
its own counter (four round trips for a key: its budget and its owner's). With Redis the
first throttle asked counts for all of the view's throttles in one script (the same sliding
window as DRF's, a list of timestamps per counter) and the others read its answer.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError
from rest_framework import throttling
from rest_framework.request import Request

from core.keys import ApiKey

logger = logging.getLogger(__name__)

CACHE_BACKOFF_SECONDS = 5.0
# Redis errors, and socket errors of other cache backends.
CACHE_ERRORS: tuple[type[Exception], ...] = (RedisError, OSError)

_cache_down_until = 0.0  # per process: monotonic time before which the cache is not tried


# KEYS: the counters; ARGV: now, then limit and duration per counter. Each counter is a
# list of request times, newest first (DRF's history). Returns, per counter, "" when the
# request is counted, else the wait in seconds ("-1": none fits the window however long).
_COUNT = """
local now = tonumber(ARGV[1])
local out = {}
for i, key in ipairs(KEYS) do
  local limit = tonumber(ARGV[2 * i])
  local duration = tonumber(ARGV[2 * i + 1])
  while true do
    local last = redis.call('LINDEX', key, -1)
    if not last or tonumber(last) > now - duration then break end
    redis.call('RPOP', key)
  end
  local n = redis.call('LLEN', key)
  if n < limit then
    redis.call('LPUSH', key, ARGV[1])
    redis.call('EXPIRE', key, math.ceil(duration))
    out[i] = ''
  elseif limit - n + 1 <= 0 then
    out[i] = '-1'
  else
    local oldest = tonumber(redis.call('LINDEX', key, -1))
    out[i] = tostring((duration - (now - oldest)) / (limit - n + 1))
  end
end
return out
"""
_script: Any = None  # registered once (EVALSHA, with EVAL when Redis does not know it yet)

# What a request's throttles decided: allowed, and the wait when not.
Verdict = tuple[bool, float | None]


def _count_all(request: Request, view: Any) -> dict[str, Verdict] | None:
    """Count the request against every shared-cache throttle of `view` in one round trip.
    None when the cache is not Redis (each throttle then counts on its own, as DRF does)."""
    global _script
    backend = caches["default"]
    if not isinstance(backend, RedisCache):
        return None
    counters = []
    for throttle in view.get_throttles():
        if not isinstance(throttle, SharedCacheThrottle) or throttle.rate is None:
            continue
        key = throttle.get_cache_key(request, view)
        if key is not None:
            # A list, not DRF's pickled value: its own name, so that a process still running
            # the older code (during a deploy) never meets the other type under one key.
            counters.append(
                (str(throttle.scope), backend.make_and_validate_key(f"{key}:log"), throttle)
            )
    if not counters:
        return {}
    client = backend._cache.get_client(write=True)  # type: ignore[attr-defined]
    if _script is None:
        _script = client.register_script(_COUNT)
    args: list[Any] = [repr(time.time())]
    for _, _, throttle in counters:
        args += [throttle.num_requests, throttle.duration]  # type: ignore[attr-defined]
    answers = _script(keys=[key for _, key, _ in counters], args=args, client=client)
    verdicts: dict[str, Verdict] = {}
    for (scope, _, _), answer in zip(counters, answers, strict=True):
        answer = answer.decode() if isinstance(answer, bytes) else str(answer)
        wait = None if answer in ("", "-1") else max(float(answer), 0.0)
        verdicts[scope] = (answer == "", wait)
    return verdicts


class SharedCacheThrottle(throttling.SimpleRateThrottle):
    """Counts in the shared cache; lets the request through when the cache is unreachable."""

    _wait: float | None = None

    def allow_request(self, request: Request, view: Any) -> bool:
        global _cache_down_until
        if self.rate is None:
            return True
        if time.monotonic() < _cache_down_until:
            return True
        try:
            verdicts = getattr(request, "_throttle_verdicts", None)
            if verdicts is None:
                verdicts = _count_all(request, view)
                if verdicts is None:
                    return super().allow_request(request, view)
                request._throttle_verdicts = verdicts  # type: ignore[attr-defined]
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
        allowed, self._wait = verdicts.get(str(self.scope), (True, None))
        return allowed

    def wait(self) -> float | None:
        if self._wait is not None or not hasattr(self, "history"):
            return self._wait
        return super().wait()  # counted by DRF's own get and set (a cache other than Redis)


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
