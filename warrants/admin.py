from django.contrib import admin

from core.admin import RecordAdmin

from . import actions
from .models import Notice, Warrant
from .selectors import shown_immunity_risk


@admin.register(Warrant)
class WarrantAdmin(RecordAdmin):
    transition_action = staticmethod(actions.warrant_transition)
    list_display = ("__str__", "case", "issuing_country", "issued_on", "status", "immunity_risk")
    list_filter = ("status", "kind", "issuing_country")
    search_fields = ("reference", "issuing_authority", "case__reference", "subject__pseudonym")
    autocomplete_fields = ("case", "subject", "supersedes", "charges")
    list_select_related = ("subject", "case")
    readonly_fields = ("immunity_risk",)

    @admin.display(boolean=True, description="immunity risk")
    def immunity_risk(self, obj):
        # As the reader may see it: unknown for a protected subject to who may not see them.
        return getattr(obj, "shown_immunity_risk", None)

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(shown_immunity_risk=shown_immunity_risk(request.user))
        )


@admin.register(Notice)
class NoticeAdmin(RecordAdmin):
    transition_action = staticmethod(actions.notice_transition)
    list_display = (
        "__str__",
        "kind",
        "interpol_id",
        "requesting_country",
        "status",
        "public_listing",
    )
    list_filter = ("status", "kind", "requesting_country", "public_listing", "visibility")
    search_fields = ("interpol_id", "subject__pseudonym")
    autocomplete_fields = ("subject", "warrant")
    list_select_related = ("subject",)
