"""A case's chronology: everything about one case that its reader may see, in one read.

The one reader behind every dossier export (PDF, DOCX, FollowTheMoney) of the web and the
API. Every party in it went through `parties.selectors.redact` for the reader, nested ones
(the accused of a charge, a warrant's subject, counsel) included, so an export never holds
a protected identity its reader may not see; entries name records by those redacted names.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from cases.models import Case, Charge, Incident, Participation, Representation
from cases.selectors import (
    cases_visible_to,
    charges_visible_to,
    incidents_visible_to,
    participations_visible_to,
    representations_visible_to,
)
from core.models import Event
from core.selectors import events_visible_to
from parties.models import Party
from parties.selectors import can_see_protected, redact

from .models import Notice, Warrant
from .proceedings import Deadline, Proceeding
from .selectors import (
    deadlines_visible_to,
    notices_visible_to,
    proceedings_visible_to,
    warrants_visible_to,
)


def words(identifier: str) -> str:
    """A stable identifier (`under_review`) as words."""
    return identifier.replace("_", " ")


@dataclass
class Entry:
    """One line of the timeline: a recorded event, with what it is about."""

    date: datetime.date
    what: str
    """The record it is about, named as the reader may see it (e.g. "Warrant W-1 — X")."""
    change: str
    """e.g. "requested → issued", or "created"."""
    note: str
    event: Event
    sources: list[Any] = field(default_factory=list)


@dataclass
class PartyRow:
    party: Party
    roles: list[Participation]
    hidden: bool
    """Its identity is hidden from the reader (a protected party shown by its pseudonym)."""


@dataclass
class Chronology:
    case: Case
    reader: Any
    generated_at: datetime.datetime
    entries: list[Entry]
    incidents: list[Incident]
    parties: list[PartyRow]
    representations: list[Representation]
    charges: list[Charge]
    warrants: list[Warrant]
    notices: list[Notice]
    proceedings: list[Proceeding] = field(default_factory=list)
    """Hearings, decisions, appeals and judgments, by date."""
    deadlines: list[Deadline] = field(default_factory=list)
    sources: list[Any] = field(default_factory=list)
    """Sources cited or attached, with what they back: (source, [labels]), filled by a
    layer that knows who may read which source (alerts.dossier)."""
    records: dict[Any, Any] = field(default_factory=dict)
    """Every record of the case the reader may see, by id (labels for sources)."""

    @property
    def title(self) -> str:
        return f"{self.case.reference} — {self.case.title}"


def label(record: Any, user) -> str:
    """A short label for a record of the case, its parties redacted for `user`."""
    kind = getattr(record, "RESOURCE", "") or record._meta.model_name
    if isinstance(record, Participation):
        return f"{redact(record.party, user).name} ({words(record.role)})"
    if isinstance(record, Representation):
        return f"{redact(record.counsel, user).name} → {redact(record.client.party, user).name}"
    if isinstance(record, Charge):
        return f"{record.label} — {redact(record.accused.party, user).name}"
    if isinstance(record, Warrant):
        return (
            f"{words(record.kind).capitalize()} warrant {record.reference or str(record.pk)[:8]}"
            f" — {redact(record.subject, user).name}"
        )
    if isinstance(record, Notice):
        return (
            f"{words(record.kind).capitalize()} notice {record.interpol_id or str(record.pk)[:8]}"
            f" — {redact(record.subject, user).name}"
        )
    if isinstance(record, Party):
        return redact(record, user).name
    if isinstance(record, Proceeding):
        return f"{words(record.kind).capitalize()}, {record.court}"
    if isinstance(record, Deadline):
        return f"Deadline: {record.title}"
    return f"{words(kind)}: {record}" if kind != "case" else f"Case {record}"


def _change(event: Event) -> str:
    if event.from_status and event.to_status:
        return f"{words(event.from_status)} → {words(event.to_status)}"
    if event.to_status:
        return words(event.to_status)
    return words(event.type.split(".", 1)[-1])


def case_chronology(user, case_id) -> Chronology:
    """The chronology of case `case_id` as `user` may read it.

    Raises Case.DoesNotExist when `user` may not read the case (an invisible case and a
    missing one look alike). Read-only; a bounded number of queries, whatever the size.
    """
    case = cases_visible_to(user).get(pk=case_id)
    participations = list(
        participations_visible_to(user).filter(case=case).order_by("role", "created_at")
    )
    representations = list(
        representations_visible_to(user).filter(client__case=case).order_by("created_at")
    )
    charges = list(charges_visible_to(user).filter(case=case).order_by("created_at"))
    warrants = list(
        warrants_visible_to(user).filter(case=case).order_by("requested_on", "issued_on", "pk")
    )
    notices = list(
        notices_visible_to(user).filter(warrant__case=case).order_by("requested_on", "pk")
    )
    incidents = list(incidents_visible_to(user).filter(case=case).order_by("started_on"))
    proceedings = list(
        proceedings_visible_to(user).filter(case=case).order_by("date", "time", "pk")
    )
    deadlines = list(deadlines_visible_to(user).filter(case=case).order_by("due_on", "pk"))

    # One redacted party per id, however many records refer to it.
    seen: dict[Any, Party] = {}

    def shown(party: Party) -> Party:
        return seen.setdefault(party.pk, redact(party, user))

    for p in participations:
        p.party = shown(p.party)
    for r in representations:
        r.counsel, r.client.party = shown(r.counsel), shown(r.client.party)
    for c in charges:
        c.accused.party = shown(c.accused.party)
    for w in warrants:
        w.subject = shown(w.subject)
    for n in notices:
        n.subject = shown(n.subject)
    for proceeding in proceedings:
        for w in proceeding.warrants.all():
            w.subject = shown(w.subject)
    for d in deadlines:
        for target in (d.warrant, d.notice):
            if target is not None:
                target.subject = shown(target.subject)

    rows: dict[Any, PartyRow] = {}
    hide = not can_see_protected(user)
    for p in participations:
        row = rows.setdefault(p.party.pk, PartyRow(p.party, [], hide and p.party.protected))
        row.roles.append(p)

    records: dict[Any, Any] = {case.pk: case}
    records.update((pk, row.party) for pk, row in rows.items())
    groups: tuple[list[Any], ...] = (
        participations,
        representations,
        charges,
        warrants,
        notices,
        incidents,
        proceedings,
        deadlines,
    )
    for group in groups:
        records.update((r.pk, r) for r in group)
    events = events_visible_to(user).filter(case=case).order_by("effective_date", "seq")
    entries = [
        Entry(
            date=e.effective_date,
            what=label(records[e.subject_id], user)
            if e.subject_id in records
            else words(e.resource),
            change=_change(e),
            note=e.note,
            event=e,
        )
        for e in events
    ]
    return Chronology(
        case=case,
        reader=user,
        generated_at=timezone.now(),
        entries=entries,
        incidents=incidents,
        parties=sorted(rows.values(), key=lambda r: (r.party.name.casefold(), str(r.party.pk))),
        representations=representations,
        charges=charges,
        warrants=warrants,
        notices=notices,
        proceedings=proceedings,
        deadlines=deadlines,
        records=records,
    )
