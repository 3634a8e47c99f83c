"""Forms of the case pages. They parse and validate input; the actions write."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Case


class CaseForm(forms.ModelForm):
    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Case
        fields = ["reference", "title", "summary", "jurisdiction", "forum", "basis", "opened_on"]
        widgets = {
            "opened_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "summary": forms.Textarea(attrs={"rows": 4}),
        }
        labels = {
            "reference": _("Reference"),
            "title": _("Title"),
            "summary": _("Summary"),
            "jurisdiction": _("Jurisdiction"),
            "forum": _("Forum"),
            "basis": _("Basis of jurisdiction"),
            "opened_on": _("Opened on"),
        }

    def changes(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class CaseFilterForm(forms.Form):
    q = forms.CharField(label=_("Text"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)
    jurisdiction = forms.ChoiceField(label=_("Jurisdiction"), required=False)

    def __init__(self, *args, statuses=(), jurisdictions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("any"))] + list(statuses)
        self.fields["jurisdiction"].choices = [("", _("any"))] + list(jurisdictions)
