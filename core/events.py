"""Recording Events, and who acts."""

from __future__ import annotations

import contextlib
import contextvars
import datetime
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pghistory
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django_countries.fields import Country

from core.audit import request_metadata
from core.dates import latest_legal_date
from core.feed import stamp_on_commit
from core.kicks import kick_event
from core.models import ActorKind, Event
from core.workflow import Transition


@dataclass(frozen=True)
class Actor:
    """Who makes a change: a user, an API key (acting as its owner) or the system."""

    kind: str
    name: str
    user: Any = None

    @classmethod
    def for_user(cls, user: Any) -> Actor:
        return cls(ActorKind.USER, user.get_username(), user)

    @classmethod
    def for_api_key(cls, key_name: str, owner: Any) -> Actor:
        return cls(ActorKind.API_KEY, key_name, owner)

    @classmethod
    def system(cls, name: str = "system") -> Actor:
        return cls(ActorKind.SYSTEM, name)

    def has_perm(self, perm: str) -> bool:
        if self.kind == ActorKind.SYSTEM:
            return True
        return bool(self.user and self.user.has_perm(perm))

    def audit_context(self) -> pghistory.context:
        """Tag every audit row written inside with this actor (and, during a read, with
        the request: core.audit)."""
        return pghistory.context(**request_metadata(), actor=self.name, actor_kind=self.kind)


def type_matches(pattern: str, event_type: str) -> bool:
    """Event type patterns (rules, webhooks, the feed's filter): `warrant.issued` exactly,
    `warrant.*` any type starting `warrant.`."""
    if pattern.endswith("*"):
        return event_type.startswith(pattern[:-1])
    return event_type == pattern


def types_q(patterns: list[str], field: str = "type") -> models.Q:
    """`type_matches` for a queryset: events whose type matches any of `patterns`."""
    condition = models.Q()
    for pattern in patterns:
        if pattern.endswith("*"):
            condition |= models.Q(**{f"{field}__startswith": pattern[:-1]})
        else:
            condition |= models.Q(**{field: pattern})
    return condition


class SnapshotEncoder(DjangoJSONEncoder):
    def default(self, o: Any) -> Any:
        if isinstance(o, Country):
            return o.code
        return super().default(o)


def snapshot(record: models.Model) -> dict[str, Any]:
    """The record's concrete fields as JSON-ready values (ids for relations)."""
    values = {f.attname: getattr(record, f.attname) for f in record._meta.concrete_fields}
    return json.loads(json.dumps(values, cls=SnapshotEncoder))


def parse_effective_date(value: datetime.date | str | None) -> datetime.date:
    """The legal date of a change: today by default, never in the future."""
    if value in (None, ""):
        return timezone.localdate()
    if isinstance(value, str):
        try:
            value = datetime.date.fromisoformat(value)
        except ValueError:
            raise ValidationError(
                {"effective_date": f"'{value}' is not a date; use YYYY-MM-DD."}
            ) from None
    assert isinstance(value, datetime.date)
    if value > latest_legal_date():
        raise ValidationError(
            {"effective_date": f"{value} is in the future; legal dates have happened."}
        )
    return value


# The source the events recorded inside `citing()` rest on. A context variable, so the
# interfaces (API, web) cite a source around any app's transition action without every
# action taking one more argument.
_cited_source: contextvars.ContextVar[Any] = contextvars.ContextVar("cited_source", default=None)


@contextlib.contextmanager
def citing(source_id: Any) -> Iterator[None]:
    """Events recorded inside rest on the source `source_id` (None: on none).

    The caller has checked that the actor may see it."""
    token = _cited_source.set(source_id)
    try:
        yield
    finally:
        _cited_source.reset(token)


def event_record(
    *,
    record: Any,
    type: str,
    actor: Actor,
    effective_date: datetime.date,
    transition: Transition | None = None,
    from_status: str = "",
    note: str = "",
) -> Event:
    """Append one Event for `record`. Call inside the transaction that changed it."""
    resource = record.RESOURCE
    event = Event.objects.create(
        type=type,
        effective_date=effective_date,
        actor_kind=actor.kind,
        actor_name=actor.name,
        actor_user=actor.user,
        resource=resource,
        subject_id=record.pk,
        case_id=record.case_id_for_event(),
        transition=transition.name if transition else "",
        from_status=from_status,
        to_status=getattr(record, "status", ""),
        note=note,
        data=snapshot(record),
        source_id=_cited_source.get(),
    )
    # Once committed: its feed position at once, in this process (core.feed), then the
    # low-latency hand-off to the pipeline; the relay and its sweep cover a lost one.
    stamp_on_commit()
    kick_event(event.seq)
    return event
