"""API keys: hashed at rest, shown once, scoped read or write, acting as their owner.

A key looks like `ct_<prefix>_<secret>`. Only the prefix (to find the row) and
a SHA-256 of the whole key are stored: the key cannot be recovered, only
revoked and replaced. SHA-256 without salt or stretching is enough because the
secret is 32 random bytes, not a password a person chose.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import uuid
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone

KEY_PREFIX = "ct_"
# A key used within this window is not written again: one UPDATE per minute, not per request.
LAST_USED_RESOLUTION = timedelta(seconds=60)


class Scope(models.TextChoices):
    READ = "read"
    WRITE = "write"


class ApiKey(models.Model):
    """A credential for an API client. It acts as its owner, limited to reading with scope read."""

    id = models.UUIDField(
        primary_key=True, default=uuid.uuid4, editable=False, help_text="Stable public identifier."
    )
    name = models.CharField(max_length=100, help_text="What the key is for, e.g. 'sync-bot'.")
    prefix = models.CharField(
        max_length=16,
        unique=True,
        editable=False,
        help_text="Public start of the key, to tell keys apart.",
    )
    hashed_key = models.CharField(
        max_length=64,
        editable=False,
        help_text="SHA-256 of the whole key (the key is never stored).",
    )
    scope = models.CharField(
        max_length=8, choices=Scope.choices, default=Scope.READ, help_text="read or write."
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="api_keys",
        help_text="The user the key acts as.",
    )
    created_at = models.DateTimeField(auto_now_add=True, help_text="When the key was created.")
    expires_at = models.DateTimeField(
        null=True, blank=True, help_text="After this instant the key is refused; empty: never."
    )
    last_used_at = models.DateTimeField(
        null=True, blank=True, editable=False, help_text="Last authenticated use (to the minute)."
    )
    revoked_at = models.DateTimeField(
        null=True, blank=True, editable=False, help_text="When the key was revoked, if it was."
    )

    class Meta:
        app_label = "casetracker"
        ordering = ["-created_at"]
        verbose_name = "API key"

    def __str__(self) -> str:
        return f"{self.name} ({KEY_PREFIX}{self.prefix}_…)"

    @property
    def is_active(self) -> bool:
        if self.revoked_at is not None:
            return False
        return self.expires_at is None or self.expires_at > timezone.now()


def hash_key(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def api_key_create(
    *,
    owner: Any,
    name: str,
    scope: str = Scope.READ,
    expires_at: datetime | None = None,
    created_by: Any = None,
) -> tuple[ApiKey, str]:
    """Create a key for `owner`; returns it with the raw key, which is never shown again.

    `created_by` (default: the owner) must be the owner or a superuser.
    """
    created_by = created_by or owner
    if created_by.pk != owner.pk and not created_by.is_superuser:
        raise PermissionDenied("Only an admin can create API keys for other users.")
    errors = {}
    if not name.strip():
        errors["name"] = "Give the key a name."
    if scope not in Scope.values:
        errors["scope"] = "Use 'read' or 'write'."
    if expires_at is not None and expires_at <= timezone.now():
        errors["expires_at"] = "The expiry must be in the future."
    if not owner.is_active:
        errors["owner"] = "This user is inactive."
    if errors:
        raise ValidationError(errors)
    prefix = secrets.token_hex(4)
    raw = f"{KEY_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
    key = ApiKey.objects.create(
        name=name.strip(),
        prefix=prefix,
        hashed_key=hash_key(raw),
        scope=scope,
        owner=owner,
        expires_at=expires_at,
    )
    return key, raw


@transaction.atomic
def api_key_revoke(*, key_id: uuid.UUID, by: Any) -> ApiKey:
    """Revoke a key (idempotent). Its owner or a superuser may; others get DoesNotExist."""
    keys = ApiKey.objects.select_for_update()
    if not by.is_superuser:
        keys = keys.filter(owner=by)
    key = keys.get(pk=key_id)
    if key.revoked_at is None:
        key.revoked_at = timezone.now()
        key.save(update_fields=["revoked_at"])
    return key


def api_key_check(raw: str) -> ApiKey | None:
    """The active key `raw` is, with its owner loaded; None if unknown, revoked or expired.

    Records the use (at most once per LAST_USED_RESOLUTION).
    """
    if not raw.startswith(KEY_PREFIX) or raw.count("_") < 2 or len(raw) > 200:
        return None
    prefix = raw[len(KEY_PREFIX) :].split("_", 1)[0]
    key = ApiKey.objects.select_related("owner").filter(prefix=prefix).first()
    if key is None or not hmac.compare_digest(key.hashed_key, hash_key(raw)):
        return None
    if not key.is_active or not key.owner.is_active:
        return None
    now = timezone.now()
    stale = now - LAST_USED_RESOLUTION
    if key.last_used_at is None or key.last_used_at < stale:  # else: no write, no round trip
        ApiKey.objects.filter(pk=key.pk).filter(
            models.Q(last_used_at__isnull=True) | models.Q(last_used_at__lt=stale)
        ).update(last_used_at=now)
    return key


def api_keys_visible_to(user: Any) -> models.QuerySet[ApiKey]:
    """A user's own keys; a superuser sees everyone's."""
    if not (user and user.is_authenticated):
        return ApiKey.objects.none()
    keys = ApiKey.objects.select_related("owner")
    return keys if user.is_superuser else keys.filter(owner=user)
