"""/healthz: 200 when the database and the broker answer, else 503.

The body also reports whether workers consume: the canary task (beat, every
CANARY_SECONDS) stamps a heartbeat; "worker" is true when one was seen within
three intervals. A dead worker does not fail /healthz (the web process is
fine and must stay in rotation); monitor `checks.worker` separately.
"""

import datetime

from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.utils import timezone

from casetracker.celery import app


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


def worker_last_seen() -> datetime.datetime | None:
    from alerts.models import WorkerHeartbeat

    try:
        beat = WorkerHeartbeat.objects.filter(name="canary").first()
    except Exception:
        return None
    return beat.seen_at if beat else None


def healthz(request):
    seen = worker_last_seen()
    fresh = datetime.timedelta(seconds=3 * settings.CANARY_SECONDS)
    checks = {"database": check_database(), "broker": check_broker()}
    healthy = all(checks.values())
    worker = seen is not None and timezone.now() - seen < fresh
    return JsonResponse(
        {
            "status": "ok" if healthy else "unavailable",
            "checks": {**checks, "worker": worker},
            "worker_last_seen": seen.isoformat() if seen else None,
        },
        status=200 if healthy else 503,
    )
