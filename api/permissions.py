"""Who may call what: the role table of domain.md §5, and API key scopes.

Reads need the model's `view_` permission, creations `add_`, edits `change_`;
transitions and reviews are checked by their actions (the same check the
admin and the UI get). A read-scoped key may only read. Row visibility is the
selectors' job: what a caller may not see is a 404.
"""

from __future__ import annotations

from typing import Any

from rest_framework import exceptions, permissions
from rest_framework.request import Request

from .authentication import read_only_key

ACTION_VERBS = {"list": "view", "retrieve": "view", "history": "view", "create": "add"}
ACTION_VERBS.update({"partial_update": "change", "update": "change"})


class RolePermission(permissions.BasePermission):
    def has_permission(self, request: Request, view: Any) -> bool:
        user = request.user
        if not (user and user.is_authenticated):
            return False  # → 401 with WWW-Authenticate
        if request.method not in permissions.SAFE_METHODS and read_only_key(request):
            raise exceptions.PermissionDenied("This API key has scope 'read': it cannot write.")
        model = getattr(getattr(view, "queryset_model", None), "_meta", None)
        if model is None:
            return True
        # Transitions and reviews need at least to see the record; their actions check the rest.
        verb = ACTION_VERBS.get(getattr(view, "action", "") or "", "view")
        perm = f"{model.app_label}.{verb}_{model.model_name}"
        if not user.has_perm(perm):
            raise exceptions.PermissionDenied(f"Your role does not allow this ({perm}).")
        return True


class Authenticated(permissions.BasePermission):
    """Any authenticated caller; read-scoped keys only read."""

    def has_permission(self, request: Request, view: Any) -> bool:
        if not (request.user and request.user.is_authenticated):
            return False
        if request.method not in permissions.SAFE_METHODS and read_only_key(request):
            raise exceptions.PermissionDenied("This API key has scope 'read': it cannot write.")
        return True
