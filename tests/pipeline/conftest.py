"""Fixtures for pipeline tests: committed data (transaction=True), real Redis, workers, receiver.

Workers connect to the pytest-django test database, so every test here uses
`transactional_db`: the worker only sees committed rows.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.db import connection

from alerts.models import AlertRule
from config.celery import app
from core.roles import sync_roles

from .harness import Receiver, RedisServer, Worker, wait_for

# Fast schedules for tests: sweeps every 0.5 s, retries within seconds.
WORKER_SETTINGS = {
    "OUTBOX_SWEEP_SECONDS": "0.5",
    "DELIVERY_SWEEP_SECONDS": "0.5",
    "KICK_GRACE_SECONDS": "1",
    "CANARY_SECONDS": "0.5",
    "CHECKS_SECONDS": "3600",
    "WEBHOOK_RETRY_SCHEDULE": "0.5,1,2,4",
    "WEBHOOK_RETRY_JITTER": "0.1",
    "WEBHOOK_TIMEOUT": "2",
    "WEBHOOK_DISABLE_AFTER_FAILURES": "50",
    "EMAIL_RETRY_SCHEDULE": "0.5,1",
    "WEBHOOKS_ALLOW_PRIVATE": "true",
    "CONN_MAX_AGE": "0",
}


# The Procfile's delivery worker: the webhooks queue only, on a thread pool.
WEBHOOKS_WORKER = {"queues": "webhooks", "pool": "threads", "concurrency": 4, "beat": False}


# The migrations that write alert rules (rules are data), in migration order.
RULE_SEEDS = (
    "alerts.migrations.0004_default_rules",
    "alerts.migrations.0009_protection_rules",
    "alerts.migrations.0014_interpol_watch",
    "warrants.migrations.0007_proceeding_alert_rules",
)


@pytest.fixture
def pipeline_db(transactional_db) -> None:
    """Committed-data tests start from a flushed database: put back roles and default rules."""
    sync_roles(apps)
    if not AlertRule.objects.exists():
        for migration in RULE_SEEDS:
            importlib.import_module(migration).seed(apps, None)


@pytest.fixture
def mail_dir(tmp_path: Path) -> Path:
    directory = tmp_path / "mail"
    directory.mkdir()
    return directory


@pytest.fixture
def broker(redis_server: RedisServer, settings, monkeypatch) -> Iterator[RedisServer]:
    """This process kicks tasks to the throwaway Redis (and only there)."""
    from core import kicks

    settings.OUTBOX_KICKS = True
    # Celery reads CELERY_BROKER_URL from the environment before its configuration.
    monkeypatch.setenv("CELERY_BROKER_URL", redis_server.url)
    assert app.conf.broker_write_url == redis_server.url
    kicks._broker_down_until = 0.0
    with app.connection_for_write() as conn:
        channel: Any = conn.default_channel
        channel.client.flushdb()
    yield redis_server


@pytest.fixture
def worker_env(broker: RedisServer, mail_dir: Path, settings) -> dict[str, str]:
    db = connection.settings_dict
    return {
        **os.environ,
        **WORKER_SETTINGS,
        "DATABASE_URL": f"postgres://{db['USER'] or 'postgres'}@{db['HOST'] or '127.0.0.1'}:"
        f"{db['PORT'] or 5432}/{db['NAME']}",
        "CELERY_BROKER_URL": broker.url,
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(mail_dir),
    }


@pytest.fixture
def start_worker(worker_env, tmp_path: Path, pipeline_db) -> Iterator:
    """Start workers (`start_worker(**env overrides)`), by default one consuming every queue;
    `queues`, `pool` and `concurrency` give the Procfile's two (see WEBHOOKS_WORKER).
    All are stopped after the test."""
    started: list[Worker] = []

    def start(
        beat: bool = True,
        wait: bool = True,
        queues: str = "casetracker,webhooks",
        pool: str = "prefork",
        concurrency: int = 2,
        **overrides: str,
    ) -> Worker:
        log = tmp_path / f"worker-{len(started)}.log"
        worker = Worker({**worker_env, **overrides}, log, beat, concurrency, queues, pool)
        worker.start()
        started.append(worker)
        if wait:
            wait_for_canary(worker, queues.split(",")[0])
        return worker

    yield start
    for worker in started:
        worker.stop()


def wait_for_canary(worker: Worker, queue: str) -> None:
    """Wait until `worker` runs a canary sent to `queue` (as beat sends one to each queue)."""
    from alerts.models import WorkerHeartbeat

    WorkerHeartbeat.objects.all().delete()
    # Over a connection of its own: the app's pool may be bound to an earlier broker URL.
    with app.connection_for_write() as conn:
        app.send_task("alerts.tasks.canary", kwargs={"name": queue}, queue=queue, connection=conn)

    def seen() -> bool:
        assert worker.process and worker.process.poll() is None, worker.log_path.read_text()
        return WorkerHeartbeat.objects.filter(name=queue).exists()

    wait_for(seen, 60, f"the worker's canary on {queue}")


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    server = Receiver()
    server.start()
    yield server
    server.stop()
