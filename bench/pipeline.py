"""Benchmark (not a test): commit → alert and commit → webhook received, at a sustained rate.

`make bench` runs it: its own database (ct_bench), its own throwaway redis-server,
the Procfile's workers (a prefork worker with beat for the default queue, a thread-pool
worker for webhook deliveries), and an HTTP receiver on loopback in its own process.
It makes RATE case transitions per second for SECONDS seconds through the
actions (each commits one Event), then waits until every alert exists and
every webhook arrived, and prints p50/p99 latencies (also bench/results.json).

Environment: BENCH_RATE (50), BENCH_SECONDS (60), BENCH_CONCURRENCY (2 prefork
processes), BENCH_WEBHOOK_THREADS (16), BENCH_DRIVERS (4 driver threads),
BENCH_DATABASE_URL (postgres://postgres@127.0.0.1:5432/ct_bench).
"""

from __future__ import annotations

import json
import multiprocessing
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

RATE = float(os.environ.get("BENCH_RATE", 50))
SECONDS = float(os.environ.get("BENCH_SECONDS", 60))
CONCURRENCY = int(os.environ.get("BENCH_CONCURRENCY", 2))
WEBHOOK_THREADS = int(os.environ.get("BENCH_WEBHOOK_THREADS", 16))
DRIVERS = int(os.environ.get("BENCH_DRIVERS", 4))
DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/ct_bench")


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def serve_receiver(pipe: Any) -> None:
    """The webhook receiver, in its own process (as a real receiver is): it does not share
    the drivers' interpreter. Answers the parent's requests over `pipe`."""
    from tests.pipeline.harness import Receiver

    receiver = Receiver()
    receiver.start()
    pipe.send(receiver.port)
    receiver.secret = pipe.recv()
    while pipe.recv() != "stop":
        with receiver.lock:
            pipe.send([(r.headers["webhook-id"], r.at, r.verified) for r in receiver.received])
    receiver.stop()


def main() -> None:
    from tests.pipeline.harness import RedisServer, Worker, wait_for

    pipe, child_pipe = multiprocessing.Pipe()
    receiver_process = multiprocessing.Process(target=serve_receiver, args=(child_pipe,))
    receiver_process.start()  # forked before Django is set up
    receiver_url = f"http://127.0.0.1:{pipe.recv()}/bench"

    def arrivals() -> list[tuple[str, float, bool]]:
        pipe.send("arrivals")
        return pipe.recv()

    redis = RedisServer()
    redis.start()
    env = {
        **os.environ,
        "DATABASE_URL": DATABASE_URL,
        "CELERY_BROKER_URL": redis.url,
        "WEBHOOKS_ALLOW_PRIVATE": "true",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "LOG_LEVEL": "WARNING",
    }
    os.environ.update(env)
    manage = [str(ROOT / ".venv/bin/python"), str(ROOT / "manage.py")]
    subprocess.run([*manage, "ensure_database"], check=True, env=env, cwd=ROOT)
    subprocess.run([*manage, "migrate", "--no-input", "-v", "0"], check=True, env=env, cwd=ROOT)

    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.db import connection

    from alerts.models import Alert, WebhookDelivery, WebhookEndpoint
    from alerts.webhooks import endpoint_create
    from cases.actions import case_transition
    from core.events import Actor
    from tests import builders

    system = Actor.system("bench")
    owner, _ = User.objects.get_or_create(username="bench-client", defaults={"is_active": True})
    WebhookEndpoint.objects.filter(owner=owner).update(active=False)
    owner.is_superuser = True  # may read everything (the webhook renders events for it)
    owner.save()
    endpoint = endpoint_create(
        actor=Actor.for_user(owner), url=receiver_url, event_types=["case.*"]
    )
    pipe.send(endpoint.secret)
    cases = []
    for _ in range(20):
        case = builders.case(system, reference=f"BENCH-{time.time_ns()}")
        case_transition(case_id=case.pk, transition="open_investigation", actor=system)
        cases.append(case.pk)

    log_dir = Path(tempfile.mkdtemp(prefix="ct-bench-"))
    worker_env = {**env, "CONN_MAX_AGE": "60", "CELERY_WORKER_LOGLEVEL": "WARNING"}
    workers = [
        Worker(worker_env, log_dir / "worker.log", concurrency=CONCURRENCY, queues="casetracker"),
        Worker(
            worker_env,
            log_dir / "webhooks.log",
            beat=False,
            concurrency=WEBHOOK_THREADS,
            queues="webhooks",
            pool="threads",
        ),
    ]
    for worker in workers:
        worker.start()
    from alerts.models import WorkerHeartbeat
    from config.celery import app

    for worker in workers:
        app.send_task("alerts.tasks.canary", kwargs={"name": worker.queues}, queue=worker.queues)
        beats = WorkerHeartbeat.objects.filter(name=worker.queues)
        wait_for(beats.exists, 60, f"the {worker.queues} worker")
    time.sleep(3)  # let the relay catch up with the setup events

    load_before = os.getloadavg()[0]
    committed: dict[str, float] = {}
    total = int(RATE * SECONDS)
    late = [0] * DRIVERS
    start = time.monotonic() + 0.5

    def drive(driver: int) -> None:
        """Transitions n = driver, driver + DRIVERS, ... on this driver's own cases."""
        mine = cases[driver::DRIVERS]
        states = dict.fromkeys(mine, "investigation")
        try:
            for k, n in enumerate(range(driver, total, DRIVERS)):
                pause = start + n / RATE - time.monotonic()
                if pause > 0:
                    time.sleep(pause)
                else:
                    late[driver] += 1
                case_id = mine[k % len(mine)]
                move = "suspend" if states[case_id] == "investigation" else "resume"
                _, event = case_transition(case_id=case_id, transition=move, actor=system)
                committed[str(event.id)] = time.time()
                states[case_id] = "suspended" if move == "suspend" else "investigation"
        finally:
            connection.close()

    threads = [threading.Thread(target=drive, args=(d,)) for d in range(DRIVERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - start

    ids = list(committed)
    wait_for(lambda: Alert.objects.filter(event__id__in=ids).count() == total, 300, "every alert")
    wanted = set(ids)
    wait_for(lambda: len({a[0] for a in arrivals()} & wanted) == total, 300, "every webhook")
    alert_lat = [
        (created.timestamp() - committed[str(event_id)]) * 1000
        for created, event_id in Alert.objects.filter(event__id__in=ids).values_list(
            "created_at", "event__id"
        )
    ]
    received = [a for a in arrivals() if a[0] in wanted]
    first_seen: dict[str, float] = {}
    for webhook_id, at, _ in received:
        first_seen.setdefault(webhook_id, at)
    hook_lat = [(first_seen[i] - committed[i]) * 1000 for i in ids]
    duplicates = len(received) - len(first_seen)
    unverified = sum(not verified for _, _, verified in received)
    failed = WebhookDelivery.objects.filter(event__id__in=ids).exclude(status="succeeded").count()
    for worker in workers:
        worker.stop()
    pipe.send("stop")
    receiver_process.join(10)
    redis.stop()

    result: dict[str, Any] = {
        "transitions": total,
        "target_rate_per_s": RATE,
        "achieved_rate_per_s": round(total / elapsed, 1),
        "late_transitions": sum(late),
        "driver_threads": DRIVERS,
        "worker_processes": CONCURRENCY,
        "webhook_threads": WEBHOOK_THREADS,
        "alert_ms": {
            "p50": round(percentile(alert_lat, 50), 1),
            "p99": round(percentile(alert_lat, 99), 1),
            "max": round(max(alert_lat), 1),
            "mean": round(statistics.mean(alert_lat), 1),
        },
        "webhook_ms": {
            "p50": round(percentile(hook_lat, 50), 1),
            "p99": round(percentile(hook_lat, 99), 1),
            "max": round(max(hook_lat), 1),
            "mean": round(statistics.mean(hook_lat), 1),
        },
        "load_average_1min": {"start": load_before, "end": os.getloadavg()[0]},
        "webhook_duplicates": duplicates,
        "webhook_signatures_not_verified": unverified,
        "deliveries_not_succeeded": failed,
    }
    # Read-modify-write: other benchmarks keep their own keys in the same file.
    results_path = ROOT / "bench" / "results.json"
    merged = json.loads(results_path.read_text()) if results_path.exists() else {}
    merged.update(result)
    results_path.write_text(json.dumps(merged, indent=2) + "\n")
    print(json.dumps(result, indent=2))
    print(
        f"commit → alert   p50 {result['alert_ms']['p50']} ms  p99 {result['alert_ms']['p99']} ms"
        f"  (target p99 < 1000 ms)\n"
        f"commit → webhook p50 {result['webhook_ms']['p50']} ms  "
        f"p99 {result['webhook_ms']['p99']} ms  (target p99 < 2000 ms)"
    )


if __name__ == "__main__":
    main()
