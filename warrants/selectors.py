"""Readers of warrants and notices, scoped to who asks."""

from django.db.models import QuerySet

from .models import Notice, Warrant


def warrants_visible_to(user) -> QuerySet[Warrant]:
    if not (user and user.has_perm("warrants.view_warrant")):
        return Warrant.objects.none()
    # subject__positions: immunity_risk reads them.
    return Warrant.objects.select_related("case", "subject", "supersedes").prefetch_related(
        "subject__positions", "charges"
    )


def notices_visible_to(user) -> QuerySet[Notice]:
    if not (user and user.has_perm("warrants.view_notice")):
        return Notice.objects.none()
    return Notice.objects.select_related("subject", "warrant", "warrant__case")
