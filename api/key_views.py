"""`/api/v1/api-keys/`: your own API keys (an admin sees everyone's).

The raw key is in the creation response only. DELETE revokes (the row stays,
for the audit trail); another user's key is a 404, like any id you may not see.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from core.keys import ApiKey, Scope, api_key_create, api_key_revoke, api_keys_visible_to

from .pagination import CursorPagination
from .permissions import Authenticated
from .serializers import StrictModelSerializer
from .viewsets import UUID_PATTERN


class ApiKeySerializer(StrictModelSerializer):
    """An API key as listed: never the key itself."""

    owner = serializers.SlugRelatedField(
        slug_field="username",
        queryset=get_user_model().objects.filter(is_active=True),
        required=False,
        help_text="Username of the user the key acts as (admins only; default: you).",
    )
    scope = serializers.ChoiceField(
        choices=Scope.choices, default=Scope.READ, help_text="read or write."
    )
    active = serializers.BooleanField(source="is_active", read_only=True, help_text="Usable now.")

    class Meta:
        model = ApiKey
        fields = [
            "id",
            "name",
            "prefix",
            "scope",
            "owner",
            "created_at",
            "expires_at",
            "last_used_at",
            "revoked_at",
            "active",
        ]
        read_only_fields = ["id", "prefix", "created_at", "last_used_at", "revoked_at"]


class NewApiKeySerializer(ApiKeySerializer):
    """A key just created: `key` is shown this once and cannot be recovered."""

    key = serializers.CharField(read_only=True, help_text="The key. Store it now: it is not kept.")

    class Meta(ApiKeySerializer.Meta):
        fields = [*ApiKeySerializer.Meta.fields, "key"]


class ApiKeyViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = ApiKeySerializer
    permission_classes = [Authenticated]
    pagination_class = CursorPagination
    lookup_value_regex = UUID_PATTERN
    http_method_names = ["get", "post", "delete", "head", "options"]

    def get_queryset(self):
        return api_keys_visible_to(self.request.user)

    def check_permissions(self, request: Request) -> None:
        super().check_permissions(request)
        # A leaked key must not be able to mint or revoke keys: that takes a login.
        if request.method not in ("GET", "HEAD", "OPTIONS") and isinstance(request.auth, ApiKey):
            self.permission_denied(request, "Manage API keys while logged in, not with a key.")

    @extend_schema(request=ApiKeySerializer, responses={201: NewApiKeySerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = ApiKeySerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        key, raw = api_key_create(
            owner=data.get("owner") or request.user,
            name=data["name"],
            scope=data["scope"],
            expires_at=data.get("expires_at"),
            created_by=request.user,
        )
        key.key = raw  # type: ignore[attr-defined]
        return Response(NewApiKeySerializer(key).data, status=status.HTTP_201_CREATED)

    @extend_schema(summary="Revoke a key", responses={204: None})
    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        key = self.get_object()
        api_key_revoke(key_id=key.pk, by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


def register(router: Any) -> None:
    router.register("api-keys", ApiKeyViewSet, basename="api-key")
