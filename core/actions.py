"""The generic writers every domain action is built from.

Each runs in one transaction, locks the row it changes, bumps `version`,
writes its audit rows under the actor's context and, for creations and
transitions, appends exactly one Event. Nothing here does network I/O: side
effects come later, from the Events (the outbox).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django_countries.fields import CountryField

from core.events import Actor, event_record, parse_effective_date
from core.models import Event, Record
from core.workflow import Transition

R = TypeVar("R", bound=Record)
AfterMove = Callable[[Any, Transition, datetime.date, Actor], None]


class VersionConflict(Exception):
    """The record changed since the caller read it (optimistic locking)."""

    def __init__(self, record: Record, expected: int):
        self.record, self.expected = record, expected
        super().__init__(
            f"This {record._meta.verbose_name} was changed (now version {record.version}, "
            f"you had version {expected}); reload and try again."
        )


def _explain(record: Any, name: str, error: ValidationError) -> ValidationError:
    """Say what is allowed when a value is not one of a field's choices."""
    if error.code != "invalid_choice" or name == "__all__":
        return error
    value = (error.params or {}).get("value")
    field = record._meta.get_field(name)
    if isinstance(field, CountryField):
        allowed = "an ISO 3166-1 alpha-2 country code, e.g. FR, SY"
    else:
        allowed = "one of " + ", ".join(str(key) for key, _ in field.flatchoices)
    return ValidationError(f"'{value}' is not allowed: use {allowed}.", code="invalid_choice")


def full_clean(record: Any) -> None:
    """`Model.full_clean()`, with invalid-choice messages that list what is allowed."""
    try:
        record.full_clean()
    except ValidationError as error:
        if not hasattr(error, "error_dict"):
            raise
        raise ValidationError(
            {
                name: [_explain(record, name, e) for e in errors]
                for name, errors in error.error_dict.items()
            }
        ) from None


def creation_date(record: Any) -> datetime.date:
    """The legal date of a creation: the record's first set `LEGAL_DATES` field, else today."""
    dates = (getattr(record, name) for name in getattr(record, "LEGAL_DATES", ()))
    return next((day for day in dates if day), None) or timezone.localdate()


def require_perm(actor: Actor, perm: str) -> None:
    if perm and not actor.has_perm(perm):
        raise PermissionDenied(f"{actor.name} lacks the permission {perm}.")


def lock(queryset: models.QuerySet[R], pk: Any, expected_version: int | None) -> R:
    # of=("self",): lock only this row, even if the queryset joins others.
    record = queryset.select_for_update(of=("self",)).get(pk=pk)
    if expected_version is not None and record.version != expected_version:
        raise VersionConflict(record, expected_version)
    return record


def record_create(
    *,
    model: type[R],
    actor: Actor,
    perm: str,
    fields: dict[str, Any],
    m2m: dict[str, Iterable[Any]] | None = None,
    status: str = "",
    effective_date: datetime.date | str | None = None,
) -> R:
    """Validate and insert a record, then append its `<resource>.created` Event, dated
    `effective_date` when given (a record of the past: a party admitted when the complaint
    was filed), else by creation_date."""
    require_perm(actor, perm)
    day = parse_effective_date(effective_date) if effective_date not in (None, "") else None
    record: Any = model(**fields)
    workflow = getattr(record, "workflow", None)
    if "status" in fields:
        # Refused rather than silently replaced by the initial status.
        start = f"'{status or workflow.initial}'" if workflow else "its initial status"
        raise ValidationError(
            {"status": f"A new record starts as {start}; then use its transitions."}
        )
    if workflow is not None:
        record.status = status or workflow.initial
    full_clean(record)
    with transaction.atomic(), actor.audit_context():
        record.save(force_insert=True)
        for name, values in (m2m or {}).items():
            getattr(record, name).set(values)
        if hasattr(record, "RESOURCE"):
            event_record(
                record=record,
                type=f"{record.RESOURCE}.created",
                actor=actor,
                effective_date=day or creation_date(record),
            )
    return record


@transaction.atomic
def record_update(
    *,
    queryset: models.QuerySet[R],
    pk: Any,
    actor: Actor,
    perm: str,
    changes: dict[str, Any],
    expected_version: int | None = None,
) -> R:
    """Change editable fields (never `status`), validate, bump `version`.

    Editing an approved party or charge sets its review back to unreviewed.
    Field edits are audited but are not Events.
    """
    require_perm(actor, perm)
    record: Any = lock(queryset, pk, expected_version)
    editable = {f.name for f in record._meta.concrete_fields if f.editable and not f.primary_key}
    refused = sorted(set(changes) - editable)
    if refused:
        errors = {name: "This field cannot be changed here." for name in refused}
        if "status" in errors and hasattr(record, "workflow"):
            allowed = ", ".join(t.name for t in record.workflow.allowed_from(record.status))
            errors["status"] = (
                f"status changes only through a transition; allowed now: {allowed or 'none'}."
            )
        raise ValidationError(errors)
    changed = [name for name, value in changes.items() if getattr(record, name) != value]
    for name in changed:
        setattr(record, name, changes[name])
    if not changed:
        return record
    full_clean(record)
    if getattr(record, "review", "") == "approved":
        record.review = "unreviewed"
        changed.append("review")
    record.version += 1
    with actor.audit_context():
        record.save(update_fields=[*changed, "version", "updated_at"])
    return record


def record_transition(
    *,
    queryset: models.QuerySet[R],
    pk: Any,
    transition: str,
    actor: Actor,
    effective_date: datetime.date | str | None = None,
    note: str = "",
    expected_version: int | None = None,
    after: AfterMove | None = None,
    changes: dict[str, Any] | None = None,
) -> tuple[R, Event]:
    """Move a record through its workflow and append one Event, atomically.

    `changes` are fields stored with the move (e.g. a decision's outcome), validated with
    the record and saved in the same write, so the Event's snapshot shows them.

    Raises InvalidTransition (not allowed from the current status),
    ValidationError (missing note or date, a failed guard), PermissionDenied,
    VersionConflict, or DoesNotExist. On any error nothing is stored.
    """
    with transaction.atomic():
        record: Any = lock(queryset, pk, expected_version)
        workflow = record.workflow
        require_perm(actor, workflow.permission)
        move = workflow.move(record.status, transition)
        move.check_inputs(note=note, effective_date_given=effective_date not in (None, ""))
        day = parse_effective_date(effective_date)
        move.check_guards(record)
        from_status, record.status = record.status, move.target
        record.version += 1
        fields = ["status", "version", "updated_at"]
        if move.sets_date:
            setattr(record, move.sets_date, day)
            fields.append(move.sets_date)
        if changes:
            for name, value in changes.items():
                setattr(record, name, value)
            others = [f.name for f in record._meta.fields if f.name not in changes]
            record.clean_fields(exclude=others)
            fields += list(changes)
        with actor.audit_context():
            record.save(update_fields=fields)
            if after is not None:
                after(record, move, day, actor)
            event = event_record(
                record=record,
                type=f"{workflow.resource}.{move.target}",
                actor=actor,
                effective_date=day,
                transition=move,
                from_status=from_status,
                note=note,
            )
    return record, event
