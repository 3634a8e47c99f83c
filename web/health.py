"""/healthz: 200 when the database and the broker answer, else 503.

The body also reports whether workers consume: the canary task (beat, every
CANARY_SECONDS, once on each queue) stamps a heartbeat; "worker" (default
queue) and "webhooks_worker" (deliveries' queue) are true when theirs was seen
within three intervals. A dead worker does not fail /healthz (the web process
is fine and must stay in rotation); monitor `checks.worker` and
`checks.webhooks_worker` separately. Nor does the cache: without it the API
answers, unthrottled (api/throttles.py); `checks.cache` tells.
"""

import datetime

from celery import current_app as app
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.utils import timezone

from alerts.models import WorkerHeartbeat


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
    return JsonResponse(
        {
            "status": "ok" if healthy else "unavailable",
            "checks": {**checks, "cache": check_cache(), **workers},
            **{
                f"{check}_last_seen": seen[check].isoformat() if check in seen else None
                for check in HEARTBEATS
            },
        },
        status=200 if healthy else 503,
    )
