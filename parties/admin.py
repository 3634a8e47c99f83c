from django.contrib import admin
from django.db.models import Q

from core.admin import ReviewableAdmin

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
