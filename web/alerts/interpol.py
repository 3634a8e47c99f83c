"""A possible INTERPOL match (alerts.interpol_watch): the accused person beside the public red
notice, and the two decisions, confirm (records the red notice) or dismiss."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from alerts import interpol_watch
from alerts.models import InterpolMatch
from alerts.selectors import interpol_matches_visible_to
from core.events import Actor
from warrants.models import Warrant


class WarrantChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.reference or obj.pk} ({obj.issuing_authority})"


class ConfirmForm(forms.Form):
    warrant = WarrantChoiceField(
        label=gettext_lazy("Issued warrant the red notice rests on"),
        queryset=Warrant.objects.none(),
    )
    note = forms.CharField(
        label=gettext_lazy("Note (optional)"), required=False, widget=forms.Textarea({"rows": 2})
    )

    def __init__(self, *args, match: InterpolMatch, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["warrant"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Warrant.objects.filter(subject=match.party, status="issued")
        if field.queryset.count() == 1:
            field.initial = field.queryset.first()


class DismissForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("Why it is not this person"), widget=forms.Textarea({"rows": 2})
    )


def _page(
    request: HttpRequest, match: InterpolMatch, confirm=None, dismiss=None, status=200, error=""
):
    return render(
        request,
        "alerts/interpol_match.html",
        {
            "match": match,
            "public_url": interpol_watch.PUBLIC_PAGE.format(match.entity_id),
            "confirm_form": confirm or ConfirmForm(match=match),
            "dismiss_form": dismiss or DismissForm(),
            "may_decide": request.user.has_perm(interpol_watch.DECIDE_PERM)
            and match.status == "open",
            "error": error,
        },
        status=status,
    )


@permission_required("alerts.view_alert", raise_exception=True)
@require_GET
def match_detail(request: HttpRequest, pk) -> HttpResponse:
    return _page(request, get_object_or_404(interpol_matches_visible_to(request.user), pk=pk))


@permission_required("alerts.view_alert", raise_exception=True)
@require_POST
def match_decide(request: HttpRequest, pk, decision: str) -> HttpResponse:
    """Confirm or dismiss; a refusal (already decided, no issued warrant) is a form error."""
    match = get_object_or_404(interpol_matches_visible_to(request.user), pk=pk)
    if not request.user.has_perm(interpol_watch.DECIDE_PERM):
        raise PermissionDenied("Deciding on a match needs the permission to edit notices.")
    actor = Actor.for_user(request.user)
    form: forms.Form
    if decision == "confirm":
        form = ConfirmForm(request.POST, match=match)
    elif decision == "dismiss":
        form = DismissForm(request.POST)
    else:
        raise Http404("Decide by confirm or dismiss.")
    error = ""
    if form.is_valid():
        try:
            if decision == "confirm":
                notice = interpol_watch.match_confirm(
                    match_id=match.pk,
                    actor=actor,
                    warrant_id=form.cleaned_data["warrant"].pk,
                    note=form.cleaned_data["note"],
                )[1]
                messages.success(
                    request, _("Red notice %(id)s recorded.") % {"id": match.entity_id}
                )
                return redirect("warrants:notice", notice.pk)
            interpol_watch.match_dismiss(
                match_id=match.pk, actor=actor, note=form.cleaned_data["note"]
            )
            messages.success(request, _("Match dismissed: it will not be raised again."))
            return redirect("alerts:interpol_match", match.pk)
        except ValidationError as refused:  # already decided, no issued warrant
            error = " ".join(refused.messages)
    forms_ = {"confirm": form} if decision == "confirm" else {"dismiss": form}
    match.refresh_from_db()
    return _page(request, match, status=400, error=error, **forms_)
