from django.contrib import admin
from django.db.models import Q

from core.admin import ReviewableAdmin
from core.events import Actor

from .actions import party_update
from .models import Party, Position
from .selectors import can_see_protected


class PositionInline(admin.TabularInline):
    model = Position
    extra = 0
    fields = ("title", "organisation", "function", "started_on", "ended_on")


@admin.register(Party)
class PartyAdmin(ReviewableAdmin):
    review_perm = "parties.review_party"
    list_display = ("__str__", "kind", "custody", "protected", "review", "updated_at")
    list_filter = ("kind", "custody", "protected", "review")
    search_fields = ("name", "name_original", "aliases", "pseudonym")
    inlines = [PositionInline]

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        # Set at creation; afterwards only through party_set_protection (with a note, an
        # Event and an alert): the party's page offers it to those who may see identities.
        return [*fields, "protected"] if obj is not None else fields

    def save_model(self, request, obj, form, change):
        if not change:
            return super().save_model(request, obj, form, change)
        # Through party_update, so its guards of protected identities hold here too.
        concrete = {f.name for f in Party._meta.concrete_fields}
        saved = party_update(
            party_id=obj.pk,
            actor=Actor.for_user(request.user),
            **{n: form.cleaned_data[n] for n in form.changed_data if n in concrete},
        )
        obj.__dict__.update(saved.__dict__)
        obj._state.adding = False

    def has_view_permission(self, request, obj=None):
        # A protected identity is not viewable at all without the permission.
        if obj is not None and obj.protected and not can_see_protected(request.user):
            return False
        return super().has_view_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.protected and not can_see_protected(request.user):
            return False
        return super().has_change_permission(request, obj)

    def get_search_results(self, request, queryset, search_term):
        results, distinct = super().get_search_results(request, queryset, search_term)
        if search_term and not can_see_protected(request.user):
            results = results.filter(protected=False) | queryset.filter(
                Q(protected=True, pseudonym__icontains=search_term)
            )
        return results, distinct
