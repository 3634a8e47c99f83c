"""Benchmark (not a test): the API and the web pages at a coalition's scale, beside a floor.

`make bench` runs it after bench/pipeline.py; `SCALE=small` (default; a tenth of the data,
the whole run in a few minutes) or `SCALE=full` (5k cases, 50k parties, 100k warrants,
20k notices, 1M events: bench/generate.py).

1. bench/generate.py makes the data (its own database, ct_bench_api), seeded.
2. The app is served by gunicorn with the web service's command and environment from
   docker-compose.yml (read now, not copied: workers, threads, worker class...), except
   the bind address, 2 workers, and the local PostgreSQL and a throwaway redis-server;
   beside it the Celery worker of docker-compose's `worker` service, and the floor
   (bench/floor.py) under the same gunicorn settings.
3. A load generator in its own process (threads with http.client, keep-alive where the
   server keeps connections) runs each row at a fixed concurrency for BENCH_SECONDS:
   the warrant list, a warrant, a warrant with If-None-Match (304) against the app and the
   floor; one client reading the change feed; the dashboard, the web warrants list and
   the case page of the 205-event case (one client: their time); case transitions through
   the API by 8 clients; then a bulk load of parties in one transaction (µs per row as it
   grows); then the RSS of the web and Celery workers. During each row it reads how
   many cores each group of processes kept busy (web, floor, Celery worker, the local
   PostgreSQL server, the load generator: /proc), to tell where a request's time goes.
4. Prints a table; raw figures go to bench/results.json under "api" → scale → label
   (BENCH_LABEL, default "current"), read-modify-write.

The API's throttles stay on, at rates no client of the run reaches (API_THROTTLE_*: the
figures would otherwise be the throttle's 20 requests/s per key).

Environment: SCALE, BENCH_SECONDS (per row: 8 small, 15 full), BENCH_CLIENTS (8),
BENCH_FEED_SECONDS (the feed reader's time limit: 120), BENCH_COLLECTSTATIC=0 (static
files already collected), BENCH_BULK_ROWS (5000 small,
20000 full), BENCH_APP_ROOT (the checkout to serve; default this one: a worktree of an
older commit measures "before" with these scripts), BENCH_REUSE=1 (keep the database
of the last generation when it is of this scale and checkout), BENCH_LABEL.
"""

from __future__ import annotations

import http.client
import json
import multiprocessing
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import generate  # noqa: E402

SCALE = os.environ.get("SCALE", "small")
SECONDS = float(os.environ.get("BENCH_SECONDS", 15 if SCALE == "full" else 8))
CLIENTS = int(os.environ.get("BENCH_CLIENTS", 8))
FEED_SECONDS = float(os.environ.get("BENCH_FEED_SECONDS", 120))
BULK_ROWS = int(os.environ.get("BENCH_BULK_ROWS", 20000 if SCALE == "full" else 5000))
APP_ROOT = Path(os.environ.get("BENCH_APP_ROOT", ROOT)).resolve()
LABEL = os.environ.get("BENCH_LABEL", "current")
WORKERS = 2
LIST_URL = "/api/v1/warrants/?status=issued&page_size=100"
PYTHON = str(ROOT / ".venv/bin/python")


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))] if ordered else 0.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# --- docker-compose's settings -----------------------------------------------------------

INTERPOLATION = re.compile(r"\$\{(\w+)(?::?([-?])([^}]*))?\}")


def interpolate(value: str) -> str:
    """Compose's ${VAR}, ${VAR:-default}, ${VAR:?error}, from this environment."""

    def one(match: re.Match) -> str:
        name, kind, rest = match.groups()
        if os.environ.get(name):
            return os.environ[name]
        return rest if kind == "-" else ""

    return INTERPOLATION.sub(one, str(value))


def compose_service(name: str) -> tuple[list[str], dict[str, str]]:
    """A docker-compose service's command and environment (the x-app anchor merged in)."""
    import yaml

    spec = yaml.safe_load((APP_ROOT / "docker-compose.yml").read_text())
    service = spec["services"][name]
    command = [interpolate(part) for part in service["command"]]
    environment = {k: interpolate(v) for k, v in (service.get("environment") or {}).items()}
    return command, environment


def gunicorn_args(command: list[str], port: int) -> list[str]:
    """The web command's gunicorn options, bound here, with WORKERS workers."""
    args = command[command.index(next(c for c in command if c.endswith("gunicorn"))) + 2 :]
    out, skip = [], False
    for arg in args:
        if skip:
            skip = False
            continue
        name = arg.split("=", 1)[0]
        if name in ("--bind", "-b", "--workers", "-w"):
            skip = "=" not in arg
            continue
        out.append(arg)
    return [*out, "--bind", f"127.0.0.1:{port}", "--workers", str(WORKERS)]


# --- processes ---------------------------------------------------------------------------


class Processes:
    """Every process the run starts, stopped in reverse order, also on failure."""

    def __init__(self, log_dir: Path) -> None:
        self.log_dir = log_dir
        self.started: list[tuple[str, subprocess.Popen]] = []

    def start(self, name: str, args: list[str], env: dict[str, str], cwd: Path) -> subprocess.Popen:
        log = open(self.log_dir / f"{name}.log", "w")  # noqa: SIM115  closed with the process
        process = subprocess.Popen(
            args, env=env, cwd=cwd, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        self.started.append((name, process))
        return process

    def stop(self) -> None:
        for _, process in reversed(self.started):
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for name, process in reversed(self.started):
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
                print(f"{name} killed after 30 s", file=sys.stderr)


def wait_http(port: int, path: str = "/healthz", seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", path)
            if connection.getresponse().status < 500:
                return
        except OSError:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"nothing answers on port {port}")


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) / 1024, 1)
    return 0.0


def children(pid: int) -> list[int]:
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(root: int) -> float:
    """CPU time of `root` and every process below it, live or exited and reaped (/proc:
    utime + stime, and the reaped children's cutime + cstime)."""
    try:
        fields = Path(f"/proc/{root}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    own = sum(int(fields[i]) for i in (11, 12, 13, 14)) / TICKS
    return own + sum(cpu_seconds(child) for child in children(root))


def postmaster_pid(conn: Any) -> int | None:
    """The local PostgreSQL server's main process (its backends are below it), if this
    machine runs it and may read its pid file."""
    (data_dir,) = conn.execute("SHOW data_directory").fetchone()
    try:
        return int((Path(data_dir) / "postmaster.pid").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None


class CpuMeter:
    """How many cores each group of processes kept busy while a row ran (CPU seconds over
    wall seconds; the load is steady, so its warm-up second counts alike)."""

    def __init__(self, groups: dict[str, int | None]) -> None:
        self.groups = {name: pid for name, pid in groups.items() if pid}

    def snapshot(self) -> dict[str, float]:
        return {"wall": time.monotonic()} | {
            name: cpu_seconds(pid) for name, pid in self.groups.items()
        }

    def cores(self, before: dict[str, float]) -> dict[str, float]:
        after = self.snapshot()
        wall = after.pop("wall") - before["wall"]
        return {name: round((used - before[name]) / wall, 2) for name, used in after.items()}


# --- the load generator (its own process) --------------------------------------------------


class Client:
    """One HTTP/1.1 connection, reopened when the server closes it."""

    def __init__(self, port: int, headers: dict[str, str]) -> None:
        self.port = port
        self.headers = headers
        self.connection: http.client.HTTPConnection | None = None

    def request(self, method: str, path: str, body: bytes | None = None, **headers: str):
        # A worker that restarts (gunicorn's max_requests) resets its kept-alive connections.
        for attempt in (1, 2, 3):
            if self.connection is None:
                self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            try:
                self.connection.request(method, path, body, {**self.headers, **headers})
                response = self.connection.getresponse()
                data = response.read()
                if response.getheader("Connection", "").lower() == "close" or response.will_close:
                    self.connection.close()
                    self.connection = None
                return response.status, data, response
            except (http.client.HTTPException, OSError):
                if self.connection is not None:
                    self.connection.close()
                self.connection = None
                if attempt == 3:
                    raise
        raise AssertionError


def hammer(job: dict[str, Any]) -> dict[str, Any]:
    """`job["clients"]` threads send requests for `job["seconds"]` (after a 1 s warm-up);
    each thread walks its own list of requests round robin."""
    clients, seconds = job["clients"], job["seconds"]
    latencies: list[list[float]] = [[] for _ in range(clients)]
    statuses: list[dict[int, int]] = [{} for _ in range(clients)]
    begin = time.monotonic() + 1.0
    end = begin + seconds

    def run(k: int) -> None:
        client = Client(job["port"], job["headers"])
        plan = job["requests"][k % len(job["requests"])]
        n = 0
        while True:
            method, path, body, headers = plan[n % len(plan)]
            n += 1
            t = time.monotonic()
            if t >= end:
                return
            status, _, _ = client.request(method, path, body.encode() if body else None, **headers)
            done = time.monotonic()
            if t >= begin:
                latencies[k].append((done - t) * 1000)
                statuses[k][status] = statuses[k].get(status, 0) + 1

    threads = [threading.Thread(target=run, args=(k,)) for k in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    all_ms = [ms for per in latencies for ms in per]
    counts: dict[int, int] = {}
    for per in statuses:
        for code, n in per.items():
            counts[code] = counts.get(code, 0) + n
    return {
        "requests": len(all_ms),
        "per_second": round(len(all_ms) / seconds, 1),
        "p50_ms": round(percentile(all_ms, 50), 2),
        "p99_ms": round(percentile(all_ms, 99), 2),
        "statuses": {str(k): v for k, v in sorted(counts.items())},
        "clients": clients,
        "seconds": seconds,
    }


def sequential(job: dict[str, Any]) -> dict[str, Any]:
    """One client, `job["count"]` requests of one page (after 2 unmeasured ones)."""
    client = Client(job["port"], job["headers"])
    times, sizes, status = [], [], 0
    body = b""
    for n in range(job["count"] + 2):
        t = time.monotonic()
        status, body, _ = client.request("GET", job["path"])
        if n >= 2:
            times.append((time.monotonic() - t) * 1000)
            sizes.append(len(body))
    text = body.decode("utf-8", "replace")
    return {
        "status": status,
        "p50_ms": round(percentile(times, 50), 1),
        "p99_ms": round(percentile(times, 99), 1),
        "mean_ms": round(statistics.mean(times), 1),
        "bytes": sizes[-1],
        "forms": text.count("<form"),
        "transition_forms": len(re.findall(r'<form[^>]*action="[^"]*/transition/', text)),
        "transition_urls": text.count("/transition/"),
        "count": job["count"],
    }


def feed(job: dict[str, Any]) -> dict[str, Any]:
    """One client reads the change feed from the start, page after page."""
    client = Client(job["port"], job["headers"])
    path = "/api/v1/events/?page_size=200"
    events, pages, page_ms = 0, 0, []
    start = time.monotonic()
    complete = False
    while True:
        t = time.monotonic()
        status, body, _ = client.request("GET", path)
        page_ms.append((time.monotonic() - t) * 1000)
        if status != 200:
            raise RuntimeError(f"feed answered {status}: {body[:300]!r}")
        page = json.loads(body)
        events += len(page["results"])
        pages += 1
        if not page["next"]:
            complete = True
            break
        if time.monotonic() - start > job["seconds"]:
            break
        parts = urlsplit(page["next"])
        path = f"{parts.path}?{parts.query}"
    elapsed = time.monotonic() - start
    return {
        "events": events,
        "pages": pages,
        "complete": complete,
        "seconds": round(elapsed, 1),
        "events_per_second": round(events / elapsed),
        "page_p50_ms": round(percentile(page_ms, 50), 1),
    }


def transitions(job: dict[str, Any]) -> dict[str, Any]:
    """`clients` clients suspend and resume their own cases through the API."""
    clients, seconds = job["clients"], job["seconds"]
    done = [0] * clients
    refused: list[dict[int, int]] = [{} for _ in range(clients)]
    latencies: list[list[float]] = [[] for _ in range(clients)]
    begin = time.monotonic() + 1.0
    end = begin + seconds

    def run(k: int) -> None:
        client = Client(job["port"], job["headers"])
        mine = dict(job["cases"][k::clients])
        ids = list(mine)
        n = 0
        while time.monotonic() < end:
            case = ids[n % len(ids)]
            n += 1
            move = "suspend" if mine[case] == "investigation" else "resume"
            t = time.monotonic()
            status, _body, _ = client.request(
                "POST",
                f"/api/v1/cases/{case}/transitions/",
                json.dumps({"transition": move}).encode(),
                **{"Content-Type": "application/json"},
            )
            if status in (200, 201):
                mine[case] = "suspended" if move == "suspend" else "investigation"
                if t >= begin:
                    done[k] += 1
                    latencies[k].append((time.monotonic() - t) * 1000)
            elif t >= begin:
                refused[k][status] = refused[k].get(status, 0) + 1

    threads = [threading.Thread(target=run, args=(k,)) for k in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    all_ms = [ms for per in latencies for ms in per]
    failed: dict[str, int] = {}
    for per in refused:
        for code, n in per.items():
            failed[str(code)] = failed.get(str(code), 0) + n
    return {
        "transitions": sum(done),
        "per_second": round(sum(done) / seconds, 1),
        "p50_ms": round(percentile(all_ms, 50), 1),
        "p99_ms": round(percentile(all_ms, 99), 1),
        "failed": failed,
        "clients": clients,
        "seconds": seconds,
    }


def load_process(pipe: Any) -> None:
    """The load generator: runs each job the parent sends, answers its figures."""
    jobs = {"hammer": hammer, "sequential": sequential, "feed": feed, "transitions": transitions}
    while True:
        job = pipe.recv()
        if job is None:
            return
        try:
            pipe.send(jobs[job["kind"]](job))
        except Exception as error:  # the parent reports it and stops everything
            pipe.send({"error": repr(error)})


# --- the bulk load, in the app's own code ------------------------------------------------

BULK_SNIPPET = r"""
import json, os, time
from django.db import connection, transaction
from core.events import Actor
from parties.actions import party_create
from parties.models import Party
try:
    from core.bulk import bulk_load
except ImportError:
    bulk_load = None
class Rollback(Exception):
    pass
def series(rows, one, immediate=False, wrapper=transaction.atomic, chunk=1000):
    per_chunk = []
    try:
        with wrapper():
            if immediate:
                connection.cursor().execute("SET CONSTRAINTS ALL IMMEDIATE")
            for start in range(0, rows, chunk):
                t = time.perf_counter()
                for i in range(start, start + chunk):
                    one(i)
                per_chunk.append(round((time.perf_counter() - t) / chunk * 1e6))
            raise Rollback
    except Rollback:
        pass
    return per_chunk
rows = int(os.environ["BENCH_BULK_ROWS"])
def insert(i):
    Party.objects.bulk_create([Party(kind="person", name=f"Bulk {i}", custody="unknown")])
actor = Actor.system("bench")
action = lambda i: party_create(actor=actor, kind="person", name=f"Bulk Person {i}")
print("BENCH-BULK " + json.dumps({
    "rows": rows,
    "insert_as_declared_us": series(rows, insert),
    "insert_immediate_us": series(rows, insert, immediate=True),
    "action_rows": rows // 5,
    "action_chunk": rows // 20,
    "action_bulk_load": bool(bulk_load),
    "action_us": series(
        rows // 5, action, wrapper=bulk_load or transaction.atomic, chunk=rows // 20
    ),
}))
"""


# --- the run -------------------------------------------------------------------------------


def data() -> dict[str, Any]:
    name = generate.database_url().rsplit("/", 1)[1]
    info_file = generate.info_path(name)
    if os.environ.get("BENCH_REUSE") == "1" and info_file.exists():
        info = json.loads(info_file.read_text())
        if info["scale"] == SCALE and info["app_root"] == str(APP_ROOT):
            # Migrations that landed since the generation (indexes) apply first.
            subprocess.run(
                [PYTHON, "manage.py", "migrate", "--no-input", "-v", "0"],
                check=True,
                env=generate.app_env(APP_ROOT),
                cwd=APP_ROOT,
            )
            print(f"Reusing {name} ({SCALE}, generated from {APP_ROOT}), migrated")
            return info
    os.environ["BENCH_APP_ROOT"] = str(APP_ROOT)
    os.environ["SCALE"] = SCALE
    t = time.monotonic()
    info = generate.main()
    print(f"Generated {SCALE} data in {time.monotonic() - t:.0f} s: {info['counts']}")
    return info


def main() -> None:
    import psycopg

    info = data()
    url = generate.database_url()
    with psycopg.connect(url) as conn:
        warrants = conn.execute(
            "SELECT id, version FROM warrants_warrant WHERE status = 'issued'"
            " ORDER BY reference LIMIT 2000"
        ).fetchall()
        found = conn.execute(
            "SELECT id FROM cases_case WHERE reference = %s", [generate.CASE_PAGE_REFERENCE]
        ).fetchone()
        assert found is not None, "the generated data has no case page case"
        case0 = found[0]
        postgres = postmaster_pid(conn)
        movable = conn.execute(
            "SELECT id, status FROM cases_case WHERE status IN ('investigation', 'suspended')"
            " AND reference <> %s ORDER BY reference LIMIT 400",
            [generate.CASE_PAGE_REFERENCE],
        ).fetchall()
    warrant_transitions = [
        [t["name"], t["sources"]] for t in info["workflows"]["warrant"]["transitions"]
    ]

    log_dir = Path(tempfile.mkdtemp(prefix="ct-bench-api-"))
    processes = Processes(log_dir)
    pipe, child_pipe = multiprocessing.Pipe()
    loader = multiprocessing.Process(target=load_process, args=(child_pipe,), daemon=True)
    loader.start()  # forked before anything else is running in this process
    loads: list[float] = []
    sampling = threading.Event()

    def sample_load() -> None:
        while not sampling.wait(5):
            loads.append(os.getloadavg()[0])

    sampler = threading.Thread(target=sample_load, daemon=True)
    results: dict[str, Any] = {"scale": SCALE, "label": LABEL, "app_root": str(APP_ROOT)}
    try:
        from tests.pipeline.harness import RedisServer

        redis = RedisServer()
        redis.start()
        processes.started.append(("redis", redis.process))  # type: ignore[arg-type]
        web_command, compose_env = compose_service("web")
        worker_command, _ = compose_service("worker")
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith("BENCH_")},
            **compose_env,
            "SECRET_KEY": info["secret_key"],
            "DATABASE_URL": url,
            "CELERY_BROKER_URL": redis.url,
            "CACHE_URL": redis.url.rsplit("/", 1)[0] + "/1",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "API_THROTTLE_KEY": "1000000/min",
            "API_THROTTLE_USER": "1000000/min",
            "PYTHONPATH": str(APP_ROOT),
            "DEBUG": "false",
        }
        env.pop("DJANGO_SETTINGS_MODULE", None)
        if os.environ.get("BENCH_COLLECTSTATIC") != "0":  # minutes on a busy machine
            subprocess.run(
                [PYTHON, "manage.py", "collectstatic", "--no-input", "-v", "0"],
                check=True,
                env=env,
                cwd=APP_ROOT,
            )
        app_port, floor_port = free_port(), free_port()
        gunicorn = str(ROOT / ".venv/bin/gunicorn")
        app_args = gunicorn_args(web_command, app_port)
        web = processes.start(
            "web", [gunicorn, "config.wsgi:application", *app_args], env, APP_ROOT
        )
        floor_env = {
            **env,
            "PYTHONPATH": str(ROOT),
            "BENCH_WARRANT_TRANSITIONS": json.dumps(warrant_transitions),
        }
        floor = processes.start(
            "floor",
            [gunicorn, "bench.floor:app", *gunicorn_args(web_command, floor_port)],
            floor_env,
            ROOT,
        )
        celery_args = worker_command[1:]
        celery = processes.start(
            "worker", [str(ROOT / ".venv/bin/celery"), *celery_args], env, APP_ROOT
        )
        wait_http(app_port)
        wait_http(floor_port, LIST_URL)
        results["gunicorn"] = app_args
        results["celery"] = celery_args
        results["load_average_1min"] = {"start": os.getloadavg()[0]}
        sampler.start()

        meter = CpuMeter(
            {
                "web": web.pid,
                "floor": floor.pid,
                "worker": celery.pid,
                "postgres": postgres,
                "load": loader.pid,
            }
        )

        def run(job: dict[str, Any]) -> dict[str, Any]:
            before = meter.snapshot()
            pipe.send(job)
            answer = pipe.recv()
            if "error" in answer:
                raise RuntimeError(f"{job['kind']}: {answer['error']}")
            answer["cpu_cores"] = meter.cores(before)
            return answer

        read = {"Authorization": f"Bearer {info['read_key']}", "Host": "127.0.0.1"}
        write = {"Authorization": f"Bearer {info['write_key']}", "Host": "127.0.0.1"}
        cookie = {"Cookie": f"{info['session_cookie']}={info['session']}", "Host": "127.0.0.1"}
        Plan = list[tuple[str, str, str | None, dict[str, str]]]
        detail: Plan = [("GET", f"/api/v1/warrants/{w}/", None, {}) for w, _ in warrants]
        not_modified: Plan = [
            ("GET", f"/api/v1/warrants/{w}/", None, {"If-None-Match": f'"{v}"'})
            for w, v in warrants
        ]
        per_client = lambda plan: [plan[k::CLIENTS] for k in range(CLIENTS)]  # noqa: E731
        listing: Plan = [("GET", LIST_URL, None, {})]
        rows: list[tuple[str, Plan]] = [
            ("list", listing),
            ("detail", detail),
            ("detail_304", not_modified),
        ]
        for name, plan in rows:
            for target, port in (("app", app_port), ("floor", floor_port)):
                figures = run(
                    {
                        "kind": "hammer",
                        "port": port,
                        "headers": read,
                        "clients": CLIENTS,
                        "seconds": SECONDS,
                        "requests": per_client(plan) if len(plan) > 1 else [plan],
                    }
                )
                results[f"{name}_{target}"] = figures
                print(f"{name:12} {target:5} {figures}")
            results[f"{name}_floor_ratio"] = round(
                results[f"{name}_app"]["per_second"]
                / max(results[f"{name}_floor"]["per_second"], 0.1),
                3,
            )
        results["feed"] = run(
            {"kind": "feed", "port": app_port, "headers": read, "seconds": FEED_SECONDS}
        )
        print("feed", results["feed"])
        pages = {
            "dashboard": "/",
            "web_warrants": "/warrants/",
            "case_page": f"/cases/{case0}/",
        }
        for name, path in pages.items():
            results[name] = run(
                {
                    "kind": "sequential",
                    "port": app_port,
                    "headers": cookie,
                    "path": path,
                    "count": 20,
                }
            )
            print(name, results[name])
        results["transitions"] = run(
            {
                "kind": "transitions",
                "port": app_port,
                "headers": write,
                "clients": CLIENTS,
                "seconds": SECONDS,
                "cases": [[str(c), s] for c, s in movable],
            }
        )
        print("transitions", results["transitions"])
        bulk = subprocess.run(
            [PYTHON, "manage.py", "shell", "-c", BULK_SNIPPET],
            env={**env, "BENCH_BULK_ROWS": str(BULK_ROWS)},
            cwd=APP_ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        results["bulk_parties"] = json.loads(bulk.split("BENCH-BULK ", 1)[1])
        print("bulk", results["bulk_parties"])
        time.sleep(3)  # let the worker finish the transitions' relays
        results["rss_mb"] = {
            "web_workers": [rss_mb(pid) for pid in children(web.pid)],
            "web_master": rss_mb(web.pid),
            "celery_main": rss_mb(celery.pid),
            "celery_children": [rss_mb(pid) for pid in children(celery.pid)],
        }
        results["load_average_1min"]["end"] = os.getloadavg()[0]
        results["load_average_1min"]["mean_during"] = (
            round(statistics.mean(loads), 2) if loads else None
        )
        results["data"] = info["counts"]
        results["at"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    finally:
        sampling.set()
        pipe.send(None)
        loader.join(10)
        if loader.is_alive():
            loader.terminate()
        processes.stop()
        print(f"(logs in {log_dir})")
    results_path = ROOT / "bench" / "results.json"
    merged = json.loads(results_path.read_text()) if results_path.exists() else {}
    merged.setdefault("api", {}).setdefault(SCALE, {})[LABEL] = results
    results_path.write_text(json.dumps(merged, indent=2) + "\n")
    print_table(results)


def print_table(r: dict[str, Any]) -> None:
    line = "{:44} {:>28} {:>22}"
    print(line.format(f"what ({r['scale']}, {r['label']})", "app", "floor / ratio"))
    for name, title in [
        ("list", "GET warrants/?status=issued&page_size=100"),
        ("detail", "GET warrants/<id>/"),
        ("detail_304", "same with If-None-Match (304)"),
    ]:
        app, floor = r[f"{name}_app"], r[f"{name}_floor"]
        print(
            line.format(
                title,
                f"{app['per_second']}/s p99 {app['p99_ms']} ms",
                f"{floor['per_second']}/s {r[f'{name}_floor_ratio']:.1%}",
            )
        )
    f = r["feed"]
    print(
        line.format(
            "change feed, one client",
            f"{f['events_per_second']} events/s",
            f"{f['page_p50_ms']} ms/page",
        )
    )
    for name in ("dashboard", "web_warrants", "case_page"):
        p = r[name]
        print(
            line.format(
                name,
                f"{p['p50_ms']} ms ({p['bytes'] // 1024} KB)",
                f"{p['transition_forms']} transition forms",
            )
        )
    t = r["transitions"]
    print(
        line.format(
            f"transitions, {t['clients']} clients", f"{t['per_second']}/s", f"p99 {t['p99_ms']} ms"
        )
    )
    for name in CPU_ROWS:
        print(line.format(f"cores busy: {name}", cell(r, f"cpu_{name}"), ""))
    b = r["bulk_parties"]
    for key in ("insert_as_declared_us", "insert_immediate_us", "action_us"):
        print(line.format(f"bulk parties {key}", f"{b[key][0]} → {b[key][-1]} µs/row", ""))
    m = r["rss_mb"]
    print(
        line.format(
            "RSS MB web workers / celery",
            f"{m['web_workers']}",
            f"{[m['celery_main'], *m['celery_children']]}",
        )
    )
    print(f"load average: {r['load_average_1min']}")


CPU_ROWS = ("list_app", "list_floor", "detail_304_app", "detail_304_floor", "transitions")
CPU_GROUPS = ("web", "floor", "postgres", "worker", "load")


def cell(r: dict[str, Any] | None, name: str) -> str:
    """One figure of one run, as docs/benchmarks.md shows it."""
    if r is None:
        return "not run"
    if name.startswith("cpu_"):
        figures = r.get(name[4:], {})
        cores = figures.get("cpu_cores")
        if not cores:
            return "not measured"
        rate = figures["per_second"]
        busy = ", ".join(f"{g} {cores[g]:.2f}" for g in CPU_GROUPS if cores.get(g, 0) >= 0.01)
        served = cores.get("web", 0) + cores.get("floor", 0)
        return f"{busy}; {served * 1000 / max(rate, 0.1):.1f} ms of server CPU a request"
    if name in ("list", "detail", "detail_304"):
        app = r[f"{name}_app"]
        return (
            f"{app['per_second']:g}/s, p99 {app['p99_ms']:.0f} ms; "
            f"{r[f'{name}_floor_ratio']:.1%} of {r[f'{name}_floor']['per_second']:g}/s"
        )
    if name == "feed":
        f = r["feed"]
        read = "" if f["complete"] else f" ({f['events']} read in {f['seconds']:g} s)"
        return f"{f['events_per_second']:,} events/s, {f['page_p50_ms']:g} ms/page{read}"
    if name in ("dashboard", "web_warrants"):
        return f"{r[name]['p50_ms']:g} ms" + (
            "" if r[name]["status"] == 200 else f" ({r[name]['status']})"
        )
    if name == "case_page":
        p = r[name]
        return (
            f"{p['p50_ms']:g} ms, {p['bytes'] // 1024} KB, {p['transition_forms']} transition "
            f"forms, {p.get('transition_urls', '?')} transition URLs"
        )
    if name == "transitions":
        t = r[name]
        return f"{t['per_second']:g}/s, p99 {t['p99_ms']:.0f} ms"
    if name == "bulk":
        b = r["bulk_parties"]
        return (
            f"insert {b['insert_as_declared_us'][0]} → {b['insert_as_declared_us'][-1]} µs "
            f"(immediate {b['insert_immediate_us'][0]} → {b['insert_immediate_us'][-1]}); "
            f"party_create {b['action_us'][0]} → {b['action_us'][-1]} µs"
        )
    if name == "rss":
        m = r["rss_mb"]
        return (
            f"web {max(m['web_workers'], default=0):g} MB, celery "
            f"{max([m['celery_main'], *m['celery_children']]):g} MB"
        )
    if name == "load":
        load = r["load_average_1min"]
        return f"{load['start']:.1f} → {load['end']:.1f} (mean {load['mean_during']})"
    raise KeyError(name)


def markdown(before: str = "before", after: str = "after") -> str:
    """The results table of docs/benchmarks.md, from bench/results.json: the runs labelled
    `before` and `after`, at both scales."""
    runs = json.loads((ROOT / "bench" / "results.json").read_text()).get("api", {})
    columns = [(scale, label) for scale in ("small", "full") for label in (before, after)]
    rows = [
        ("list", "`GET /api/v1/warrants/?status=issued&page_size=100`; share of the floor"),
        ("detail", "`GET /api/v1/warrants/<id>/`"),
        ("detail_304", "same with `If-None-Match` (304)"),
        ("feed", "change feed, one client from the start"),
        ("dashboard", "dashboard (p50, one client)"),
        ("web_warrants", "web warrants list (p50, one client)"),
        ("case_page", "case page, 205-event case (p50, size)"),
        ("transitions", "case transitions via the API, 8 clients"),
        (
            "bulk",
            "bulk load of parties in one transaction, µs/row of the first → last chunk "
            "(1000 single-row inserts; rows/20 through party_create)",
        ),
        *(
            (f"cpu_{name}", f"cores busy during `{name}` (of 2), by process group")
            for name in CPU_ROWS
        ),
        ("rss", "RSS after the run: largest web worker, largest Celery process"),
        ("load", "load average (1 min) start → end"),
    ]
    head = "| what | " + " | ".join(f"{s} {lbl}" for s, lbl in columns) + " |"
    lines = [head, "|---" * (len(columns) + 1) + "|"]
    for name, title in rows:
        cells = [cell(runs.get(s, {}).get(lbl), name) for s, lbl in columns]
        lines.append(f"| {title} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--markdown"]:  # [before-label after-label]
        print(markdown(*sys.argv[2:4]))
    else:
        main()
