"""Who may read which source (core/sources.py), and the records sources attach to.

Here, above every domain app, because the rule needs them: a source attached to a record
that names a protected party (the party, its participation or representation, a charge
against it, a warrant or notice about it), or cited by an event of such a record, is read
only by holders of parties.view_protected_identity: its title or contents may name the
person. A confidential source is read only by holders of
casetracker.view_confidential_source (lawyers, admins) and by the user who added it.
Both rules apply together. docs/security.md.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, Model, OuterRef, Q, QuerySet

from cases import selectors as case_selectors
from cases.models import Charge, Participation, Representation
from core.models import Event
from core.sources import Source, SourceLink, full_text
from parties.models import Party
from parties.selectors import can_see_protected, parties_visible_to
from warrants import selectors as warrant_selectors
from warrants.models import Notice, Warrant
from warrants.proceedings import Deadline, Proceeding

# The records a source may be attached to, by resource name: the selector of those `user`
# may read. A record of another kind (e.g. a hearing or a decision) joins with one line.
ATTACHABLE: dict[str, Callable[[Any], QuerySet]] = {
    "case": case_selectors.cases_visible_to,
    "incident": case_selectors.incidents_visible_to,
    "party": parties_visible_to,
    "participation": case_selectors.participations_visible_to,
    "representation": case_selectors.representations_visible_to,
    "charge": case_selectors.charges_visible_to,
    "warrant": warrant_selectors.warrants_visible_to,
    "notice": warrant_selectors.notices_visible_to,
    "proceeding": warrant_selectors.proceedings_visible_to,
    "deadline": warrant_selectors.deadlines_visible_to,
}


def _naming_protected() -> list[tuple[type[Model], str, QuerySet]]:
    """(model, event resource, records naming a protected party) for each kind that can."""
    return [
        (Party, "party", Party.objects.filter(protected=True)),
        (Participation, "participation", Participation.objects.filter(party__protected=True)),
        (
            Representation,
            "representation",
            Representation.objects.filter(
                Q(counsel__protected=True) | Q(client__party__protected=True)
            ),
        ),
        (Charge, "charge", Charge.objects.filter(accused__party__protected=True)),
        (Warrant, "warrant", Warrant.objects.filter(subject__protected=True)),
        (Notice, "notice", Notice.objects.filter(subject__protected=True)),
        (
            Proceeding,
            "proceeding",
            Proceeding.objects.filter(
                Q(warrants__subject__protected=True) | Q(charges__accused__party__protected=True)
            ),
        ),
        (
            Deadline,
            "deadline",
            Deadline.objects.filter(
                Q(warrant__subject__protected=True) | Q(notice__subject__protected=True)
            ),
        ),
    ]


def sources_visible_to(user) -> QuerySet[Source]:
    """Sources `user` may read and download (the rule in this module's docstring)."""
    if not (user and user.has_perm("casetracker.view_source")):
        return Source.objects.none()
    sources = Source.objects.select_related("created_by")
    if not user.has_perm("casetracker.view_confidential_source"):
        sources = sources.filter(Q(confidential=False) | Q(created_by=user))
    if not can_see_protected(user):
        linked, cited = Q(), Q()
        naming = _naming_protected()
        types = ContentType.objects.get_for_models(*(model for model, _, _ in naming))
        for model, resource, records in naming:
            ids = records.values("pk")
            linked |= Q(content_type=types[model], object_id__in=ids)
            cited |= Q(resource=resource, subject_id__in=ids)
        sources = sources.exclude(
            Exists(SourceLink.objects.filter(linked, source=OuterRef("pk")))
        ).exclude(Exists(Event.objects.filter(cited, source=OuterRef("pk"))))
    return sources


def source_search(user, q: str) -> QuerySet[Source]:
    """Full-text search over the sources `user` may read (core.sources.full_text)."""
    return full_text(sources_visible_to(user), q)


def resource_name(record: Model) -> str:
    return getattr(record, "RESOURCE", "") or record._meta.model_name or ""


def attachable_record(user, resource: str, pk: Any) -> Model | None:
    """The record of kind `resource` with id `pk`, if sources attach to it and `user` may
    read it; else None."""
    selector = ATTACHABLE.get(resource)
    if selector is None:
        return None
    return selector(user).filter(pk=pk).first()


def sources_of(record: Model, user) -> QuerySet[Source]:
    """The sources attached to `record` that `user` may read, newest first."""
    content_type = ContentType.objects.get_for_model(record)
    return sources_visible_to(user).filter(
        links__content_type=content_type, links__object_id=record.pk
    )


def attached_to(sources: list[Source], user) -> dict[Any, list[tuple[str, Model]]]:
    """For each source, the records it is attached to that `user` may read: (resource,
    record), a few queries in all."""
    links = list(
        SourceLink.objects.filter(source__in=sources)
        .select_related("content_type")
        .order_by("created_at")
    )
    wanted: dict[str, set] = {}
    by_type: dict[int, str] = {}
    for link in links:
        model = link.content_type.model_class()
        name = resource_name(model) if model is not None else ""  # type: ignore[arg-type]
        if name in ATTACHABLE:
            by_type[link.content_type_id] = name
            wanted.setdefault(name, set()).add(link.object_id)
    found: dict[tuple[str, Any], Model] = {}
    for name, ids in wanted.items():
        for record in ATTACHABLE[name](user).filter(pk__in=ids):
            found[name, record.pk] = record
    out: dict[Any, list[tuple[str, Model]]] = {source.pk: [] for source in sources}
    for link in links:
        name = by_type.get(link.content_type_id, "")
        record = found.get((name, link.object_id))
        if record is not None:
            out[link.source_id].append((name, record))
    return out
