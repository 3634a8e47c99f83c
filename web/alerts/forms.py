from django import forms
from django.utils.translation import gettext_lazy as _

from alerts.models import Severity
from alerts.workflows import ALERT


class AlertFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("not resolved")), ("all", _("any")), *ALERT.choices()],
    )
    severity = forms.ChoiceField(
        label=_("Severity"), required=False, choices=[("", _("any")), *Severity.choices]
    )
    case = forms.UUIDField(required=False, widget=forms.HiddenInput)


class FollowSeverityForm(forms.Form):
    min_severity = forms.ChoiceField(
        label=_("Every alert at least this severe"), choices=Severity.choices
    )
