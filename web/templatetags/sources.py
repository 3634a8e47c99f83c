"""Template helpers for sources: the panel a record page shows, and an event's source."""

from __future__ import annotations

from typing import Any

from django import template

from alerts.sources import resource_name, sources_of, sources_visible_to

register = template.Library()


@register.inclusion_tag("sources/_panel.html", takes_context=True)
def sources_panel(context, record) -> dict[str, Any]:
    """The sources attached to `record` that the reader may see, and the link to attach one."""
    request = context["request"]
    return {
        "record": record,
        "resource": resource_name(record),
        "sources": list(sources_of(record, request.user)),
        "can_add": request.user.has_perm("casetracker.add_source"),
    }


def _visible(request, source_id) -> Any:
    """The source `source_id` if the reader may see it, else None; cached for the request
    (a timeline cites few sources, many times)."""
    cache: dict = request.__dict__.setdefault("_visible_sources", {})
    if source_id not in cache:
        cache[source_id] = sources_visible_to(request.user).filter(pk=source_id).first()
    return cache[source_id]


@register.inclusion_tag("sources/_cited.html", takes_context=True)
def event_source(context, event) -> dict[str, Any]:
    """The source an event rests on, if the reader may see it."""
    source_id = getattr(event, "source_id", None)
    return {"source": _visible(context["request"], source_id) if source_id else None}
