"""The floor: a minimal WSGI app (psycopg 3 + orjson, no Django) answering two of the API's
requests with the same JSON, to show how fast the same work can be on this machine.

    GET /api/v1/warrants/?status=<s>&page_size=<n>   (first page: the same rows, order,
                                                      `next` cursor and fields as the API)
    GET /api/v1/warrants/<id>/                        (with ETag; If-None-Match → 304)

It does what the API's answer needs and no more: the Bearer key checked against its hash,
the owner's permissions read (one query), the same SQL rows (case and subject summaries,
charges, the personal-immunity risk), a protected subject redacted for a reader without
`parties.view_protected_identity`, `allowed_transitions` from the warrant workflow for a
write key. No throttles, middleware, sessions or audit context. Anything else is a 404.

Served by gunicorn (bench/api.py: `bench.floor:app`, the same settings as the web app);
DATABASE_URL names the database; BENCH_WARRANT_TRANSITIONS (JSON: [[name, [sources]], ...],
in the workflow's order; bench/api.py takes it from the app) the transitions.
tests/bench/test_floor.py checks the answers against the API's.
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import hmac
import json
import os
import re
import threading
from typing import Any
from urllib.parse import parse_qsl, urlencode

import orjson

KEY_PREFIX = "ct_"  # core.keys.KEY_PREFIX
IMMUNE_FUNCTIONS = ("head_of_state", "head_of_government", "foreign_minister")
MAX_PAGE_SIZE = 200
DEFAULT_PAGE_SIZE = 50
DETAIL = re.compile(r"^/api/v1/warrants/([0-9a-fA-F-]{32,36})/$")

AUTH_SQL = """
SELECT k.owner_id, k.scope, k.hashed_key,
       u.is_superuser OR EXISTS (
           SELECT 1 FROM auth_permission p JOIN django_content_type ct ON ct.id = p.content_type_id
            WHERE ct.app_label = 'warrants' AND p.codename = 'view_warrant'
              AND (p.id IN (SELECT permission_id FROM auth_user_user_permissions WHERE user_id = u.id)
                   OR p.id IN (SELECT gp.permission_id FROM auth_group_permissions gp
                                 JOIN auth_user_groups ug ON ug.group_id = gp.group_id
                                WHERE ug.user_id = u.id))) AS view,
       u.is_superuser OR EXISTS (
           SELECT 1 FROM auth_permission p JOIN django_content_type ct ON ct.id = p.content_type_id
            WHERE ct.app_label = 'parties' AND p.codename = 'view_protected_identity'
              AND (p.id IN (SELECT permission_id FROM auth_user_user_permissions WHERE user_id = u.id)
                   OR p.id IN (SELECT gp.permission_id FROM auth_group_permissions gp
                                 JOIN auth_user_groups ug ON ug.group_id = gp.group_id
                                WHERE ug.user_id = u.id))) AS protected,
       u.is_superuser OR EXISTS (
           SELECT 1 FROM auth_permission p JOIN django_content_type ct ON ct.id = p.content_type_id
            WHERE ct.app_label = 'warrants' AND p.codename = 'transition_warrant'
              AND (p.id IN (SELECT permission_id FROM auth_user_user_permissions WHERE user_id = u.id)
                   OR p.id IN (SELECT gp.permission_id FROM auth_group_permissions gp
                                 JOIN auth_user_groups ug ON ug.group_id = gp.group_id
                                WHERE ug.user_id = u.id))) AS transition
  FROM casetracker_apikey k JOIN auth_user u ON u.id = k.owner_id
 WHERE k.prefix = %s AND k.revoked_at IS NULL AND (k.expires_at IS NULL OR k.expires_at > now())
   AND u.is_active
"""

WARRANT_SQL = """
SELECT w.id, w.version, w.created_at, w.updated_at, w.case_id, c.reference, c.title, c.status,
       w.subject_id, p.kind, p.name, p.protected, p.pseudonym, w.kind, w.issuing_country,
       w.issuing_authority, w.reference, w.requested_on, w.issued_on, w.disclosed_on,
       ARRAY(SELECT wc.charge_id FROM warrants_warrant_charges wc
               JOIN cases_charge ch ON ch.id = wc.charge_id
              WHERE wc.warrant_id = w.id ORDER BY ch.label, ch.id),
       w.supersedes_id, w.status,
       CASE WHEN w.issued_on IS NULL THEN false ELSE EXISTS (
           SELECT 1 FROM parties_position pos
            WHERE pos.party_id = w.subject_id AND pos.function = ANY(%(immune)s) {office}
              AND (pos.started_on IS NULL OR pos.started_on <= w.issued_on)
              AND (pos.ended_on IS NULL OR pos.ended_on >= w.issued_on)) END
       {extra}
  FROM warrants_warrant w
  JOIN cases_case c ON c.id = w.case_id
  JOIN parties_party p ON p.id = w.subject_id
"""
LIST_SQL = WARRANT_SQL + " WHERE w.status = %(status)s ORDER BY w.created_at DESC LIMIT %(limit)s"
ONE_SQL = WARRANT_SQL + " WHERE w.id = %(id)s"
VERSION_SQL = "SELECT version FROM warrants_warrant WHERE id = %s"
INTERNATIONAL_CRIMES = (
    "genocide",
    "crimes_against_humanity",
    "war_crimes",
    "torture",
    "enforced_disappearance",
)
# Where the schema has them (issue 13): functional immunity, the appeals pending.
FUNCTIONAL_BAR_SQL = """,
       EXISTS (SELECT 1 FROM parties_position pos
                WHERE pos.party_id = w.subject_id AND pos.state_office)
       AND EXISTS (SELECT 1 FROM warrants_warrant_charges wc
                     JOIN cases_charge ch ON ch.id = wc.charge_id
                    WHERE wc.warrant_id = w.id AND NOT ch.offence = ANY(%(international)s))"""
APPEALS_SQL = """,
       EXISTS (SELECT 1 FROM warrants_proceeding_warrants pw
                 JOIN warrants_proceeding pr ON pr.id = pw.proceeding_id
                WHERE pw.warrant_id = w.id AND pr.kind = 'appeal_lodged'
                  AND pr.status IN ('lodged', 'heard')),
       coalesce((SELECT json_agg(json_build_object('id', pr.id, 'kind', pr.kind,
                         'court', pr.court, 'chamber', pr.chamber, 'date', pr.date,
                         'status', pr.status) ORDER BY pr.date)
                   FROM warrants_proceeding_warrants pw
                   JOIN warrants_proceeding pr ON pr.id = pw.proceeding_id
                  WHERE pw.warrant_id = w.id AND pr.kind = 'appeal_lodged'
                    AND pr.status IN ('lodged', 'heard')), '[]'::json)"""


PARAMS = {"immune": list(IMMUNE_FUNCTIONS), "international": list(INTERNATIONAL_CRIMES)}


def drf_datetime(value: datetime.datetime) -> str:
    """As DRF writes a datetime in UTC."""
    text = value.astimezone(datetime.UTC).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def transitions_table() -> list[tuple[str, list[str]]]:
    return [tuple(t) for t in json.loads(os.environ.get("BENCH_WARRANT_TRANSITIONS", "[]"))]  # type: ignore[misc]


class Floor:
    """The app; `connection()` gives a psycopg connection (a pool's, or a test's)."""

    def __init__(self, connection: Any, transitions: list[tuple[str, list[str]]] | None = None):
        self.connection = connection
        self.transitions = transitions if transitions is not None else transitions_table()
        self._schema: dict[str, str] | None = None
        self.functional = self.appeals = False

    def schema(self, conn: Any) -> dict[str, str]:
        """The SQL pieces the database's schema calls for: the floor answers as the app
        beside it does (an older checkout has no State offices, proceedings)."""
        if self._schema is None:
            office = conn.execute(
                "SELECT 1 FROM information_schema.columns WHERE table_schema = current_schema()"
                " AND table_name = 'parties_position' AND column_name = 'state_office'"
            ).fetchone()
            appeals = conn.execute(
                "SELECT 1 FROM information_schema.tables WHERE table_schema = current_schema()"
                " AND table_name = 'warrants_proceeding_warrants'"
            ).fetchone()
            self.functional = bool(office)
            self.appeals = bool(appeals)
            self._schema = {
                "office": "AND pos.state_office" if office else "",
                "extra": (FUNCTIONAL_BAR_SQL if office else "") + (APPEALS_SQL if appeals else ""),
            }
        return self._schema

    def authenticate(self, conn: Any, header: str) -> dict[str, Any] | None:
        scheme, _, raw = header.partition(" ")
        raw = raw.strip()
        if scheme.lower() != "bearer" or not raw.startswith(KEY_PREFIX) or raw.count("_") < 2:
            return None
        prefix = raw[len(KEY_PREFIX) :].split("_", 1)[0]
        row = conn.execute(AUTH_SQL, [prefix]).fetchone()
        if row is None or not hmac.compare_digest(row[2], hashlib.sha256(raw.encode()).hexdigest()):
            return None
        return {
            "user": row[0],
            "write": row[1] == "write",
            "view": row[3],
            "protected": row[4],
            "transition": row[5],
        }

    def warrant(self, row: tuple, reader: dict[str, Any]) -> dict[str, Any]:
        (
            wid,
            version,
            created,
            updated,
            case_id,
            case_ref,
            case_title,
            case_status,
            subject_id,
            p_kind,
            p_name,
            p_protected,
            p_pseudonym,
            kind,
            country,
            authority,
            reference,
            requested_on,
            issued_on,
            disclosed_on,
            charges,
            supersedes,
            status,
            risk,
        ) = row[:24]
        extra = list(row[24:])
        hidden = p_protected and not reader["protected"]
        allowed = (
            [name for name, sources in self.transitions if status in sources]
            if reader["write"] and reader["transition"]
            else []
        )
        shown = {
            "id": str(wid),
            "version": version,
            "created_at": drf_datetime(created),
            "updated_at": drf_datetime(updated),
            "case": str(case_id),
            "case_summary": {
                "id": str(case_id),
                "reference": case_ref,
                "title": case_title,
                "status": case_status,
            },
            "subject": str(subject_id),
            "subject_summary": {
                "id": str(subject_id),
                "kind": p_kind,
                "name": p_pseudonym if hidden else p_name,
                "protected": p_protected,
            },
            "kind": kind,
            "issuing_country": country,
            "issuing_authority": authority,
            "reference": reference,
            "requested_on": requested_on.isoformat() if requested_on else None,
            "issued_on": issued_on.isoformat() if issued_on else None,
            "disclosed_on": disclosed_on.isoformat() if disclosed_on else None,
            "charges": [str(c) for c in charges],
            "supersedes": str(supersedes) if supersedes else None,
            "status": status,
            "allowed_transitions": allowed,
            "immunity_risk": None if hidden else risk,
        }
        if self.functional:
            bar = extra.pop(0)
            shown["functional_immunity_bar"] = None if hidden else bar
        if self.appeals:
            shown["appeal_pending"] = extra.pop(0)
            shown["pending_appeals"] = extra.pop(0)
        return shown

    def handle(
        self, method: str, path: str, query: str, headers: dict[str, str], host: str
    ) -> tuple[int, list[tuple[str, str]], bytes]:
        if method not in ("GET", "HEAD"):
            return 405, [], b""
        with self.connection() as conn:
            reader = self.authenticate(conn, headers.get("authorization", ""))
            if reader is None:
                return 401, [("Content-Type", "application/problem+json")], b'{"status":401}'
            if not reader["view"]:
                return 403, [("Content-Type", "application/problem+json")], b'{"status":403}'
            if path == "/api/v1/warrants/":
                return self.list(conn, reader, path, query, host)
            match = DETAIL.match(path)
            if match:
                return self.detail(conn, reader, match.group(1), headers.get("if-none-match"))
        return 404, [("Content-Type", "application/problem+json")], b'{"status":404}'

    def list(self, conn: Any, reader: dict[str, Any], path: str, query: str, host: str):
        params = dict(parse_qsl(query, keep_blank_values=True))
        raw = params.get("page_size", "")
        size = int(raw) if raw.isdigit() and 1 <= int(raw) <= MAX_PAGE_SIZE else None
        if (raw and size is None) or "cursor" in params or set(params) - {"status", "page_size"}:
            return 400, [("Content-Type", "application/problem+json")], b'{"status":400}'
        size = size or DEFAULT_PAGE_SIZE
        sql = LIST_SQL.format(**self.schema(conn))
        rows = conn.execute(
            sql,
            {**PARAMS, "status": params.get("status"), "limit": size + 1},
        ).fetchall()
        page, following = rows[:size], rows[size:]
        next_url = None
        if following:
            # DRF's CursorPagination.get_next_link on a first page (ordering -created_at).
            compare, offset, position = str(following[0][2]), 0, None
            for row in reversed(page):
                if str(row[2]) != compare:
                    position = str(row[2])
                    break
                compare = str(row[2])
                offset += 1  # noqa: SIM113  (DRF's loop, as it is)
            tokens = {}
            if position is None:
                offset = size
            if offset:
                tokens["o"] = str(offset)
            if position is not None:
                tokens["p"] = position
            cursor = base64.b64encode(urlencode(tokens, doseq=True).encode("ascii")).decode("ascii")
            query_items = {**params, "cursor": cursor}
            next_url = f"http://{host}{path}?" + urlencode(sorted(query_items.items()), doseq=True)
        body = {
            "next": next_url,
            "previous": None,
            "results": [self.warrant(row, reader) for row in page],
        }
        return 200, [("Content-Type", "application/json")], orjson.dumps(body)

    def detail(self, conn: Any, reader: dict[str, Any], wid: str, if_none_match: str | None):
        if if_none_match is not None:
            found = conn.execute(VERSION_SQL, [wid]).fetchone()
            if found is None:
                return 404, [("Content-Type", "application/problem+json")], b'{"status":404}'
            tags = (
                None
                if if_none_match.strip() == "*"
                else {
                    part.strip().removeprefix("W/").strip('"') for part in if_none_match.split(",")
                }
            )
            if tags is None or str(found[0]) in tags:
                return 304, [("ETag", f'"{found[0]}"')], b""
        sql = ONE_SQL.format(**self.schema(conn))
        row = conn.execute(sql, {**PARAMS, "id": wid}).fetchone()
        if row is None:
            return 404, [("Content-Type", "application/problem+json")], b'{"status":404}'
        body = self.warrant(row, reader)
        return (
            200,
            [("Content-Type", "application/json"), ("ETag", f'"{body["version"]}"')],
            (orjson.dumps(body)),
        )


_lock = threading.Lock()
_floor: Floor | None = None
REASONS = {
    200: "OK",
    304: "Not Modified",
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
}


def _app_floor() -> Floor:
    """One pool per worker process, made after gunicorn forks."""
    global _floor
    with _lock:
        if _floor is None:
            from psycopg_pool import ConnectionPool

            pool = ConnectionPool(
                os.environ["DATABASE_URL"],
                min_size=1,
                max_size=int(os.environ.get("FLOOR_POOL", 4)),
                kwargs={"options": "-c timezone=UTC"},
                open=True,
            )
            _floor = Floor(pool.connection)
        return _floor


def app(environ: dict[str, Any], start_response: Any) -> list[bytes]:
    headers = {
        key[5:].replace("_", "-").lower(): value
        for key, value in environ.items()
        if key.startswith("HTTP_")
    }
    status, response_headers, body = _app_floor().handle(
        environ["REQUEST_METHOD"],
        environ.get("PATH_INFO", ""),
        environ.get("QUERY_STRING", ""),
        headers,
        environ.get("HTTP_HOST", "localhost"),
    )
    response_headers.append(("Content-Length", str(len(body))))
    start_response(f"{status} {REASONS.get(status, '')}", response_headers)
    return [body]


# ruff: noqa: E501  (SQL reads better on long lines)
