"""`Authorization: Bearer <key>`: the request acts as the key's owner (domain.md §4)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions
from rest_framework.request import Request

from core.audit import annotate, set_audit_user
from core.events import Actor
from core.keys import ApiKey, api_key_check


class ApiKeyAuthentication(authentication.BaseAuthentication):
    """Bearer API keys. `request.user` is the owner, `request.auth` the ApiKey.

    A wrong, revoked or expired key is 401, never a silent fall-back to anonymous.
    """

    keyword = "Bearer"

    def authenticate(self, request: Request) -> tuple[Any, ApiKey] | None:
        header = authentication.get_authorization_header(request).decode("latin-1")
        if not header:
            return None
        scheme, _, raw = header.partition(" ")
        if scheme.lower() != self.keyword.lower():
            return None
        raw = raw.strip()
        if not raw or " " in raw:
            raise exceptions.AuthenticationFailed(
                "Malformed Authorization header: use 'Bearer <key>'."
            )
        key = api_key_check(raw)
        if key is None:
            raise exceptions.AuthenticationFailed("Unknown, revoked or expired API key.")
        # The audit middleware ran before authentication: tell it who this is.
        set_audit_user(key.owner)
        annotate(api_key=str(key.pk))
        return key.owner, key

    def authenticate_header(self, request: Request) -> str:
        return f'{self.keyword} realm="api"'


class SessionAuthentication(authentication.SessionAuthentication):
    """The web UI's session, with CSRF checks on writes (DRF's), audited as the user."""

    def authenticate(self, request: Request):
        result = super().authenticate(request)
        if result is not None:
            set_audit_user(result[0])
        return result


def actor_for(request: Request) -> Actor:
    """The Actor of a request: the API key (acting as its owner) or the session user."""
    if isinstance(request.auth, ApiKey):
        return Actor.for_api_key(request.auth.name, request.user)
    return Actor.for_user(request.user)


def read_only_key(request: Request) -> bool:
    return isinstance(request.auth, ApiKey) and request.auth.scope != "write"


class ApiKeyScheme(OpenApiAuthenticationExtension):
    target_class = ApiKeyAuthentication
    name = "apiKey"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "An API key from `manage.py create_api_key` or POST /api/v1/api-keys/.",
        }


class SessionScheme(OpenApiAuthenticationExtension):
    target_class = SessionAuthentication
    name = "session"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "cookie", "name": "sessionid"}
