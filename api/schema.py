"""OpenAPI: every operation documents its problem+json errors, ETags and conditional requests."""

from __future__ import annotations

from typing import Any

from drf_spectacular import openapi
from drf_spectacular.plumbing import build_media_type_object

from .problems import ERROR_DESCRIPTIONS, PROBLEM_JSON, ProblemSerializer

WRITE_ACTIONS = {"create", "partial_update", "transitions", "review"}
DUPLICATE = "Conflict: you already have such a record (a duplicate); nothing was changed."


class AutoSchema(openapi.AutoSchema):
    def get_response_serializers(self) -> Any:
        view: Any = self.view
        # Writes answer with the resource as it reads, not with the request's shape.
        if getattr(view, "action", None) in WRITE_ACTIONS and getattr(
            view, "serializer_class", None
        ):
            return view.serializer_class
        return super().get_response_serializers()

    def error_codes(self) -> list[int]:
        action = getattr(self.view, "action", None)
        codes = [401, 403, 429]
        if self.method in ("POST", "PATCH", "PUT"):
            codes += [400, 413, 415]
        elif action == "list" or (self.method == "GET" and not self._is_detail()):
            codes += [400]
        if self._is_detail():
            codes += [404]
        if action in ("history",):
            codes += [400]
        if action in ("transitions",):
            codes += [409, 412]
        if action in ("partial_update",):
            codes += [412]
        if action == "create" and getattr(self.view, "duplicate_is_conflict", False):
            codes += [409]
        return sorted(set(codes))

    def _is_detail(self) -> bool:
        return "{" in self.path

    def _get_response_bodies(self, direction: Any = "response") -> dict[str, Any]:
        responses = super()._get_response_bodies(direction)
        problem = self.resolve_serializer(ProblemSerializer, "response").ref
        transition = getattr(self.view, "action", None) == "transitions"
        for code in self.error_codes():
            responses.setdefault(
                str(code),
                {
                    "description": DUPLICATE
                    if code == 409 and not transition
                    else ERROR_DESCRIPTIONS[code],
                    "content": {PROBLEM_JSON: build_media_type_object(problem)},
                },
            )
        if getattr(self.view, "action", None) == "retrieve":
            responses["304"] = {"description": "Not modified: If-None-Match matched the ETag."}
        return responses

    def _get_response_headers_for_code(self, status_code: str, direction: Any = "response"):
        headers = super()._get_response_headers_for_code(status_code, direction)
        action = getattr(self.view, "action", None)
        if status_code in ("200", "201", "304") and action in (
            "retrieve",
            "create",
            "partial_update",
            "transitions",
            "review",
        ):
            headers["ETag"] = {
                "schema": {"type": "string"},
                "description": 'The record\'s version in quotes, e.g. "3".',
            }
        if status_code == "429":
            headers["Retry-After"] = {
                "schema": {"type": "integer"},
                "description": "Seconds to wait before retrying.",
            }
        return headers
