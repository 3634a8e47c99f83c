"""Template helpers for court proceedings (issue 13): a case page's hearings, decisions,
appeals and deadlines, read through the selectors for the page's reader."""

from __future__ import annotations

from typing import Any

from django import template

from warrants.selectors import deadlines_visible_to, proceedings_visible_to

register = template.Library()


@register.inclusion_tag("warrants/_case_proceedings.html", takes_context=True)
def case_proceedings(context, case) -> dict[str, Any]:
    """The case's proceedings (by date) and open deadlines, for the reader."""
    user = context["request"].user
    return {
        "case": case,
        "proceedings": proceedings_visible_to(user).filter(case=case).order_by("date", "time"),
        "deadlines": deadlines_visible_to(user).filter(case=case, status="open"),
        "perms": context.get("perms"),
    }
