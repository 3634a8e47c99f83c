"""What `make run` does on a fresh clone works: database creation, migrations, demo data, logins.

Runs the real management commands in subprocesses against a brand-new
database (created by `ensure_database`, dropped afterwards).
"""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from psycopg import sql

pytestmark = pytest.mark.slow  # runs subprocesses

ROOT = Path(settings.BASE_DIR)
DB = settings.DATABASES["default"]


def server(dbname: str) -> dict:
    params = {
        "host": DB["HOST"] or None,
        "port": DB["PORT"] or None,
        "user": DB["USER"] or None,
        "password": DB["PASSWORD"] or None,
        "dbname": dbname,
        "autocommit": True,
    }
    return {k: v for k, v in params.items() if v is not None}


def database_exists(name: str) -> bool:
    with psycopg.connect(**server("postgres")) as conn:
        return bool(conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone())


@pytest.fixture
def fresh_database_url():
    name = f"ct_fresh_{uuid.uuid4().hex[:8]}"
    auth = DB["USER"] + (f":{DB['PASSWORD']}" if DB["PASSWORD"] else "")
    yield name, f"postgres://{auth}@{DB['HOST'] or '127.0.0.1'}:{DB['PORT'] or 5432}/{name}"
    with psycopg.connect(**server("postgres")) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


# One process runs every step (Django's start-up is the slow part); each step is the
# real management command, as `make run` calls it.
STEPS = """
import os, django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()
from django.core.management import call_command
for step in [
    ["ensure_database"], ["ensure_database"], ["migrate", "--no-input", "--verbosity", "0"],
    ["seed_demo"], ["seed_demo"], ["demo_logins"],
]:
    print("== " + " ".join(step), flush=True)
    call_command(*step)
from cases.models import Case
from core.models import Event
from django.contrib.auth.models import User
print("== counts")
print(Case.objects.count(), Event.objects.count() > 0, User.objects.count())
"""


def run_steps(url: str) -> dict[str, str]:
    """Output of each step, by step name (a repeated step's outputs are joined)."""
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DEBUG": "true",
        "CELERY_BROKER_URL": os.environ.get("CELERY_BROKER_URL", "redis://127.0.0.1:6379/6"),
    }
    result = subprocess.run(
        [sys.executable, "-c", STEPS],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, f"{result.stdout}\n{result.stderr}"
    outputs: dict[str, str] = {}
    for chunk in result.stdout.split("== ")[1:]:
        step, _, output = chunk.partition("\n")
        name = step.split()[0]
        outputs[name] = outputs.get(name, "") + output
    return outputs


def test_make_run_sets_up_a_fresh_database_and_starts_the_procfile():
    dry_run = subprocess.run(
        ["make", "-n", "run"], cwd=ROOT, capture_output=True, text=True, timeout=60
    ).stdout
    steps = [
        "manage.py ensure_database",
        "manage.py migrate",
        "manage.py seed_demo",
        "manage.py demo_logins",
        "honcho start -f Procfile",
    ]
    positions = [dry_run.find(step) for step in steps]
    assert -1 not in positions, dry_run
    assert positions == sorted(positions)


def test_the_procfile_is_valid_for_honcho():
    result = subprocess.run(
        [str(ROOT / ".venv/bin/honcho"), "check", "-f", "Procfile"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "web, worker, webhooks, beat" in result.stderr + result.stdout


def test_a_fresh_clone_gets_its_database_schema_demo_data_and_logins(fresh_database_url):
    name, url = fresh_database_url
    assert not database_exists(name)

    out = run_steps(url)

    assert database_exists(name)
    assert f"Created database {name}" in out["ensure_database"]
    assert f"Database {name} exists" in out["ensure_database"]  # second run: nothing to do
    assert "Loaded demo case" in out["seed_demo"]
    assert "already loaded" in out["seed_demo"]  # idempotent: `make run` twice is fine
    for username in ("admin", "staff", "lawyer", "viewer"):
        assert username in out["demo_logins"]
    assert out["counts"].split() == ["1", "True", "4"]
