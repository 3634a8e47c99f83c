"""Writers of alerts. Acknowledging and resolving are audited, never Events."""

from uuid import UUID

from django.db import transaction
from django.utils import timezone

from casetracker.actions import lock, require_perm
from casetracker.events import Actor

from .models import Alert, Subscription


@transaction.atomic
def alert_transition(*, alert_id: UUID, transition: str, actor: Actor) -> Alert:
    """acknowledge (open → acknowledged) or resolve (open/acknowledged → resolved)."""
    alert = lock(Alert.objects.all(), alert_id, None)
    require_perm(actor, alert.workflow.permission)
    move = alert.workflow.move(alert.status, transition)
    alert.status = move.target
    stamp = {"acknowledged": "acknowledged", "resolved": "resolved"}[move.target]
    setattr(alert, f"{stamp}_by", actor.user)
    setattr(alert, f"{stamp}_at", timezone.now())
    alert.version += 1
    with actor.audit_context():
        alert.save(update_fields=["status", f"{stamp}_by", f"{stamp}_at", "version", "updated_at"])
    return alert


def subscription_follow(*, user, case=None, party=None) -> Subscription:
    """`user` follows a case or a party (idempotent: following twice keeps one subscription)."""
    if (case is None) == (party is None):
        raise ValueError("Follow exactly one case or one party.")
    subscription, _ = Subscription.objects.get_or_create(user=user, case=case, party=party)
    return subscription


def subscription_unfollow(*, user, case=None, party=None) -> None:
    """Stop following (idempotent)."""
    Subscription.objects.filter(user=user, case=case, party=party, min_severity="").delete()
