"""The records the web interface shows, by resource name: how to read, move and label each.

One table, so the transition view, the history page, the timeline and the
dashboard treat every record alike. Labels always go through `redact`, so a
protected party's real name never reaches a page its reader may not see.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Model, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from alerts.selectors import alerts_visible_to
from cases import actions as case_actions
from cases import selectors as case_selectors
from parties.models import Party, Position
from parties.selectors import can_see_protected, parties_visible_to, redact
from warrants import actions as warrant_actions
from warrants import selectors as warrant_selectors
from web import vocabulary


@dataclass(frozen=True)
class Resource:
    name: str
    visible: Callable[[Any], QuerySet]
    """Selector: the records of this kind `user` may read."""
    transition: Callable[..., Any] | None = None
    """Named action moving one record: called with id_kwarg=<id>, transition, actor, ..."""
    id_kwarg: str = ""


def _positions_visible_to(user) -> QuerySet[Position]:
    """Positions of the parties `user` may read, but none of a protected party's unless `user`
    may see protected identities: a position names who the person is (and the immunity it
    carried), so to everyone else it does not exist (404), like the positions the party's own
    page leaves out."""
    positions = Position.objects.filter(party__in=parties_visible_to(user))
    if not can_see_protected(user):
        positions = positions.filter(party__protected=False)
    return positions.select_related("party")


RESOURCES: dict[str, Resource] = {
    r.name: r
    for r in [
        Resource(
            "case",
            case_selectors.cases_visible_to,
            case_actions.case_transition,
            "case_id",
        ),
        Resource("incident", case_selectors.incidents_visible_to),
        Resource(
            "participation",
            case_selectors.participations_visible_to,
            case_actions.participation_transition,
            "participation_id",
        ),
        Resource(
            "representation",
            case_selectors.representations_visible_to,
            case_actions.representation_transition,
            "representation_id",
        ),
        Resource(
            "charge",
            case_selectors.charges_visible_to,
            case_actions.charge_transition,
            "charge_id",
        ),
        Resource("party", parties_visible_to),
        Resource("position", _positions_visible_to),
        Resource(
            "warrant",
            warrant_selectors.warrants_visible_to,
            warrant_actions.warrant_transition,
            "warrant_id",
        ),
        Resource(
            "notice",
            warrant_selectors.notices_visible_to,
            warrant_actions.notice_transition,
            "notice_id",
        ),
        Resource(
            "proceeding",
            warrant_selectors.proceedings_visible_to,
            warrant_actions.proceeding_transition,
            "proceeding_id",
        ),
        Resource(
            "deadline",
            warrant_selectors.deadlines_visible_to,
            warrant_actions.deadline_transition,
            "deadline_id",
        ),
        Resource("alert", alerts_visible_to),
    ]
}


def resource_of(record: Model) -> str:
    return getattr(record, "RESOURCE", "") or record._meta.model_name or ""


def party_name(party: Party | None, user) -> str:
    return redact(party, user).name if party is not None else ""


def label(record: Any, user) -> str:
    """A short human label for any record, in the reader's language, with protected
    identities redacted for `user`."""
    kind = resource_of(record)
    if kind == "party":
        return party_name(record, user)
    if kind in ("case", "alert", "incident", "position", "deadline"):
        return str(record)
    if kind == "proceeding":
        # Translators: e.g. "Hearing — Cour de cassation, 2025-07-04"
        return _("%(kind)s — %(court)s, %(date)s") % {
            "kind": record.get_kind_display(),
            "court": record.court,
            "date": record.date,
        }
    if kind == "participation":
        return _("%(party)s (%(role)s)") % {
            "party": party_name(record.party, user),
            "role": record.get_role_display(),
        }
    if kind == "representation":
        # Translators: counsel → the client they act for (words may read better than the arrow in
        # right-to-left scripts).
        return _("%(counsel)s → %(client)s") % {
            "counsel": party_name(record.counsel, user),
            "client": party_name(record.client.party, user),
        }
    if kind == "charge":
        return _("%(charge)s — %(accused)s") % {
            "charge": record.label,
            "accused": party_name(record.accused.party, user),
        }
    if kind in ("warrant", "notice"):
        if kind == "warrant":
            name, ref = vocabulary.warrant_kind(record.kind), record.reference
        else:
            name, ref = vocabulary.notice_kind(record.kind), record.interpol_id
        # Translators: e.g. "Arrest warrant W-1 — Bashar al-Assad", "Red notice 2023/12345 — ..."
        return _("%(kind)s %(reference)s — %(subject)s") % {
            "kind": name,
            "reference": ref or str(record.pk)[:8],
            "subject": party_name(record.subject, user),
        }
    return str(record)


def url_of(record: Any) -> str:
    """The page showing `record` (a party's nested records show on their case's page)."""
    kind = resource_of(record)
    if kind == "case":
        return reverse("cases:detail", args=[record.pk])
    if kind == "party":
        return reverse("parties:detail", args=[record.pk])
    if kind == "warrant":
        return reverse("warrants:warrant", args=[record.pk])
    if kind == "notice":
        return reverse("warrants:notice", args=[record.pk])
    if kind in ("participation", "charge", "incident"):
        return reverse("cases:detail", args=[record.case_id]) + f"#{kind}-{record.pk}"
    if kind == "representation":
        return reverse("cases:detail", args=[record.client.case_id]) + f"#{kind}-{record.pk}"
    if kind == "position":
        return reverse("parties:detail", args=[record.party_id])
    if kind == "alert":
        return reverse("alerts:inbox") + f"#alert-{record.pk}"
    if kind == "proceeding":
        return reverse("warrants:proceeding", args=[record.pk])
    if kind == "deadline":
        return reverse("warrants:deadline", args=[record.pk])
    return ""


def subjects_of(events: Iterable[Any], user) -> dict[Any, Any]:
    """The records the events are about, as `user` may read them, keyed by id (few queries)."""
    wanted: dict[str, set] = {}
    for event in events:
        wanted.setdefault(event.resource, set()).add(event.subject_id)
    found: dict[Any, Any] = {}
    for kind, ids in wanted.items():
        resource = RESOURCES.get(kind)
        if resource is None:
            continue
        queryset = resource.visible(user)
        if kind == "representation":
            queryset = queryset.select_related("counsel", "client__party")
        for record in queryset.filter(pk__in=ids):
            found[record.pk] = record
    return found
