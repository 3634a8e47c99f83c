"""Seeded, reproducible data for the API and web benchmark (bench/api.py), at a given scale.

    SCALE=small .venv/bin/python bench/generate.py      # or full; BENCH_SEED (default 12)

Drops and recreates its own database (BENCH_API_DATABASE_URL, default ct_bench_api),
migrates it with the checkout at BENCH_APP_ROOT (default: this one; bench/api.py points it
at a worktree of an older commit to measure "before" on the same data), creates the
bench's users and API keys through that checkout's code, then writes every row with
set-based INSERT ... SELECT statements through psycopg: the values are functions of the
seed and the row number (hashtext), never of the clock or of random(), so the same seed
makes the same rows, ids included, whatever the plan.

Rows go through the tables' triggers and constraints as the app's writes do: statuses
from the workflows (the status guards and checks), a warrant's subject is a person, a
charge's accused is accused in the same case, a red notice rests on a warrant, a
protected party has a pseudonym, audit rows (pghistory) for every record. Events are
staged, then inserted in time order (the `feed_unstamped` trigger clears any position and
the outbox trigger queues each one), then stamped in seq order under the feed's advisory
lock, as core.feed does. History that old counts as relayed: its outbox entries are
removed (no consumer would act on two-year-old events; the relay would otherwise spend
the run on a million of them).

Case 0 (reference BENCH-00000) has exactly CASE_PAGE_EVENTS events: the case page's case.
"""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]

SCALES: dict[str, dict[str, int]] = {
    "full": {
        "cases": 5000,
        "parties": 50000,
        "warrants": 100000,
        "notices": 20000,
        "events": 1000000,
    },
    "small": {"cases": 500, "parties": 5000, "warrants": 10000, "notices": 2000, "events": 100000},
    "tiny": {"cases": 12, "parties": 120, "warrants": 240, "notices": 48, "events": 1200},
}
CASE_PAGE_EVENTS = 205
CASE_PAGE_REFERENCE = "BENCH-00000"
FEED_LOCK = 0x63744645  # core.feed.FEED_LOCK
T0 = "2024-01-01 00:00:00+00"  # every timestamp counts from here: reproducible, in the past
SPAN_DAYS = 700

COUNTRIES = ["FR", "DE", "SE", "NL", "BE", "ES", "CH", "AR", "GB", "SY", "IQ", "RW", "CD", "SN"]
FIRST = ["Ahmad", "Mariam", "Jean", "Aline", "Omar", "Lina", "Pierre", "Fatima", "Karim", "Nour"]
LAST = ["Haddad", "Nkurunziza", "Moreau", "Khalil", "Diallo", "Rahman", "Dubois", "Saleh"]


EMPTY = {"ARRAY": "'{}'", "integer": "0", "bigint": "0", "boolean": "false", "jsonb": "'{}'"}
RECORD = ["id", "version", "created_at", "updated_at"]
REVIEW = ["review", "reviewed_at", "review_comment", "reviewed_by_id"]
KNOWN_COLUMNS: dict[str, list[str]] = {
    "parties_party": RECORD
    + REVIEW
    + [
        "kind",
        "name",
        "name_original",
        "aliases",
        "birth_date",
        "nationalities",
        "protected",
        "pseudonym",
        "custody",
    ],
    "parties_position": RECORD
    + ["title", "organisation", "function", "started_on", "ended_on", "party_id"],
    "cases_case": RECORD
    + ["reference", "title", "summary", "jurisdiction", "forum", "basis", "opened_on", "status"],
    "cases_participation": RECORD + ["role", "status", "case_id", "party_id"],
    "cases_charge": RECORD
    + REVIEW
    + [
        "offence",
        "label",
        "legal_basis",
        "mode_of_liability",
        "qualification_text",
        "status",
        "case_id",
        "accused_id",
    ],
    "warrants_warrant": RECORD
    + [
        "kind",
        "issuing_country",
        "issuing_authority",
        "reference",
        "requested_on",
        "issued_on",
        "disclosed_on",
        "status",
        "case_id",
        "subject_id",
        "supersedes_id",
    ],
    "warrants_warrant_charges": ["id", "warrant_id", "charge_id"],
    "warrants_notice": RECORD
    + [
        "kind",
        "requesting_country",
        "interpol_id",
        "visibility",
        "requested_on",
        "published_on",
        "public_listing",
        "status",
        "subject_id",
        "warrant_id",
    ],
    "casetracker_event": [
        "seq",
        "id",
        "txid",
        "type",
        "occurred_at",
        "effective_date",
        "actor_kind",
        "actor_name",
        "actor_user_id",
        "resource",
        "subject_id",
        "case_id",
        "transition",
        "from_status",
        "to_status",
        "note",
        "data",
        "feed_position",
    ],
}


def sql_array(values: list[str]) -> str:
    return "ARRAY[" + ",".join("'" + v.replace("'", "''") + "'" for v in values) + "]"


class Gen:
    """The SQL of one generation: `h(tag, i)` is a seeded, plan-independent number."""

    def __init__(self, seed: int):
        self.seed = seed

    def h(self, tag: str, i: str) -> str:
        return f"(hashtext('{self.seed}:{tag}:' || ({i})::text) & 2147483647)"

    def uuid(self, tag: str, i: str) -> str:
        return f"md5('{self.seed}:{tag}:' || ({i})::text)::uuid"

    def pick(self, values: list[str], tag: str, i: str) -> str:
        return f"({sql_array(values)})[1 + {self.h(tag, i)} % {len(values)}]"


def workflows_from_app() -> dict[str, Any]:
    """The workflows of the checkout in use, as plain data (states, transitions)."""
    from cases import workflows as case_workflows
    from warrants import workflows as warrant_workflows

    def plain(workflow: Any) -> dict[str, Any]:
        return {
            "states": list(workflow.states),
            "initial": workflow.initial,
            "permission": workflow.permission,
            "transitions": [
                {"name": t.name, "sources": list(t.sources), "target": t.target}
                for t in workflow.transitions.values()
            ],
        }

    return {
        "case": plain(case_workflows.CASE),
        "accused": plain(case_workflows.ACCUSED),
        "other_role": plain(case_workflows.OTHER_ROLE),
        "charge": plain(case_workflows.CHARGE),
        "warrant": plain(warrant_workflows.WARRANT),
        "notice": plain(warrant_workflows.NOTICE),
    }


def path_to(workflow: dict[str, Any], target: str) -> list[dict[str, str]]:
    """The shortest chain of transitions from the initial status to `target`."""
    start = workflow["initial"]
    paths: dict[str, list[dict[str, str]]] = {start: []}
    frontier = [start]
    while frontier:
        following = []
        for status in frontier:
            for t in workflow["transitions"]:
                if status in t["sources"] and t["target"] not in paths:
                    paths[t["target"]] = [
                        *paths[status],
                        {"name": t["name"], "from": status, "to": t["target"]},
                    ]
                    following.append(t["target"])
        frontier = following
    return paths[target]


def generate(
    conn: Any, *, scale: dict[str, int], seed: int, user_id: int, workflows: dict[str, Any]
) -> dict[str, int]:
    """Write one scale's rows through `conn` (a psycopg 3 connection, in its transaction;
    the caller commits). Returns the counts written."""
    g = Gen(seed)
    C, P, W, N, E = (scale[k] for k in ("cases", "parties", "warrants", "notices", "events"))
    at = lambda tag, i: (  # noqa: E731  a record's time: spread over the span, seeded jitter
        f"('{T0}'::timestamptz + (({i})::float8 / {{n}} * {SPAN_DAYS}) * interval '1 day'"
        f" + ({g.h(tag + ':t', i)} % 3600) * interval '1 second')"
    )
    cur = conn.cursor()
    run = cur.execute
    # Columns this generator does not know (added by a later migration than it was written
    # for) get their type's empty value while it runs: the defaults are dropped again below.
    unknown = cur.execute(
        """
        SELECT table_name, column_name, data_type FROM information_schema.columns
         WHERE table_schema = current_schema() AND is_nullable = 'NO' AND column_default IS NULL
           AND table_name = ANY(%s) AND NOT column_name = ANY(%s)
        """,
        [list(KNOWN_COLUMNS), sorted({c for cs in KNOWN_COLUMNS.values() for c in cs})],
    ).fetchall()
    unknown = [(t, c, d) for t, c, d in unknown if c not in KNOWN_COLUMNS[t]]
    for table, column, data_type in unknown:
        empty = EMPTY.get(data_type, "''")
        run(f'ALTER TABLE "{table}" ALTER COLUMN "{column}" SET DEFAULT {empty}')
    run("SET CONSTRAINTS ALL IMMEDIATE")  # core.bulk: flat per row in one transaction
    run("SET LOCAL synchronous_commit = off")
    wf = workflows

    # Parties: 9 in 10 persons; 1 person in 50 protected (with a pseudonym).
    person = "(i % 10 <> 0)"
    run(
        f"""
        INSERT INTO parties_party (id, version, created_at, updated_at, review, reviewed_at,
            review_comment, kind, name, name_original, aliases, birth_date, nationalities,
            protected, pseudonym, custody)
        SELECT {g.uuid("party", "i")}, 1, t, t, 'unreviewed', NULL, '',
               CASE WHEN {person} THEN 'person' ELSE 'organization' END,
               CASE WHEN {person}
                    THEN {g.pick(FIRST, "first", "i")} || ' ' || {g.pick(LAST, "last", "i")} || ' ' || i
                    ELSE 'Organisation ' || i END,
               '', '{{}}',
               CASE WHEN {person} THEN (1940 + {g.h("born", "i")} % 50)::text ELSE '' END,
               ARRAY[{g.pick(COUNTRIES, "nat", "i")}]::varchar[],
               {person} AND {g.h("prot", "i")} % 50 = 0,
               CASE WHEN {person} AND {g.h("prot", "i")} % 50 = 0 THEN 'Witness ' || i ELSE '' END,
               CASE WHEN {person} THEN {g.pick(["at_large", "detained", "deceased", "unknown"], "cust", "i")}
                    ELSE '' END
          FROM (SELECT i, {at("party", "i").format(n=P)} AS t FROM generate_series(0, {P - 1}) i) s
        """
    )
    # Positions with personal immunity for 1 person in 100 (the immunity risk shows).
    # (A State office, where the schema asks whether the office is one.)
    office = any(t == "parties_position" and c == "state_office" for t, c, _ in unknown)
    run(
        f"""
        INSERT INTO parties_position (id, version, created_at, updated_at, title, organisation,
            function, started_on, ended_on, party_id{", state_office" if office else ""})
        SELECT {g.uuid("position", "i")}, 1, '{T0}', '{T0}', 'Minister', 'Government',
               {g.pick(["head_of_state", "head_of_government", "foreign_minister"], "fn", "i")},
               DATE '2000-01-01', NULL, {g.uuid("party", "i")}{", true" if office else ""}
          FROM generate_series(0, {P - 1}) i WHERE {person} AND {g.h("pos", "i")} % 100 = 1
        """
    )
    # Cases: case 0 is the case page's case, in investigation.
    case_states = wf["case"]["states"]
    run(
        f"""
        INSERT INTO cases_case (id, version, created_at, updated_at, reference, title, summary,
            jurisdiction, forum, basis, opened_on, status)
        SELECT {g.uuid("case", "i")}, 1, t, t, 'BENCH-' || lpad(i::text, 5, '0'),
               'Proceedings ' || i, 'Generated for the benchmark.',
               {g.pick(COUNTRIES[:8], "jur", "i")}, 'Tribunal judiciaire de Paris',
               {g.pick(["universal", "territorial", "active_personality", "passive_personality"], "basis", "i")},
               t::date,
               CASE WHEN i = 0 THEN 'investigation' ELSE {g.pick(case_states, "cstatus", "i")} END
          FROM (SELECT i, {at("case", "i").format(n=C)} AS t FROM generate_series(0, {C - 1}) i) s
        """
    )
    # Warrants: case i % C, subject a person; 3 in 10 issued, the rest over the other states.
    others = [s for s in wf["warrant"]["states"] if s != "issued"]
    subject = f"((i * 7919) % {P} + CASE WHEN (i * 7919) % {P} % 10 = 0 THEN 1 ELSE 0 END) % {P}"
    run(
        f"""
        INSERT INTO warrants_warrant (id, version, created_at, updated_at, kind, issuing_country,
            issuing_authority, reference, requested_on, issued_on, disclosed_on, status, case_id,
            subject_id, supersedes_id)
        SELECT {g.uuid("warrant", "i")}, 1, t, t,
               {g.pick(["arrest", "search", "appearance", "committal"], "wkind", "i")},
               {g.pick(COUNTRIES[:8], "wc", "i")}, 'Investigating judge', 'W-' || lpad(i::text, 6, '0'),
               t::date, CASE WHEN status NOT IN ('requested', 'refused') THEN t::date + 3 END,
               NULL, status, {g.uuid("case", f"i % {C}")}, {g.uuid("party", subject)}, NULL
          FROM (SELECT i, {at("warrant", "i").format(n=W)} AS t,
                       CASE WHEN {g.h("wstatus", "i")} % 10 < 3 THEN 'issued'
                            ELSE {g.pick(others, "wother", "i")} END AS status
                  FROM generate_series(0, {W - 1}) i) s
        """
    )
    # Participations: the subject of each warrant is accused in its case; two witnesses
    # (protected persons where the seed makes them so) per case.
    run(
        f"""
        INSERT INTO cases_participation (id, version, created_at, updated_at, role, status,
            case_id, party_id)
        SELECT md5('{seed}:acc:' || case_id || subject_id)::uuid, 1, min(created_at), min(created_at),
               'accused', (ARRAY['suspect', 'charged'])[1 + (hashtext('{seed}:accs:' || subject_id) & 1)],
               case_id, subject_id
          FROM warrants_warrant GROUP BY case_id, subject_id
        """
    )
    witness = f"((n * 2 + k) * 13) % {P}"
    witness = f"({witness} + CASE WHEN {witness} % 10 = 0 THEN 1 ELSE 0 END) % {P}"
    run(
        f"""
        INSERT INTO cases_participation (id, version, created_at, updated_at, role, status,
            case_id, party_id)
        SELECT {g.uuid("wit", "n * 2 + k")}, 1, c.created_at, c.created_at, 'witness', 'active',
               c.id, {g.uuid("party", witness)}
          FROM generate_series(0, {C - 1}) n JOIN cases_case c ON c.id = {g.uuid("case", "n")}
         CROSS JOIN generate_series(0, 1) k
        ON CONFLICT DO NOTHING
        """
    )
    # Charges: one per accused; every warrant rests on its subject's charge in its case.
    run(
        f"""
        INSERT INTO cases_charge (id, version, created_at, updated_at, review, reviewed_at,
            review_comment, offence, label, legal_basis, mode_of_liability, qualification_text,
            status, case_id, reviewed_by_id, accused_id)
        SELECT md5('{seed}:charge:' || p.id)::uuid, 1, p.created_at, p.created_at, 'unreviewed',
               NULL, '', (ARRAY['crimes_against_humanity', 'war_crimes', 'torture',
                                'enforced_disappearance'])[1 + (hashtext('{seed}:off:' || p.id) & 3)],
               '', ARRAY['Rome Statute 7(1)(a)']::varchar[], 'commission', '',
               (ARRAY{wf["charge"]["states"]!r})[1 + (hashtext('{seed}:chs:' || p.id) & 2147483647)
                                                % {len(wf["charge"]["states"])}],
               p.case_id, NULL, p.id
          FROM cases_participation p WHERE p.role = 'accused'
        """
    )
    run(
        f"""
        INSERT INTO warrants_warrant_charges (warrant_id, charge_id)
        SELECT w.id, md5('{seed}:charge:' || md5('{seed}:acc:' || w.case_id || w.subject_id)::uuid)::uuid
          FROM warrants_warrant w
        """
    )
    # Notices: notice j rests on the j-th issued warrant (by reference); 6 in 10 red.
    run(
        f"""
        INSERT INTO warrants_notice (id, version, created_at, updated_at, kind, requesting_country,
            interpol_id, visibility, requested_on, published_on, public_listing, status,
            subject_id, warrant_id)
        SELECT {g.uuid("notice", "j")}, 1, w.created_at + interval '5 days', w.created_at + interval '5 days',
               CASE WHEN {g.h("nkind", "j")} % 10 < 6 THEN 'red'
                    ELSE {g.pick(["yellow", "blue", "black", "green", "orange"], "nk2", "j")} END,
               w.issuing_country, '2026/' || lpad(j::text, 6, '0'),
               {g.pick(["public", "restricted"], "vis", "j")}, w.issued_on + 5,
               CASE WHEN st IN ('published', 'suspended', 'withdrawn', 'cancelled') THEN w.issued_on + 9 END,
               {g.pick(["listed", "not_listed", "unknown"], "pl", "j")}, st, w.subject_id, w.id
          FROM (SELECT w.*, row_number() OVER (ORDER BY reference) - 1 AS j
                  FROM warrants_warrant w WHERE status = 'issued') w,
               LATERAL (SELECT {g.pick(wf["notice"]["states"], "nstatus", "j")} AS st) s
         WHERE j < {N}
        """
    )
    got = cur.execute("SELECT count(*) FROM warrants_notice").fetchone()[0]
    if got != N:
        raise RuntimeError(f"{N} notices asked, {got} issued warrants to rest them on")

    # Events: staged, then inserted in time order.
    run(
        """
        CREATE TEMP TABLE bench_stage (
            ts timestamptz, ord int, type text, resource text, subject_id uuid, case_id uuid,
            transition text, from_status text, to_status text, data jsonb) ON COMMIT DROP
        """
    )

    def stage_records(resource: str, source: str, case_expr: str) -> None:
        """`<resource>.created` for every record, then the transitions that led to its status."""
        initial = wf[resource]["initial"] if resource in wf else ""
        data = "to_jsonb(r)" + (f" || jsonb_build_object('status', '{initial}')" if initial else "")
        run(
            f"""
            INSERT INTO bench_stage
            SELECT r.created_at, 0, '{resource}.created', '{resource}', r.id, {case_expr}, '', '',
                   '{initial}', {data}
              FROM {source}
            """
        )
        if resource not in wf:
            return
        for state in wf[resource]["states"]:
            for step, move in enumerate(path_to(wf[resource], state), start=1):
                run(
                    f"""
                    INSERT INTO bench_stage
                    SELECT r.created_at + {step} * interval '1 day', {step},
                           '{resource}.{move["to"]}', '{resource}', r.id, {case_expr},
                           '{move["name"]}', '{move["from"]}', '{move["to"]}',
                           to_jsonb(r) || jsonb_build_object('status', '{move["to"]}',
                                                             'version', {step + 1})
                      FROM {source} WHERE r.status = '{state}'
                    """
                )

    stage_records("party", "parties_party r", "NULL::uuid")
    stage_records("case", "cases_case r", "r.id")
    stage_records("warrant", "warrants_warrant r", "r.case_id")
    stage_records(
        "notice",
        "warrants_notice r LEFT JOIN warrants_warrant w ON w.id = r.warrant_id",
        "w.case_id",
    )
    case0 = cur.execute(f"SELECT {g.uuid('case', '0')}").fetchone()[0]
    base = cur.execute("SELECT count(*) FROM bench_stage").fetchone()[0]
    base0 = cur.execute("SELECT count(*) FROM bench_stage WHERE case_id = %s", [case0]).fetchone()[
        0
    ]
    fill0 = CASE_PAGE_EVENTS - base0
    rest = E - base - fill0
    if fill0 < 0 or rest < 0:
        raise RuntimeError(f"scale too small: {base} events from records alone, {base0} in case 0")
    # Filler: a case suspended and resumed, over and over (case 0 first, then cases 1..C-1).
    filler = """
        INSERT INTO bench_stage
        SELECT c.created_at + (k + 2) * interval '1 hour', 100 + k,
               CASE WHEN k % 2 = 0 THEN 'case.suspended' ELSE 'case.investigation' END, 'case',
               c.id, c.id, CASE WHEN k % 2 = 0 THEN 'suspend' ELSE 'resume' END,
               CASE WHEN k % 2 = 0 THEN 'investigation' ELSE 'suspended' END,
               CASE WHEN k % 2 = 0 THEN 'suspended' ELSE 'investigation' END,
               to_jsonb(c) || jsonb_build_object(
                   'status', CASE WHEN k % 2 = 0 THEN 'suspended' ELSE 'investigation' END,
                   'version', k + 2)
          FROM {source}
    """
    if fill0:
        run(
            filler.format(
                source=f"cases_case c, generate_series(0, {fill0 - 1}) k WHERE c.id = '{case0}'"
            )
        )
    if rest and C > 1:
        run(
            filler.format(
                source=f"""(SELECT n, 1 + n % {C - 1} AS ci, n / {C - 1} AS k
                              FROM generate_series(0, {rest - 1}) n) s
                           JOIN cases_case c ON c.id = {g.uuid("case", "s.ci")}"""
            )
        )
    run(
        f"""
        INSERT INTO casetracker_event (id, txid, type, occurred_at, effective_date, actor_kind,
            actor_name, actor_user_id, resource, subject_id, case_id, transition, from_status,
            to_status, note, data, feed_position)
        SELECT md5('{seed}:event:' || s.subject_id || ':' || s.type || ':' || s.ord)::uuid,
               txid_current(), s.type, s.ts, s.ts::date, 'user', 'bench', %s, s.resource,
               s.subject_id, s.case_id, s.transition, s.from_status, s.to_status, '', s.data, NULL
          FROM bench_stage s ORDER BY s.ts, s.ord, s.subject_id
        """,
        [user_id],
    )
    # core.feed's stamp, for all of them at once.
    run("SELECT pg_advisory_xact_lock(%s)", [FEED_LOCK])
    run(
        """
        WITH top AS (SELECT coalesce(max(feed_position), 0) AS position FROM casetracker_event),
             todo AS (SELECT seq, row_number() OVER (ORDER BY seq) AS n
                        FROM casetracker_event WHERE feed_position IS NULL)
        UPDATE casetracker_event AS event SET feed_position = top.position + todo.n
          FROM todo, top WHERE event.seq = todo.seq
        """
    )
    run("DELETE FROM alerts_outboxentry")
    for table, column, _ in unknown:
        run(f'ALTER TABLE "{table}" ALTER COLUMN "{column}" DROP DEFAULT')
    counts = {}
    for name, table in [
        ("cases", "cases_case"),
        ("parties", "parties_party"),
        ("positions", "parties_position"),
        ("participations", "cases_participation"),
        ("charges", "cases_charge"),
        ("warrants", "warrants_warrant"),
        ("notices", "warrants_notice"),
        ("events", "casetracker_event"),
    ]:
        counts[name] = cur.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    counts["case_page_events"] = cur.execute(
        "SELECT count(*) FROM casetracker_event WHERE case_id = %s", [case0]
    ).fetchone()[0]
    return counts


SETUP_SNIPPET = r"""
import json, sys
from django.contrib.auth.models import Group, User
import os
from importlib import import_module
from django.conf import settings
SessionStore = import_module(settings.SESSION_ENGINE).SessionStore
from django.contrib.auth import SESSION_KEY, BACKEND_SESSION_KEY, HASH_SESSION_KEY
from core.keys import api_key_create
sys.path.insert(0, os.environ["BENCH_ROOT"])
from bench.generate import workflows_from_app
user = User.objects.create_user("bench", password=None, is_active=True)
user.groups.set(Group.objects.filter(name__in=["staff", "lawyer"]))
_, read_key = api_key_create(owner=user, name="bench read", scope="read")
_, write_key = api_key_create(owner=user, name="bench write", scope="write")
session = SessionStore()
session[SESSION_KEY] = str(user.pk)
session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[-1]
session[HASH_SESSION_KEY] = user.get_session_auth_hash()
session.create()
print("BENCH-SETUP " + json.dumps({"user_id": user.pk, "read_key": read_key,
      "write_key": write_key, "session": session.session_key,
      "session_cookie": settings.SESSION_COOKIE_NAME, "csrf_cookie": settings.CSRF_COOKIE_NAME, "workflows": workflows_from_app()}))
"""


def database_url() -> str:
    return os.environ.get(
        "BENCH_API_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/ct_bench_api"
    )


def info_path(name: str) -> Path:
    """What the last generation of database `name` made (its keys too): outside the tree."""
    return Path(tempfile.gettempdir()) / f"casetracker-{name}.json"


def app_env(app_root: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": database_url(),
        "DEBUG": "true",
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "PYTHONPATH": str(app_root),
    }


def main() -> dict[str, Any]:
    import psycopg

    scale_name = os.environ.get("SCALE", "small")
    seed = int(os.environ.get("BENCH_SEED", 12))
    app_root = Path(os.environ.get("BENCH_APP_ROOT", ROOT)).resolve()
    url = database_url()
    name = url.rsplit("/", 1)[1]
    started = time.monotonic()
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as admin:
        admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", [name]
        )
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    python = str(ROOT / ".venv/bin/python")
    # The session's auth hash is signed with SECRET_KEY: the bench's servers use this one.
    secret_key = secrets.token_urlsafe(50)
    env = {**app_env(app_root), "SECRET_KEY": secret_key}
    subprocess.run(
        [python, "manage.py", "migrate", "--no-input", "-v", "0"], check=True, env=env, cwd=app_root
    )
    out = subprocess.run(
        [python, "manage.py", "shell", "-c", SETUP_SNIPPET],
        check=True,
        env={**env, "BENCH_ROOT": str(ROOT)},
        cwd=app_root,
        capture_output=True,
        text=True,
    ).stdout
    setup = json.loads(out.split("BENCH-SETUP ", 1)[1])
    migrated = time.monotonic()
    with psycopg.connect(url) as conn:
        counts = generate(
            conn,
            scale=SCALES[scale_name],
            seed=seed,
            user_id=setup["user_id"],
            workflows=setup["workflows"],
        )
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")
    info = {
        "scale": scale_name,
        "seed": seed,
        "app_root": str(app_root),
        "secret_key": secret_key,
        "counts": counts,
        "migrate_seconds": round(migrated - started, 1),
        "generate_seconds": round(time.monotonic() - migrated, 1),
        **setup,
    }
    info_path(name).write_text(json.dumps(info, indent=1))
    return info


if __name__ == "__main__":
    result = main()
    print(
        json.dumps(
            {k: result[k] for k in ("scale", "counts", "migrate_seconds", "generate_seconds")}
        )
    )
    sys.exit(0)

# ruff: noqa: E501  (SQL reads better on long lines)
