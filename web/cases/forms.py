"""Forms of the case pages. They parse and validate input; the actions write."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cases.models import Case, Charge, Incident, Participation, Representation, Role
from cases.selectors import participations_visible_to
from parties.models import Party, PartyKind
from parties.selectors import parties_to_choose, redact
from web.forms import DATE_INPUT, EndsAfterStart, LinesField, RecordForm, offer
from web.parties.forms import PartyChoiceField
from web.pickers import search_as_you_type


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


class IncidentForm(EndsAfterStart, RecordForm):
    class Meta:
        model = Incident
        fields = ["title", "started_on", "ended_on", "place", "description", "casualties"]
        labels = {
            "title": _("Title"),
            "started_on": _("Started on"),
            "ended_on": _("Ended on"),
            "place": _("Place"),
            "description": _("Description"),
            "casualties": _("People killed"),
        }
        help_texts = {
            "title": _("e.g. Chemical attack on Douma."),
            "started_on": "",
            "ended_on": _("Empty if it lasted one day."),
            "place": "",
            "description": "",
            "casualties": _("Empty if not known."),
        }
        widgets = {
            "started_on": DATE_INPUT,
            "ended_on": DATE_INPUT,
            "description": forms.Textarea(attrs={"rows": 4}),
        }


class ParticipationForm(RecordForm):
    """Add a party to a case in a role (who and in which role are then fixed)."""

    party = PartyChoiceField(label=_("Party"), queryset=Party.objects.none())

    class Meta:
        model = Participation
        fields = ["party", "role"]
        labels = {"role": _("Role")}
        help_texts = {"role": _("An accused starts as a suspect, a plaintiff as an applicant.")}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        offer(self.fields["party"], parties_to_choose(user), user)
        search_as_you_type(self.fields["party"], "parties")

    def clean(self):
        data = super().clean()
        party, role = data.get("party"), data.get("role")
        taken = Participation.objects.filter(case_id=self.instance.case_id, party=party, role=role)
        if party and role and taken.exists():
            self.add_error("party", _("This party already has this role in this case."))
        return data


class RepresentationForm(RecordForm):
    """Counsel for a participant (who represents whom is fixed; only the bar is edited)."""

    FIXED_AFTER_CREATION = ("counsel",)

    counsel = PartyChoiceField(
        label=_("Counsel"),
        queryset=Party.objects.none(),
        help_text=_("The lawyer, a person: add them as a party first."),
    )

    class Meta:
        model = Representation
        fields = ["counsel", "bar"]
        labels = {"bar": _("Bar")}
        help_texts = {"bar": _("e.g. Paris Bar.")}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.existing:
            people = parties_to_choose(user).filter(kind=PartyKind.PERSON)
            offer(self.fields["counsel"], people, user)
            search_as_you_type(self.fields["counsel"], "parties", params={"kind": "person"})

    def clean(self):
        data = super().clean()
        counsel = data.get("counsel")
        taken = Representation.objects.filter(client_id=self.instance.client_id, counsel=counsel)
        if counsel and not self.existing and taken.exists():
            self.add_error("counsel", _("This counsel already represents this participant."))
        return data


class AccusedChoiceField(forms.ModelChoiceField):
    user = None

    def label_from_instance(self, obj) -> str:
        return redact(obj.party, self.user).name


class ChargeForm(RecordForm):
    accused = AccusedChoiceField(
        label=_("Accused"),
        queryset=Participation.objects.none(),
        help_text=_("Add the party to the case as accused first."),
    )
    legal_basis = LinesField(
        label=_("Legal basis"),
        required=False,
        help_text=_("Article references, one per line, e.g. FR Code pénal 212-1."),
    )

    class Meta:
        model = Charge
        fields = [
            "accused",
            "offence",
            "label",
            "legal_basis",
            "mode_of_liability",
            "qualification_text",
        ]
        labels = {
            "offence": _("Offence"),
            "label": pgettext_lazy("record", "Charge"),
            "mode_of_liability": _("Mode of liability"),
            "qualification_text": _("Legal qualification (verbatim)"),
        }
        help_texts = {
            "offence": "",
            "label": _("e.g. Complicity in crimes against humanity."),
            "mode_of_liability": "",
            "qualification_text": _("As the court wrote it, in any language."),
        }
        widgets = {"qualification_text": forms.Textarea(attrs={"rows": 3, "dir": "auto"})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        accused = participations_visible_to(user).filter(
            case_id=self.instance.case_id, role=Role.ACCUSED
        )
        offer(self.fields["accused"], accused, user)
