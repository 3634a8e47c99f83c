"""Create and edit pages of domain records: one pattern for every form.

A form parses and validates; the named action writes. The version the user
started from travels in a hidden field, so a concurrent change is refused with
a message naming who made it. Every error shows next to its field (or at the
top when it concerns several), and the page keeps what the user typed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from core.actions import VersionConflict
from core.forms import apply_errors
from web import records
from web.views import conflict_message


def submit(
    request: HttpRequest, form, write: Callable[[], Any], *, also: Iterable = ()
) -> tuple[Any, str]:
    """On POST, validate `form` (and the forms or formsets in `also`) and call `write()`.

    Returns (what `write` returned, "") on success, (None, conflict message) on a
    VersionConflict, and (None, "") when nothing was written: then the errors
    are on the forms, the action's ValidationError included.

    The checks run before the insert, so two submits of the same new record (a double
    click, two tabs) can both pass them; the database's unique constraint then refuses
    the second, and the user is told so rather than shown a server error.
    """
    if request.method != "POST":
        return None, ""
    valid = [f.is_valid() for f in (form, *also)]  # every form, so each shows its errors
    if not all(valid):
        return None, ""
    try:
        return write(), ""
    except VersionConflict as error:
        return None, conflict_message(error.record)
    except ValidationError as error:
        apply_errors(form, error)
        return None, ""
    except IntegrityError:
        # The action's transaction is rolled back: nothing of this request is stored.
        form.add_error(
            None,
            _(
                "This was saved meanwhile by another request (a double submit?), so it was "
                "not saved a second time."
            ),
        )
        return None, ""


def form_page(
    request: HttpRequest,
    *,
    form,
    heading: str,
    back: tuple[str, str] | None = None,
    conflict: str = "",
    formset=None,
    formset_legend: str = "",
    formset_new_legend: str = "",
) -> HttpResponse:
    """The form again: 200 to start, 400 after errors, 409 after a version conflict."""
    status = 409 if conflict else 400 if request.method == "POST" else 200
    return render(
        request,
        "web/record_form.html",
        {
            "form": form,
            "heading": heading,
            "back": back,
            "conflict": conflict,
            "formset": formset,
            "formset_legend": formset_legend,
            "formset_new_legend": formset_new_legend,
        },
        status=status,
    )


def save_page(
    request: HttpRequest,
    *,
    form,
    write: Callable[[], Any],
    saved: str | Callable[[Any], str],
    heading: str,
    back: tuple[str, str] | None = None,
    **page: Any,
) -> HttpResponse:
    """A create or edit page: on a valid POST `write()` calls the named action, then the
    `saved` message (or `saved(record)`) and the record's page; otherwise the form again
    (see `submit`, `form_page`). `page` takes form_page's formset arguments; the formset
    is validated with the form."""
    formset = page.get("formset")
    record, conflict = submit(request, form, write, also=[formset] if formset else [])
    if record is not None:
        messages.success(request, saved(record) if callable(saved) else saved)
        return redirect(records.url_of(record))
    return form_page(request, form=form, heading=heading, back=back, conflict=conflict, **page)
