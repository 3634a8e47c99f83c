"""Writers of warrants and notices."""

import datetime
from typing import Any
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from core.actions import record_create, record_transition, record_update, require_perm
from core.events import Actor, event_record
from core.models import Event
from core.workflow import Transition
from parties.actions import party_set_custody
from parties.models import Custody

from .models import Notice, PublicListing, Warrant

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
