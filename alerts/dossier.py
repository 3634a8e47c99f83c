"""A case's dossier: its chronology (warrants.chronology) with the sources behind it.

Here, above the domain apps, because who may read a source is decided here
(alerts.sources): a source the reader may not read is neither listed nor cited, so a
source attached to a protected party never reaches a reader who may not see who it is.
"""

from __future__ import annotations

from typing import Any

from core.sources import Source, SourceLink
from warrants.chronology import Chronology, case_chronology, label

from .sources import sources_visible_to


def case_dossier(user, case_id) -> Chronology:
    """`case_chronology` for `user`, each timeline entry with the source its event cites and
    the dossier's `sources`: every source `user` may read that is cited by an entry or
    attached to the case or one of its records, with what it backs. Raises
    Case.DoesNotExist like case_chronology."""
    chronology = case_chronology(user, case_id)
    records = chronology.records
    visible = sources_visible_to(user)
    cited = {e.event.source_id for e in chronology.entries if e.event.source_id}
    links = list(
        SourceLink.objects.filter(object_id__in=list(records), source__in=visible)
        .select_related("content_type")
        .order_by("created_at")
    )
    wanted = cited | {link.source_id for link in links}
    sources: dict[Any, Source] = {
        s.pk: s for s in visible.filter(pk__in=wanted).order_by("published_on", "title")
    }
    backs: dict[Any, list[str]] = {pk: [] for pk in sources}
    for link in links:
        record = records.get(link.object_id)
        model = link.content_type.model_class()
        if record is None or not isinstance(record, model or ()):  # type: ignore[arg-type]
            continue
        if link.source_id in backs:
            backs[link.source_id].append(label(record, user))
    for entry in chronology.entries:
        source = sources.get(entry.event.source_id)
        if source is not None:
            entry.sources.append(source)
            backs[source.pk].append(f"{entry.date:%Y-%m-%d} {entry.what}: {entry.change}")
    chronology.sources = [(s, list(dict.fromkeys(backs[pk]))) for pk, s in sources.items()]
    return chronology
