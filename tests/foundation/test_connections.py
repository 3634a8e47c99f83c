"""The web process holds a bounded number of PostgreSQL connections, and gives them back.

`make run` serves with Django's development server, which starts a thread per request:
persistent connections (CONN_MAX_AGE) outlived their threads, and 60 parallel requests
left dozens open, starving every other user of the PostgreSQL server. Its threads now share
a bounded pool (settings DB_POOL_SIZE).
"""

import os
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.db import connection

pytestmark = [pytest.mark.slow, pytest.mark.django_db]

ROOT = Path(__file__).resolve().parents[2]
REQUESTS = 60
# The development server's threads share a pool of connections (settings DB_POOL_SIZE).
POOL = settings.DEV_SERVER_POOL_SIZE
# After the burst: at most the pool's connections and the server's own startup one.
IDLE_AFTER = POOL + 1


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def database_url(application_name: str) -> str:
    db = settings.DATABASES["default"]
    user = db.get("USER") or "postgres"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    host, port = db.get("HOST") or "127.0.0.1", db.get("PORT") or 5432
    return (
        f"postgres://{user}{password}@{host}:{port}/{db['NAME']}"
        f"?application_name={application_name}"
    )


def connections_of(monitor: psycopg.Connection, application_name: str) -> int:
    row = monitor.execute(
        "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND application_name = %s",
        (settings.DATABASES["default"]["NAME"], application_name),
    ).fetchone()
    assert row is not None
    return row[0]


def get(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


@pytest.fixture
def monitor():
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    with psycopg.connect(**params, autocommit=True) as conn:
        yield conn


@pytest.fixture
def dev_server():
    """`manage.py runserver` as `make run` starts it (Procfile `web`), on the test database."""
    name = f"ct-conn-test-{os.getpid()}"
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database_url(name),
        "DEBUG": "true",
        "OUTBOX_KICKS": "false",
    }
    env.pop("CONN_MAX_AGE", None)
    process = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            assert process.poll() is None, process.stderr.read().decode()[-2000:]  # type: ignore[union-attr]
            try:
                get(f"{base}/healthz")
                break
            except (urllib.error.URLError, ConnectionError):
                assert time.monotonic() < deadline, "the development server did not start"
                time.sleep(0.2)
        yield base, name
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def test_parallel_requests_to_the_development_server_leave_no_connections_open(dev_server, monitor):
    base, name = dev_server
    peak = 0
    done = threading.Event()

    def watch() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, connections_of(monitor, name))
            time.sleep(0.02)

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        with ThreadPoolExecutor(REQUESTS) as pool:
            statuses = list(pool.map(get, [f"{base}/healthz"] * REQUESTS))
    finally:
        done.set()
        watcher.join()
    assert set(statuses) <= {200, 503}, statuses
    # Never more than the pool's, whatever the number of requests or threads.
    assert peak <= IDLE_AFTER < REQUESTS
    # And each request gave its connection back when it ended.
    deadline = time.monotonic() + 5
    while (left := connections_of(monitor, name)) > IDLE_AFTER and time.monotonic() < deadline:
        time.sleep(0.1)
    assert left <= IDLE_AFTER, f"{left} connections left open after {REQUESTS} requests"
