"""The INTERPOL watch: what INTERPOL's public site shows about our notices, and public red
notices that may be about accused persons we have none for (issue 11).

`sync()` (manage.py sync_interpol; beat every INTERPOL_SYNC_INTERVAL seconds) does two things:

1. every Notice with an `interpol_id` of a publicly listed kind is looked up. Each answer is
   stored as an InterpolObservation (the raw JSON, the URL, when): the provenance of what the
   sync concludes. Found → `public_listing = listed`; 404 → `not_listed` (Events
   notice.listed / notice.delisted, through warrants.actions.notice_observe_listing); its
   public fields differ from the previous listed observation → Event notice.changed, its note
   naming the fields (never their values: a note reaches every reader). Leaving the public
   list never changes the notice's workflow status: it may be a restriction, not a
   cancellation (domain.md §2).
2. every accused person without a red notice here is searched in the public red notices by
   surname; a notice whose full name is similar enough (parties.names.similarity) and whose
   birth date is compatible (partial dates compare on what both give) becomes an
   InterpolMatch with a high "possible INTERPOL match" alert. A (party, notice) pair is raised
   once: a dismissed match is never raised again. The alert `reveals_identity`: the public
   notice shows the person's real name, so while the party is protected only those who may
   see protected identities see the alert (alerts.selectors.alerts_for_reader).

The Events go through the outbox like every other change, so alert rules, emails and
webhooks follow. A PostgreSQL advisory lock keeps two syncs from overlapping: a second one
returns at once, `skipped`. When the service keeps refusing (403/429/5xx after the client's
backoff) the run stops where it is, records why, and the next run starts over.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from typing import Any
from uuid import UUID

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from cases.models import Participation
from core.actions import require_perm
from core.events import Actor, event_record
from parties.models import Party
from parties.names import similarity
from warrants.actions import notice_create, notice_observe_listing, notice_transition
from warrants.models import Notice, NoticeKind, PublicListing, Warrant

from .actions import alert_transition
from .flags import Finding, raise_for_finding
from .interpol import PUBLIC_KINDS, Answer, Client, Listing, Unavailable, public_fields
from .models import (
    SUBJECT,
    InterpolMatch,
    InterpolObservation,
    InterpolSyncRun,
    MatchStatus,
    Severity,
)

SYNC_ACTOR = Actor.system("interpol-sync")
# pg_advisory_lock key of the sync (any constant unique to it in this database).
LOCK_KEY = 0x1A7E4901
MATCH_CONDITION = "interpol_match:"
# Deciding on a match records a notice: the permission of editing notices.
DECIDE_PERM = "warrants.change_notice"
PUBLIC_PAGE = "https://www.interpol.int/How-we-work/Notices/Red-Notices/View-Red-Notices#{}"


@dataclass
class Summary:
    """What one sync did (stored in InterpolSyncRun.summary, printed by the command)."""

    checked: int = 0
    listed: int = 0
    delisted: int = 0
    changed: int = 0
    unchanged: int = 0
    candidates: int = 0
    searches: int = 0
    incomplete_searches: int = 0
    matches: int = 0
    requests: int = 0
    backoffs: int = 0
    skipped: bool = False
    error: str = ""
    run_id: int | None = None

    def line(self) -> str:
        if self.skipped:
            return "INTERPOL sync skipped: another sync is running."
        text = (
            f"INTERPOL sync: {self.checked} notices checked ({self.listed} listed, "
            f"{self.delisted} delisted, {self.changed} changed, {self.unchanged} unchanged); "
            f"{self.candidates} accused searched in {self.searches} searches, "
            f"{self.matches} possible matches raised; {self.requests} requests, "
            f"{self.backoffs} back-offs."
        )
        return f"{text} Stopped early: {self.error}" if self.error else text


@contextmanager
def sync_lock() -> Iterator[bool]:
    """Hold the sync's advisory lock (session level) if free; yields whether we hold it."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [LOCK_KEY])
        held = bool(cursor.fetchone()[0])
    try:
        yield held
    finally:
        if held:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [LOCK_KEY])


def sync(*, trigger: str = "command", client: Client | None = None) -> Summary:
    """One sync: observe every notice with an interpol_id, then look for possible matches.

    Returns at once (`skipped`) if another sync holds the lock. Each observation is its own
    transaction, so a run stopped half-way keeps what it saw.
    """
    summary = Summary()
    with sync_lock() as held:
        if not held:
            summary.skipped = True
            return summary
        client = client or Client()
        run = InterpolSyncRun.objects.create(
            started_at=timezone.now(), trigger=trigger, base_url=client.base_url
        )
        summary.run_id = run.pk
        try:
            with client:
                observe_notices(client, run, summary)
                find_matches(client, run, summary)
        except Unavailable as error:
            summary.error = str(error)
        finally:
            summary.requests, summary.backoffs = client.requests, len(client.backoffs)
            run.summary = {k: v for k, v in asdict(summary).items() if k not in ("run_id",)}
            run.error, run.finished_at = summary.error, timezone.now()
            run.save(update_fields=["summary", "error", "finished_at"])
    return summary


# --- 1. our notices --------------------------------------------------------------------------


def watched_notices():
    """Notices the sync looks up: an interpol_id, of a kind INTERPOL lists publicly."""
    return Notice.objects.exclude(interpol_id="").filter(kind__in=list(PUBLIC_KINDS))


def observe_notices(client: Client, run: InterpolSyncRun, summary: Summary) -> None:
    for notice_id, kind, interpol_id in (
        watched_notices().order_by("interpol_id").values_list("pk", "kind", "interpol_id")
    ):
        answer = client.notice(kind, interpol_id)
        summary.checked += 1
        for outcome in notice_observe(notice_id=notice_id, answer=answer, run=run):
            setattr(summary, outcome, getattr(summary, outcome) + 1)


def changed_fields(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    return sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))


@transaction.atomic
def notice_observe(*, notice_id: UUID, answer: Answer, run: InterpolSyncRun | None) -> list[str]:
    """Record one answer about a notice: its observation, its listing, a change of its public
    fields; one Event per change (notice.listed, notice.delisted, notice.changed).

    Returns what changed ("listed", "delisted", "changed"), or ["unchanged"]. The notice's
    status is never touched.
    """
    notice = Notice.objects.select_for_update().get(pk=notice_id)
    previous = (
        InterpolObservation.objects.filter(notice=notice, listed=True)
        .order_by("-observed_at", "-id")
        .first()
    )
    fields = public_fields(answer.data) if answer.found else {}
    changed = changed_fields(previous.fields, fields) if previous and answer.found else []
    InterpolObservation.objects.create(
        run=run,
        notice=notice,
        entity_id=notice.interpol_id,
        url=answer.url,
        status_code=answer.status_code,
        listed=answer.found,
        fields=fields,
        raw=answer.data,
        changed_fields=changed,
        observed_at=timezone.now(),
    )
    outcomes = []
    listing = PublicListing.LISTED if answer.found else PublicListing.NOT_LISTED
    if notice_observe_listing(notice_id=notice.pk, listing=listing, actor=SYNC_ACTOR):
        outcomes.append("listed" if answer.found else "delisted")
    if changed:
        notice.refresh_from_db()
        event_record(
            record=notice,
            type="notice.changed",
            actor=SYNC_ACTOR,
            effective_date=timezone.localdate(),
            note=f"Changed on INTERPOL's public site: {', '.join(changed)}.",
        )
        outcomes.append("changed")
    return outcomes or ["unchanged"]


# --- 2. possible matches ---------------------------------------------------------------------


def candidates():
    """Accused persons (any case, any status) without a red notice here."""
    accused = Participation.objects.filter(role="accused").values("party_id")
    return (
        Party.objects.filter(kind="person", pk__in=accused)
        .exclude(notices__kind=NoticeKind.RED)
        .order_by("pk")
    )


def surname(name: str) -> str:
    """The word a list query searches by: the name's last word (particles dropped)."""
    words = [w for w in re.split(r"[\s\-'\u2019]+", name) if len(w) > 1]
    return words[-1] if words else ""


def birth_compatible(ours: str, theirs: str) -> bool:
    """Partial dates agree on what both give ("1965-09-11" and "1965/09" do); an unknown
    date contradicts nothing."""
    a = [p for p in re.split(r"[-/]", ours or "") if p]
    b = [p for p in re.split(r"[-/]", theirs or "") if p]
    return all(int(x) == int(y) for x, y in zip(a, b, strict=False) if x.isdigit() and y.isdigit())


def name_score(party: Party, notice: dict[str, Any]) -> float:
    """The best similarity of the notice's full name to the party's names and aliases."""
    theirs = " ".join(filter(None, [notice.get("forename"), notice.get("name")]))
    if not theirs:
        return 0.0
    ours = [party.name, party.name_original, *(party.aliases or [])]
    return max((similarity(name, theirs) for name in ours if name), default=0.0)


def find_matches(client: Client, run: InterpolSyncRun, summary: Summary) -> None:
    searched: dict[tuple[str, str], Listing] = {}

    def search(term: str, nationality: str = "") -> Listing:
        key = (term.casefold(), nationality)
        if key not in searched:
            searched[key] = client.search("red", name=term, nationality=nationality)
            summary.searches += 1
            summary.incomplete_searches += not searched[key].complete
        return searched[key]

    recorded = set(Notice.objects.exclude(interpol_id="").values_list("interpol_id", flat=True))
    raised = set(InterpolMatch.objects.values_list("party_id", "entity_id"))
    threshold = settings.INTERPOL_MATCH_THRESHOLD
    for party in candidates():
        term = surname(party.name)
        if not term:
            continue
        summary.candidates += 1
        listing = search(term)
        found = list(listing.notices)
        if not listing.complete:
            # More results than the service pages through: narrow by nationality.
            for nationality in party.nationalities or []:
                found += search(term, str(nationality)).notices
        seen = set()
        for item in found:
            entity_id = str(item.get("entity_id") or "")
            if not entity_id or entity_id in seen or entity_id in recorded:
                continue
            seen.add(entity_id)
            if (party.pk, entity_id) in raised:
                continue  # raised before: open, confirmed or dismissed (never again)
            score = name_score(party, item)
            if score < threshold:
                continue
            if not birth_compatible(party.birth_date, str(item.get("date_of_birth") or "")):
                continue
            if match_raise(party=party, item=item, score=score, run=run):
                summary.matches += 1
            raised.add((party.pk, entity_id))


@transaction.atomic
def match_raise(
    *, party: Party, item: dict[str, Any], score: float, run: InterpolSyncRun | None
) -> InterpolMatch | None:
    """Record a possible match and raise its high alert; None if the pair was raised before."""
    entity_id = str(item["entity_id"])
    match, created = InterpolMatch.objects.get_or_create(
        party=party,
        kind="red",
        entity_id=entity_id,
        defaults={
            "fields": public_fields(item),
            "raw": item,
            "score": round(score, 4),
            "birth_date": str(item.get("date_of_birth") or "")[:10],
            "run": run,
        },
    )
    if not created:
        return None
    case_id = (
        Participation.objects.filter(party=party, role="accused")
        .order_by("created_at")
        .values_list("case_id", flat=True)
        .first()
    )
    # The message names nobody: readers who may not see a protected identity read it too
    # (while the party is protected, reveals_identity hides the alert from them anyway).
    alert = raise_for_finding(
        Finding(
            condition=f"{MATCH_CONDITION}{match.pk}",
            severity=Severity.HIGH,
            title=f"Possible INTERPOL match: {SUBJECT} and public Red Notice {entity_id}",
            message=(
                f"INTERPOL's public Red Notice {entity_id} ({PUBLIC_PAGE.format(entity_id)}) "
                f"may be about this accused person: name similarity {score:.2f}, birth date "
                f"{match.birth_date or 'not published'}. Confirm it to record the notice as "
                "published, or dismiss it: a dismissed match is not raised again."
            ),
            case_id=case_id,
            subject_resource="party",
            subject_id=party.pk,
            party_ids=(party.pk,),
            party_id=party.pk,
            reveals_identity=True,
        )
    )
    if alert is not None:
        match.alert = alert
        match.save(update_fields=["alert", "updated_at"])
    return match


# --- deciding ----------------------------------------------------------------------------------


class AlreadyDecided(ValidationError):
    """The match was confirmed or dismissed already (the API answers 409)."""


def _lock_open_match(match_id: UUID, actor: Actor) -> InterpolMatch:
    require_perm(actor, DECIDE_PERM)
    match = InterpolMatch.objects.select_for_update().select_related("party").get(pk=match_id)
    if match.status != MatchStatus.OPEN:
        raise AlreadyDecided(f"This match is already {match.status}.")
    return match


def _decide(match: InterpolMatch, status: str, actor: Actor, note: str, why: str) -> None:
    match.status, match.note = status, note
    match.decided_by, match.decided_at = actor.user, timezone.now()
    match.version += 1
    match.save(
        update_fields=["status", "note", "decided_by", "decided_at", "notice", "version",
                       "updated_at"]
    )  # fmt: skip
    if match.alert_id and match.alert and match.alert.status != "resolved":
        match.alert = alert_transition(
            alert_id=match.alert_id, transition="resolve", actor=actor, note=why
        )


@transaction.atomic
def match_confirm(
    *, match_id: UUID, actor: Actor, warrant_id: UUID | None = None, note: str = ""
) -> tuple[InterpolMatch, Notice]:
    """Confirm a possible match: record the red notice (its interpol_id, public, the
    requesting country from the notice's first arrest warrant), publish it and mark it
    listed, through the warrants actions (each its Event); resolve the alert.

    A red notice needs an issued warrant against the person: `warrant_id`, or the person's
    only issued warrant. Needs the permission to edit notices.
    """
    match = _lock_open_match(match_id, actor)
    warrants = Warrant.objects.filter(subject=match.party, status="issued")
    if warrant_id:
        warrant = warrants.filter(pk=warrant_id).first()
        if warrant is None:
            raise ValidationError(
                {"warrant": "Choose an issued warrant against this person (none has this id)."}
            )
    else:
        issued = list(warrants[:2])
        if len(issued) != 1:
            raise ValidationError(
                {
                    "warrant": "A red notice needs an issued warrant against this person: "
                    + ("record it first." if not issued else "choose one of their warrants.")
                }
            )
        warrant = issued[0]
    if Notice.objects.filter(interpol_id=match.entity_id).exists():
        raise AlreadyDecided(f"A notice with INTERPOL id {match.entity_id} is already recorded.")
    charges = (match.fields or {}).get("arrest_warrants") or []
    country = next(
        (str(w.get("issuing_country_id")) for w in charges if w.get("issuing_country_id")),
        str(warrant.issuing_country),
    )
    notice = notice_create(
        actor=actor,
        kind=NoticeKind.RED,
        subject=match.party,
        warrant=warrant,
        requesting_country=country,
        interpol_id=match.entity_id,
        visibility="public",
    )
    notice, _ = notice_transition(
        notice_id=notice.pk,
        transition="publish",
        actor=actor,
        note=f"Confirmed from INTERPOL's public site ({match.entity_id}).",
    )
    notice_observe_listing(notice_id=notice.pk, listing=PublicListing.LISTED, actor=actor)
    notice.refresh_from_db()
    match.notice = notice
    _decide(match, MatchStatus.CONFIRMED, actor, note, "confirmed: the red notice is recorded")
    return match, notice


@transaction.atomic
def match_dismiss(*, match_id: UUID, actor: Actor, note: str = "") -> InterpolMatch:
    """Dismiss a possible match (not this person): it is never raised again; its alert is
    resolved. Needs the permission to edit notices."""
    match = _lock_open_match(match_id, actor)
    _decide(match, MatchStatus.DISMISSED, actor, note, "dismissed: not the same person")
    return match
