"""Writers of cases, incidents, participations, representations and charges."""

import datetime
from typing import Any
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db import transaction

from core.actions import record_create, record_transition, record_update, require_perm
from core.events import Actor
from core.models import Event
from core.review import review_record

from .models import Case, CaseMember, Charge, Incident, Participation, Representation, TeamRole

Date = datetime.date | str | None


@transaction.atomic
def case_create(*, actor: Actor, **fields: Any) -> Case:
    """Create a case as `complaint_filed`; appends `case.created`. The creating user (not a
    system process or a key without an owner) joins its team, and so follows it."""
    case = record_create(model=Case, actor=actor, perm="cases.add_case", fields=fields)
    if actor.user is not None:
        CaseMember.objects.create(case=case, user=actor.user, role=TeamRole.CREATOR)
    return case


@transaction.atomic
def case_member_add(*, actor: Actor, case: Case, user, role: str) -> CaseMember:
    """Put `user` on `case`'s team as a lawyer assigned or a user of its counsel (idempotent:
    a member keeps their role and their choice to follow). Needs cases.change_case."""
    require_perm(actor, "cases.change_case")
    if role not in (TeamRole.LAWYER, TeamRole.COUNSEL):
        raise ValidationError({"role": "Use lawyer or counsel."})
    member, _ = CaseMember.objects.get_or_create(case=case, user=user, defaults={"role": role})
    return member


def case_member_follow(*, user, case: Case, follows: bool) -> bool:
    """A team member follows their case again or stops; False if `user` is not a member."""
    return bool(CaseMember.objects.filter(case=case, user=user).update(follows=follows))


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


def participation_create(
    *, actor: Actor, effective_date: Date = None, **fields: Any
) -> Participation:
    """Add a party to a case in a role; starts in that role's initial status. The creation
    Event is dated `effective_date` when given (e.g. named in the complaint), else today."""
    return record_create(
        model=Participation,
        actor=actor,
        perm="cases.add_participation",
        fields=fields,
        effective_date=effective_date,
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


def representation_create(
    *, actor: Actor, effective_date: Date = None, **fields: Any
) -> Representation:
    """Counsel acts for a participant (`engaged`); dated `effective_date` when given."""
    return record_create(
        model=Representation,
        actor=actor,
        perm="cases.add_representation",
        fields=fields,
        effective_date=effective_date,
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


def charge_create(*, actor: Actor, effective_date: Date = None, **fields: Any) -> Charge:
    """Record an accusation (`alleged`), dated `effective_date` when given (the complaint
    that made it), else today."""
    return record_create(
        model=Charge,
        actor=actor,
        perm="cases.add_charge",
        fields=fields,
        effective_date=effective_date,
    )


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
