"""Writers of alerts. Acknowledging and resolving are audited, never Events."""

from uuid import UUID

from django.db import transaction
from django.utils import timezone

from casetracker.actions import lock, require_perm
from casetracker.events import Actor

from .models import Alert


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
