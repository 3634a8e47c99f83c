"""Audit context: who changed what, from where (django-pghistory).

Every tracked row change gets a pghistory context with the user, the request
id and the channel (web, api, admin, task, command). The middleware covers
HTTP; tasks and management commands enter `audit_context` themselves.
"""

import uuid

import pghistory
from django.db import connection
from pghistory.middleware import HistoryMiddleware


def channel_for_path(path: str) -> str:
    if path.startswith("/api/"):
        return "api"
    if path.startswith("/admin/"):
        return "admin"
    return "web"


class AuditContextMiddleware(HistoryMiddleware):
    """pghistory's middleware, plus a request id (echoed as X-Request-ID) and the channel."""

    def get_context(self, request):
        context = super().get_context(request)
        context["request_id"] = request.request_id
        context["channel"] = channel_for_path(request.path)
        return context

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        request.request_id = (
            incoming[:64] if incoming.isprintable() and incoming else str(uuid.uuid4())
        )
        response = super().__call__(request)
        response["X-Request-ID"] = request.request_id
        return response


def audit_context(channel: str, **metadata) -> pghistory.context:
    """Context for changes made outside a request: `with audit_context("task", task=name):`."""
    return pghistory.context(channel=channel, request_id=str(uuid.uuid4()), **metadata)


def set_audit_user(user) -> None:
    """Record the acting user in the open context (an API key's owner, set after auth)."""
    pghistory.context(user=user._meta.pk.get_db_prep_value(user.pk, connection) if user else None)
