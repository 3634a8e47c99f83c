"""Pages of court proceedings and deadlines (issue 13): detail with transitions and history,
create and edit forms. A hearing, an appeal, a decision or a judgment is created from its
case's page; the warrant page shows the appeals pending against it."""

from uuid import UUID

from django import forms
from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases.models import Case, Charge
from cases.selectors import cases_visible_to, charges_visible_to
from core.events import Actor
from warrants.actions import (
    deadline_create,
    deadline_update,
    proceeding_create,
    proceeding_update,
)
from warrants.models import Deadline, Notice, Proceeding, Warrant
from warrants.proceedings import ProceedingKind
from warrants.selectors import (
    deadlines_visible_to,
    notices_visible_to,
    proceedings_visible_to,
    warrants_visible_to,
)
from web import records
from web.editing import save_page
from web.forms import DATE_INPUT, RecordForm, offer
from web.views import transition_forms

from .forms import RecordChoiceField, RecordMultipleChoiceField
from .views import record_events


class ProceedingForm(RecordForm):
    """Record a proceeding (case and kind are then fixed, as in the API) or edit one."""

    FIXED_AFTER_CREATION = ("case", "kind")

    case = forms.ModelChoiceField(label=gettext_lazy("Case"), queryset=Case.objects.none())
    appeal = RecordChoiceField(
        label=gettext_lazy("Part of the appeal"),
        queryset=Proceeding.objects.none(),
        required=False,
        help_text=gettext_lazy("For a hearing or decision of an appeal of the same case."),
    )
    warrants = RecordMultipleChoiceField(
        label=gettext_lazy("Warrants"),
        queryset=Warrant.objects.none(),
        required=False,
        help_text=gettext_lazy("The warrants it concerns, e.g. the one an appeal is against."),
    )
    charges = RecordMultipleChoiceField(
        label=gettext_lazy("Charges"), queryset=Charge.objects.none(), required=False
    )

    class Meta:
        model = Proceeding
        fields = [
            "case",
            "kind",
            "court",
            "chamber",
            "reference",
            "date",
            "time",
            "outcome",
            "appeal",
            "warrants",
            "charges",
            "remind_days_before",
        ]
        labels = {
            "kind": gettext_lazy("Kind"),
            "court": gettext_lazy("Court"),
            "chamber": gettext_lazy("Chamber"),
            "reference": gettext_lazy("Reference"),
            "date": gettext_lazy("Date"),
            "time": gettext_lazy("Time"),
            "outcome": gettext_lazy("Outcome"),
            "remind_days_before": gettext_lazy("Remind days before"),
        }
        widgets = {
            "date": DATE_INPUT,
            "time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "outcome": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user, case: Case | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        case_id = self.instance.case_id if self.existing else (case.pk if case else None)
        if not self.existing:
            offer(self.fields["case"], cases_visible_to(user))
        appeals = proceedings_visible_to(user).filter(kind=ProceedingKind.APPEAL_LODGED)
        warrants = warrants_visible_to(user)
        charges = charges_visible_to(user)
        if case_id:
            appeals, warrants = appeals.filter(case_id=case_id), warrants.filter(case_id=case_id)
            charges = charges.filter(case_id=case_id)
        offer(self.fields["appeal"], appeals.exclude(pk=self.instance.pk), user)
        offer(self.fields["warrants"], warrants, user)
        offer(self.fields["charges"], charges, user)

    def values(self) -> dict:
        data = self.changes()
        data["warrants"] = list(self.cleaned_data["warrants"])
        data["charges"] = list(self.cleaned_data["charges"])
        return data


class DeadlineForm(RecordForm):
    """Record a deadline (its case is then fixed) or edit one."""

    FIXED_AFTER_CREATION = ("case",)

    case = forms.ModelChoiceField(label=gettext_lazy("Case"), queryset=Case.objects.none())
    proceeding = RecordChoiceField(
        label=gettext_lazy("Follows from"), queryset=Proceeding.objects.none(), required=False
    )
    warrant = RecordChoiceField(
        label=gettext_lazy("Warrant"), queryset=Warrant.objects.none(), required=False
    )
    notice = RecordChoiceField(
        label=gettext_lazy("Notice"), queryset=Notice.objects.none(), required=False
    )

    class Meta:
        model = Deadline
        fields = [
            "case",
            "kind",
            "title",
            "due_on",
            "proceeding",
            "warrant",
            "notice",
            "remind_days_before",
        ]
        labels = {
            "kind": gettext_lazy("Kind"),
            "title": gettext_lazy("What is due"),
            "due_on": gettext_lazy("Due on"),
            "remind_days_before": gettext_lazy("Remind days before"),
        }
        widgets = {"due_on": DATE_INPUT}

    def __init__(self, *args, user, case: Case | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        case_id = self.instance.case_id if self.existing else (case.pk if case else None)
        if not self.existing:
            offer(self.fields["case"], cases_visible_to(user))
        proceedings, warrants = proceedings_visible_to(user), warrants_visible_to(user)
        notices = notices_visible_to(user)
        if case_id:
            proceedings, warrants = (
                proceedings.filter(case_id=case_id),
                warrants.filter(case_id=case_id),
            )
            notices = notices.filter(warrant__case_id=case_id)
        offer(self.fields["proceeding"], proceedings, user)
        offer(self.fields["warrant"], warrants, user)
        offer(self.fields["notice"], notices, user)


def _case_param(request: HttpRequest) -> Case | None:
    try:
        case_id = UUID(request.GET.get("case", ""))
    except ValueError:
        return None
    return cases_visible_to(request.user).filter(pk=case_id).first()


def _back_to(case: Case | None, fallback: tuple[str, str]) -> tuple[str, str]:
    return (reverse("cases:detail", args=[case.pk]), case.reference) if case else fallback


@login_required
def proceeding_detail(request: HttpRequest, pk) -> HttpResponse:
    user = request.user
    proceeding = get_object_or_404(proceedings_visible_to(user), pk=pk)
    here = request.get_full_path()
    return render(
        request,
        "warrants/proceeding.html",
        {
            "proceeding": proceeding,
            "forms": transition_forms(proceeding, user, here),
            "warrants": [(w, records.label(w, user)) for w in proceeding.warrants.all()],
            "charges": [
                records.label(c, user)
                for c in charges_visible_to(user).filter(proceedings=proceeding)
            ],
            "steps": proceedings_visible_to(user).filter(appeal=proceeding),
            "deadlines": deadlines_visible_to(user).filter(proceeding=proceeding),
            "events": record_events(user, proceeding).order_by("-seq"),
        },
    )


@login_required
def deadline_detail(request: HttpRequest, pk) -> HttpResponse:
    user = request.user
    deadline = get_object_or_404(deadlines_visible_to(user), pk=pk)
    return render(
        request,
        "warrants/deadline.html",
        {
            "deadline": deadline,
            "warrant_label": records.label(deadline.warrant, user) if deadline.warrant else "",
            "notice_label": records.label(deadline.notice, user) if deadline.notice else "",
            "forms": transition_forms(deadline, user, request.get_full_path()),
            "events": record_events(user, deadline).order_by("-seq"),
        },
    )


@login_required
@permission_required("warrants.add_proceeding", raise_exception=True)
def proceeding_new(request: HttpRequest) -> HttpResponse:
    """Record a hearing, decision, appeal or judgment (?case= and ?kind= preset the form)."""
    user = request.user
    case = _case_param(request)
    kind = request.GET.get("kind")
    initial = {"case": case, "kind": kind if kind in ProceedingKind.values else None}
    form = ProceedingForm(request.POST or None, user=user, case=case, initial=initial)
    return save_page(
        request,
        form=form,
        write=lambda: proceeding_create(actor=Actor.for_user(user), **form.values()),
        saved=_("Proceeding recorded."),
        heading=_("New proceeding"),
        back=_back_to(case, (reverse("warrants:calendar"), _("Calendar"))),
    )


@login_required
@permission_required("warrants.change_proceeding", raise_exception=True)
def proceeding_edit(request: HttpRequest, pk) -> HttpResponse:
    """Edit a proceeding; its case and kind are fixed, its status moves by transitions."""
    user = request.user
    proceeding = get_object_or_404(proceedings_visible_to(user), pk=pk)
    form = ProceedingForm(request.POST or None, instance=proceeding, user=user)
    return save_page(
        request,
        form=form,
        write=lambda: proceeding_update(
            proceeding_id=pk,
            actor=Actor.for_user(user),
            **form.values(),
            expected_version=form.cleaned_data["expected_version"],
        ),
        saved=_("Proceeding saved."),
        heading=_("Edit %(name)s") % {"name": records.label(proceeding, user)},
        back=(reverse("warrants:proceeding", args=[pk]), records.label(proceeding, user)),
    )


@login_required
@permission_required("warrants.add_deadline", raise_exception=True)
def deadline_new(request: HttpRequest) -> HttpResponse:
    """Record a deadline of a case (?case= presets it)."""
    user = request.user
    case = _case_param(request)
    form = DeadlineForm(request.POST or None, user=user, case=case, initial={"case": case})
    return save_page(
        request,
        form=form,
        write=lambda: deadline_create(actor=Actor.for_user(user), **form.changes()),
        saved=_("Deadline recorded."),
        heading=_("New deadline"),
        back=_back_to(case, (reverse("warrants:calendar"), _("Calendar"))),
    )


@login_required
@permission_required("warrants.change_deadline", raise_exception=True)
def deadline_edit(request: HttpRequest, pk) -> HttpResponse:
    """Edit a deadline; its case is fixed, its status moves by transitions."""
    user = request.user
    deadline = get_object_or_404(deadlines_visible_to(user), pk=pk)
    form = DeadlineForm(request.POST or None, instance=deadline, user=user)
    return save_page(
        request,
        form=form,
        write=lambda: deadline_update(deadline_id=pk, actor=Actor.for_user(user), **form.update()),
        saved=_("Deadline saved."),
        heading=_("Edit %(name)s") % {"name": str(deadline)},
        back=(reverse("warrants:deadline", args=[pk]), str(deadline)),
    )
