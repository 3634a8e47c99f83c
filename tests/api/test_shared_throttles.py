"""Throttle counters live in the shared Redis cache: every web process counts against one
budget; a throttle that cannot reach Redis lets requests through (and says so)."""

import json
import logging
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from urllib.parse import quote

import pytest
from django.conf import settings as django_settings
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.db import connection
from django.test import override_settings

from api import throttles
from api.throttles import ApiKeyThrottle, UserThrottle
from core.keys import api_key_create
from tests.conftest import TEST_CACHE_KEY_PREFIX, clear_cache, make_user

from .conftest import client_for

ANOTHER_PROCESS = """
import json, os, sys
import django
django.setup()
from django.test import Client
api = Client(HTTP_AUTHORIZATION="Bearer " + sys.argv[1])
print(json.dumps([api.get("/api/v1/cases/").status_code for _ in range(int(sys.argv[2]))]))
"""


def run_elsewhere(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", **env},
        cwd=django_settings.BASE_DIR,
    )


@pytest.mark.slow
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_web_processes_count_against_one_budget(monkeypatch):
    monkeypatch.setattr(ApiKeyThrottle, "THROTTLE_RATES", {"api_key": "4/min"})
    staff = make_user("staff", "staff")
    key = api_key_create(owner=staff, name="shared-bot", scope="read")[1]  # committed
    cache = caches["default"]
    assert isinstance(cache, RedisCache) and cache.key_prefix == TEST_CACHE_KEY_PREFIX
    location = django_settings.CACHES["default"]["LOCATION"]
    db = connection.settings_dict
    here = client_for(key=key)

    assert [here.get("/api/v1/cases/").status_code for _ in range(2)] == [200, 200]
    elsewhere = run_elsewhere(
        {
            "DATABASE_URL": f"postgres://{db['USER'] or 'postgres'}@{db['HOST'] or '127.0.0.1'}"
            f":{db['PORT'] or 5432}/{db['NAME']}",
            "CACHE_URL": f"{location}?key_prefix={quote(TEST_CACHE_KEY_PREFIX)}",
            "API_THROTTLE_KEY": "4/min",
        },
        ANOTHER_PROCESS,
        key,
        "3",
    )
    assert elsewhere.returncode == 0, elsewhere.stderr
    # The other process saw this one's 2 requests: only 2 of its 3 fit in the budget of 4 ...
    assert json.loads(elsewhere.stdout.strip().splitlines()[-1]) == [200, 200, 429]
    # ... and this one sees the other's.
    assert here.get("/api/v1/cases/").status_code == 429


@pytest.fixture
def unreachable_redis(request) -> Iterator[str]:
    """A Redis URL that refuses connections, or one that accepts them and never answers."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
        if request.param == "hung":
            sock.listen(16)  # the kernel completes connections; nobody ever reads or writes
        yield f"redis://127.0.0.1:{port}/1"


@pytest.mark.parametrize("unreachable_redis", ["refused", "hung"], indirect=True)
def test_with_redis_unreachable_a_throttle_lets_requests_through_and_warns_once(
    world, monkeypatch, caplog, read_key, unreachable_redis
):
    monkeypatch.setattr(ApiKeyThrottle, "THROTTLE_RATES", {"api_key": "3/min"})
    monkeypatch.setattr(UserThrottle, "THROTTLE_RATES", {"user": "3/min"})
    down = {"default": {**django_settings.CACHES["default"], "LOCATION": unreachable_redis}}
    api = client_for(key=read_key)

    started = time.monotonic()
    with (
        override_settings(CACHES=down),
        caplog.at_level(logging.WARNING, logger="api.throttles"),
    ):
        codes = [api.get("/api/v1/cases/").status_code for _ in range(10)]
    assert codes == [200] * 10  # over the limit of 3, but nothing can count
    # Short socket timeouts, and the cache is left alone for a while after a failure.
    assert time.monotonic() - started < 5
    [warning] = [r for r in caplog.records if r.name == "api.throttles"]
    assert warning.levelno == logging.WARNING
    assert "cache unreachable" in warning.getMessage()

    # Redis is back and the pause is over: requests are counted again.
    throttles._cache_down_until = 0.0
    codes = [api.get("/api/v1/cases/").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]


def test_clearing_the_tests_cache_leaves_other_keys_alone():
    cache = caches["default"]
    assert isinstance(cache, RedisCache)
    client = cache._cache.get_client(write=True)
    other = "test:someone-elses-run:1:throttle_user_1"
    client.set(other, b"kept", ex=60)
    cache.set("throttle_user_1", [1.0], 60)
    try:
        clear_cache()
        assert cache.get("throttle_user_1") is None
        assert client.get(other) == b"kept"
    finally:
        client.delete(other)


@pytest.mark.slow
def test_by_default_the_cache_is_the_local_redis_next_to_the_broker_with_a_prefix():
    env = {k: v for k, v in os.environ.items() if k not in ("CACHE_URL", "CELERY_BROKER_URL")}
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import json; from django.conf import settings; "
            "print(json.dumps([settings.CACHES, settings.CELERY_BROKER_URL]))",
        ],
        capture_output=True,
        text=True,
        timeout=60,
        env={**env, "DJANGO_SETTINGS_MODULE": "config.settings"},
        cwd=django_settings.BASE_DIR,
    )
    assert result.returncode == 0, result.stderr
    caches_setting, broker = json.loads(result.stdout)
    default = caches_setting["default"]
    assert default["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert (broker, default["LOCATION"]) == ("redis://127.0.0.1:6379/0", "redis://127.0.0.1:6379/1")
    assert default["KEY_PREFIX"] == "casetracker"
    assert default["OPTIONS"]["socket_connect_timeout"] <= 1
    assert default["OPTIONS"]["socket_timeout"] <= 1
