"""Writers of cases, incidents, participations, representations and charges."""

import datetime
from typing import Any
from uuid import UUID

from core.actions import record_create, record_transition, record_update
from core.events import Actor
from core.models import Event
from core.review import review_record

from .models import Case, Charge, Incident, Participation, Representation

Date = datetime.date | str | None


def case_create(*, actor: Actor, **fields: Any) -> Case:
    """Create a case as `complaint_filed`; appends `case.created`."""
    return record_create(model=Case, actor=actor, perm="cases.add_case", fields=fields)


def case_update(
    *, case_id: UUID, actor: Actor, expected_version: int | None = None, **changes: Any
) -> Case:
    return record_update(
        queryset=Case.objects.all(),
        pk=case_id,
        actor=actor,
        perm="cases.change_case",
        changes=changes,
        expected_version=expected_version,
    )


def case_transition(
    *,
    case_id: UUID,
    transition: str,
    actor: Actor,
    effective_date: Date = None,
    note: str = "",
    expected_version: int | None = None,
) -> tuple[Case, Event]:
    return record_transition(
        queryset=Case.objects.all(),
        pk=case_id,
        transition=transition,
        actor=actor,
        effective_date=effective_date,
        note=note,
        expected_version=expected_version,
    )


def incident_create(*, actor: Actor, **fields: Any) -> Incident:
    return record_create(model=Incident, actor=actor, perm="cases.add_incident", fields=fields)


def participation_create(*, actor: Actor, **fields: Any) -> Participation:
    """Add a party to a case in a role; starts in that role's initial status."""
    return record_create(
        model=Participation, actor=actor, perm="cases.add_participation", fields=fields
    )


def participation_transition(
    *,
    participation_id: UUID,
    transition: str,
    actor: Actor,
    effective_date: Date = None,
    note: str = "",
    expected_version: int | None = None,
) -> tuple[Participation, Event]:
    return record_transition(
        queryset=Participation.objects.all(),
        pk=participation_id,
        transition=transition,
        actor=actor,
        effective_date=effective_date,
        note=note,
        expected_version=expected_version,
    )


def representation_create(*, actor: Actor, **fields: Any) -> Representation:
    return record_create(
        model=Representation, actor=actor, perm="cases.add_representation", fields=fields
    )


def representation_transition(
    *,
    representation_id: UUID,
    transition: str,
    actor: Actor,
    effective_date: Date = None,
    note: str = "",
    expected_version: int | None = None,
) -> tuple[Representation, Event]:
    return record_transition(
        queryset=Representation.objects.all(),
        pk=representation_id,
        transition=transition,
        actor=actor,
        effective_date=effective_date,
        note=note,
        expected_version=expected_version,
    )


def charge_create(*, actor: Actor, **fields: Any) -> Charge:
    return record_create(model=Charge, actor=actor, perm="cases.add_charge", fields=fields)


def charge_update(
    *, charge_id: UUID, actor: Actor, expected_version: int | None = None, **changes: Any
) -> Charge:
    """Edit a charge; an approved charge goes back to unreviewed."""
    return record_update(
        queryset=Charge.objects.all(),
        pk=charge_id,
        actor=actor,
        perm="cases.change_charge",
        changes=changes,
        expected_version=expected_version,
    )


def charge_transition(
    *,
    charge_id: UUID,
    transition: str,
    actor: Actor,
    effective_date: Date = None,
    note: str = "",
    expected_version: int | None = None,
) -> tuple[Charge, Event]:
    return record_transition(
        queryset=Charge.objects.all(),
        pk=charge_id,
        transition=transition,
        actor=actor,
        effective_date=effective_date,
        note=note,
        expected_version=expected_version,
    )


def charge_review(*, charge_id: UUID, actor: Actor, decision: str, comment: str = "") -> Charge:
    return review_record(
        queryset=Charge.objects.all(),
        pk=charge_id,
        actor=actor,
        perm="cases.review_charge",
        decision=decision,
        comment=comment,
    )


def incident_update(
    *, incident_id: UUID, actor: Actor, expected_version: int | None = None, **changes: Any
) -> Incident:
    return record_update(
        queryset=Incident.objects.all(),
        pk=incident_id,
        actor=actor,
        perm="cases.change_incident",
        changes=changes,
        expected_version=expected_version,
    )


def representation_update(
    *, representation_id: UUID, actor: Actor, expected_version: int | None = None, **changes: Any
) -> Representation:
    """Edit counsel's bar; who represents whom is fixed (create another representation)."""
    return record_update(
        queryset=Representation.objects.all(),
        pk=representation_id,
        actor=actor,
        perm="cases.change_representation",
        changes=changes,
        expected_version=expected_version,
    )
