"""Forms of the party pages. They parse and validate input; the actions write."""

from django import forms
from django.utils.translation import gettext_lazy as _

from parties.models import Party, PartyKind, Position
from parties.selectors import redact
from web.forms import DATE_INPUT, CodesField, EndsAfterStart, LinesField, RecordForm


class PartySearchForm(forms.Form):
    q = forms.CharField(
        label=_("Name"),
        required=False,
        help_text=_("Any script or spelling, e.g. Bachar el-Assad."),
    )
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("any")), *PartyKind.choices]
    )


class PartyChoiceField(forms.ModelChoiceField):
    """Choose a party by name, as the reader may see it (a protected party by its pseudonym)."""

    user = None

    def label_from_instance(self, obj) -> str:
        return redact(obj, self.user).name


class PartyForm(RecordForm):
    # Protection changes through its own form, with a note (ProtectionForm).
    FIXED_AFTER_CREATION = ("protected",)

    aliases = LinesField(
        label=_("Aliases"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "dir": "auto"}),  # any script, e.g. Arabic
        help_text=_("Other spellings and transliterations, one per line."),
    )
    nationalities = CodesField(
        label=_("Nationalities"),
        required=False,
        help_text=_("ISO country codes separated by commas, e.g. SY, FR."),
    )

    class Meta:
        model = Party
        fields = [
            "kind",
            "name",
            "name_original",
            "aliases",
            "birth_date",
            "nationalities",
            "protected",
            "pseudonym",
            "custody",
        ]
        labels = {
            "kind": _("Kind"),
            "name": _("Name (Latin script)"),
            "name_original": _("Original script"),
            "birth_date": _("Born"),
            "protected": _("Protected identity"),
            "pseudonym": _("Pseudonym"),
            "custody": _("Custody"),
        }
        help_texts = {
            "kind": "",
            "name": "",
            "name_original": _("The name in its own script, e.g. Arabic."),
            "birth_date": _("YYYY, YYYY-MM or YYYY-MM-DD: a partial date is fine."),
            "protected": _(
                "Only those allowed to see protected identities see the name; others see the "
                "pseudonym."
            ),
            "pseudonym": _("Shown instead of the name when the identity is protected."),
            "custody": _("Persons only."),
        }
        widgets = {
            "name_original": forms.TextInput(attrs={"dir": "auto"}),
        }

    def __init__(self, *args, hide_identity: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if hide_identity:
            for name in Party.IDENTITY_FIELDS:
                del self.fields[name]


class ProtectionForm(forms.Form):
    """Protect a party's identity, or lift its protection (lawyers, admins), with a note.

    Lifting it shows the real name to every reader: the form asks for an explicit
    confirmation, checked here, on the server.
    """

    protected = forms.TypedChoiceField(
        choices=[("true", "true"), ("false", "false")],
        coerce=lambda value: value == "true",
        widget=forms.HiddenInput,
    )
    expected_version = forms.IntegerField(widget=forms.HiddenInput)
    pseudonym = forms.CharField(
        label=_("Pseudonym"),
        max_length=200,
        required=False,
        help_text=_("Shown instead of the name to those who may not see protected identities."),
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,  # the action says what is missing, as it does for the API
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Required: why. It is recorded with the change, raises an alert and is read by"
            " every reader of the record: never write the real name or where the person is."
        ),
    )
    confirm = forms.BooleanField(
        label=_("I understand every reader will see the real name"),
        required=False,
    )

    def __init__(self, *args, party: Party, **kwargs):
        kwargs.setdefault("initial", {})
        kwargs["initial"] = {
            "protected": "false" if party.protected else "true",
            "expected_version": party.version,
            **kwargs["initial"],
        }
        super().__init__(*args, **kwargs)
        self.lifting = party.protected
        if self.lifting:
            del self.fields["pseudonym"]
        else:
            del self.fields["confirm"]
            self.initial.setdefault("pseudonym", party.pseudonym)

    def clean(self):
        data = super().clean()
        if data.get("protected") is False and not data.get("confirm"):
            self.add_error(
                "confirm" if "confirm" in self.fields else None,
                _("Tick this to confirm: lifting protection shows the real name to every reader."),
            )
        return data


class PositionForm(EndsAfterStart, forms.ModelForm):
    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Position
        fields = ["title", "organisation", "function", "started_on", "ended_on", "state_office"]
        labels = {
            "state_office": _("Office of a State"),
            "title": _("Title"),
            "organisation": _("Organisation"),
            "function": _("Function"),
            "started_on": _("From"),
            "ended_on": _("Until"),
        }
        help_texts = {
            "title": _("e.g. President of the Syrian Arab Republic."),
            "organisation": "",
            "function": _(
                "Head of state, head of government and foreign minister carry personal "
                "immunity while in office."
            ),
            "started_on": "",
            "ended_on": _("Empty while still held."),
            "state_office": _(
                "Untick for an armed group's or a company's office: it carries no immunity."
            ),
        }
        widgets = {"started_on": DATE_INPUT, "ended_on": DATE_INPUT}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.existing:
            self.initial.setdefault("expected_version", self.instance.version)

    @property
    def existing(self) -> bool:
        return not self.instance._state.adding

    def entry(self) -> dict:
        """What the action takes: the fields, and for an existing position its id and version."""
        data = {name: self.cleaned_data[name] for name in self._meta.fields or ()}
        if self.existing:
            data["id"] = self.instance.pk
            data["expected_version"] = self.cleaned_data["expected_version"]
        return data


PositionFormSet = forms.modelformset_factory(Position, form=PositionForm, extra=1, can_delete=False)
