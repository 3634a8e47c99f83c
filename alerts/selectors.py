"""Readers of alerts and webhooks, scoped to who asks."""

from django.db.models import Case, F, Prefetch, QuerySet, When

from parties.selectors import can_see_protected

from .models import (
    Alert,
    DeliveryAttempt,
    InterpolMatch,
    Subscription,
    WebhookDelivery,
    WebhookEndpoint,
)


def alerts_for_reader(alerts: QuerySet[Alert], user) -> QuerySet[Alert]:
    """`alerts` as `user` may read them, with their titles (`Alert.shown_title`).

    Stored titles name no party: `{subject}` stands for `Alert.party`, whose name is
    annotated here as `party_shown_name` (the real name for those who may see protected
    identities, else a protected party's pseudonym), so protecting a party hides its
    name at once in every alert, raised before the protection or after. For the same
    readers, an alert that `reveals_identity` of a party protected now is left out.
    """
    shown: F | Case
    if can_see_protected(user):
        shown = F("party__name")
    else:
        alerts = alerts.exclude(reveals_identity=True, party__protected=True)
        # A protected party always has a pseudonym (constraint party_protected_has_pseudonym).
        shown = Case(
            When(party__protected=True, then=F("party__pseudonym")), default=F("party__name")
        )
    # An alert without a party gets NULL (a LEFT JOIN): shown_title says "an unknown party".
    return alerts.annotate(party_shown_name=shown)


def alerts_visible_to(user) -> QuerySet[Alert]:
    """The alerts `user` may read (all, for those who may see protected identities), with
    titles naming parties as `user` may see them (see alerts_for_reader). The one alert
    reader of the API and the web."""
    if not (user and user.has_perm("alerts.view_alert")):
        return Alert.objects.none()
    alerts = Alert.objects.select_related("event", "case", "acknowledged_by", "resolved_by")
    return alerts_for_reader(alerts, user)


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


def interpol_matches_visible_to(user) -> QuerySet[InterpolMatch]:
    """Possible INTERPOL matches `user` may read: those who read alerts; a match of a party
    protected now only for those who may see protected identities (the public notice shows
    the person's real name, as its alert does: Alert.reveals_identity)."""
    if not (user and user.has_perm("alerts.view_alert")):
        return InterpolMatch.objects.none()
    matches = InterpolMatch.objects.select_related("party", "alert", "notice", "decided_by")
    if not can_see_protected(user):
        matches = matches.exclude(party__protected=True)
    return matches
