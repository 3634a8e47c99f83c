from django import forms
from django.utils.translation import gettext_lazy as _

from .models import PartyKind


class PartySearchForm(forms.Form):
    q = forms.CharField(
        label=_("Name"),
        required=False,
        help_text=_("Any script or spelling, e.g. Bachar el-Assad."),
    )
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("any")), *PartyKind.choices]
    )
