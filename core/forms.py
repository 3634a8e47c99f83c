"""The one transition form, shared by the web UI and the admin back office.

It asks for what a workflow transition takes (domain.md §2): the legal date,
a note, and a confirmation when the move cannot be undone. It checks the date
with the same rule as the transition actions (`parse_effective_date`) so a
bad date is reported next to its field; everything else is the action's job,
and `apply_errors` puts the action's refusals next to the fields they name.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.events import parse_effective_date
from core.workflow import Transition


class TransitionForm(forms.Form):
    effective_date = forms.DateField(
        label=_("Date"),
        required=False,
        help_text=_("The legal date of the change (default: today)."),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    confirm = forms.BooleanField(label=_("I understand this cannot be undone."), required=False)

    def __init__(self, *args: Any, move: Transition, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.move = move
        if "effective_date" in move.requires:
            self.fields["effective_date"].required = True
            self.fields["effective_date"].help_text = _("The date of the decision.")
        if "note" in move.requires:
            self.fields["note"].required = True
            if move.label:
                self.fields["note"].help_text = move.label
        if move.irreversible:
            self.fields["confirm"].required = True
        else:
            del self.fields["confirm"]

    def clean_effective_date(self):
        day = self.cleaned_data["effective_date"]
        if day is not None:
            try:
                parse_effective_date(day)
            except ValidationError as error:
                raise ValidationError(error.message_dict["effective_date"]) from None
        return day


def apply_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Show an action's ValidationError next to the fields it names (at the top for others)."""
    if hasattr(error, "error_dict"):
        for name, errors in error.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)
