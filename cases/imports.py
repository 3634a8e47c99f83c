"""CSV imports of parties and cases: check everything first, then write all or nothing.

`check` reads the whole file and reports every problem, by line and field, writing nothing
(the dry run is `check` alone). `run` checks the same way, refuses if anything is wrong, and
otherwise creates the new rows through the ordinary actions (so each has its Event and its
audit row) in one transaction (core.bulk: linear however long the file).

Imports are idempotent by a natural key: a case by its `reference`; a protected party by
its kind and pseudonym; any other party by its kind, name and birth date. A row whose key
is already in the database (or earlier in the file) is skipped, never updated, so running
the same file twice adds nothing. Matching an unprotected row never reads a protected
party's real identity for an actor who may not see it: such a row is not found (and would
be created), so the answer tells nothing about who is protected.
"""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models

from core.bulk import bulk_load
from core.events import Actor
from parties.actions import party_create
from parties.models import Party

from .actions import case_create
from .models import Case

LIST_SEPARATOR = ";"
TRUE, FALSE = {"true", "yes", "1"}, {"false", "no", "0", ""}


class ImportRefused(Exception):
    """The file cannot be read at all (encoding, header): nothing was checked or written."""


@dataclass(frozen=True)
class Problem:
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        where = f"line {self.line}" + (f", {self.field}" if self.field else "")
        return f"{where}: {self.message}"


@dataclass
class Row:
    line: int
    key: tuple
    fields: dict[str, Any]
    existing: bool = False


@dataclass
class Plan:
    """What an import would do: rows to create, rows already there, and every problem."""

    kind: str
    rows: list[Row] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def to_create(self) -> list[Row]:
        return [r for r in self.rows if not r.existing]

    @property
    def skipped(self) -> int:
        return sum(r.existing for r in self.rows)


@dataclass(frozen=True)
class Kind:
    name: str
    model: type[models.Model]
    columns: tuple[str, ...]
    required: tuple[str, ...]
    lists: tuple[str, ...]
    booleans: tuple[str, ...]
    key: Callable[[dict[str, Any]], tuple]
    existing: Callable[[list[tuple], Actor], set[tuple]]
    create: Callable[..., Any]
    perm: str


def _party_key(fields: dict[str, Any]) -> tuple:
    # A protected party is known by its pseudonym (everyone who imports may see that one);
    # any other by its kind, name and birth date.
    if fields.get("protected"):
        return ("protected", fields.get("kind", ""), fields.get("pseudonym", "").lower())
    return (fields.get("kind", ""), fields.get("name", "").lower(), fields.get("birth_date", ""))


def _existing_parties(keys: list[tuple], actor: Actor) -> set[tuple]:
    found: set[tuple] = set()
    pseudonyms = {key[2] for key in keys if key[0] == "protected"}
    names = {key[1] for key in keys if key[0] != "protected"}
    protected = (
        Party.objects.filter(protected=True)
        .annotate(lower_pseudonym=models.functions.Lower("pseudonym"))
        .filter(lower_pseudonym__in=pseudonyms)
        .values_list("kind", "lower_pseudonym")
    )
    found.update(("protected", kind, pseudonym) for kind, pseudonym in protected)
    parties = Party.objects.all()
    if not actor.has_perm("parties.view_protected_identity"):
        # Never matched by its real name for who may not see it: the answer would tell.
        parties = parties.filter(protected=False)
    rows = (
        parties.annotate(lower_name=models.functions.Lower("name"))
        .filter(lower_name__in=names)
        .values_list("kind", "lower_name", "birth_date")
    )
    found.update(rows.iterator(chunk_size=2000))
    return found


def _existing_cases(keys: list[tuple], actor: Actor) -> set[tuple]:
    references = [ref for (ref,) in keys]
    return {
        (ref,)
        for ref in Case.objects.filter(reference__in=references).values_list("reference", flat=True)
    }


KINDS: dict[str, Kind] = {
    "parties": Kind(
        name="parties",
        model=Party,
        columns=(
            "kind",
            "name",
            "name_original",
            "aliases",
            "birth_date",
            "nationalities",
            "custody",
            "protected",
            "pseudonym",
        ),
        required=("kind", "name"),
        lists=("aliases", "nationalities"),
        booleans=("protected",),
        key=_party_key,
        existing=_existing_parties,
        create=party_create,
        perm="parties.add_party",
    ),
    "cases": Kind(
        name="cases",
        model=Case,
        columns=("reference", "title", "jurisdiction", "forum", "basis", "opened_on", "summary"),
        required=("reference", "title", "jurisdiction", "forum", "basis"),
        lists=(),
        booleans=(),
        key=lambda fields: (fields.get("reference", ""),),
        existing=_existing_cases,
        create=case_create,
        perm="cases.add_case",
    ),
}


def read_rows(data: bytes) -> tuple[list[str], Iterator[tuple[int, list[str]]]]:
    """The header and the (line number, cells) of a UTF-8 CSV file (a BOM is allowed)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise ImportRefused(
            f"The file is not UTF-8 text (line {line}: byte 0x{data[error.start]:02x}); "
            "save it as “CSV UTF-8”."
        ) from None
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise ImportRefused("The file is empty: it needs a header line.") from None
    except csv.Error as error:
        raise ImportRefused(f"line 1: {error}") from None

    def rows() -> Iterator[tuple[int, list[str]]]:
        try:
            for cells in reader:
                if any(c.strip() for c in cells):
                    yield reader.line_num, cells
        except csv.Error as error:
            raise ImportRefused(f"line {reader.line_num}: {error}") from None

    return [h.strip().lstrip("\ufeff") for h in header], rows()


def _parse(kind: Kind, name: str, raw: str) -> Any:
    value = raw.strip()
    if name in kind.lists:
        return [v.strip() for v in value.split(LIST_SEPARATOR) if v.strip()]
    if name in kind.booleans:
        if value.lower() not in TRUE | FALSE:
            raise ValidationError("Write true or false.")
        return value.lower() in TRUE
    field_ = kind.model._meta.get_field(name)
    if isinstance(field_, models.DateField) and value:
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            raise ValidationError(f"'{value}' is not a date: write YYYY-MM-DD.") from None
    if isinstance(field_, models.DateField):
        return None
    return value


def _validate(kind: Kind, fields: dict[str, Any]) -> dict[str, list[str]]:
    """Every field error of one row, as the model itself reports them (nothing is saved)."""
    record: Any = kind.model(**fields)
    try:
        # Uniqueness is the natural key's business (an existing row is skipped, not an error).
        record.full_clean(validate_unique=False)
    except ValidationError as error:
        return dict(error.message_dict)
    return {}


def check(kind_name: str, data: bytes, actor: Actor) -> Plan:
    """Read and check the whole file; write nothing. Raises ImportRefused if it cannot be
    read at all, KeyError for an unknown kind."""
    kind = KINDS[kind_name]
    plan = Plan(kind=kind.name)
    header, rows = read_rows(data)
    unknown = [h for h in header if h not in kind.columns]
    missing = [c for c in kind.required if c not in header]
    duplicated = sorted({h for h in header if header.count(h) > 1})
    for name in unknown:
        plan.problems.append(
            Problem(1, name, f"Unknown column; the columns are: {', '.join(kind.columns)}.")
        )
    for name in missing:
        plan.problems.append(Problem(1, name, "Required column missing."))
    for name in duplicated:
        plan.problems.append(Problem(1, name, "Column given twice."))
    if plan.problems:
        return plan
    if not actor.has_perm(kind.perm):
        raise PermissionDenied(f"{actor.name} may not add {kind.name} ({kind.perm}).")
    seen: dict[tuple, int] = {}
    for line, cells in rows:
        found = _check_row(kind, header, line, cells)
        plan.problems.extend(found.problems)
        if found.row is None:
            continue
        if found.row.key in seen:
            columns = ",".join(_key_columns(kind))
            plan.problems.append(Problem(line, columns, f"Same as line {seen[found.row.key]}."))
            continue
        seen[found.row.key] = line
        plan.rows.append(found.row)
    existing = kind.existing([r.key for r in plan.rows], actor)
    for row in plan.rows:
        row.existing = row.key in existing
    return plan


@dataclass
class _Checked:
    row: Row | None
    problems: list[Problem]


def _check_row(kind: Kind, header: list[str], line: int, cells: list[str]) -> _Checked:
    """One line's row, or every problem it has (each field's, not only the first)."""
    if len(cells) != len(header):
        return _Checked(
            None, [Problem(line, "", f"{len(cells)} cells where the header has {len(header)}.")]
        )
    problems: list[Problem] = []
    fields: dict[str, Any] = {}
    for name, raw in zip(header, cells, strict=True):
        try:
            fields[name] = _parse(kind, name, raw)
        except ValidationError as error:
            problems.extend(Problem(line, name, m) for m in error.messages)
    for name in kind.required:
        if fields.get(name, "") in ("", None) and name in header:
            problems.append(Problem(line, name, "Required."))
    reported = {p.field for p in problems}
    for name, messages in _validate(kind, fields).items():
        if name not in reported:
            problems.extend(Problem(line, "" if name == "__all__" else name, m) for m in messages)
    if problems:
        return _Checked(None, problems)
    return _Checked(Row(line=line, key=kind.key(fields), fields=fields), [])


def _key_columns(kind: Kind) -> tuple[str, ...]:
    return ("kind", "name or pseudonym", "birth_date") if kind.name == "parties" else ("reference",)


def run(
    kind_name: str,
    data: bytes,
    actor: Actor,
    progress: Callable[[int, int], None] | None = None,
) -> Plan:
    """Check the file, then (if nothing is wrong) create every new row through the actions,
    all in one transaction. Returns the plan; nothing is written when it has problems."""
    plan = check(kind_name, data, actor)
    if plan.problems:
        return plan
    kind = KINDS[kind_name]
    todo = plan.to_create
    with bulk_load():
        for n, row in enumerate(todo, 1):
            try:
                kind.create(actor=actor, **row.fields)
            except ValidationError as error:
                # Checked above; only a concurrent writer gets here. Nothing stays written.
                raise ImportRefused(f"line {row.line}: {'; '.join(error.messages)}") from None
            if progress is not None:
                progress(n, len(todo))
    return plan
