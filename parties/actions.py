"""Writers of parties and their positions.

A protected identity (domain.md §1) is guarded here, whatever the interface: `protected`
changes only through `party_set_protection` (with a note, recorded as an Event that the
alert rules flag), and whoever may not see a protected identity may not overwrite it
(names, aliases, birth date, positions) either.
"""

from typing import Any
from uuid import UUID

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from core.actions import lock, record_create, record_update, require_perm
from core.events import Actor, event_record, parse_effective_date
from core.review import review_record
from core.workflow import Transition

from .models import Party, PartyKind, Position

# Who may see a protected identity may also decide whether it is protected (lawyers, admins).
PROTECTION_PERM = "parties.view_protected_identity"
# Not a workflow (a party has no status), but recorded like a transition: named, with a note.
PROTECT = Transition(
    name="protect",
    sources=(),
    target="",
    label="say why the identity needs protection",
    requires=("note",),
)
UNPROTECT = Transition(
    name="unprotect",
    sources=(),
    target="",
    label="say why every reader may now see the name",
    requires=("note",),
)


class ProtectionNotEditable(ValidationError):
    """`protected` was given a new value through a generic edit: it has its own action."""

    def __init__(self) -> None:
        super().__init__(
            {
                "protected": "Protection is not changed by an edit: protect or unprotect the "
                "party on its own, with a note (it is recorded and flagged)."
            }
        )


class ProtectionUnchanged(ValidationError):
    """Protecting a protected party, or unprotecting an unprotected one."""

    def __init__(self, party: Party) -> None:
        state = "already protected" if party.protected else "not protected"
        super().__init__({"protected": f"This party is {state}."})


def _may_see_identity(actor: Actor) -> bool:
    return actor.has_perm(PROTECTION_PERM)


def _refuse_identity_edit(actor: Actor, party: Party, fields: list[str]) -> None:
    """Whoever may not see a protected identity may not overwrite it.

    Refused on the presence of a field, not on its value: comparing with the stored value
    would let a caller confirm a guess of the real name.
    """
    if fields and party.protected and not _may_see_identity(actor):
        raise PermissionDenied(
            f"{actor.name} may not see this party's protected identity, so may not change "
            f"it ({', '.join(fields)})."
        )


def party_create(
    *, actor: Actor, positions: list[dict[str, Any]] | None = None, **fields: Any
) -> Party:
    """Create a party (and its positions); appends `party.created`.

    A party may be created protected (with a pseudonym) by whoever may create parties:
    they are the ones entering the identity.
    """
    with transaction.atomic():
        party = record_create(model=Party, actor=actor, perm="parties.add_party", fields=fields)
        for position in positions or []:
            _position_insert(actor=actor, party=party, fields=position)
    return party


@transaction.atomic
def party_update(
    *, party_id: UUID, actor: Actor, expected_version: int | None = None, **changes: Any
) -> Party:
    """Edit a party's fields; an approved party goes back to unreviewed.

    Refuses (nothing stored) a new value of `protected` (ProtectionNotEditable, or
    PermissionDenied for whoever may not see protected identities: use
    `party_set_protection`), and any identity field of a protected party from whoever
    may not see it (PermissionDenied).
    """
    require_perm(actor, "parties.change_party")
    # Locked before the checks: they read `protected`, which must not change meanwhile.
    party = lock(Party.objects.all(), party_id, expected_version)
    if "protected" in changes and changes["protected"] != party.protected:
        if not _may_see_identity(actor):
            raise PermissionDenied(
                f"{actor.name} may not protect or unprotect a party: only those who may see "
                "protected identities may, through its own step, with a note."
            )
        raise ProtectionNotEditable()
    _refuse_identity_edit(actor, party, [f for f in Party.IDENTITY_FIELDS if f in changes])
    return record_update(
        queryset=Party.objects.all(),
        pk=party_id,
        actor=actor,
        perm="parties.change_party",
        changes={k: v for k, v in changes.items() if k != "protected"},
        expected_version=expected_version,
    )


@transaction.atomic
def party_set_protection(
    *,
    party_id: UUID,
    protected: bool,
    actor: Actor,
    note: str,
    pseudonym: str = "",
    expected_version: int | None = None,
) -> Party:
    """Protect a party's identity (`party.protected`) or lift its protection
    (`party.unprotected`): one Event with the note, which the alert rules flag.

    Only for those who may see protected identities (PermissionDenied). Needs a note
    (ValidationError). Protecting needs a pseudonym: `pseudonym`, else the one the party
    already has; lifting takes none (the pseudonym is kept, for the record). Protecting a
    protected party, or the reverse, is ProtectionUnchanged. VersionConflict if
    `expected_version` is stale. On any error nothing is stored.
    """
    require_perm(actor, PROTECTION_PERM)
    move = PROTECT if protected else UNPROTECT
    move.check_inputs(note=note, effective_date_given=False)
    party = lock(Party.objects.all(), party_id, expected_version)
    if party.protected == protected:
        raise ProtectionUnchanged(party)
    pseudonym = pseudonym.strip()
    if protected:
        party.pseudonym = pseudonym or party.pseudonym
        if not party.pseudonym:
            raise ValidationError({"pseudonym": "A protected party needs a pseudonym."})
    elif pseudonym:
        raise ValidationError({"pseudonym": "A pseudonym is given only when protecting."})
    party.protected = protected
    party.version += 1
    with actor.audit_context():
        party.save(update_fields=["protected", "pseudonym", "version", "updated_at"])
        event_record(
            record=party,
            type="party.protected" if protected else "party.unprotected",
            actor=actor,
            effective_date=parse_effective_date(None),
            transition=move,
            note=note.strip(),
        )
    return party


def _position_insert(*, actor: Actor, party: Party, fields: dict[str, Any]) -> Position:
    return record_create(
        model=Position, actor=actor, perm="parties.add_party", fields={"party": party, **fields}
    )


@transaction.atomic
def position_create(*, actor: Actor, party: Party, **fields: Any) -> Position:
    """Add a position to an existing party; a protected party's only by whoever may see it."""
    # Re-read under lock: `party` may be an in-memory (even redacted) copy.
    locked = lock(Party.objects.all(), party.pk, None)
    _refuse_identity_edit(actor, locked, ["positions"])
    return _position_insert(actor=actor, party=locked, fields=fields)


def position_update(
    *,
    position_id: UUID,
    actor: Actor,
    party_id: UUID | None = None,
    expected_version: int | None = None,
    **changes: Any,
) -> Position:
    """Edit a position (of `party_id` when given: a form cannot reach another party's);
    a protected party's only by whoever may see its identity (PermissionDenied)."""
    positions = Position.objects.all()
    if party_id is not None:
        positions = positions.filter(party_id=party_id)
    with transaction.atomic():
        # The party first (as party_update_with_positions does): its `protected` decides.
        owner_id = positions.values_list("party_id", flat=True).get(pk=position_id)
        _refuse_identity_edit(actor, lock(Party.objects.all(), owner_id, None), ["positions"])
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
