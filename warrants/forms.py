from django import forms
from django.utils.translation import gettext_lazy as _


class StatusFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False)
    kind = forms.ChoiceField(label=_("Kind"), required=False)

    def __init__(self, *args, statuses=(), kinds=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("any"))] + list(statuses)
        self.fields["kind"].choices = [("", _("any"))] + list(kinds)
