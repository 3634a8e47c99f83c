"""Readers of alerts and webhooks, scoped to who asks."""

from django.db.models import Prefetch, QuerySet

from .models import Alert, DeliveryAttempt, Subscription, WebhookDelivery, WebhookEndpoint


def alerts_visible_to(user) -> QuerySet[Alert]:
    """Every alert, for those who may read alerts (titles never carry protected identities)."""
    if not (user and user.has_perm("alerts.view_alert")):
        return Alert.objects.none()
    return Alert.objects.select_related("event", "case", "acknowledged_by", "resolved_by")


def webhooks_visible_to(user) -> QuerySet[WebhookEndpoint]:
    """A user's own endpoints; an admin sees everyone's."""
    if not (user and user.is_authenticated):
        return WebhookEndpoint.objects.none()
    endpoints = WebhookEndpoint.objects.select_related("owner")
    return endpoints if user.is_superuser else endpoints.filter(owner=user)


def deliveries_of(endpoint: WebhookEndpoint) -> QuerySet[WebhookDelivery]:
    """An endpoint's deliveries, newest first, each with its attempt log."""
    return (
        WebhookDelivery.objects.filter(endpoint=endpoint)
        .select_related("event")
        .prefetch_related(
            Prefetch("attempt_log", queryset=DeliveryAttempt.objects.order_by("attempted_at"))
        )
    )


def subscriptions_of(user) -> QuerySet[Subscription]:
    """A user's own subscriptions (everyone's, admins included: following is personal)."""
    if not (user and user.is_authenticated):
        return Subscription.objects.none()
    return Subscription.objects.filter(user=user).select_related("case", "party")
