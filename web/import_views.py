"""The CSV import page (staff): the same check and import as `manage.py import_csv`
(cases.imports), as the signed-in user: check the file first (every problem by line and
field, nothing written), then import it (all or nothing; rows already there are skipped)."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases import imports
from core.events import Actor

MAX_BYTES = 5 * 1024 * 1024


class ImportForm(forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("The file holds"),
        choices=[("parties", gettext_lazy("parties")), ("cases", gettext_lazy("cases"))],
    )
    file = forms.FileField(
        label=gettext_lazy("CSV file (UTF-8, header line first)"),
        help_text=gettext_lazy("Columns: see docs/operations.md, Importing parties and cases."),
    )
    really = forms.BooleanField(
        required=False,
        label=gettext_lazy("Import it now (otherwise only check it)"),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(_("The file is over 5 MB: import it with manage.py."))
        return upload


def _may_import(user) -> bool:
    return user.has_perm("parties.add_party") or user.has_perm("cases.add_case")


@login_required
def csv_import(request: HttpRequest) -> HttpResponse:
    if not _may_import(request.user):
        raise PermissionDenied
    form = ImportForm(request.POST or None, request.FILES or None)
    plan = None
    done = False
    if request.method == "POST" and form.is_valid():
        kind, data = form.cleaned_data["kind"], form.cleaned_data["file"].read()
        actor = Actor.for_user(request.user)
        try:
            if form.cleaned_data["really"]:
                plan = imports.run(kind, data, actor)
                done = not plan.problems
            else:
                plan = imports.check(kind, data, actor)
        except imports.ImportRefused as refused:
            form.add_error("file", str(refused))
        except PermissionDenied as refused:
            form.add_error("kind", str(refused))
    status = 400 if request.method == "POST" and (not form.is_valid() or plan is None) else 200
    if plan is not None and plan.problems:
        status = 400
    return render(
        request, "web/import.html", {"form": form, "plan": plan, "done": done}, status=status
    )
