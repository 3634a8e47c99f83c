"""Audit context: who changed what, from where (django-pghistory).

Every tracked row change gets a pghistory context with the user, the request
id and the channel (web, api, admin, task, command). The middleware covers
HTTP; tasks and management commands enter `audit_context` themselves.
"""

import uuid
from contextvars import ContextVar
from typing import Any

import pghistory
from django.db import connection
from pghistory import config
from pghistory.middleware import HistoryMiddleware


def channel_for_path(path: str) -> str:
    if path.startswith("/api/"):
        return "api"
    if path.startswith("/admin/"):
        return "admin"
    return "web"


class _Read:
    """A read in progress: what an audit context opened during it records of the request."""

    def __init__(self, middleware: "AuditContextMiddleware", request: Any) -> None:
        self.middleware, self.request = middleware, request
        self.extra: dict[str, Any] = {}

    def metadata(self) -> dict[str, Any]:
        return {**self.middleware.get_context(self.request), **self.extra}


_read: ContextVar[_Read | None] = ContextVar("audit_read", default=None)


class AuditContextMiddleware(HistoryMiddleware):
    """pghistory's middleware, plus a request id (echoed as X-Request-ID) and the channel.

    Writes (PGHISTORY_MIDDLEWARE_METHODS) run inside the request's context. Reads do not:
    while one is open pghistory prefixes every statement with its set_config, and reads
    change nothing audited, but for the rare read that writes an audit row (a download):
    the context its code opens (`Actor.audit_context`) gets the request's metadata then.
    """

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
        if request.method in config.middleware_methods():
            response = super().__call__(request)
        else:
            token = _read.set(_Read(self, request))
            try:
                response = self.get_response(request)
            finally:
                _read.reset(token)
        response["X-Request-ID"] = request.request_id
        return response


def request_metadata() -> dict[str, Any]:
    """What the audit records of the read in progress (none: {}; a write's request has its
    context open already)."""
    read = _read.get()
    return read.metadata() if read else {}


def annotate(**metadata: Any) -> None:
    """Add to what the audit records of this request: the open context, or during a read
    what a context opened later gets."""
    if read := _read.get():
        read.extra.update(metadata)
    pghistory.context(**metadata)  # adds to the open context; none open: nothing


def audit_context(channel: str, **metadata) -> pghistory.context:
    """Context for changes made outside a request: `with audit_context("task", task=name):`."""
    return pghistory.context(channel=channel, request_id=str(uuid.uuid4()), **metadata)


def set_audit_user(user) -> None:
    """Record the acting user in the open context (an API key's owner, set after auth)."""
    annotate(user=user._meta.pk.get_db_prep_value(user.pk, connection) if user else None)
