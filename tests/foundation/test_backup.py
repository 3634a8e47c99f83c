"""A backup restores: `manage.py backup`, then `manage.py restore` into a fresh database,
finds every record, event and audit row; a corrupt or truncated dump is refused before
anything is touched (core.backups; docs/operations.md, "Backups").

The real commands run in subprocesses against this run's test database, whose data is
committed (transaction=True) so pg_dump sees it. Throwaway databases are dropped afterwards.
"""

import json
import os
import shutil
import subprocess
import sys
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from types import SimpleNamespace

import psycopg
import pytest
from django.apps import apps
from django.conf import settings
from django.db import connection
from psycopg import sql

from cases.actions import participation_create
from core import backups
from core.models import Event
from parties.actions import party_set_protection
from parties.models import Party
from tests import builders
from warrants.actions import warrant_transition

pytestmark = pytest.mark.slow  # runs subprocesses

# The world is committed for pg_dump to see; the roles created by migrations come back after.
committed = pytest.mark.django_db(transaction=True, serialized_rollback=True)

ROOT = Path(settings.BASE_DIR)
SECRET_NAME = "Rania Secretname"
AUDIT = apps.get_model("parties", "PartyAudit")._meta.db_table


def params(dbname: str) -> dict:
    db = connection.settings_dict
    given = {
        "host": db["HOST"],
        "port": db["PORT"],
        "user": db["USER"],
        "password": db["PASSWORD"],
        "dbname": dbname,
    }
    return {k: v for k, v in given.items() if v}


def url(dbname: str) -> str:
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{dbname}"


def exists(name: str) -> bool:
    with psycopg.connect(**params("postgres"), autocommit=True) as conn:
        return bool(conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone())


def fetch(dbname: str, query: str, args: list | None = None) -> list[tuple]:
    with psycopg.connect(**params(dbname), autocommit=True) as conn:
        return conn.execute(query, args).fetchall()  # type: ignore[arg-type]


def counts(dbname: str) -> dict[str, int]:
    with psycopg.connect(**params(dbname), autocommit=True) as conn:
        return backups.count_rows(conn)


def manage(*args: str, database: str) -> subprocess.CompletedProcess:
    """A management command, as `make backup` / `make restore` run it, on `database`."""
    env = {**os.environ, "DATABASE_URL": url(database), "DEBUG": "true"}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture
def source() -> str:
    return connection.settings_dict["NAME"]


@pytest.fixture
def scratch() -> Iterator[Callable[[], str]]:
    """Names for throwaway databases, each dropped afterwards (if it was created)."""
    names: list[str] = []

    def new() -> str:
        names.append(f"ct_restore_{uuid.uuid4().hex[:8]}")
        return names[-1]

    yield new
    with psycopg.connect(**params("postgres"), autocommit=True) as conn:
        for name in names:
            drop = sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            conn.execute(drop)


@pytest.fixture
def world(system):
    """A case with an accused, a charge, an issued warrant with its Red Notice, and a witness
    protected after creation (so its audit trail holds the real name), all through actions."""
    case = builders.case(system)
    accused = builders.accused(system, case)
    builders.charge(system, case, accused)
    warrant = builders.warrant(system, case, accused.party)
    warrant, issued = warrant_transition(
        warrant_id=warrant.pk, transition="issue", actor=system, effective_date="2023-11-14"
    )
    builders.red_notice(system, warrant)
    witness = builders.person(system, name=SECRET_NAME)
    witness = party_set_protection(
        party_id=witness.pk,
        actor=system,
        protected=True,
        pseudonym="Witness W-1",
        note="Witness at risk.",
    )
    participation_create(actor=system, case=case, party=witness, role="witness")
    return SimpleNamespace(event=issued, witness=witness)


@pytest.fixture
def backup(world, source, tmp_path) -> Path:
    """`manage.py backup` of the world: the path of its .dump."""
    result = manage("backup", "--dir", str(tmp_path / "backups"), database=source)
    assert result.returncode == 0, result.stdout + result.stderr
    (dump,) = (tmp_path / "backups").glob("casetracker-*.dump")
    assert f"in {dump}" in result.stdout
    return dump


def manifest_of(dump: Path) -> dict:
    return json.loads(dump.with_name(dump.name.replace(".dump", ".manifest.json")).read_text())


@committed
def test_a_backup_restores_into_a_fresh_database_with_every_record_event_and_audit_row(
    backup, world, source, scratch
):
    manifest = manifest_of(backup)
    tables = manifest["tables"]
    # Every model's table is counted (the audit tables are pghistory's models), with more.
    models = {
        model._meta.db_table
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    }
    assert models <= set(tables)
    assert {"django_migrations", "pghistory_context"} <= set(tables)
    assert tables == counts(source)
    assert tables["casetracker_event"] == Event.objects.count() > 0
    assert tables[AUDIT] > 0
    assert manifest["dump"]["size"] == backup.stat().st_size
    assert manifest["dump"]["sha256"] == backups.sha256(backup)
    assert manifest["migrations"]["casetracker"] == max(
        name for app, name in fetch(source, "SELECT app, name FROM django_migrations")
        if app == "casetracker"
    )  # fmt: skip
    assert oct(backup.stat().st_mode & 0o777) == "0o600"  # protected identities in clear

    target = scratch()
    result = manage("restore", str(backup), database=target)

    assert result.returncode == 0, result.stdout + result.stderr
    assert f"Created database {target}" in result.stdout
    assert "every table's row count is the manifest's" in result.stdout
    assert counts(target) == tables

    event_row = "SELECT * FROM casetracker_event WHERE id = %s"
    assert fetch(target, event_row, [world.event.id]) == fetch(source, event_row, [world.event.id])
    audit_rows = sql.SQL("SELECT * FROM {} WHERE pgh_obj_id = %s ORDER BY pgh_id").format(
        sql.Identifier(AUDIT)
    )
    with psycopg.connect(**params(source), autocommit=True) as conn:
        source_audit = conn.execute(audit_rows, [world.witness.pk]).fetchall()
    with psycopg.connect(**params(target), autocommit=True) as conn:
        assert conn.execute(audit_rows, [world.witness.pk]).fetchall() == source_audit
    assert len(source_audit) >= 2  # created, then protected
    party = f"SELECT name, protected, pseudonym FROM {Party._meta.db_table} WHERE id = %s"
    assert fetch(target, party, [world.witness.pk]) == [(SECRET_NAME, True, "Witness W-1")]
    sequences = "SELECT sequencename, last_value FROM pg_sequences ORDER BY 1"
    assert fetch(target, sequences) == fetch(source, sequences)

    # The triggers came back with the data: events are still append-only.
    with (
        psycopg.connect(**params(target), autocommit=True) as conn,
        pytest.raises(psycopg.Error, match="Cannot update"),
    ):
        conn.execute("UPDATE casetracker_event SET note = 'rewritten'")


@committed
def test_restore_refuses_a_database_that_is_not_empty_unless_forced(backup, scratch):
    tables = manifest_of(backup)["tables"]
    target = scratch()
    assert manage("restore", str(backup), database=target).returncode == 0

    again = manage("restore", str(backup), database=target)

    assert again.returncode != 0
    assert f"Database {target} is not empty" in again.stderr
    assert "--force" in again.stderr
    assert counts(target) == tables

    forced = manage("restore", str(backup), "--force", database=target)

    assert forced.returncode == 0, forced.stdout + forced.stderr
    assert counts(target) == tables


@committed
def test_a_restore_whose_row_counts_differ_from_the_manifest_fails(backup, scratch):
    manifest_path = backup.with_name(backup.name.replace(".dump", ".manifest.json"))
    manifest = json.loads(manifest_path.read_text())
    events = manifest["tables"]["casetracker_event"]
    manifest["tables"]["casetracker_event"] = events + 1
    manifest["tables"]["gone_table"] = 3
    manifest_path.write_text(json.dumps(manifest))

    result = manage("restore", str(backup), database=scratch())

    assert result.returncode != 0
    assert "does not match the backup after the restore" in result.stderr
    assert f"casetracker_event: {events} rows, the manifest says {events + 1}" in result.stderr
    assert "gone_table: missing" in result.stderr
    assert "Do not use it" in result.stderr


@committed
def test_a_corrupt_or_truncated_dump_is_refused_and_nothing_is_touched(backup, scratch, tmp_path):
    bad = tmp_path / "bad"
    bad.mkdir()
    dump = bad / backup.name
    shutil.copy(backup, dump)
    manifest = backup.with_name(backup.name.replace(".dump", ".manifest.json"))
    shutil.copy(manifest, bad / manifest.name)
    # A database holding one table of its own: a refused restore must leave it so.
    kept = scratch()
    with psycopg.connect(**params("postgres"), autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(kept)))
    with psycopg.connect(**params(kept), autocommit=True) as conn:
        conn.execute("CREATE TABLE mine (n int); INSERT INTO mine VALUES (1)")

    data = bytearray(dump.read_bytes())
    data[len(data) // 2] ^= 0xFF  # one byte of the data
    dump.write_bytes(bytes(data))
    fresh = scratch()
    corrupt = manage("restore", str(dump), database=fresh)
    forced = manage("restore", str(dump), "--force", database=kept)

    for result in (corrupt, forced):
        assert result.returncode != 0
        assert "is corrupt: its sha256 is" in result.stderr
        assert "Nothing was restored" in result.stderr
    assert not exists(fresh)
    assert counts(kept) == {"mine": 1}

    dump.write_bytes(backup.read_bytes()[:-100])
    truncated = manage("restore", str(dump), "--force", database=kept)

    assert truncated.returncode != 0
    assert "it is truncated" in truncated.stderr
    assert counts(kept) == {"mine": 1}

    (bad / manifest.name).unlink()
    shutil.copy(backup, dump)
    unchecked = manage("restore", str(dump), database=fresh)

    assert unchecked.returncode != 0
    assert "has no manifest beside it" in unchecked.stderr
    assert not exists(fresh)


def test_make_backup_and_restore_run_the_commands_through_config_services():
    def dry_run(*args: str) -> str:
        result = subprocess.run(
            ["make", "-n", *args], cwd=ROOT, capture_output=True, text=True, timeout=60
        )
        assert result.returncode == 0, result.stderr
        return result.stdout

    assert "config.services" in dry_run("backup")
    assert "manage.py backup --dir /srv/backups" in dry_run("backup", "BACKUP_DIR=/srv/backups")
    restore = dry_run("restore", "BACKUP=b/casetracker-x.dump", "INTO=drill", "FORCE=1")
    assert "config.services" in restore
    assert "manage.py restore b/casetracker-x.dump --database drill --force" in restore
    assert "--force" not in dry_run("restore", "BACKUP=b/casetracker-x.dump", "FORCE=0")
