"""Choice widgets that search as the reader types, instead of listing every record.

The select holds only what is chosen; a search box next to it asks `web:pick` (web/search.py)
for the matching records as `<option>`s and htmx swaps them in. The field's queryset still
decides what may be chosen (validation is unchanged), so a crafted value outside the
reader's scope is refused as before. No script of our own: htmx attributes only (the CSP).
"""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse


class SearchSelect(forms.Select):
    template_name = "web/widgets/search_select.html"

    def __init__(
        self,
        kind: str,
        *,
        params: dict[str, Any] | None = None,
        include: tuple[str, ...] = (),
        attrs: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(attrs)
        self.kind, self.params, self.include = kind, dict(params or {}), include

    def optgroups(self, name, value, attrs=None):
        # Only the chosen records (and the blank choice): never the whole table.
        iterator: Any = self.choices
        queryset = getattr(iterator, "queryset", None)
        if queryset is not None:
            field = iterator.field
            chosen = [v for v in value if v not in ("", None)]
            try:
                records = list(queryset.filter(pk__in=chosen)) if chosen else []
            except (ValidationError, ValueError):
                records = []
            blank = [("", field.empty_label)] if field.empty_label is not None else []
            self.choices = blank + [
                (field.prepare_value(r), field.label_from_instance(r)) for r in records
            ]
        return super().optgroups(name, value, attrs)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        vals = {**self.params, "name": name}
        if not self.allow_multiple_selected and not self.is_required:
            vals["blank"] = "1"
        context["widget"].update(
            picker_url=reverse("web:pick", args=[self.kind]),
            picker_vals=json.dumps({k: str(v) for k, v in vals.items()}),
            # The select itself (to keep what is chosen) and the fields the offer depends on.
            picker_include=", ".join(f"[name='{n}']" for n in (name, *self.include)),
        )
        return context


class SearchSelectMultiple(SearchSelect, forms.SelectMultiple):
    allow_multiple_selected = True


def search_as_you_type(field: forms.Field, kind: str, **options: Any) -> None:
    """Give `field` a search-as-you-type widget asking the `kind` picker."""
    widget_class = (
        SearchSelectMultiple if isinstance(field, forms.ModelMultipleChoiceField) else SearchSelect
    )
    widget = widget_class(kind, **options)
    assert isinstance(field, forms.ModelChoiceField)
    widget.choices = field.choices  # type: ignore[assignment]  # the model iterator
    widget.is_required = field.required
    field.widget = widget
