"""Every API error as `application/problem+json` (RFC 9457), from one exception handler.

Body: `type`, `title`, `status`, `detail`, plus `errors` (field → messages) for
validation, `allowed_transitions` for a 409 on a transition, `current_version`
for a 412. `type` is `urn:casetracker:problem:<slug>`; docs/api.md lists them.
"""

from __future__ import annotations

import logging
from typing import Any

from django.core import exceptions as django_exceptions
from django.db import DataError, IntegrityError
from django.http import Http404, HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions, serializers
from rest_framework.response import Response
from rest_framework.views import set_rollback

from core.actions import VersionConflict
from core.workflow import InvalidTransition

from .parsers import RequestTooLarge

log = logging.getLogger(__name__)

PROBLEM_JSON = "application/problem+json"

TITLES = {
    "validation": "Invalid request",
    "malformed": "Malformed request body",
    "unauthenticated": "Authentication required",
    "forbidden": "Forbidden",
    "not-found": "Not found",
    "method-not-allowed": "Method not allowed",
    "not-acceptable": "Not acceptable",
    "unsupported-media-type": "Unsupported media type",
    "invalid-transition": "Transition not allowed now",
    "conflict": "Conflict",
    "precondition-failed": "Precondition failed",
    "too-large": "Request body too large",
    "throttled": "Too many requests",
    "server-error": "Server error",
}


def problem(
    slug: str, status_code: int, detail: str, headers: dict[str, str] | None = None, **extra: Any
) -> Response:
    body = {
        "type": f"urn:casetracker:problem:{slug}",
        "title": TITLES.get(slug, slug),
        "status": status_code,
        "detail": detail,
        **extra,
    }
    return Response(body, status=status_code, headers=headers, content_type=PROBLEM_JSON)


def flatten_errors(detail: Any, prefix: str = "") -> dict[str, list[str]]:
    """DRF's nested error detail as `{"field": [...], "positions.0.title": [...]}`."""
    out: dict[str, list[str]] = {}
    if isinstance(detail, dict):
        for key, value in detail.items():
            name = "non_field_errors" if key in ("non_field_errors", "__all__") else str(key)
            out.update(flatten_errors(value, f"{prefix}.{name}" if prefix else name))
    elif isinstance(detail, list) and any(isinstance(v, dict | list) for v in detail):
        for i, value in enumerate(detail):
            if isinstance(value, dict | list):
                out.update(flatten_errors(value, f"{prefix}.{i}" if prefix else str(i)))
            else:
                out.setdefault(prefix or "non_field_errors", []).append(str(value))
    elif isinstance(detail, list):
        out[prefix or "non_field_errors"] = [str(v) for v in detail]
    else:
        out[prefix or "non_field_errors"] = [str(detail)]
    return out


def validation_problem(errors: dict[str, list[str]]) -> Response:
    fields = ", ".join(sorted(errors))
    return problem("validation", 400, f"Check these fields: {fields}.", errors=errors)


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response:
    """DRF's EXCEPTION_HANDLER: map domain and framework errors to problems; rolls back."""
    set_rollback()
    if isinstance(exc, exceptions.ValidationError):
        return validation_problem(flatten_errors(exc.detail))
    if isinstance(exc, django_exceptions.ValidationError):
        if hasattr(exc, "error_dict"):
            return validation_problem(flatten_errors(exc.message_dict))
        return validation_problem({"non_field_errors": list(exc.messages)})
    if isinstance(exc, InvalidTransition):
        if exc.transition not in exc.workflow.transitions:
            return validation_problem({"transition": [str(exc)]})
        return problem(
            "invalid-transition",
            409,
            str(exc),
            status_value=exc.status,
            allowed_transitions=exc.allowed,
        )
    if isinstance(exc, VersionConflict):
        return problem("precondition-failed", 412, str(exc), current_version=exc.record.version)
    if isinstance(exc, Http404 | django_exceptions.ObjectDoesNotExist | exceptions.NotFound):
        return problem("not-found", 404, "No such resource, or you may not see it.")
    if isinstance(exc, django_exceptions.PermissionDenied):
        return problem("forbidden", 403, str(exc) or "You may not do this.")
    if isinstance(exc, django_exceptions.RequestDataTooBig):
        return problem("too-large", 413, "The request body is too large.")
    if isinstance(exc, IntegrityError):
        return integrity_problem(exc)
    if isinstance(exc, DataError):
        # A value the database cannot hold (out of range) that validation let through.
        return validation_problem({"non_field_errors": ["A value is out of range."]})
    if isinstance(exc, exceptions.APIException):
        return api_exception_problem(exc)
    log.exception("Unhandled API error", exc_info=exc)
    return problem("server-error", 500, "Something went wrong on our side; it has been logged.")


API_EXCEPTION_SLUGS: list[tuple[type[exceptions.APIException], str]] = [
    (exceptions.ParseError, "malformed"),
    (exceptions.NotAuthenticated, "unauthenticated"),
    (exceptions.AuthenticationFailed, "unauthenticated"),
    (exceptions.PermissionDenied, "forbidden"),
    (exceptions.MethodNotAllowed, "method-not-allowed"),
    (exceptions.NotAcceptable, "not-acceptable"),
    (exceptions.UnsupportedMediaType, "unsupported-media-type"),
    (exceptions.Throttled, "throttled"),
    (RequestTooLarge, "too-large"),
]


def api_exception_problem(exc: exceptions.APIException) -> Response:
    slug = next((s for cls, s in API_EXCEPTION_SLUGS if isinstance(exc, cls)), "server-error")
    headers = {}
    if getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = exc.auth_header  # type: ignore[attr-defined]
    if isinstance(exc, exceptions.Throttled):
        headers["Retry-After"] = str(max(1, int(getattr(exc, "wait", None) or 1)))
    detail = exc.detail if isinstance(exc.detail, str) else str(exc.detail)
    if isinstance(exc, exceptions.NotAuthenticated):
        detail = "Log in, or send 'Authorization: Bearer <key>'."
    return problem(slug, exc.status_code, str(detail), headers=headers)


def integrity_problem(exc: IntegrityError) -> Response:
    """A constraint the database enforced (a race past validation, or a trigger's rule)."""
    sqlstate = getattr(getattr(exc, "__cause__", None), "sqlstate", "")
    message = str(exc).splitlines()[0] if str(exc) else "constraint violated"
    if sqlstate == "23505":
        return problem("conflict", 409, f"A record with these values already exists ({message}).")
    return validation_problem({"non_field_errors": [message]})


@csrf_exempt  # a 404 is a 404, whatever the method: never a CSRF page
def not_found(request: HttpRequest, *args: Any, **kwargs: Any) -> JsonResponse:
    """Catch-all for unknown /api/ URLs (including ids that are not UUIDs)."""
    return JsonResponse(
        {
            "type": "urn:casetracker:problem:not-found",
            "title": TITLES["not-found"],
            "status": 404,
            "detail": f"No API endpoint at {request.path}.",
        },
        status=404,
        content_type=PROBLEM_JSON,
    )


class ProblemSerializer(serializers.Serializer):
    """An error (RFC 9457 problem details)."""

    type = serializers.CharField(
        help_text="URI of the problem type, urn:casetracker:problem:<slug>."
    )
    title = serializers.CharField(help_text="Short summary of the problem type.")
    status = serializers.IntegerField(help_text="The HTTP status code.")
    detail = serializers.CharField(help_text="What went wrong, for a person.")
    errors = serializers.DictField(  # type: ignore[assignment]
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="Validation errors: field name → messages.",
    )
    allowed_transitions = serializers.ListField(
        child=serializers.CharField(),
        required=False,
        help_text="On 409: the transitions allowed from the current status.",
    )
    status_value = serializers.CharField(
        required=False, help_text="On 409: the record's current status."
    )
    current_version = serializers.IntegerField(
        required=False, help_text="On 412: the record's current version."
    )


ERROR_DESCRIPTIONS = {
    400: "Invalid input: `errors` maps each field to its messages. Nothing was changed.",
    401: "No credentials, or an unknown, revoked or expired key.",
    403: "Authenticated but not allowed (role, or a read-only key writing).",
    404: "No such record, or one you may not see.",
    409: "The transition is not allowed from the current status; see `allowed_transitions`.",
    412: "If-Match does not match the current version (ETag); reload and retry.",
    413: "The request body is too large.",
    415: "Send JSON (Content-Type: application/json).",
    429: "Too many requests; retry after the number of seconds in Retry-After.",
}
