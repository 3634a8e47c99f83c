"""Writers of parties and their positions."""

from typing import Any
from uuid import UUID

from django.db import transaction

from core.actions import record_create, record_update
from core.events import Actor
from core.review import review_record

from .models import Party, PartyKind, Position


def party_create(
    *, actor: Actor, positions: list[dict[str, Any]] | None = None, **fields: Any
) -> Party:
    """Create a party (and its positions); appends `party.created`."""
    with transaction.atomic():
        party = record_create(model=Party, actor=actor, perm="parties.add_party", fields=fields)
        for position in positions or []:
            position_create(actor=actor, party=party, **position)
    return party


def party_update(
    *, party_id: UUID, actor: Actor, expected_version: int | None = None, **changes: Any
) -> Party:
    """Edit a party's fields; an approved party goes back to unreviewed."""
    return record_update(
        queryset=Party.objects.all(),
        pk=party_id,
        actor=actor,
        perm="parties.change_party",
        changes=changes,
        expected_version=expected_version,
    )


def position_create(*, actor: Actor, party: Party, **fields: Any) -> Position:
    return record_create(
        model=Position, actor=actor, perm="parties.add_party", fields={"party": party, **fields}
    )


def position_update(
    *,
    position_id: UUID,
    actor: Actor,
    party_id: UUID | None = None,
    expected_version: int | None = None,
    **changes: Any,
) -> Position:
    """Edit a position (of `party_id` when given: a form cannot reach another party's)."""
    positions = Position.objects.all()
    if party_id is not None:
        positions = positions.filter(party_id=party_id)
    return record_update(
        queryset=positions,
        pk=position_id,
        actor=actor,
        perm="parties.change_position",
        changes=changes,
        expected_version=expected_version,
    )


@transaction.atomic
def party_update_with_positions(
    *,
    party_id: UUID,
    actor: Actor,
    expected_version: int | None = None,
    positions: list[dict[str, Any]] | None = None,
    **changes: Any,
) -> Party:
    """Edit a party and its positions in one transaction (the web form saves them together).

    Each entry of `positions` with an `id` (and optionally its `expected_version`)
    edits that position; one without adds a position. Any error stores nothing.
    """
    party = party_update(
        party_id=party_id, actor=actor, expected_version=expected_version, **changes
    )
    for entry in positions or []:
        entry = dict(entry)
        position_id = entry.pop("id", None)
        if position_id is None:
            position_create(actor=actor, party=party, **entry)
        else:
            position_update(position_id=position_id, party_id=party_id, actor=actor, **entry)
    return party


def party_set_custody(*, party_id: UUID, custody: str, actor: Actor) -> Party:
    """Record a person's custody (e.g. detained when a warrant is executed)."""
    return record_update(
        queryset=Party.objects.filter(kind=PartyKind.PERSON),
        pk=party_id,
        actor=actor,
        perm="",
        changes={"custody": custody},
    )


def party_review(*, party_id: UUID, actor: Actor, decision: str, comment: str = "") -> Party:
    return review_record(
        queryset=Party.objects.all(),
        pk=party_id,
        actor=actor,
        perm="parties.review_party",
        decision=decision,
        comment=comment,
    )
