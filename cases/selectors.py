"""Readers of cases and what hangs off them, scoped to who asks."""

from django.db.models import QuerySet

from .models import Case, CaseMember, Charge, Incident, Participation, Representation


def _can_view(user, model: str) -> bool:
    return bool(user and user.has_perm(f"cases.view_{model}"))


def cases_visible_to(user) -> QuerySet[Case]:
    return Case.objects.all() if _can_view(user, "case") else Case.objects.none()


def memberships_of(user) -> QuerySet[CaseMember]:
    """The teams `user` is on, of the cases they may read, each with its case."""
    if not (user and user.is_authenticated):
        return CaseMember.objects.none()
    visible = cases_visible_to(user)
    return CaseMember.objects.filter(user=user, case__in=visible).select_related("case")


def incidents_visible_to(user) -> QuerySet[Incident]:
    if not _can_view(user, "incident"):
        return Incident.objects.none()
    return Incident.objects.select_related("case")


def participations_visible_to(user) -> QuerySet[Participation]:
    if not _can_view(user, "participation"):
        return Participation.objects.none()
    return Participation.objects.select_related("case", "party")


def representations_visible_to(user) -> QuerySet[Representation]:
    if not _can_view(user, "representation"):
        return Representation.objects.none()
    return Representation.objects.select_related("counsel", "client__party", "client__case")


def charges_visible_to(user) -> QuerySet[Charge]:
    if not _can_view(user, "charge"):
        return Charge.objects.none()
    return Charge.objects.select_related("case", "accused__party", "reviewed_by")
