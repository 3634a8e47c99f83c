"""The INTERPOL watch against the stand-in service on loopback (tests/interpol/server.py)."""

import psycopg
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import connection

from alerts import interpol_watch
from alerts.interpol import Client
from alerts.models import Alert, InterpolMatch, InterpolObservation, InterpolSyncRun
from alerts.outbox import relay_sweep
from alerts.selectors import alerts_visible_to, interpol_matches_visible_to
from core.events import Actor
from core.models import Event
from parties.actions import party_set_protection
from tests import builders
from warrants.actions import notice_create

from .server import red

pytestmark = pytest.mark.django_db

SYNC_TYPES = ["notice.listed", "notice.delisted", "notice.changed"]


def sync_events(notice):
    return list(
        Event.objects.filter(subject_id=notice.pk, type__in=SYNC_TYPES)
        .order_by("occurred_at", "pk")
        .values_list("type", flat=True)
    )


@pytest.fixture
def published_red(system, case, accused):
    warrant = builders.warrant(system, case, accused.party, issued_on="2023-11-14")
    notice = builders.red_notice(system, warrant, interpol_id="2023/12345")
    from warrants.actions import notice_transition

    notice, _ = notice_transition(notice_id=notice.pk, transition="publish", actor=system)
    return notice


def test_a_notice_listed_then_removed_then_changed(interpol, published_red):
    notice = published_red
    interpol.publish(red("2023/12345", "PERSON", "TEST", "1965/09/11"))

    first = interpol_watch.sync()
    notice.refresh_from_db()
    assert (first.checked, first.listed, first.error) == (1, 1, "")
    assert notice.public_listing == "listed"
    assert sync_events(notice) == ["notice.listed"]
    seen = InterpolObservation.objects.get(notice=notice)
    assert seen.status_code == 200 and seen.listed
    assert seen.raw["entity_id"] == "2023/12345" and "_links" in seen.raw  # as received
    assert "_links" not in seen.fields and seen.url.endswith("/notices/v1/red/2023-12345")
    assert seen.run_id == first.run_id and seen.observed_at is not None

    interpol.remove("2023/12345")
    second = interpol_watch.sync()
    notice.refresh_from_db()
    assert second.delisted == 1
    assert notice.public_listing == "not_listed"
    assert notice.status == "published"  # a delisting is a signal, never a cancellation
    assert sync_events(notice) == ["notice.listed", "notice.delisted"]
    assert InterpolObservation.objects.filter(notice=notice, status_code=404).count() == 1

    interpol.publish(red("2023/12345", "PERSON", "TEST", "1965/09/12", charge="Torture"))
    third = interpol_watch.sync()
    notice.refresh_from_db()
    assert (third.listed, third.changed) == (1, 1)
    assert sync_events(notice) == [
        "notice.listed",
        "notice.delisted",
        "notice.listed",
        "notice.changed",
    ]
    changed = Event.objects.get(subject_id=notice.pk, type="notice.changed")
    # The note names the fields, never their values (it reaches every reader).
    assert changed.note == "Changed on INTERPOL's public site: arrest_warrants, date_of_birth."
    latest = InterpolObservation.objects.filter(notice=notice).first()
    assert latest.changed_fields == ["arrest_warrants", "date_of_birth"]

    fourth = interpol_watch.sync()
    assert (fourth.unchanged, fourth.listed, fourth.changed) == (1, 0, 0)
    assert len(sync_events(notice)) == 4
    assert notice.status == "published"


def test_the_sync_events_raise_alerts_through_the_outbox(interpol, published_red):
    interpol.publish(red("2023/12345", "PERSON", "TEST"))
    interpol_watch.sync()
    interpol.remove("2023/12345")
    interpol_watch.sync()
    relay_sweep()
    delisted = Alert.objects.get(event__type="notice.delisted")
    assert delisted.severity == "high"
    assert "no longer listed on INTERPOL's public site" in delisted.shown_title
    listed = Alert.objects.get(event__type="notice.listed")
    assert "listed on INTERPOL's public site" in listed.shown_title


def test_a_new_public_red_notice_matching_an_accused_person_raises_one_high_alert(
    interpol, system, case, lawyer, staff
):
    bashar = builders.person(system, name="Bashar al-Assad", birth_date="1965-09-11")
    builders.accused(system, case, bashar)
    interpol.publish(red("2024/00001", "AL-ASSAD", "BASHAR", "1965/09/11"))
    interpol.publish(red("2024/00002", "AL-ASSAD", "MAHER", "1967/12/08"))
    interpol.publish(red("2024/00003", "AL-ASSAD", "BASHAR", "1971/01/01"))  # another man

    summary = interpol_watch.sync()
    assert (summary.candidates, summary.matches) == (1, 1)
    match = InterpolMatch.objects.get()
    assert (match.party, match.entity_id, match.status) == (bashar, "2024/00001", "open")
    alert = match.alert
    assert alert.severity == "high" and alert.party == bashar and alert.case == case
    assert alert.subject_resource == "party" and alert.subject_id == bashar.pk
    shown = alerts_visible_to(staff).get(pk=alert.pk).shown_title
    assert shown == "Possible INTERPOL match: Bashar al-Assad and public Red Notice 2024/00001"
    assert "2024/00001" in alert.message and "interpol.int" in alert.message

    again = interpol_watch.sync()
    assert again.matches == 0 and InterpolMatch.objects.count() == 1


def test_a_dismissed_match_is_not_raised_again(interpol, system, case, staff):
    party = builders.person(system, name="Ghassan Abbas")
    builders.accused(system, case, party)
    interpol.publish(red("2024/00010", "ABBAS", "GHASSAN"))
    interpol_watch.sync()
    match = InterpolMatch.objects.get()

    interpol_watch.match_dismiss(match_id=match.pk, actor=Actor.for_user(staff), note="Namesake")
    match.refresh_from_db()
    assert (match.status, match.decided_by, match.note) == ("dismissed", staff, "Namesake")
    assert match.alert.status == "resolved"
    assert match.alert.resolution_note == "dismissed: not the same person"

    assert interpol_watch.sync().matches == 0
    assert InterpolMatch.objects.count() == 1
    assert not Alert.objects.exclude(status="resolved").filter(party=party).exists()
    with pytest.raises(ValidationError, match="already dismissed"):
        interpol_watch.match_dismiss(match_id=match.pk, actor=Actor.for_user(staff))


def test_confirming_records_the_red_notice_published_and_listed(interpol, system, case, staff):
    party = builders.person(system, name="Bassam al-Hassan", birth_date="1962")
    builders.accused(system, case, party)
    interpol.publish(red("2024/00020", "AL-HASSAN", "BASSAM", "1962/05/04", country="FR"))
    interpol_watch.sync()
    match = InterpolMatch.objects.get()
    actor = Actor.for_user(staff)

    # No issued warrant yet: refused, nothing recorded.
    with pytest.raises(ValidationError, match="needs an issued warrant"):
        interpol_watch.match_confirm(match_id=match.pk, actor=actor)
    match.refresh_from_db()
    assert match.status == "open" and match.notice is None
    assert not party.notices.exists()

    warrant = builders.warrant(system, case, party, issued_on="2023-11-14")
    match, notice = interpol_watch.match_confirm(match_id=match.pk, actor=actor, note="Same")
    assert (notice.interpol_id, notice.kind, notice.subject, notice.warrant) == (
        "2024/00020",
        "red",
        party,
        warrant,
    )
    assert (notice.status, notice.public_listing, notice.visibility) == (
        "published",
        "listed",
        "public",
    )
    assert str(notice.requesting_country) == "FR"
    assert match.status == "confirmed" and match.notice == notice
    assert match.alert.status == "resolved"
    types = set(Event.objects.filter(subject_id=notice.pk).values_list("type", flat=True))
    assert types == {"notice.created", "notice.published", "notice.listed"}
    # The person now has a red notice: no longer a candidate.
    assert interpol_watch.sync().candidates == 0


def test_deciding_needs_the_permission_to_edit_notices(interpol, system, case, lawyer, viewer):
    party = builders.person(system, name="Ghassan Abbas")
    builders.accused(system, case, party)
    interpol.publish(red("2024/00030", "ABBAS", "GHASSAN"))
    interpol_watch.sync()
    match = InterpolMatch.objects.get()
    for user in (lawyer, viewer):
        with pytest.raises(PermissionDenied):
            interpol_watch.match_dismiss(match_id=match.pk, actor=Actor.for_user(user))
    match.refresh_from_db()
    assert match.status == "open"


def test_a_partial_birth_date_is_compatible_with_what_it_gives(interpol, system, case):
    party = builders.person(system, name="Bashar al-Assad", birth_date="1965-09")
    builders.accused(system, case, party)
    interpol.publish(red("2024/00040", "AL-ASSAD", "BASHAR", "1965"))  # year only: compatible
    interpol.publish(red("2024/00041", "AL-ASSAD", "BASHAR", "1965/09/11"))  # compatible
    interpol.publish(red("2024/00042", "AL-ASSAD", "BASHAR", "1965/10/11"))  # another month
    interpol.publish(red("2024/00043", "AL-ASSAD", "BASHAR", "1966"))  # another year
    interpol_watch.sync()
    found = set(InterpolMatch.objects.values_list("entity_id", flat=True))
    assert found == {"2024/00040", "2024/00041"}


@pytest.mark.parametrize(
    ("ours", "theirs", "compatible"),
    [
        ("1965-09-11", "1965/09/11", True),
        ("1965-09-11", "1965/09", True),
        ("1965", "1965/09/11", True),
        ("", "1965/09/11", True),
        ("1965-09-11", "", True),
        ("1965-09-11", "1965/09/12", False),
        ("1965-09", "1966", False),
    ],
)
def test_birth_dates_compare_on_what_both_give(ours, theirs, compatible):
    assert interpol_watch.birth_compatible(ours, theirs) is compatible


def test_a_429_is_answered_with_backoff(interpol, published_red):
    interpol.publish(red("2023/12345", "PERSON", "TEST"))
    interpol.refuse(429, times=2)
    summary = interpol_watch.sync()
    published_red.refresh_from_db()
    assert summary.error == "" and summary.listed == 1
    assert summary.backoffs == 2
    assert interpol.requests[:3] == ["/notices/v1/red/2023-12345"] * 3
    assert published_red.public_listing == "listed"


def test_the_client_waits_with_jitter_and_honours_retry_after(settings):
    client = Client("http://127.0.0.1:9", backoff=1.0, backoff_max=100.0)
    waits = {client.delay(3, None) for _ in range(20)}
    assert all(4.0 <= w <= 12.0 for w in waits) and len(waits) > 1  # 8 s ± 50 %
    client.close()


def test_a_service_that_keeps_refusing_stops_the_run_and_changes_nothing(interpol, published_red):
    interpol.publish(red("2023/12345", "PERSON", "TEST"))
    interpol.refuse(503, times=10)
    summary = interpol_watch.sync()
    published_red.refresh_from_db()
    assert "503" in summary.error and summary.backoffs == 3
    assert published_red.public_listing == "unknown"
    assert not InterpolObservation.objects.exists()
    run = InterpolSyncRun.objects.get(pk=summary.run_id)
    assert run.finished_at and "503" in run.error and run.summary["backoffs"] == 3


def test_a_list_of_more_than_160_results_is_paged(interpol, system, case):
    party = builders.person(system, name="Rami Makhlouf", birth_date="1969-07-10")
    builders.accused(system, case, party)
    for n in range(170):
        interpol.publish(red(f"2020/{n:05}", "MAKHLOUF", f"OTHER{n:03} OTHERNAME", "1950"))
    interpol.publish(red("2020/99999", "MAKHLOUF", "RAMI", "1969/07/10"))
    summary = interpol_watch.sync()
    assert summary.incomplete_searches == 0
    assert interpol.asked("page=1") == 1 and interpol.asked("page=2") == 1
    assert all("resultPerPage=160" in r for r in interpol.requests)
    assert list(InterpolMatch.objects.values_list("entity_id", flat=True)) == ["2020/99999"]


def test_two_syncs_never_overlap(interpol, published_red):
    interpol.publish(red("2023/12345", "PERSON", "TEST"))
    db = connection.settings_dict
    with psycopg.connect(
        host=db["HOST"] or "127.0.0.1",
        port=db["PORT"] or 5432,
        user=db["USER"] or "postgres",
        dbname=db["NAME"],
        autocommit=True,
    ) as other:
        other.execute("SELECT pg_advisory_lock(%s)", [interpol_watch.LOCK_KEY])
        summary = interpol_watch.sync()
        assert summary.skipped and summary.line().startswith("INTERPOL sync skipped")
        assert interpol.requests == []
        other.execute("SELECT pg_advisory_unlock(%s)", [interpol_watch.LOCK_KEY])
    assert interpol_watch.sync().listed == 1


def test_the_command_runs_one_sync_and_prints_its_summary(interpol, published_red, capsys):
    interpol.publish(red("2023/12345", "PERSON", "TEST"))
    call_command("sync_interpol")
    out = capsys.readouterr().out
    assert "INTERPOL sync: 1 notices checked (1 listed, 0 delisted" in out
    assert InterpolSyncRun.objects.get().trigger == "command"


def test_a_protected_accused_persons_match_is_hidden_from_readers_without_the_permission(
    interpol, system, case, lawyer, staff, viewer
):
    party = builders.person(system, name="Secret Witness-Accused", birth_date="1970")
    builders.accused(system, case, party)
    party_set_protection(
        party_id=party.pk, protected=True, pseudonym="Accused X", note="At risk", actor=system
    )
    interpol.publish(red("2024/00050", "WITNESS-ACCUSED", "SECRET", "1970/01/01"))
    interpol_watch.sync()
    match = InterpolMatch.objects.get()
    for user in (staff, viewer):
        assert not alerts_visible_to(user).filter(pk=match.alert_id).exists()
        assert not interpol_matches_visible_to(user).exists()
    shown = alerts_visible_to(lawyer).get(pk=match.alert_id).shown_title
    assert "Secret Witness-Accused" in shown
    assert "Secret" not in match.alert.message  # the stored message names nobody


def test_yellow_and_un_notices_are_looked_up_at_their_own_paths(interpol, system, case):
    missing = builders.person(system, name="Missing Person")
    yellow = notice_create(
        actor=system, kind="yellow", subject=missing, requesting_country="FR", interpol_id="2024/7"
    )
    un = notice_create(
        actor=system, kind="un_special", subject=missing, requesting_country="FR",
        interpol_id="2024/8",
    )  # fmt: skip
    blue = notice_create(
        actor=system, kind="blue", subject=missing, requesting_country="FR", interpol_id="2024/9"
    )
    interpol.publish({"entity_id": "2024/7", "name": "PERSON", "forename": "MISSING"}, "yellow")
    summary = interpol_watch.sync()
    assert summary.checked == 2  # blue notices have no public listing
    assert "/notices/v1/yellow/2024-7" in interpol.requests
    assert "/notices/v1/un/persons/2024-8" in interpol.requests
    for notice, listing in ((yellow, "listed"), (un, "not_listed"), (blue, "unknown")):
        notice.refresh_from_db()
        assert notice.public_listing == listing
