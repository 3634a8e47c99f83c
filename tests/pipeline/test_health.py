"""/healthz reports the worker through the canary's heartbeat."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from alerts.tasks import canary

pytestmark = pytest.mark.django_db


def test_healthz_reports_a_worker_only_while_its_canary_is_fresh(client, settings):
    assert client.get("/healthz").json()["checks"]["worker"] is False
    canary()  # what a worker runs when beat sends the canary
    body = client.get("/healthz").json()
    assert (body["checks"]["worker"], body["status"]) == (True, "ok")
    later = timezone.now() + datetime.timedelta(seconds=3 * settings.CANARY_SECONDS + 1)
    with time_machine.travel(later):
        assert client.get("/healthz").json()["checks"]["worker"] is False


def test_healthz_reports_the_webhooks_worker_by_its_own_canary(client):
    canary()  # the default queue's worker only
    body = client.get("/healthz").json()
    assert (body["checks"]["worker"], body["checks"]["webhooks_worker"]) == (True, False)
    assert body["webhooks_worker_last_seen"] is None
    canary(name="webhooks")  # what the webhooks worker runs (beat sends it to its queue)
    body = client.get("/healthz").json()
    assert body["checks"]["webhooks_worker"] is True
    assert body["webhooks_worker_last_seen"] is not None


def test_healthz_reports_an_unreachable_cache_without_failing(client, settings):
    assert client.get("/healthz").json()["checks"]["cache"] is True
    unreachable = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens on port 1
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
    }
    settings.CACHES = {"default": unreachable}
    response = client.get("/healthz")
    assert (response.status_code, response.json()["checks"]["cache"]) == (200, False)
