"""Celery tasks of the pipeline: thin, idempotent, ids only.

Every task claims its work in PostgreSQL (receipts, `SKIP LOCKED` row locks,
conditional updates), so running one twice, or concurrently, does nothing
twice. Sweeps (run by beat) find whatever a lost message left behind.
"""

from __future__ import annotations

import datetime
import socket
from dataclasses import asdict

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from alerts import outbox
from core import feed
from core.audit import audit_context

from . import checks, interpol_watch, mail, reminders, webhooks
from .models import WorkerHeartbeat


@shared_task(name="alerts.tasks.relay_event")
def relay_event(seq: int) -> int:
    """Kicked when event `seq` commits: relay the queued events (a batch, its own among them)."""
    with audit_context("task", task="relay_event"):
        return outbox.relay_event(seq)


@shared_task(name="alerts.tasks.relay_sweep")
def relay_sweep() -> int:
    """Relay events whose kick was lost (beat, every OUTBOX_SWEEP_SECONDS)."""
    with audit_context("task", task="relay_sweep"):
        return outbox.relay_sweep()


@shared_task(name="alerts.tasks.stamp_feed")
def stamp_feed() -> int:
    """Give committed events their feed position (core.feed); idempotent. Every relay does
    it too; this one is for an operator, or a beat entry of its own."""
    return feed.stamp_feed()


@shared_task(name="alerts.tasks.deliver_webhook")
def deliver_webhook(delivery_id: str) -> int | None:
    """Attempt one due webhook delivery; returns the HTTP status (None if nothing was sent)."""
    attempt = webhooks.deliver(delivery_id)
    return attempt.status_code if attempt else None


@shared_task(name="alerts.tasks.deliver_webhooks")
def deliver_webhooks(delivery_ids: list[str]) -> int:
    """Attempt a few due deliveries one after the other (each on its own); returns how many
    were sent. A delivery taken by another worker meanwhile is skipped."""
    return sum(webhooks.deliver(delivery_id) is not None for delivery_id in delivery_ids)


@shared_task(name="alerts.tasks.deliveries_sweep")
def deliveries_sweep() -> dict[str, int]:
    """Hand out due webhook deliveries and emails, retry failed digests, mail disabled owners."""
    due = webhooks.due_deliveries()
    for delivery_id in due:
        deliver_webhook.delay(delivery_id)
    notifications = mail.due_notifications()
    for notification_id in notifications:
        send_notification.delay(notification_id)
    for endpoint_id in mail.endpoints_to_notify():
        notify_disabled_endpoint.delay(endpoint_id)
    digests = mail.send_digests(retries_only=True)
    return {"deliveries": len(due), "emails": len(notifications), "digests": digests}


@shared_task(name="alerts.tasks.send_notification")
def send_notification(notification_id: int) -> bool:
    """Email one immediate (critical or high) alert notification."""
    return mail.send_notification(notification_id)


@shared_task(name="alerts.tasks.send_digests")
def send_digests() -> int:
    """The daily digest of normal and info alerts, one email per follower."""
    return mail.send_digests()


@shared_task(name="alerts.tasks.notify_disabled_endpoint")
def notify_disabled_endpoint(endpoint_id: str) -> bool:
    """Tell an endpoint's owner it was disabled (once per disabling)."""
    return mail.notify_disabled_endpoint(endpoint_id)


@shared_task(name="alerts.tasks.run_checks")
def run_checks() -> int:
    """The periodic checks; each condition raises at most one open alert."""
    with audit_context("task", task="run_checks"):
        return len(checks.run_checks())


@shared_task(name="alerts.tasks.send_reminders")
def send_reminders() -> int:
    """Reminders of hearings and deadlines due today (beat, daily and at start-up); each sent
    once (alerts.reminders). Returns how many were sent."""
    with audit_context("task", task="send_reminders"):
        return len(reminders.send_reminders())


@shared_task(name="alerts.tasks.canary")
def canary(sent_at: str | None = None, name: str = "canary") -> str:
    """Proof that a worker consumes: stamps the WorkerHeartbeat `name` (read by /healthz).
    Beat sends one to each queue: "canary" on the default queue, "webhooks" on the
    deliveries' queue."""
    now = timezone.now()
    sent = datetime.datetime.fromisoformat(sent_at) if sent_at else now
    WorkerHeartbeat.objects.update_or_create(
        name=name, defaults={"sent_at": sent, "seen_at": now, "hostname": socket.gethostname()}
    )
    return now.isoformat()


@shared_task(
    name="alerts.tasks.sync_interpol",
    time_limit=settings.INTERPOL_SYNC_TIME_LIMIT,
    soft_time_limit=settings.INTERPOL_SYNC_TIME_LIMIT - 30,
)
def sync_interpol() -> dict:
    """The INTERPOL watch (beat, every INTERPOL_SYNC_INTERVAL seconds): one sync; a second
    one while the first runs does nothing (advisory lock). Returns its summary."""
    with audit_context("task", task="sync_interpol"):
        return asdict(interpol_watch.sync(trigger="beat"))
