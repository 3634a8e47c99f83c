"""Webhooks (domain.md §4): endpoints, fan-out of events, signed delivery with retries.

Deliveries follow the Standard Webhooks spec: body = the event JSON,
`webhook-id` = the event id (the same on every retry: receivers deduplicate
on it), `webhook-timestamp`, and `webhook-signature` = HMAC-SHA256 with the
endpoint's `whsec_` secret; during a secret rotation both signatures are sent.

The retry schedule lives in the database (`next_attempt_at`): a delivery is
attempted while holding its row lock (`SKIP LOCKED`), and the attempt, its
outcome and the next due time are committed together. A worker killed
mid-request leaves the row pending and unlocked; the next sweep sends it again
with the same webhook-id.
"""

from __future__ import annotations

import base64
import datetime
import json
import logging
import random
import secrets
import threading
import time
from typing import Any
from uuid import UUID

import httpx
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from standardwebhooks.webhooks import Webhook

from alerts.payloads import event_json
from core.events import Actor
from core.kicks import kick_many_on_commit, kick_on_commit
from core.models import Event

from . import targets
from .models import DeliveryAttempt, DeliveryStatus, WebhookDelivery, WebhookEndpoint

log = logging.getLogger(__name__)

USER_AGENT = "casetracker-webhooks/1 (Standard Webhooks)"


# --- endpoints -----------------------------------------------------------------------------


def new_secret() -> str:
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


def clean_event_types(event_types: Any) -> list[str]:
    if not isinstance(event_types, list) or not event_types:
        raise ValidationError({"event_types": "Give a list of event types, e.g. ['warrant.*']."})
    cleaned = []
    for pattern in event_types:
        body = str(pattern).removesuffix("*")
        if not pattern or "*" in body or len(pattern) > 64 or " " in pattern:
            raise ValidationError({"event_types": f"'{pattern}' is not an event type pattern."})
        cleaned.append(str(pattern))
    return cleaned


def clean_url(url: str) -> str:
    try:
        targets.check(url)
    except targets.TargetRefused as exc:
        raise ValidationError({"url": str(exc)}) from None
    return url


def can_use_webhooks(actor: Actor) -> bool:
    return actor.has_perm("cases.view_case")


def owner_refusal(owner: Any) -> str:
    """Why an endpoint's owner may no longer receive events ('' while they may)."""
    if not owner.is_active:
        return f"Its owner {owner.get_username()} is deactivated."
    if not can_use_webhooks(Actor.for_user(owner)):
        return f"Its owner {owner.get_username()} no longer has a role that may read events."
    return ""


def endpoint_create(
    *,
    actor: Actor,
    url: str,
    event_types: list[str],
    description: str = "",
    active: bool = True,
) -> WebhookEndpoint:
    """Register an endpoint owned by the actor. The URL is checked against SSRF rules now
    and again at every delivery. The returned instance's `secret` is shown once."""
    if not can_use_webhooks(actor) or actor.user is None:
        raise PermissionDenied("Only users who may read cases can register webhooks.")
    endpoint = WebhookEndpoint(
        owner=actor.user,
        url=url,
        event_types=clean_event_types(event_types),
        description=description,
        active=active,
        secret=new_secret(),
    )
    endpoint.full_clean()
    clean_url(url)
    with actor.audit_context():
        endpoint.save(force_insert=True)
    return endpoint


def _owned(actor: Actor, endpoint_id: UUID) -> WebhookEndpoint:
    endpoint = WebhookEndpoint.objects.select_for_update().get(pk=endpoint_id)
    if actor.kind != "system" and not (
        actor.user and (actor.user.is_superuser or endpoint.owner_id == actor.user.pk)
    ):
        raise WebhookEndpoint.DoesNotExist
    return endpoint


@transaction.atomic
def endpoint_update(
    *, actor: Actor, endpoint_id: UUID, expected_version: int | None = None, **changes: Any
) -> WebhookEndpoint:
    """Change url, event_types, description or active. Re-enabling clears the failure count."""
    endpoint = _owned(actor, endpoint_id)
    if expected_version is not None and endpoint.version != expected_version:
        from core.actions import VersionConflict

        raise VersionConflict(endpoint, expected_version)
    refused = set(changes) - {"url", "event_types", "description", "active"}
    if refused:
        raise ValidationError({name: "This field cannot be changed here." for name in refused})
    if "url" in changes:
        clean_url(changes["url"])
    if "event_types" in changes:
        changes["event_types"] = clean_event_types(changes["event_types"])
    for name, value in changes.items():
        setattr(endpoint, name, value)
    if changes.get("active") is True:
        endpoint.consecutive_failures = 0
        endpoint.disabled_at, endpoint.disabled_reason = None, ""
    endpoint.full_clean()
    endpoint.version += 1
    with actor.audit_context():
        endpoint.save()
    if changes.get("active") is True:
        kick_on_commit("alerts.tasks.deliveries_sweep")
    return endpoint


@transaction.atomic
def endpoint_delete(*, actor: Actor, endpoint_id: UUID) -> None:
    _owned(actor, endpoint_id).delete()


@transaction.atomic
def endpoint_rotate_secret(*, actor: Actor, endpoint_id: UUID) -> WebhookEndpoint:
    """New secret (returned once); the old one also signs for WEBHOOK_SECRET_OVERLAP_HOURS."""
    endpoint = _owned(actor, endpoint_id)
    endpoint.previous_secret = endpoint.secret
    endpoint.previous_secret_expires_at = timezone.now() + datetime.timedelta(
        hours=settings.WEBHOOK_SECRET_OVERLAP_HOURS
    )
    endpoint.secret = new_secret()
    endpoint.version += 1
    with actor.audit_context():
        endpoint.save()
    return endpoint


@transaction.atomic
def delivery_redeliver(*, actor: Actor, delivery_id: UUID) -> WebhookDelivery:
    """Send a delivery again now (any status), same webhook-id. Needs an active endpoint."""
    delivery = WebhookDelivery.objects.select_for_update().get(pk=delivery_id)
    endpoint = _owned(actor, delivery.endpoint_id)
    if not endpoint.active:
        raise ValidationError({"endpoint": "The endpoint is disabled; enable it first."})
    delivery.status, delivery.next_attempt_at = DeliveryStatus.PENDING, timezone.now()
    delivery.redelivery_requested = True
    delivery.save(update_fields=["status", "next_attempt_at", "redelivery_requested"])
    kick_on_commit("alerts.tasks.deliver_webhook", str(delivery.pk))
    return delivery


# --- fan-out (outbox consumer) ------------------------------------------------------------


def fan_out(events: list[Event]) -> list[WebhookDelivery]:
    """Outbox consumer: queue one delivery per (event, active endpoint that wants it).

    Unique per (endpoint, event); the relay's receipts make a redelivery a no-op.
    """
    now = timezone.now()
    endpoints = list(WebhookEndpoint.objects.filter(active=True))
    queued = [
        WebhookDelivery(endpoint=endpoint, event=event, next_attempt_at=now)
        for event in events
        for endpoint in endpoints
        if endpoint.wants(event.type)
    ]
    if not queued:
        return []
    # No conflict is possible (the relay runs this once per event), so the ids made
    # here are the stored ones; were one ignored, the delivery sweep would send it.
    deliveries = WebhookDelivery.objects.bulk_create(queued, ignore_conflicts=True)
    # One task per WEBHOOK_KICK_BATCH deliveries (1: the thread pool sends them side by side).
    ids = [str(d.pk) for d in deliveries]
    size = settings.WEBHOOK_KICK_BATCH
    kick_many_on_commit(
        "alerts.tasks.deliver_webhooks", [(ids[i : i + size],) for i in range(0, len(ids), size)]
    )
    return deliveries


# --- payload and signature ----------------------------------------------------------------


def signing_secrets(endpoint: WebhookEndpoint, now: datetime.datetime) -> list[str]:
    keys = [endpoint.secret]
    if (
        endpoint.previous_secret
        and endpoint.previous_secret_expires_at
        and endpoint.previous_secret_expires_at > now
    ):
        keys.append(endpoint.previous_secret)
    return keys


def signed_headers(
    endpoint: WebhookEndpoint, msg_id: str, body: str, now: datetime.datetime
) -> dict[str, str]:
    stamp = now.replace(microsecond=0)
    signatures = [
        Webhook(key).sign(msg_id=msg_id, timestamp=stamp, data=body)
        for key in signing_secrets(endpoint, now)
    ]
    return {
        "webhook-id": msg_id,
        "webhook-timestamp": str(int(stamp.timestamp())),
        "webhook-signature": " ".join(signatures),
        "content-type": "application/json",
        "user-agent": USER_AGENT,
    }


# --- delivery -----------------------------------------------------------------------------


def retry_delay(failed_attempts: int) -> float | None:
    """Seconds until the next attempt after `failed_attempts` failures; None: give up."""
    schedule = settings.WEBHOOK_RETRY_SCHEDULE
    if failed_attempts > len(schedule):
        return None
    base = schedule[failed_attempts - 1]
    jitter = settings.WEBHOOK_RETRY_JITTER
    return base * random.uniform(1 - jitter, 1 + jitter)


_clients: dict[str, httpx.Client] = {}
_clients_lock = threading.Lock()


def http_client(host: str) -> httpx.Client:
    """One client per receiver host name and process, shared by the process's threads
    (created after the worker forks): its pool keeps connections to the receiver alive.

    Per host name, because requests go to the pinned IP address and a pool is keyed by
    address: two hosts behind one address must not share a TLS connection set up (and
    its certificate checked) for the other.
    """
    with _clients_lock:
        if host not in _clients:
            # Never follow redirects (a redirect could point inside the network); no proxies
            # from the environment (the pinned address must be the one connected to).
            _clients[host] = httpx.Client(follow_redirects=False, trust_env=False)
        return _clients[host]


def post(endpoint: WebhookEndpoint, event: Event, now: datetime.datetime) -> DeliveryAttempt:
    """One HTTP attempt, never following redirects, connected to the pinned checked address."""
    attempt = DeliveryAttempt(attempted_at=now)
    started = time.monotonic()
    try:
        target = targets.check(endpoint.url)
    except targets.TargetRefused as exc:
        attempt.error = f"refused: {exc}"[:500]
        return attempt
    attempt.address = target.address
    body = json.dumps(event_json(event, endpoint.owner), separators=(",", ":"))
    headers = signed_headers(endpoint, str(event.id), body, now)
    url = httpx.URL(target.url)
    default_port = 443 if target.scheme == "https" else 80
    headers["host"] = target.host if target.port == default_port else f"{target.host}:{target.port}"
    pinned = url.copy_with(host=target.address)
    extensions = {"sni_hostname": target.host} if target.scheme == "https" else {}
    try:
        response = http_client(target.host).post(
            pinned,
            content=body,
            headers=headers,
            extensions=extensions,
            timeout=settings.WEBHOOK_TIMEOUT,
        )
        attempt.status_code = response.status_code
        attempt.response_body = response.text[: settings.WEBHOOK_RESPONSE_KEEP_CHARS]
    except httpx.TimeoutException:
        attempt.error = "timeout"
    except httpx.HTTPError as exc:
        attempt.error = f"{type(exc).__name__}: {exc}"[:500]
    attempt.latency_ms = int((time.monotonic() - started) * 1000)
    return attempt


def deliver(delivery_id: UUID | str) -> DeliveryAttempt | None:
    """Attempt a due pending delivery once; None if it is not due, taken, or its endpoint is off
    (or is turned off now because its owner may no longer receive events). The body is the
    event as the owner may see it at send time.

    The row stays locked during the request, so no other worker sends it at
    the same time; the attempt and the new state are committed together.
    """
    now = timezone.now()
    with transaction.atomic():
        delivery = (
            WebhookDelivery.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("endpoint", "endpoint__owner", "event")
            .filter(pk=delivery_id, status=DeliveryStatus.PENDING, next_attempt_at__lte=now)
            .first()
        )
        if delivery is None or not delivery.endpoint.active:
            return None
        endpoint = delivery.endpoint
        # The owner's rights now, not at registration: an endpoint acts for its owner, and an
        # owner deactivated or stripped of every role must stop receiving events. The delivery
        # stays pending (nothing was sent) should an admin restore the owner and re-enable it.
        refusal = owner_refusal(endpoint.owner)
        if refusal:
            disable(endpoint, refusal)
            return None
        attempt = post(endpoint, delivery.event, now)
        attempt.delivery, attempt.manual = delivery, delivery.redelivery_requested
        attempt.save()
        delivery.attempts += 1
        delivery.redelivery_requested = False
        if attempt.succeeded:
            delivery.status, delivery.next_attempt_at = DeliveryStatus.SUCCEEDED, None
            delivery.delivered_at = timezone.now()
            # Write the endpoint row only when there is something to reset: every
            # delivery to it would otherwise queue behind this row lock.
            if endpoint.consecutive_failures:
                WebhookEndpoint.objects.filter(pk=endpoint.pk).update(consecutive_failures=0)
        else:
            record_failure(delivery, endpoint, attempt)
        delivery.save(
            update_fields=[
                "status",
                "attempts",
                "next_attempt_at",
                "delivered_at",
                "redelivery_requested",
            ]
        )
    return attempt


def record_failure(
    delivery: WebhookDelivery, endpoint: WebhookEndpoint, attempt: DeliveryAttempt
) -> None:
    if attempt.status_code == 410:
        delivery.status, delivery.next_attempt_at = DeliveryStatus.FAILED, None
        disable(endpoint, "The receiver answered 410 Gone.")
        return
    delay = retry_delay(delivery.attempts)
    if delay is None:
        delivery.status, delivery.next_attempt_at = DeliveryStatus.FAILED, None
    else:
        delivery.next_attempt_at = timezone.now() + datetime.timedelta(seconds=delay)
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(
        consecutive_failures=F("consecutive_failures") + 1
    )
    limit = settings.WEBHOOK_DISABLE_AFTER_FAILURES
    if WebhookEndpoint.objects.filter(pk=endpoint.pk, consecutive_failures__gte=limit).exists():
        disable(endpoint, f"{limit} consecutive failed attempts.")


def disable(endpoint: WebhookEndpoint, reason: str) -> None:
    """Turn the endpoint off (once) and have its owner emailed after commit."""
    changed = WebhookEndpoint.objects.filter(pk=endpoint.pk, active=True).update(
        active=False,
        disabled_at=timezone.now(),
        disabled_reason=reason[:200],
        owner_notified_at=None,
    )
    if changed:
        log.warning("Webhook endpoint %s disabled: %s", endpoint.pk, reason)
        kick_on_commit("alerts.tasks.notify_disabled_endpoint", str(endpoint.pk))


def due_deliveries(limit: int = 500) -> list[str]:
    """Pending deliveries due now. A first attempt was kicked when it was queued: it is
    handed out here only if that kick looks lost (queued over a minute ago)."""
    now = timezone.now()
    grace = now - datetime.timedelta(seconds=settings.KICK_GRACE_SECONDS)
    return [
        str(pk)
        for pk in WebhookDelivery.objects.filter(
            Q(attempts__gt=0) | Q(redelivery_requested=True) | Q(created_at__lt=grace),
            status=DeliveryStatus.PENDING,
            next_attempt_at__lte=now,
            endpoint__active=True,
        )
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    ]
