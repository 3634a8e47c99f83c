"""Forms shared by several pages: transitions, reviews, roles. Validation is the actions' job;
these only parse input and carry the record's version for optimistic locking."""

from typing import Any

from django import forms
from django.contrib.auth.models import Group, User
from django.utils.translation import gettext_lazy as _

from core import forms as transitions

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class RecordForm(forms.ModelForm):
    """Create or edit a domain record. The form parses and validates; the named action writes.

    `expected_version` carries the version the user started from (optimistic lock).
    The fields in FIXED_AFTER_CREATION are offered on creation only (as in the API).
    """

    FIXED_AFTER_CREATION: tuple[str, ...] = ()

    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.existing:
            self.initial.setdefault("expected_version", self.instance.version)
            for name in self.FIXED_AFTER_CREATION:
                del self.fields[name]

    @property
    def existing(self) -> bool:
        """An edit form (records get their UUID when built, so `pk` cannot tell)."""
        return not self.instance._state.adding

    def changes(self) -> dict:
        """The model fields this form offers, as the action takes them."""
        model_fields = set(self._meta.fields or ())
        return {name: self.cleaned_data[name] for name in self.fields if name in model_fields}

    def update(self) -> dict:
        """What an update action takes: the changes and the version the user started from."""
        return {**self.changes(), "expected_version": self.cleaned_data["expected_version"]}


def offer(field: Any, queryset, user=None) -> None:
    """Set the records a choice field offers, labelled as `user` may see them."""
    field.queryset, field.user = queryset, user


class EndsAfterStart:
    """For records with `started_on`/`ended_on`: say so next to the end date (the database
    constraint would only give a message at the top of the form)."""

    def clean(self):
        data = super().clean()  # type: ignore[misc]
        started, ended = data.get("started_on"), data.get("ended_on")
        if started and ended and ended < started:
            self.add_error("ended_on", _("Must not be before the start date."))  # type: ignore[attr-defined]
        return data


class LinesField(forms.CharField):
    """A list typed one item per line (aliases, legal bases): commas may belong to an item."""

    widget = forms.Textarea(attrs={"rows": 3})

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return "\n".join(value)
        return value

    def to_python(self, value) -> list[str]:  # type: ignore[override]
        return [line.strip() for line in str(value or "").splitlines() if line.strip()]


class CodesField(forms.CharField):
    """Country codes typed as "SY, FR" (the model checks each code)."""

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return ", ".join(value)
        return value

    def to_python(self, value) -> list[str]:  # type: ignore[override]
        return [code.upper() for code in str(value or "").replace(",", " ").split()]


class TransitionForm(transitions.TransitionForm):
    """The kernel's transition form, plus what a page's form carries: which transition, the
    version the reader saw (optimistic lock) and where to go back to."""

    transition = forms.CharField(widget=forms.HiddenInput)
    expected_version = forms.IntegerField(widget=forms.HiddenInput)
    next = forms.CharField(widget=forms.HiddenInput, required=False)


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


class ApiKeyForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100, help_text=_("What the key is for."))
    scope = forms.ChoiceField(
        label=_("Scope"),
        choices=[("read", _("read")), ("write", _("write"))],
        help_text=_("A read key can only read, whatever its owner may do."),
    )
    expires_at = forms.DateTimeField(
        label=_("Expires"),
        required=False,
        help_text=_("Empty: never."),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )

    def __init__(self, *args, owners=None, **kwargs):
        super().__init__(*args, **kwargs)
        if owners is not None:
            self.fields["owner"] = forms.ModelChoiceField(
                label=_("Owner"),
                queryset=owners,
                required=False,
                help_text=_("The user the key acts as (default: you)."),
            )


class WebhookForm(forms.Form):
    url = forms.URLField(label=_("URL"), max_length=2000, assume_scheme="https")
    event_types = forms.CharField(
        label=_("Event types"),
        initial="*",
        help_text=_("Comma-separated; a trailing * matches a prefix, e.g. warrant.*, notice.*"),
    )
    description = forms.CharField(label=_("Description"), max_length=200, required=False)

    def clean_event_types(self) -> list[str]:
        return [t.strip() for t in self.cleaned_data["event_types"].split(",") if t.strip()]


class EndpointActiveForm(forms.Form):
    """Switch a webhook endpoint on or off, from the version the user saw."""

    expected_version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    active = forms.BooleanField(required=False)
