"""`/api/v1/alerts/` (read, acknowledge, resolve), `/api/v1/subscriptions/` (follow a case, a
party or a severity) and `/api/v1/webhooks/` (domain.md §4)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from alerts import selectors, webhooks
from alerts.actions import (
    AlreadySubscribed,
    alert_transition,
    subscription_create,
    subscription_delete,
)
from alerts.models import (
    Alert,
    DeliveryAttempt,
    DeliveryStatus,
    Severity,
    Subscription,
    WebhookDelivery,
    WebhookEndpoint,
)
from alerts.payloads import RESOURCE_PATHS
from alerts.workflows import ALERT
from api.alerts import interpol
from api.authentication import actor_for
from api.cases.serializers import CaseSummarySerializer
from api.filters import Param, ParamFilter, StrictOrderingFilter
from api.pagination import CursorPagination
from api.parties.serializers import PartySummarySerializer
from api.permissions import Authenticated
from api.problems import problem
from api.serializers import StrictModelSerializer, allowed_transitions_for, uuid_ref
from api.viewsets import UUID_PATTERN, RecordViewSet, TransitionsMixin
from cases.models import Case
from cases.selectors import cases_visible_to
from parties.models import Party
from parties.selectors import parties_visible_to

# --- alerts ----------------------------------------------------------------------------------


class AlertSerializer(StrictModelSerializer):
    title = serializers.CharField(
        source="shown_title",
        read_only=True,
        help_text="One line a person understands. A party is named as you may see it now: a "
        "protected party by its pseudonym unless you may see protected identities, also in "
        "alerts raised before it was protected.",
    )
    party = serializers.UUIDField(
        source="party_id",
        allow_null=True,
        read_only=True,
        help_text="The party the alert is mainly about (the one its title names), if any.",
    )
    event = serializers.UUIDField(
        source="event.id", allow_null=True, default=None, help_text="The event that raised it."
    )
    case = serializers.UUIDField(source="case_id", allow_null=True, help_text="The case, if any.")
    subject = serializers.SerializerMethodField(
        help_text="The record it is about: `resource`, `id` and `url`, its API path."
    )
    acknowledged_by: Any = serializers.SlugRelatedField(
        slug_field="username", read_only=True, help_text="Who acknowledged it."
    )
    resolved_by: Any = serializers.SlugRelatedField(
        slug_field="username", read_only=True, help_text="Who resolved it."
    )
    allowed_transitions = serializers.SerializerMethodField(
        help_text="Transitions you may perform now."
    )

    class Meta:
        model = Alert
        fields = [
            "id",
            "version",
            "created_at",
            "updated_at",
            "severity",
            "title",
            "message",
            "event",
            "condition",
            "case",
            "subject",
            "party",
            "status",
            "allowed_transitions",
            "acknowledged_by",
            "acknowledged_at",
            "resolved_by",
            "resolved_at",
            "resolution_note",
        ]
        read_only_fields = fields

    def get_subject(self, alert: Alert) -> dict[str, Any] | None:
        if not alert.subject_id:
            return None
        path = RESOURCE_PATHS.get(alert.subject_resource, alert.subject_resource)
        return {
            "resource": alert.subject_resource,
            "id": str(alert.subject_id),
            "url": f"/api/v1/{path}/{alert.subject_id}/",
        }

    def get_allowed_transitions(self, alert: Alert) -> list[str]:
        return allowed_transitions_for(alert, self.context.get("request"))


class AlertViewSet(TransitionsMixin, RecordViewSet):
    """Alerts raised by events and periodic checks. Acknowledge and resolve through
    `transitions/` (`{"transition": "acknowledge"}`; a resolution may carry a `note`, kept as
    `resolution_note`); these are audited, never events. A periodic check resolves its own
    alert when the condition clears (`resolved_by` null, note "condition cleared: ...")."""

    queryset_model = Alert
    selector = selectors.alerts_visible_to
    serializer_class = AlertSerializer
    ordering_fields = ["created_at", "updated_at"]
    filters = [
        Param("status", "status", "choice", "Alert status.", ALERT.states, many=True),
        Param("severity", "severity", "choice", "Severity.", Severity.values, many=True),
        Param("case", "case_id", "uuid", "Only alerts about this case."),
        Param("subject", "subject_id", "uuid", "Only alerts about this record."),
    ]

    def transition_record(self, pk: Any, **kwargs: Any) -> Any:
        return alert_transition(
            alert_id=pk,
            transition=kwargs["transition"],
            actor=kwargs["actor"],
            note=kwargs.get("note", ""),
        )


# --- subscriptions ---------------------------------------------------------------------------


class SubscriptionSerializer(StrictModelSerializer):
    """One thing you follow: a case, a party, or every alert at least as severe as a level.
    Its alerts are emailed to you (critical and high at once, the rest in a daily digest)."""

    follows = serializers.SerializerMethodField(
        help_text="What it follows: case, party or severity."
    )
    case = uuid_ref(
        Case.objects.none(),
        "Follow every alert about this case (its id).",
        required=False,
        allow_null=True,
    )
    case_summary = CaseSummarySerializer(
        source="case", read_only=True, allow_null=True, help_text="The case followed."
    )
    party = uuid_ref(
        Party.objects.none(),
        "Follow every alert about this party: its warrants, notices and roles (its id).",
        required=False,
        allow_null=True,
    )
    party_summary = PartySummarySerializer(
        source="party",
        read_only=True,
        allow_null=True,
        help_text="The party followed (the pseudonym if protected and you may not see it).",
    )
    min_severity = serializers.ChoiceField(
        choices=Severity.choices,
        required=False,
        allow_null=True,
        help_text="Follow every alert at least this severe (critical, high, normal, info).",
    )

    class Meta:
        model = Subscription
        fields = [
            "id",
            "created_at",
            "follows",
            "case",
            "case_summary",
            "party",
            "party_summary",
            "min_severity",
        ]
        read_only_fields = ["id", "created_at"]
        validators: list = []  # "exactly one" and uniqueness are the action's to report

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Only what the caller may see can be followed; anything else "does not exist".
        user = getattr(self.context.get("request"), "user", None)
        fields: Any = self.fields
        fields["case"].queryset = cases_visible_to(user)
        fields["party"].queryset = parties_visible_to(user)

    @extend_schema_field(serializers.ChoiceField(choices=["case", "party", "severity"]))
    def get_follows(self, subscription: Subscription) -> str:
        if subscription.case_id:
            return "case"
        return "party" if subscription.party_id else "severity"

    def to_representation(self, instance: Subscription) -> dict[str, Any]:
        data = super().to_representation(instance)
        data["min_severity"] = data["min_severity"] or None
        return data


class SubscriptionViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """What you follow. Each subscription follows exactly one of a case (`case`), a party
    (`party`) or a severity (`min_severity`); following the same thing twice is a 409.
    You see and delete only your own (admins too). DELETE stops following."""

    serializer_class = SubscriptionSerializer
    permission_classes = [Authenticated]
    pagination_class = CursorPagination
    filter_backends = [ParamFilter, StrictOrderingFilter]
    filters = [
        Param(
            "follows",
            "follows",
            "choice",
            "Only subscriptions to cases, parties or severities.",
            ["case", "party", "severity"],
            apply=lambda qs, value, request: qs.filter(
                **{
                    "case": {"case__isnull": False},
                    "party": {"party__isnull": False},
                    "severity": {"case__isnull": True, "party__isnull": True},
                }[value]
            ),
        ),
        Param("case", "case_id", "uuid", "Only the subscription to this case."),
        Param("party", "party_id", "uuid", "Only the subscription to this party."),
    ]
    ordering_fields = ["created_at"]
    ordering = ["-created_at"]
    lookup_value_regex = UUID_PATTERN
    http_method_names = ["get", "post", "delete", "head", "options"]
    duplicate_is_conflict = True  # documents the 409 of `create` in the schema

    def get_queryset(self):
        return selectors.subscriptions_of(self.request.user)

    def check_permissions(self, request: Request) -> None:
        super().check_permissions(request)
        # Following is for those who may read alerts (every role); others get a clear 403.
        if not request.user.has_perm("alerts.view_alert"):
            raise exceptions.PermissionDenied(
                "Your role does not allow following alerts (alerts.view_alert)."
            )

    @extend_schema(request=SubscriptionSerializer, responses={201: SubscriptionSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            subscription = subscription_create(
                actor=actor_for(request),
                case=data.get("case"),
                party=data.get("party"),
                min_severity=data.get("min_severity") or "",
            )
        except AlreadySubscribed as already:
            return problem("conflict", 409, str(already))
        fresh = self.get_queryset().get(pk=subscription.pk)
        location = request.build_absolute_uri(f"{request.path}{subscription.pk}/")
        return Response(
            self.get_serializer(fresh).data,
            status=status.HTTP_201_CREATED,
            headers={"Location": location},
        )

    @extend_schema(summary="Stop following", responses={204: None})
    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        subscription_delete(actor=actor_for(request), subscription_id=self.get_object().pk)
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- webhooks --------------------------------------------------------------------------------


class WebhookSerializer(StrictModelSerializer):
    owner: Any = serializers.SlugRelatedField(
        slug_field="username", read_only=True, help_text="Whose endpoint it is."
    )
    event_types = serializers.ListField(
        child=serializers.CharField(max_length=64),
        help_text="Event types to send; a trailing * matches a prefix (warrant.*, *).",
    )

    class Meta:
        model = WebhookEndpoint
        fields = [
            "id",
            "version",
            "created_at",
            "updated_at",
            "owner",
            "url",
            "description",
            "event_types",
            "active",
            "disabled_at",
            "disabled_reason",
            "consecutive_failures",
            "previous_secret_expires_at",
        ]
        read_only_fields = [
            "id",
            "version",
            "created_at",
            "updated_at",
            "owner",
            "disabled_at",
            "disabled_reason",
            "consecutive_failures",
            "previous_secret_expires_at",
        ]


class WebhookWithSecretSerializer(WebhookSerializer):
    """Returned by create and rotate-secret only: the signing secret, shown this once."""

    secret = serializers.CharField(read_only=True, help_text="Signing secret (whsec_...).")

    class Meta(WebhookSerializer.Meta):
        fields = [*WebhookSerializer.Meta.fields, "secret"]


class AttemptSerializer(serializers.ModelSerializer):
    class Meta:
        model = DeliveryAttempt
        fields = [
            "attempted_at",
            "address",
            "status_code",
            "error",
            "latency_ms",
            "response_body",
            "manual",
        ]
        read_only_fields = fields


class DeliverySerializer(serializers.ModelSerializer):
    event = serializers.UUIDField(source="event.id", help_text="The event sent (webhook-id).")
    event_type = serializers.CharField(source="event.type", help_text="Its type.")
    attempt_log = AttemptSerializer(many=True, read_only=True, help_text="Every attempt.")

    class Meta:
        model = WebhookDelivery
        fields = [
            "id",
            "event",
            "event_type",
            "status",
            "attempts",
            "next_attempt_at",
            "created_at",
            "delivered_at",
            "attempt_log",
        ]
        read_only_fields = fields


class WebhookViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Your webhook endpoints (an admin sees everyone's). Deliveries follow the Standard
    Webhooks spec; see docs/operations.md for a receiver's verification snippet."""

    serializer_class = WebhookSerializer
    permission_classes = [Authenticated]
    pagination_class = CursorPagination
    lookup_value_regex = UUID_PATTERN
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        return selectors.webhooks_visible_to(self.request.user)

    def render(self, endpoint: WebhookEndpoint, serializer=WebhookSerializer, code: int = 200):
        return Response(serializer(endpoint, context=self.get_serializer_context()).data, code)

    @extend_schema(request=WebhookSerializer, responses={201: WebhookWithSecretSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = WebhookSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        endpoint = webhooks.endpoint_create(actor=actor_for(request), **serializer.validated_data)
        return self.render(endpoint, WebhookWithSecretSerializer, status.HTTP_201_CREATED)

    @extend_schema(request=WebhookSerializer, responses=WebhookSerializer)
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        endpoint = self.get_object()
        serializer = WebhookSerializer(endpoint, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        endpoint = webhooks.endpoint_update(
            actor=actor_for(request), endpoint_id=endpoint.pk, **serializer.validated_data
        )
        return self.render(endpoint)

    def perform_destroy(self, instance: WebhookEndpoint) -> None:
        webhooks.endpoint_delete(actor=actor_for(self.request), endpoint_id=instance.pk)

    @extend_schema(request=None, responses=WebhookWithSecretSerializer)
    @action(detail=True, methods=["post"], url_path="rotate-secret")
    def rotate_secret(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """A new secret, shown once; the old one also signs for WEBHOOK_SECRET_OVERLAP_HOURS."""
        endpoint = webhooks.endpoint_rotate_secret(
            actor=actor_for(request), endpoint_id=self.get_object().pk
        )
        return self.render(endpoint, WebhookWithSecretSerializer)

    @extend_schema(responses=DeliverySerializer(many=True), filters=False)
    @action(detail=True, methods=["get"], url_path="deliveries")
    def deliveries(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Deliveries to this endpoint, newest first, each with its attempt log."""
        endpoint = self.get_object()
        queryset = selectors.deliveries_of(endpoint)
        status_filter = request.query_params.get("status")
        if status_filter in DeliveryStatus.values:
            queryset = queryset.filter(status=status_filter)
        paginator = CursorPagination()
        page = paginator.paginate_queryset(queryset, request, self)
        return paginator.get_paginated_response(DeliverySerializer(page, many=True).data)

    @extend_schema(request=None, responses={202: DeliverySerializer})
    @action(
        detail=True,
        methods=["post"],
        url_path=f"deliveries/(?P<delivery_id>{UUID_PATTERN})/redeliver",
    )
    def redeliver(self, request: Request, delivery_id: str, *args: Any, **kwargs: Any):
        """Send the delivery again now, with the same webhook-id (the endpoint must be active)."""
        endpoint = self.get_object()
        delivery = selectors.deliveries_of(endpoint).get(pk=delivery_id)
        delivery = webhooks.delivery_redeliver(actor=actor_for(request), delivery_id=delivery.pk)
        fresh = selectors.deliveries_of(endpoint).get(pk=delivery.pk)
        return Response(DeliverySerializer(fresh).data, status=status.HTTP_202_ACCEPTED)


def register(router: Any) -> None:
    router.register("alerts", AlertViewSet, basename="alert")
    router.register("subscriptions", SubscriptionViewSet, basename="subscription")
    router.register("webhooks", WebhookViewSet, basename="webhook")
    interpol.register(router)
