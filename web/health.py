"""/healthz: 200 when the database and the broker answer, else 503.

The body also reports whether workers consume: the canary task (beat, every
CANARY_SECONDS, once on each queue) stamps a heartbeat; "worker" (default
queue) and "webhooks_worker" (deliveries' queue) are true when theirs was seen
within three intervals. A dead worker does not fail /healthz (the web process
is fine and must stay in rotation); monitor `checks.worker` and
`checks.webhooks_worker` separately. Nor does the cache: without it the API
answers, unthrottled (api/throttles.py); `checks.cache` tells.

`feed_lag_seconds` is the age of the oldest committed event not yet in the change
feed (0 when none waits; core.feed stamps events right after they commit, the relay
and its sweep again); `checks.feed` turns false above FEED_LAG_LIMIT. It does not
fail /healthz either: monitor it.
"""

import datetime

from celery import current_app as app
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.utils import timezone

from alerts.models import WorkerHeartbeat
from core.feed import feed_lag_seconds


def check_database() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return True
    except Exception:
        return False


def check_broker() -> bool:
    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        return True
    except Exception:
        return False


def check_cache() -> bool:
    try:
        cache.get("healthz")
        return True
    except Exception:
        return False


def feed_lag() -> float | None:
    try:
        return round(feed_lag_seconds(), 3)
    except Exception:
        return None


def feed_lag_limit() -> float:
    """Stamped on commit in milliseconds; the sweep is the fallback (OUTBOX_SWEEP_SECONDS)."""
    return max(5.0, 2 * settings.OUTBOX_SWEEP_SECONDS)


# Heartbeats stamped by the canary on each queue (see CELERY_BEAT_SCHEDULE).
HEARTBEATS = {"worker": "canary", "webhooks_worker": "webhooks"}


def last_seen() -> dict[str, datetime.datetime]:
    try:
        beats = WorkerHeartbeat.objects.filter(name__in=HEARTBEATS.values())
        seen = dict(beats.values_list("name", "seen_at"))
    except Exception:
        return {}
    return {check: seen[name] for check, name in HEARTBEATS.items() if name in seen}


def healthz(request):
    seen = last_seen()
    fresh = timezone.now() - datetime.timedelta(seconds=3 * settings.CANARY_SECONDS)
    checks = {"database": check_database(), "broker": check_broker()}
    healthy = all(checks.values())
    workers = {check: check in seen and seen[check] > fresh for check in HEARTBEATS}
    lag = feed_lag()
    feed = lag is not None and lag <= feed_lag_limit()
    return JsonResponse(
        {
            "status": "ok" if healthy else "unavailable",
            "checks": {**checks, "cache": check_cache(), **workers, "feed": feed},
            "feed_lag_seconds": lag,
            **{
                f"{check}_last_seen": seen[check].isoformat() if check in seen else None
                for check in HEARTBEATS
            },
        },
        status=200 if healthy else 503,
    )
