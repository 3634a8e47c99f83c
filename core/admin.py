"""The Django admin as back office: every write goes through the actions.

`RecordAdmin` saves creations and edits with `record_create` / `record_update`
(so they are validated, versioned, audited and, for creations, recorded as
Events) and offers each workflow transition allowed from the record's status
as a button leading to the shared transition form (`core.forms`:
effective date, note, confirmation for irreversible moves) that calls the
record's named transition action. Status is never an editable field.
History: pghistory's "Events" link on every record.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from core.actions import VersionConflict, record_create, record_update
from core.events import Actor
from core.forms import TransitionForm, apply_errors
from core.models import Event
from core.review import review_record
from core.workflow import InvalidTransition, Transition

admin.site.site_header = _("casetracker back office")
admin.site.site_title = _("casetracker")


class RecordAdmin(admin.ModelAdmin):
    """Base admin of every domain record."""

    change_form_template = "admin/casetracker/record_change_form.html"
    transition_action: Callable[..., tuple[Any, Event]] | None = None
    base_readonly = ("id", "version", "created_at", "updated_at")
    show_full_result_count = False

    def get_readonly_fields(self, request, obj=None):
        extra = [
            f.name
            for f in self.model._meta.concrete_fields
            if not f.editable and f.name not in self.base_readonly
        ]
        return [*self.base_readonly, *extra, *self.readonly_fields]

    def has_delete_permission(self, request, obj=None):
        return False  # legal records are never deleted; they end in a final status

    def save_model(self, request, obj, form, change):
        actor = Actor.for_user(request.user)
        opts = self.model._meta
        fields = {
            name: value
            for name, value in form.cleaned_data.items()
            if name in {f.name for f in opts.concrete_fields}
        }
        if change:
            changed = {n: fields[n] for n in form.changed_data if n in fields}
            saved = record_update(
                queryset=self.model._default_manager.all(),
                pk=obj.pk,
                actor=actor,
                perm=f"{opts.app_label}.change_{opts.model_name}",
                changes=changed,
            )
        else:
            saved = record_create(
                model=self.model,
                actor=actor,
                perm=f"{opts.app_label}.add_{opts.model_name}",
                fields=fields,
            )
        # The admin goes on with `obj` (m2m, redirect): make it the saved row.
        obj.__dict__.update(saved.__dict__)
        obj._state.adding = False

    def save_formset(self, request, form, formset, change):
        """Inline records (e.g. positions) are written through the actions too."""
        actor = Actor.for_user(request.user)
        model = formset.model
        opts = model._meta
        # The admin's change message reads these.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for inline_form in formset.forms:
            if not inline_form.has_changed() or inline_form in formset.deleted_forms:
                continue
            data = {
                n: v
                for n, v in inline_form.cleaned_data.items()
                if n in {f.name for f in opts.concrete_fields} and n != "id"
            }
            data[formset.fk.name] = form.instance
            if inline_form.instance._state.adding:
                created = record_create(
                    model=model,
                    actor=actor,
                    fields=data,
                    perm=f"{opts.app_label}.add_{opts.model_name}",
                )
                formset.new_objects.append(created)
            else:
                changes = {n: data[n] for n in inline_form.changed_data if n in data}
                saved = record_update(
                    queryset=model._default_manager.all(),
                    pk=inline_form.instance.pk,
                    actor=actor,
                    perm=f"{opts.app_label}.change_{opts.model_name}",
                    changes=changes,
                )
                formset.changed_objects.append((saved, list(changes)))

    # Transitions ---------------------------------------------------------------

    def get_urls(self):
        opts = self.model._meta
        return [
            path(
                "<uuid:object_id>/transition/<str:name>/",
                self.admin_site.admin_view(self.transition_view),
                name=f"{opts.app_label}_{opts.model_name}_transition",
            ),
            *super().get_urls(),
        ]

    def allowed_transitions(self, request: HttpRequest, obj: Any) -> list[Transition]:
        if self.transition_action is None or obj is None:
            return []
        return obj.workflow.allowed_for(obj, request.user)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        opts = self.model._meta
        context["transitions"] = [
            (
                t,
                reverse(
                    f"admin:{opts.app_label}_{opts.model_name}_transition", args=[obj.pk, t.name]
                ),
            )
            for t in self.allowed_transitions(request, obj)
        ]
        return super().render_change_form(request, context, add, change, form_url, obj)

    def transition_view(self, request: HttpRequest, object_id: str, name: str):
        obj = get_object_or_404(self.get_queryset(request), pk=object_id)
        permission = obj.workflow.permission
        if not self.has_view_permission(request, obj) or not request.user.has_perm(permission):
            raise PermissionDenied
        change_url = reverse(
            f"admin:{self.model._meta.app_label}_{self.model._meta.model_name}_change",
            args=[obj.pk],
        )
        try:
            move = obj.workflow.move(obj.status, name)
        except InvalidTransition as error:
            messages.error(request, str(error))
            return HttpResponseRedirect(change_url)
        form = TransitionForm(request.POST or None, move=move)
        if request.method == "POST" and form.is_valid():
            try:
                self.perform_transition(request, obj, move, form.cleaned_data)
            except (InvalidTransition, PermissionDenied, VersionConflict) as error:
                messages.error(request, str(error))
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("%(obj)s: %(name)s done.") % {"obj": obj, "name": name})
                return HttpResponseRedirect(change_url)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": obj,
            "move": move,
            "form": form,
            "title": f"{name.replace('_', ' ').capitalize()}: {obj}",
            "today": datetime.date.today(),
            "change_url": change_url,
        }
        return TemplateResponse(request, "admin/casetracker/transition_form.html", context)

    def perform_transition(self, request, obj, move: Transition, data: dict) -> None:
        assert self.transition_action is not None
        self.transition_action(
            **{f"{obj.RESOURCE}_id": obj.pk},
            transition=move.name,
            actor=Actor.for_user(request.user),
            effective_date=data.get("effective_date"),
            note=data.get("note", ""),
            expected_version=obj.version,
        )


class ReviewableAdmin(RecordAdmin):
    """Approve / request changes as admin actions, through the review action."""

    review_perm = ""
    actions = ["approve", "request_changes"]

    def _review(self, request, queryset, decision: str) -> None:
        actor = Actor.for_user(request.user)
        for record in queryset:
            review_record(
                queryset=queryset.model.objects.all(),
                pk=record.pk,
                actor=actor,
                perm=self.review_perm,
                decision=decision,
                comment="Changes requested from the back office."
                if decision == "request_changes"
                else "",
            )
        messages.success(request, f"{queryset.count()} reviewed: {decision}.")

    @admin.action(description="Approve (lawyers)", permissions=["review"])
    def approve(self, request, queryset):
        self._review(request, queryset, "approve")

    @admin.action(description="Request changes (lawyers)", permissions=["review"])
    def request_changes(self, request, queryset):
        self._review(request, queryset, "request_changes")

    def has_review_permission(self, request):
        return request.user.has_perm(self.review_perm)
