"""Email: alerts to followers (at once or in a daily digest), and disabled-webhook notices.

Sent through Django's email backend. Each notification row is locked while
its email is sent and marked sent in the same transaction, so two workers
never mail it both; a failure leaves it pending with a later `next_attempt_at`
(EMAIL_RETRY_SCHEDULE), after which it is given up.
"""

from __future__ import annotations

import datetime
import logging
from collections import defaultdict
from uuid import UUID

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from .models import DeliveryStatus, Notification, WebhookEndpoint
from .selectors import alerts_visible_to

log = logging.getLogger(__name__)


NOT_FOR_RECIPIENT = (
    "Not sent: the recipient may not read this alert now (deactivated, no longer in a role"
    " that reads alerts, or its party protected since)."
)


def read_as_recipients(rows: list[Notification]) -> list[Notification]:
    """Give each row the alert as its recipient may read it now: a party is named as the
    recipient may see it at sending time, not as it was when the alert was raised.

    Returns the rows the recipient may read now; the others are given up, unsent: the
    recipient was deactivated or lost every role that reads alerts, or the alert tells
    what a party protected since hides (Alert.reveals_identity).
    """
    per_user: dict[int, list[Notification]] = defaultdict(list)
    for row in rows:
        per_user[row.user_id].append(row)
    readable, refused = [], []
    for user_rows in per_user.values():
        alerts = alerts_visible_to(user_rows[0].user)
        shown = alerts.in_bulk([row.alert_id for row in user_rows])
        for row in user_rows:
            if row.alert_id in shown:
                row.alert = shown[row.alert_id]
                readable.append(row)
            else:
                refused.append(row)
    for row in refused:
        row.status, row.next_attempt_at, row.last_error = (
            DeliveryStatus.FAILED,
            None,
            NOT_FOR_RECIPIENT,
        )
        row.save(update_fields=["status", "next_attempt_at", "last_error"])
    return readable


def alert_text(notification: Notification) -> str:
    """The email's text about one alert (after read_as_recipients)."""
    alert = notification.alert
    lines = [f"[{alert.severity.upper()}] {alert.shown_title}"]
    if alert.case_id:
        lines.append(f"Case: {alert.case}")
    if alert.message:
        lines.append(alert.message)
    if alert.subject_id:
        # The web view checks the reader may see the record before it redirects there.
        lines.append(f"Open: {settings.SITE_URL}{reverse('alerts:record', args=[alert.pk])}")
    lines.append(f"Alert id: {alert.pk}")
    return "\n".join(lines)


def _failed(rows: list[Notification], error: Exception) -> None:
    schedule = settings.EMAIL_RETRY_SCHEDULE
    now = timezone.now()
    for row in rows:
        row.attempts += 1
        row.last_error = str(error)[:500]
        if row.attempts > len(schedule):
            row.status, row.next_attempt_at = DeliveryStatus.FAILED, None
        else:
            row.next_attempt_at = now + datetime.timedelta(seconds=schedule[row.attempts - 1])
        row.save(update_fields=["attempts", "last_error", "status", "next_attempt_at"])


def _sent(rows: list[Notification]) -> None:
    now = timezone.now()
    for row in rows:
        row.attempts += 1
        row.status, row.sent_at, row.next_attempt_at, row.last_error = (
            DeliveryStatus.SUCCEEDED,
            now,
            None,
            "",
        )
        row.save(update_fields=["attempts", "status", "sent_at", "next_attempt_at", "last_error"])


def send_notification(notification_id: int) -> bool:
    """Mail one due immediate notification; False if not due, already sent, or taken."""
    with transaction.atomic():
        row = (
            Notification.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("user")
            .filter(
                pk=notification_id,
                status=DeliveryStatus.PENDING,
                digest=False,
                next_attempt_at__lte=timezone.now(),
            )
            .first()
        )
        if row is None:
            return False
        if not read_as_recipients([row]):
            return False
        try:
            send_mail(
                subject=f"[casetracker] {row.alert.shown_title}",
                message=alert_text(row),
                from_email=None,
                recipient_list=[row.user.email],
            )
        except Exception as exc:
            log.warning("Email for notification %s failed: %s", row.pk, exc)
            _failed([row], exc)
            return False
        _sent([row])
        return True


def due_notifications(limit: int = 500) -> list[int]:
    """Immediate emails due now; a first attempt only once its kick looks lost."""
    now = timezone.now()
    grace = now - datetime.timedelta(seconds=settings.KICK_GRACE_SECONDS)
    return list(
        Notification.objects.filter(
            Q(attempts__gt=0) | Q(created_at__lt=grace),
            status=DeliveryStatus.PENDING,
            digest=False,
            next_attempt_at__lte=now,
        )
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )


def send_digests(retries_only: bool = False) -> int:
    """Mail each follower one digest of their pending digest notifications. Returns emails sent.

    The daily run takes every pending one never tried; `retries_only` takes
    those whose earlier digest failed and are due again. At most one digest per user and
    day (UTC): a user mailed one today gets what came since in tomorrow's, so running the
    job twice, or by hand after beat, mails nobody twice.
    """
    due = Q(attempts__gt=0, next_attempt_at__lte=timezone.now())
    if not retries_only:
        due |= Q(attempts=0)
    sent = 0
    with transaction.atomic():
        mailed_today = Notification.objects.filter(
            digest=True, status=DeliveryStatus.SUCCEEDED, sent_at__date=timezone.localdate()
        ).values("user_id")
        rows = list(
            Notification.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("user")
            .filter(due, status=DeliveryStatus.PENDING, digest=True)
            .exclude(user_id__in=mailed_today)
            .order_by("user_id", "created_at")
        )
        per_user: dict[int, list[Notification]] = defaultdict(list)
        for row in read_as_recipients(rows):
            per_user[row.user_id].append(row)
        for user_rows in per_user.values():
            user = user_rows[0].user
            body = "\n\n".join(alert_text(r) for r in user_rows)
            try:
                with transaction.atomic():
                    send_mail(
                        subject=f"[casetracker] Daily digest: {len(user_rows)} alert(s)",
                        message=body,
                        from_email=None,
                        recipient_list=[user.email],
                    )
                    _sent(user_rows)
                sent += 1
            except Exception as exc:
                log.warning("Digest for %s failed: %s", user, exc)
                _failed(user_rows, exc)
    return sent


def notify_disabled_endpoint(endpoint_id: UUID | str) -> bool:
    """Mail the owner of a disabled endpoint, once per disabling; False if nothing to do."""
    with transaction.atomic():
        endpoint = (
            WebhookEndpoint.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("owner")
            .filter(pk=endpoint_id, active=False, disabled_at__isnull=False)
            .filter(owner_notified_at__isnull=True)
            .first()
        )
        if endpoint is None or not endpoint.owner.email:
            return False
        send_mail(
            subject="[casetracker] Webhook endpoint disabled",
            message=(
                f"Your webhook endpoint {endpoint.url} was disabled on "
                f"{endpoint.disabled_at:%Y-%m-%d %H:%M} UTC.\nReason: {endpoint.disabled_reason}\n"
                "Fix the receiver, enable the endpoint again (PATCH active=true) and redeliver "
                "what it missed (POST .../deliveries/<id>/redeliver/).\n"
                f"Endpoint id: {endpoint.pk}"
            ),
            from_email=None,
            recipient_list=[endpoint.owner.email],
        )
        endpoint.owner_notified_at = timezone.now()
        endpoint.save(update_fields=["owner_notified_at"])
        return True


def endpoints_to_notify() -> list[str]:
    return [
        str(pk)
        for pk in WebhookEndpoint.objects.filter(
            active=False, disabled_at__isnull=False, owner_notified_at__isnull=True
        ).values_list("pk", flat=True)
    ]
