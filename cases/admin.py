from django.contrib import admin

from core.admin import RecordAdmin, ReviewableAdmin

from . import actions
from .models import Case, Charge, Incident, Participation, Representation


class IncidentInline(admin.StackedInline):
    model = Incident
    extra = 0
    can_delete = False
    fields = ("title", "started_on", "ended_on", "place", "casualties", "description")


@admin.register(Case)
class CaseAdmin(RecordAdmin):
    transition_action = staticmethod(actions.case_transition)
    list_display = ("reference", "title", "jurisdiction", "forum", "status", "updated_at")
    list_filter = ("status", "jurisdiction", "basis")
    search_fields = ("reference", "title", "forum", "summary")
    date_hierarchy = "opened_on"
    inlines = [IncidentInline]


@admin.register(Incident)
class IncidentAdmin(RecordAdmin):
    list_display = ("title", "case", "started_on", "place", "casualties")
    list_filter = ("case",)
    search_fields = ("title", "place", "description")
    autocomplete_fields = ("case",)


@admin.register(Participation)
class ParticipationAdmin(RecordAdmin):
    transition_action = staticmethod(actions.participation_transition)
    list_display = ("party", "role", "case", "status")
    list_filter = ("role", "status", "case")
    search_fields = ("case__reference", "party__pseudonym")
    autocomplete_fields = ("case", "party")
    list_select_related = ("party", "case")

    def get_readonly_fields(self, request, obj=None):
        # Role, case and party are fixed once created (the workflow depends on the role).
        fixed = ("case", "party", "role") if obj else ()
        return [*super().get_readonly_fields(request, obj), *fixed]


@admin.register(Representation)
class RepresentationAdmin(RecordAdmin):
    transition_action = staticmethod(actions.representation_transition)
    list_display = ("counsel", "client", "bar", "status")
    list_filter = ("status", "bar")
    autocomplete_fields = ("counsel", "client")
    list_select_related = ("counsel", "client__party")
    search_fields = ("bar", "client__case__reference")


@admin.register(Charge)
class ChargeAdmin(ReviewableAdmin):
    review_perm = "cases.review_charge"
    transition_action = staticmethod(actions.charge_transition)
    list_display = ("label", "accused", "case", "offence", "mode_of_liability", "status", "review")
    list_filter = ("status", "review", "offence", "mode_of_liability")
    search_fields = ("label", "qualification_text", "case__reference")
    autocomplete_fields = ("case", "accused")
    list_select_related = ("accused__party", "case")
