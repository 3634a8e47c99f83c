"""Writers of warrants and notices."""

import datetime
from typing import Any
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from core.actions import record_create, record_transition, record_update, require_perm
from core.events import Actor, event_record
from core.models import Event
from core.workflow import Transition
from parties.actions import party_set_custody
from parties.models import Custody

from .models import Notice, PublicListing, Warrant
from .proceedings import CalendarToken, Deadline, Proceeding, token_digest

Date = datetime.date | str | None


def warrant_create(*, actor: Actor, charges: list | None = None, **fields: Any) -> Warrant:
    """Create a warrant: `issued` when `issued_on` is given, else `requested`."""
    issued_on = fields.pop("issued_on", None)
    warrant = Warrant(**fields, issued_on=issued_on)
    if issued_on:
        try:
            warrant.issued_on = Warrant._meta.get_field("issued_on").clean(issued_on, warrant)
        except ValidationError as error:
            raise ValidationError({"issued_on": error.messages}) from None
    return record_create(
        model=Warrant,
        actor=actor,
        perm="warrants.add_warrant",
        fields={**fields, "issued_on": warrant.issued_on},
        m2m={"charges": charges or []},
        status="issued" if issued_on else "",
    )


def warrant_update(
    *, warrant_id: UUID, actor: Actor, expected_version: int | None = None, **changes: Any
) -> Warrant:
    return record_update(
        queryset=Warrant.objects.all(),
        pk=warrant_id,
        actor=actor,
        perm="warrants.change_warrant",
        changes=changes,
        expected_version=expected_version,
    )


def _detain_subject(warrant: Warrant, move: Transition, day: datetime.date, actor: Actor) -> None:
    if move.name == "execute":
        party_set_custody(party_id=warrant.subject_id, custody=Custody.DETAINED, actor=actor)


def warrant_transition(
    *,
    warrant_id: UUID,
    transition: str,
    actor: Actor,
    effective_date: Date = None,
    note: str = "",
    expected_version: int | None = None,
) -> tuple[Warrant, Event]:
    """Move a warrant through its workflow; executing it marks the subject detained."""
    return record_transition(
        queryset=Warrant.objects.select_related("subject"),
        pk=warrant_id,
        transition=transition,
        actor=actor,
        effective_date=effective_date,
        note=note,
        expected_version=expected_version,
        after=_detain_subject,
    )


def notice_create(*, actor: Actor, **fields: Any) -> Notice:
    """Create a notice as `requested`. A red notice needs an issued warrant on its subject."""
    if fields.get("warrant") is not None and fields.get("subject") is None:
        fields["subject"] = fields["warrant"].subject
    return record_create(model=Notice, actor=actor, perm="warrants.add_notice", fields=fields)


def notice_update(
    *, notice_id: UUID, actor: Actor, expected_version: int | None = None, **changes: Any
) -> Notice:
    return record_update(
        queryset=Notice.objects.all(),
        pk=notice_id,
        actor=actor,
        perm="warrants.change_notice",
        changes=changes,
        expected_version=expected_version,
    )


@transaction.atomic
def notice_transition(
    *,
    notice_id: UUID,
    transition: str,
    actor: Actor,
    effective_date: Date = None,
    note: str = "",
    expected_version: int | None = None,
) -> tuple[Notice, Event]:
    """Move a notice through its workflow; publishing a red notice needs its warrant issued."""
    # Lock the warrant first (same order as warrant transitions take it) so it
    # cannot be annulled between the guard's check and our commit.
    warrant_id = Notice.objects.filter(pk=notice_id).values_list("warrant_id", flat=True).first()
    if warrant_id:
        Warrant.objects.select_for_update().filter(pk=warrant_id).first()
    return record_transition(
        queryset=Notice.objects.select_related("warrant"),
        pk=notice_id,
        transition=transition,
        actor=actor,
        effective_date=effective_date,
        note=note,
        expected_version=expected_version,
    )


LISTING_EVENTS: dict[str, str] = {
    PublicListing.LISTED: "notice.listed",
    PublicListing.NOT_LISTED: "notice.delisted",
}


@transaction.atomic
def notice_observe_listing(*, notice_id: UUID, listing: str, actor: Actor) -> Event | None:
    """Record what INTERPOL's public site shows; appends notice.listed/delisted on a change.

    Leaving the public list is a signal, never proof of cancellation: status is untouched.
    """
    require_perm(actor, "warrants.change_notice")
    if listing not in LISTING_EVENTS:
        raise ValidationError({"public_listing": "Use 'listed' or 'not_listed'."})
    notice = Notice.objects.select_for_update().get(pk=notice_id)
    if notice.public_listing == listing:
        return None
    notice.public_listing = listing
    notice.version += 1
    with actor.audit_context():
        notice.save(update_fields=["public_listing", "version", "updated_at"])
        return event_record(
            record=notice,
            type=LISTING_EVENTS[listing],
            actor=actor,
            effective_date=timezone.localdate(),
        )


# --- court proceedings, deadlines, calendar tokens (issue 13) ------------------------------


def _same_case(case: Any, records: list, name: str) -> None:
    strays = [r for r in records if r.case_id != getattr(case, "pk", case)]
    if strays:
        raise ValidationError({name: f"Every one of the {name} must belong to the same case."})


def proceeding_create(
    *,
    actor: Actor,
    warrants: list[Warrant] | None = None,
    charges: list | None = None,
    **fields: Any,
) -> Proceeding:
    """Record a court proceeding of a case; appends `proceeding.created`.

    Its kind sets its workflow and first status:
    - an appeal: `proceeding_create(actor=a, case=c, kind="appeal_lodged", court="Cour de
      cassation", date=<day lodged>, warrants=[<the warrant appealed against>])` starts as
      `lodged` (the warrant shows the appeal pending), then `proceeding_transition(...,
      transition="hear", effective_date=<hearing day>)` and `"decide"` (with `outcome`);
    - a hearing: `kind="hearing", date=<its day, may lie ahead>, time=<optional>,
      appeal=<the appeal it hears, optional>` starts as `scheduled`; then hold, postpone
      or cancel;
    - a decision or a judgment: `kind="decision"` (or "judgment"), `date=<day delivered>`,
      `outcome=...`, `appeal=<the appeal it decides, optional>` is recorded as `delivered`.
    `warrants` and `charges` must belong to the case.
    """
    case = fields.get("case")
    _same_case(case, list(warrants or []), "warrants")
    _same_case(case, list(charges or []), "charges")
    return record_create(
        model=Proceeding,
        actor=actor,
        perm="warrants.add_proceeding",
        fields=fields,
        m2m={"warrants": warrants or [], "charges": charges or []},
    )


@transaction.atomic
def proceeding_update(
    *,
    proceeding_id: UUID,
    actor: Actor,
    expected_version: int | None = None,
    warrants: list[Warrant] | None = None,
    charges: list | None = None,
    **changes: Any,
) -> Proceeding:
    """Edit a proceeding's fields (never its case, kind or status) and, when given, its linked
    warrants and charges (same case). One transaction; nothing stored on any error."""
    fixed = sorted({"case", "kind"} & set(changes))
    if fixed:
        raise ValidationError(
            {name: "Fixed once recorded: record a new proceeding instead." for name in fixed}
        )
    proceeding = record_update(
        queryset=Proceeding.objects.all(),
        pk=proceeding_id,
        actor=actor,
        perm="warrants.change_proceeding",
        changes=changes,
        expected_version=expected_version,
    )
    linked = {"warrants": warrants, "charges": charges}
    relinked = False
    for name, records in linked.items():
        if records is None:
            continue
        _same_case(proceeding.case_id, list(records), name)
        if {r.pk for r in records} != set(getattr(proceeding, name).values_list("pk", flat=True)):
            with actor.audit_context():
                getattr(proceeding, name).set(records)
            relinked = True
    if relinked:
        # Links are part of the record: a client's ETag must change with them.
        Proceeding.objects.filter(pk=proceeding.pk).update(version=F("version") + 1)
        proceeding.refresh_from_db(fields=["version", "updated_at"])
    return proceeding


def proceeding_transition(
    *,
    proceeding_id: UUID,
    transition: str,
    actor: Actor,
    effective_date: Date = None,
    note: str = "",
    outcome: str | None = None,
    expected_version: int | None = None,
) -> tuple[Proceeding, Event]:
    """Move a proceeding through its kind's workflow (hearing: hold, postpone, cancel; appeal:
    hear, decide, withdraw); `outcome`, when given, is stored with the move (e.g. with
    `decide`: "Warrant annulled: personal immunity of a sitting head of state")."""
    return record_transition(
        queryset=Proceeding.objects.all(),
        pk=proceeding_id,
        transition=transition,
        actor=actor,
        effective_date=effective_date,
        note=note,
        expected_version=expected_version,
        changes={"outcome": outcome} if outcome is not None else None,
    )


def deadline_create(*, actor: Actor, **fields: Any) -> Deadline:
    """Record a deadline of a case (`open`): an appeal period, a filing deadline, a notice's
    review date. Reminded `remind_days_before` days ahead (else the REMINDER_DAYS_BEFORE
    setting) by alerts.reminders; appends `deadline.created`."""
    return record_create(model=Deadline, actor=actor, perm="warrants.add_deadline", fields=fields)


def deadline_update(
    *, deadline_id: UUID, actor: Actor, expected_version: int | None = None, **changes: Any
) -> Deadline:
    """Edit a deadline (never its case or status); a new due day is reminded of again."""
    if "case" in changes:
        raise ValidationError({"case": "Fixed once recorded: record a new deadline instead."})
    return record_update(
        queryset=Deadline.objects.all(),
        pk=deadline_id,
        actor=actor,
        perm="warrants.change_deadline",
        changes=changes,
        expected_version=expected_version,
    )


def deadline_transition(
    *,
    deadline_id: UUID,
    transition: str,
    actor: Actor,
    effective_date: Date = None,
    note: str = "",
    expected_version: int | None = None,
) -> tuple[Deadline, Event]:
    """Close a deadline: meet, miss or cancel (no reminder once closed)."""
    return record_transition(
        queryset=Deadline.objects.all(),
        pk=deadline_id,
        transition=transition,
        actor=actor,
        effective_date=effective_date,
        note=note,
        expected_version=expected_version,
    )


@transaction.atomic
def calendar_token_rotate(*, user: Any) -> str:
    """Give `user` a new calendar feed token and return it (shown this once: only its hash is
    stored). The previous token, if any, stops working at once."""
    secret = CalendarToken.new_secret()
    CalendarToken.objects.update_or_create(user=user, defaults={"digest": token_digest(secret)})
    return secret


def calendar_token_revoke(*, user: Any) -> bool:
    """Switch `user`'s calendar feed off; True if there was one."""
    deleted, _ = CalendarToken.objects.filter(user=user).delete()
    return bool(deleted)
