"""Who changed what and when, read from the audit trail (django-pghistory), as readable diffs.

Every audited record has `audit_trail`: one row per insert or update holding
the whole record as it was, and a context naming the actor. Consecutive rows
diffed give the history page; the last approved row diffed with the record
gives the review queue's "changed since approval".
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from parties.models import Party
from parties.selectors import can_see_protected

BOOKKEEPING = {"id", "version", "created_at", "updated_at", "reviewed_at"}


@dataclass
class Change:
    field: str
    before: Any
    after: Any


@dataclass
class Entry:
    at: datetime.datetime
    actor: str
    channel: str
    label: str
    version: int | None
    changes: list[Change] = field(default_factory=list)


def _tracked_fields(row, record) -> list[str]:
    omitted = BOOKKEEPING | set(getattr(record, "HISTORY_OMITS", ()))
    return [
        f.attname
        for f in row._meta.concrete_fields
        if not f.name.startswith("pgh_") and f.attname not in omitted
    ]


def _actor(row) -> tuple[str, str]:
    metadata = row.pgh_context.metadata if row.pgh_context_id else {}
    return str(metadata.get("actor", "") or metadata.get("user", "") or ""), str(
        metadata.get("channel", "")
    )


def _hides_identity(record, user) -> bool:
    return bool(getattr(record, "protected", False)) and not can_see_protected(user)


def _shown(name: str, value: Any, hide: bool) -> Any:
    if hide and name in Party.IDENTITY_FIELDS:
        return "•••"
    if value in (None, "", []):
        return "—"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return value


def history(record, user) -> list[Entry]:
    """The record's audit trail, newest first, each entry with the fields it changed.

    A protected party's identity fields show as "•••" to readers who may not see them.
    """
    rows = list(record.audit_trail.select_related("pgh_context").order_by("pgh_id"))
    hide = _hides_identity(record, user)
    entries: list[Entry] = []
    previous = None
    for row in rows:
        names = _tracked_fields(row, record)
        changes = [
            Change(
                name.removesuffix("_id"),
                _shown(name, getattr(previous, name) if previous else None, hide),
                _shown(name, getattr(row, name), hide),
            )
            for name in names
            if previous is None or getattr(previous, name) != getattr(row, name)
        ]
        if previous is not None and not changes:
            previous = row
            continue
        actor, channel = _actor(row)
        entries.append(
            Entry(
                row.pgh_created_at,
                actor,
                channel,
                row.pgh_label,
                getattr(row, "version", None),
                changes,
            )
        )
        previous = row
    entries.reverse()
    return entries


def last_change(record) -> tuple[str, datetime.datetime | None]:
    """Who last changed `record` and when (for the optimistic-lock conflict message)."""
    row = record.audit_trail.select_related("pgh_context").order_by("-pgh_id").first()
    if row is None:
        return "", None
    return _actor(row)[0], row.pgh_created_at


def changed_since_approval(record, user) -> list[Change] | None:
    """Fields that differ from the record as it was when last approved; None if never approved.

    Identity fields of a protected party show as "•••" to readers who may not see them."""
    approved = (
        record.audit_trail.filter(review="approved").order_by("-pgh_id").first()
        if hasattr(record, "review")
        else None
    )
    if approved is None:
        return None
    review_fields = {"review", "reviewed_by_id", "review_comment"}
    hide = _hides_identity(record, user)
    changes = []
    for name in _tracked_fields(approved, record):
        before, now = getattr(approved, name), getattr(record, name, None)
        if name not in review_fields and before != now:
            changes.append(
                Change(
                    name.removesuffix("_id"), _shown(name, before, hide), _shown(name, now, hide)
                )
            )
    return changes
