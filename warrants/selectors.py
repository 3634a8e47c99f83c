"""Readers of warrants and notices, scoped to who asks."""

import datetime
from dataclasses import dataclass
from uuid import UUID

from django.db.models import BooleanField, Case, Exists, OuterRef, Prefetch, QuerySet, Value, When
from django.db.models.expressions import Expression

from cases.models import Charge
from parties.selectors import can_see_protected, redact

from .immunity import functional_immunity_bar, immunity_risk
from .models import Notice, Warrant
from .proceedings import (
    APPEAL_PENDING,
    CalendarToken,
    Deadline,
    Proceeding,
    ProceedingKind,
    token_digest,
)


def shown_for(user, finding: Expression) -> Expression:
    """An immunity finding as `user` may see it: None (neither affirmed nor denied) when the
    subject is protected and `user` may not see protected identities, since a finding would
    tell them the person held (high) office. Computed from the real positions, whatever the
    reader sees of them, so it never depends on whether the subject was redacted first."""
    if can_see_protected(user):
        return finding
    return Case(
        When(subject__protected=True, then=Value(None)),
        default=finding,
        output_field=BooleanField(null=True),
    )


def shown_immunity_risk(user) -> Expression:
    """Personal immunity on the issue date (warrants.immunity), as `user` may see it."""
    return shown_for(user, immunity_risk())


def shown_functional_immunity_bar(user) -> Expression:
    """Functional immunity in the way (warrants.immunity), as `user` may see it."""
    return shown_for(user, functional_immunity_bar())


def appeal_pending() -> Exists:
    """On a Warrant queryset: an appeal against it is lodged or heard, not yet decided."""
    return Exists(
        Proceeding.objects.filter(
            warrants=OuterRef("pk"), kind=ProceedingKind.APPEAL_LODGED, status__in=APPEAL_PENDING
        )
    )


def pending_appeals() -> Prefetch:
    """Prefetch of each warrant's pending appeals as `pending_appeals` (oldest first)."""
    return Prefetch(
        "proceedings",
        queryset=Proceeding.objects.filter(
            kind=ProceedingKind.APPEAL_LODGED, status__in=APPEAL_PENDING
        ).order_by("date"),
        to_attr="pending_appeals",
    )


def warrants_readable_by(user) -> QuerySet[Warrant]:
    """The warrants `user` may read, bare: for what needs no more than their own columns
    (a version for a 304). Anything shown reads warrants_visible_to."""
    if not (user and user.has_perm("warrants.view_warrant")):
        return Warrant.objects.none()
    return Warrant.objects.all()


def warrants_visible_to(user) -> QuerySet[Warrant]:
    """Warrants `user` may read, each annotated with `shown_immunity_risk` and
    `shown_functional_immunity_bar` (read those, never the model's properties, in anything a
    reader sees) and `appeal_pending`, with its `pending_appeals`."""
    warrants = warrants_readable_by(user)
    if warrants.query.is_empty():
        return warrants
    return (
        warrants.select_related("case", "subject", "supersedes")
        .prefetch_related(
            # Ids and labels are all a warrant shows of its charges: no join to their cases,
            # which Charge's default order would add (and sort every charge by).
            Prefetch(
                "charges", queryset=Charge.objects.only("id", "label").order_by("label", "id")
            ),
            pending_appeals(),
        )
        .annotate(
            shown_immunity_risk=shown_immunity_risk(user),
            shown_functional_immunity_bar=shown_functional_immunity_bar(user),
            appeal_pending=appeal_pending(),
        )
    )


def supersedable(user, *, case, subject, exclude=None) -> QuerySet[Warrant]:
    """Warrants `user` may read that a warrant of `case` against `subject` may supersede
    (Warrant.clean's rule): the same subject's, in the same case; never `exclude` (the
    superseding warrant itself)."""
    warrants = warrants_visible_to(user).filter(case_id=case, subject_id=subject)
    return warrants.exclude(pk=exclude) if exclude else warrants


def notices_visible_to(user) -> QuerySet[Notice]:
    if not (user and user.has_perm("warrants.view_notice")):
        return Notice.objects.none()
    return Notice.objects.select_related("subject", "warrant", "warrant__case")


# --- court proceedings, deadlines and the calendar (issue 13) ------------------------------


def proceedings_visible_to(user) -> QuerySet[Proceeding]:
    """Proceedings `user` may read (every case they may read), oldest first."""
    if not (user and user.has_perm("warrants.view_proceeding")):
        return Proceeding.objects.none()
    return Proceeding.objects.select_related("case", "appeal").prefetch_related(
        "charges", Prefetch("warrants", queryset=Warrant.objects.select_related("subject"))
    )


def deadlines_visible_to(user) -> QuerySet[Deadline]:
    """Deadlines `user` may read, soonest first."""
    if not (user and user.has_perm("warrants.view_deadline")):
        return Deadline.objects.none()
    return Deadline.objects.select_related(
        "case", "proceeding", "warrant__subject", "notice__subject"
    )


@dataclass(frozen=True)
class CalendarEntry:
    """One day in a calendar: a hearing or a deadline, described for its reader."""

    uid: str
    resource: str  # proceeding or deadline
    record_id: UUID
    day: datetime.date
    time: datetime.time | None
    title: str
    description: str
    status: str
    case_id: UUID
    case_reference: str
    cancelled: bool


def _warrant_line(warrant: Warrant, user) -> str:
    # The subject as `user` may see them: a protected subject by pseudonym only.
    subject = redact(warrant.subject, user)
    return (
        f"{warrant.get_kind_display()} warrant {warrant.reference or warrant.pk} for {subject.name}"
    )


def calendar_entries(
    user,
    *,
    case_id: UUID | None = None,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
) -> list[CalendarEntry]:
    """The hearings and deadlines `user` may read (of one case, between two days if given),
    by day. Text names parties only as `user` may see them."""
    hearings = proceedings_visible_to(user).filter(kind=ProceedingKind.HEARING)
    deadlines = deadlines_visible_to(user)
    if case_id is not None:
        hearings, deadlines = hearings.filter(case_id=case_id), deadlines.filter(case_id=case_id)
    if start is not None:
        hearings, deadlines = hearings.filter(date__gte=start), deadlines.filter(due_on__gte=start)
    if end is not None:
        hearings, deadlines = hearings.filter(date__lte=end), deadlines.filter(due_on__lte=end)
    entries = []
    for hearing in hearings:
        lines = [f"Case {hearing.case.reference}: {hearing.case.title}"]
        lines += [_warrant_line(w, user) for w in hearing.warrants.all()]
        if hearing.outcome:
            lines.append(f"Outcome: {hearing.outcome}")
        court = ", ".join(filter(None, [hearing.court, hearing.chamber]))
        entries.append(
            CalendarEntry(
                uid=f"proceeding-{hearing.pk}@casetracker",
                resource="proceeding",
                record_id=hearing.pk,
                day=hearing.date,
                time=hearing.time,
                title=f"Hearing: {court} ({hearing.case.reference})",
                description="\n".join(lines),
                status=hearing.status,
                case_id=hearing.case_id,
                case_reference=hearing.case.reference,
                cancelled=hearing.status in ("postponed", "cancelled"),
            )
        )
    for deadline in deadlines:
        lines = [f"Case {deadline.case.reference}: {deadline.case.title}"]
        if deadline.warrant is not None:
            lines.append(_warrant_line(deadline.warrant, user))
        entries.append(
            CalendarEntry(
                uid=f"deadline-{deadline.pk}@casetracker",
                resource="deadline",
                record_id=deadline.pk,
                day=deadline.due_on,
                time=None,
                title=f"Deadline: {deadline.title} ({deadline.case.reference})",
                description="\n".join(lines),
                status=deadline.status,
                case_id=deadline.case_id,
                case_reference=deadline.case.reference,
                cancelled=deadline.status == "cancelled",
            )
        )
    return sorted(entries, key=lambda e: (e.day, e.time or datetime.time.min, e.title))


def calendar_token_user(token: str):
    """The active user whose calendar feed `token` opens, or None (unknown, rotated, or the
    user deactivated)."""
    if not token.startswith(CalendarToken.PREFIX):
        return None
    found = (
        CalendarToken.objects.select_related("user")
        .filter(digest=token_digest(token), user__is_active=True)
        .first()
    )
    return found.user if found else None
