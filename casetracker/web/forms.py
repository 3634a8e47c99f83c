"""Forms shared by several pages: transitions, reviews, roles. Validation is the actions' job;
these only parse input and carry the record's version for optimistic locking."""

from django import forms
from django.contrib.auth.models import Group, User
from django.utils.translation import gettext_lazy as _

from casetracker.workflow import Transition


class TransitionForm(forms.Form):
    transition = forms.CharField(widget=forms.HiddenInput)
    expected_version = forms.IntegerField(widget=forms.HiddenInput)
    effective_date = forms.DateField(
        label=_("Date"),
        required=False,
        help_text=_("The legal date of the change (default: today)."),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    confirm = forms.BooleanField(
        label=_("I understand this cannot be undone."),
        required=False,
    )
    next = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, move: Transition | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.move = move
        if move is not None:
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


class ReviewForm(forms.Form):
    DECISIONS = [("approve", _("Approve")), ("request_changes", _("Request changes"))]

    decision = forms.ChoiceField(choices=DECISIONS, widget=forms.HiddenInput)
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when requesting changes."),
    )


class UserRolesForm(forms.Form):
    """Admins set which role groups a user belongs to (users are not domain records)."""

    roles = forms.ModelMultipleChoiceField(
        label=_("Roles"),
        queryset=Group.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    is_active = forms.BooleanField(label=_("Active"), required=False)


class UserCreateForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["username", "email", "first_name", "last_name"]
