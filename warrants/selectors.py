"""Readers of warrants and notices, scoped to who asks."""

from django.db.models import BooleanField, Case, Exists, OuterRef, Q, QuerySet, Value, When
from django.db.models.expressions import Expression

from parties.models import IMMUNE_FUNCTIONS, Position
from parties.selectors import can_see_protected

from .models import Notice, Warrant


def immunity_risk() -> Expression:
    """`Warrant.immunity_risk` in SQL: the subject held a position with personal immunity on
    `issued_on` (False while the warrant is not issued)."""
    immune = Position.objects.filter(
        party=OuterRef("subject"), function__in=list(IMMUNE_FUNCTIONS)
    ).filter(
        Q(started_on__isnull=True) | Q(started_on__lte=OuterRef("issued_on")),
        Q(ended_on__isnull=True) | Q(ended_on__gte=OuterRef("issued_on")),
    )
    return Case(
        When(issued_on__isnull=True, then=Value(False)),
        default=Exists(immune),
        output_field=BooleanField(),
    )


def shown_immunity_risk(user) -> Expression:
    """The immunity risk `user` may see: None (neither affirmed nor denied) when the subject is
    protected and `user` may not see protected identities, since a risk would tell them the
    person held high office. Computed from the real positions, whatever the reader sees of
    them, so it never depends on whether the subject was redacted first."""
    if can_see_protected(user):
        return immunity_risk()
    return Case(
        When(subject__protected=True, then=Value(None)),
        default=immunity_risk(),
        output_field=BooleanField(null=True),
    )


def warrants_visible_to(user) -> QuerySet[Warrant]:
    """Warrants `user` may read, each annotated with `shown_immunity_risk` (read that one,
    never the model's `immunity_risk`, in anything a reader sees)."""
    if not (user and user.has_perm("warrants.view_warrant")):
        return Warrant.objects.none()
    return (
        Warrant.objects.select_related("case", "subject", "supersedes")
        .prefetch_related("charges")
        .annotate(shown_immunity_risk=shown_immunity_risk(user))
    )


def notices_visible_to(user) -> QuerySet[Notice]:
    if not (user and user.has_perm("warrants.view_notice")):
        return Notice.objects.none()
    return Notice.objects.select_related("subject", "warrant", "warrant__case")
