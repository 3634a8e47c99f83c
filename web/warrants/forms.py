from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from cases.models import Case, Charge
from cases.selectors import cases_visible_to, charges_visible_to
from parties.models import Party, PartyKind
from parties.selectors import parties_to_choose
from warrants.models import Notice, Warrant
from warrants.selectors import supersedable, warrants_visible_to
from web import records
from web.forms import DATE_INPUT, RecordForm, offer
from web.parties.forms import PartyChoiceField
from web.pickers import search_as_you_type


class StatusFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False)
    kind = forms.ChoiceField(label=_("Kind"), required=False)

    def __init__(self, *args, statuses=(), kinds=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("any"))] + list(statuses)
        self.fields["kind"].choices = [("", _("any"))] + list(kinds)


class RecordChoiceField(forms.ModelChoiceField):
    """Choose a record by its label, as the reader may see it (protected parties redacted)."""

    user = None

    def label_from_instance(self, obj) -> str:
        return records.label(obj, self.user)


class RecordMultipleChoiceField(forms.ModelMultipleChoiceField):
    user = None

    def label_from_instance(self, obj) -> str:
        return f"{obj.case.reference}: {records.label(obj, self.user)}"


class WarrantForm(RecordForm):
    """Create a warrant (then case, subject and charges are fixed, as in the API) or edit one."""

    FIXED_AFTER_CREATION = ("case", "subject", "charges", "issued_on")

    case = forms.ModelChoiceField(label=_("Case"), queryset=Case.objects.none())
    subject = PartyChoiceField(
        label=_("Subject"), queryset=Party.objects.none(), help_text=_("The person sought.")
    )
    issued_on = forms.DateField(
        label=_("Issued on"),
        required=False,
        widget=DATE_INPUT,
        help_text=_("Give it for a warrant already issued; else it starts as requested."),
    )
    charges = RecordMultipleChoiceField(
        label=_("Charges"),
        queryset=Charge.objects.none(),
        required=False,
        help_text=_("The charges of the case it rests on."),
    )
    supersedes = RecordChoiceField(
        label=_("Supersedes"),
        queryset=Warrant.objects.none(),
        required=False,
        help_text=_("An earlier warrant this one replaces, e.g. after an annulment."),
    )

    class Meta:
        model = Warrant
        fields = [
            "case",
            "subject",
            "kind",
            "issuing_country",
            "issuing_authority",
            "reference",
            "requested_on",
            "disclosed_on",
            "charges",
            "supersedes",
        ]
        labels = {
            "kind": _("Kind"),
            "issuing_country": _("Issuing country"),
            "issuing_authority": _("Issuing authority"),
            "reference": _("Reference"),
            "requested_on": _("Requested on"),
            "disclosed_on": _("Disclosed on"),
        }
        help_texts = {
            "kind": "",
            "issuing_country": "",
            "issuing_authority": _("e.g. Investigating judges, Paris Judicial Court."),
            "reference": _("The authority's reference."),
            "requested_on": "",
            "disclosed_on": _("The date it became public."),
        }
        widgets = {"requested_on": DATE_INPUT, "disclosed_on": DATE_INPUT}

    def __init__(self, *args, user, case: Case | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.existing:
            offer(self.fields["case"], cases_visible_to(user))
            persons = parties_to_choose(user).filter(kind=PartyKind.PERSON)
            offer(self.fields["subject"], persons, user)
            search_as_you_type(self.fields["subject"], "parties", params={"kind": "person"})
            charges = charges_visible_to(user)
            offer(self.fields["charges"], charges.filter(case=case) if case else charges, user)
            of_case: dict[str, Any] = (
                {"params": {"case": case.pk}} if case else {"include": ("case",)}
            )
            search_as_you_type(self.fields["charges"], "charges", **of_case)
        others = warrants_visible_to(user)
        if self.existing:
            others = supersedable(
                user,
                case=self.instance.case_id,
                subject=self.instance.subject_id,
                exclude=self.instance.pk,
            )
            where: dict[str, Any] = {
                "params": {
                    "case": self.instance.case_id,
                    "subject": self.instance.subject_id,
                    "exclude": self.instance.pk,
                }
            }
        else:
            where = {"include": ("case", "subject")}
        offer(self.fields["supersedes"], others, user)
        search_as_you_type(self.fields["supersedes"], "warrants", **where)

    def clean(self):
        data = super().clean()
        case, charges = data.get("case"), data.get("charges")
        if case and charges and any(charge.case_id != case.pk for charge in charges):
            self.add_error("charges", _("Choose charges of the warrant's case."))
        return data

    def creation(self) -> dict:
        """What warrant_create takes."""
        return {
            **self.changes(),
            "charges": list(self.cleaned_data["charges"]),
            "issued_on": self.cleaned_data["issued_on"],
        }


class NoticeForm(RecordForm):
    """Create a notice (kind, subject and warrant are then fixed, as in the API) or edit one."""

    FIXED_AFTER_CREATION = ("kind", "subject", "warrant")

    warrant = RecordChoiceField(
        label=_("Warrant"),
        queryset=Warrant.objects.none(),
        required=False,
        help_text=_("Required for a red notice, which needs an issued warrant."),
    )
    subject = PartyChoiceField(
        label=_("Subject"),
        queryset=Party.objects.none(),
        required=False,
        help_text=_("Empty: the warrant's subject."),
    )

    class Meta:
        model = Notice
        fields = [
            "kind",
            "warrant",
            "subject",
            "requesting_country",
            "interpol_id",
            "visibility",
            "requested_on",
        ]
        labels = {
            "kind": _("Kind"),
            "requesting_country": _("Requesting country"),
            "interpol_id": _("INTERPOL id"),
            "visibility": _("Visibility"),
            "requested_on": _("Requested on"),
        }
        help_texts = {
            "kind": _("The notice's colour."),
            "requesting_country": "",
            "interpol_id": _("e.g. 2023/12345; unique."),
            "visibility": "",
            "requested_on": "",
        }
        widgets = {"requested_on": DATE_INPUT}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.existing:
            offer(self.fields["warrant"], warrants_visible_to(user), user)
            offer(self.fields["subject"], parties_to_choose(user), user)
            search_as_you_type(self.fields["subject"], "parties")

    def clean(self):
        data = super().clean()
        if "subject" in self.fields and data.get("subject") is None:
            if data.get("warrant") is not None:
                data["subject"] = data["warrant"].subject
            elif not self.has_error("warrant"):
                self.add_error("subject", _("Choose the subject, or a warrant."))
        return data
