from django.contrib import admin, messages

from core.events import Actor
from core.workflow import InvalidTransition

from .actions import alert_transition
from .models import Alert, AlertRule, Subscription, WebhookDelivery, WebhookEndpoint


@admin.register(Alert)
class AlertAdmin(admin.ModelAdmin):
    list_display = ("title", "severity", "status", "case", "created_at")
    list_filter = ("status", "severity")
    search_fields = ("title", "message", "case__reference")
    readonly_fields = [f.name for f in Alert._meta.concrete_fields]
    actions = ["acknowledge", "resolve"]

    def has_add_permission(self, request):
        return False  # alerts are raised by rules and checks

    def has_delete_permission(self, request, obj=None):
        return False

    def _move(self, request, queryset, transition: str) -> None:
        actor, done = Actor.for_user(request.user), 0
        for alert in queryset:
            try:
                alert_transition(alert_id=alert.pk, transition=transition, actor=actor)
                done += 1
            except InvalidTransition as error:
                messages.warning(request, f"{alert}: {error}")
        messages.success(request, f"{done} alert(s): {transition}d.")

    @admin.action(description="Acknowledge")
    def acknowledge(self, request, queryset):
        self._move(request, queryset, "acknowledge")

    @admin.action(description="Resolve")
    def resolve(self, request, queryset):
        self._move(request, queryset, "resolve")


@admin.register(AlertRule)
class AlertRuleAdmin(admin.ModelAdmin):
    """The rule table is data: admins adjust severities and titles without code."""

    list_display = ("priority", "event_type", "match", "severity", "title", "raises", "enabled")
    list_editable = ("severity", "raises", "enabled")
    list_display_links = ("event_type",)
    ordering = ("priority", "id")


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    list_display = ("user", "case", "party", "min_severity", "created_at")
    raw_id_fields = ("user", "case", "party")


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(admin.ModelAdmin):
    list_display = ("url", "owner", "active", "consecutive_failures", "disabled_reason")
    list_filter = ("active",)
    readonly_fields = (
        "previous_secret_expires_at",
        "disabled_at",
        "disabled_reason",
        "consecutive_failures",
        "owner_notified_at",
    )
    exclude = ("secret", "previous_secret")
    raw_id_fields = ("owner",)


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    list_display = ("event", "endpoint", "status", "attempts", "next_attempt_at", "delivered_at")
    list_filter = ("status",)
    readonly_fields = [f.name for f in WebhookDelivery._meta.concrete_fields]

    def has_add_permission(self, request):
        return False
