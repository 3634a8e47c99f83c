"""Benchmark (not a test): the INTERPOL sync's throughput against a loopback stand-in.

`make bench` runs it (`.venv/bin/python bench/interpol.py`): its own database
(ct_bench_interpol, dropped and made again each run), the stand-in service of the tests
(tests/interpol/server.py) in its own process, serving BENCH_INTERPOL_NOTICES red notices
(each also recorded here as a published Notice with its interpol_id) and as many public
notices again that match no one, and BENCH_INTERPOL_ACCUSED accused persons without a red
notice (one in ten has a public namesake with a compatible birth date).

Three syncs, each timed (`alerts.interpol_watch.sync`, one process, as the command runs it):

1. first sight: every notice listed (an observation and a notice.listed Event each), every
   accused searched, the possible matches raised;
2. nothing changed: an observation each, no Event;
3. a tenth removed (404 → notice.delisted) and a tenth changed (notice.changed).

Prints notices/s for each and merges the figures into bench/results.json under "interpol"
(read-modify-write). Environment: BENCH_INTERPOL_NOTICES (1000), BENCH_INTERPOL_ACCUSED
(200), BENCH_INTERPOL_DATABASE_URL (postgres://postgres@127.0.0.1:5432/ct_bench_interpol).
"""

from __future__ import annotations

import json
import multiprocessing
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

NOTICES = int(os.environ.get("BENCH_INTERPOL_NOTICES", 1000))
ACCUSED = int(os.environ.get("BENCH_INTERPOL_ACCUSED", 200))
DATABASE_URL = os.environ.get(
    "BENCH_INTERPOL_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/ct_bench_interpol"
)


def recorded_id(n: int) -> str:
    return f"2020/{n:05}"


def serve(pipe: Any) -> None:
    """The stand-in service in its own process (it does not share the sync's interpreter);
    answers the parent's scenario commands over `pipe`."""
    from tests.interpol.server import FakeInterpol, red

    server = FakeInterpol().start()
    for n in range(NOTICES):
        server.publish(red(recorded_id(n), f"RECORDED{n:05}", "SUBJECT", "1960/01/01"))
        server.publish(red(f"2021/{n:05}", f"UNRELATED{n:05}", "OTHER", "1950"))
    for n in range(0, ACCUSED, 10):
        server.publish(red(f"2022/{n:05}", f"ACCUSEDNAME{n:05}", "PERSON", "1970/05/05"))
    pipe.send(server.url)
    while (command := pipe.recv()) != "stop":
        if command == "remove-and-change":
            for n in range(0, NOTICES, 10):
                server.remove(recorded_id(n))
            for n in range(5, NOTICES, 10):
                server.change(recorded_id(n), date_of_birth="1960/01/02")
        pipe.send(len(server.requests))
    server.stop()


def reset_database(env: dict[str, str]) -> None:
    import psycopg
    from psycopg import sql

    url = urlsplit(DATABASE_URL)
    name = url.path.lstrip("/")
    with psycopg.connect(
        host=url.hostname, port=url.port or 5432, user=url.username, dbname="postgres",
        autocommit=True,
    ) as conn:  # fmt: skip
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
    manage = [str(ROOT / ".venv/bin/python"), str(ROOT / "manage.py")]
    subprocess.run([*manage, "ensure_database"], check=True, env=env, cwd=ROOT)
    subprocess.run([*manage, "migrate", "--no-input", "-v", "0"], check=True, env=env, cwd=ROOT)


def main() -> None:
    pipe, child_pipe = multiprocessing.Pipe()
    server_process = multiprocessing.Process(target=serve, args=(child_pipe,))
    server_process.start()  # forked before Django is set up
    base_url = pipe.recv()

    env = {
        **os.environ,
        "DATABASE_URL": DATABASE_URL,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": os.environ.get("DEBUG", "true"),  # as `make bench` sets it
        "LOG_LEVEL": "WARNING",
        "INTERPOL_API_BASE": base_url,
        "INTERPOL_BACKOFF_SECONDS": "0.05",
        "OUTBOX_KICKS": "false",  # no broker here: the events wait in the outbox
    }
    os.environ.update(env)
    reset_database(env)

    import logging

    import django

    django.setup()
    logging.getLogger("httpx").setLevel(logging.WARNING)
    from alerts import interpol_watch
    from alerts.models import InterpolMatch, InterpolObservation
    from core.events import Actor
    from core.models import Event
    from tests import builders
    from warrants.actions import notice_transition

    system = Actor.system("bench")
    started = time.monotonic()
    case = builders.case(system)
    for n in range(NOTICES):
        party = builders.accused(
            system, case, builders.person(system, name=f"Subject Recorded{n:05}")
        ).party
        warrant = builders.warrant(system, case, party, issued_on="2023-11-14")
        notice = builders.red_notice(system, warrant, interpol_id=recorded_id(n))
        notice_transition(notice_id=notice.pk, transition="publish", actor=system)
    for n in range(ACCUSED):
        builders.accused(
            system,
            case,
            builders.person(system, name=f"Person Accusedname{n:05}", birth_date="1970"),
        )
    print(f"data: {NOTICES} notices, {ACCUSED} accused in {time.monotonic() - started:.1f} s")

    def timed(label: str) -> dict[str, Any]:
        events_before = Event.objects.count()
        start = time.monotonic()
        summary = interpol_watch.sync(trigger="bench")
        seconds = time.monotonic() - start
        assert not summary.error and not summary.skipped, summary
        row = {
            "seconds": round(seconds, 2),
            "notices": summary.checked,
            "notices_per_second": round(summary.checked / seconds, 1),
            "accused_searched": summary.candidates,
            "requests": summary.requests,
            "requests_per_second": round(summary.requests / seconds, 1),
            "listed": summary.listed,
            "delisted": summary.delisted,
            "changed": summary.changed,
            "matches": summary.matches,
            "events": Event.objects.count() - events_before,
        }
        print(
            f"{label:<22} {row['notices']:>6} notices in {row['seconds']:>6.2f} s = "
            f"{row['notices_per_second']:>7.1f} notices/s ({row['requests']} requests, "
            f"{row['events']} events, {row['matches']} matches)"
        )
        return row

    result = {
        "notices": NOTICES,
        "accused": ACCUSED,
        "first_sight": timed("first sight"),
        "unchanged": timed("nothing changed"),
    }
    pipe.send("remove-and-change")
    pipe.recv()
    result["removed_and_changed"] = timed("a fifth removed/changed")
    result["observations"] = InterpolObservation.objects.count()
    result["match_records"] = InterpolMatch.objects.count()
    result["load_average_1min"] = os.getloadavg()[0]
    pipe.send("stop")
    server_process.join(10)

    results_path = ROOT / "bench" / "results.json"
    merged = json.loads(results_path.read_text()) if results_path.exists() else {}
    merged["interpol"] = result
    results_path.write_text(json.dumps(merged, indent=2) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
