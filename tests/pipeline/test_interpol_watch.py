"""The INTERPOL watch for real: beat schedules the sync, a worker runs it against the
loopback stand-in, and what it finds becomes alerts (a possible match directly, a listing
change through the outbox)."""

import pytest

from alerts.models import Alert, InterpolSyncRun
from tests import builders
from tests.interpol.server import FakeInterpol, red
from warrants.actions import notice_transition

from .harness import wait_for

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def interpol():
    server = FakeInterpol().start()
    yield server
    server.stop()


def test_beat_runs_the_sync_and_its_alerts_appear(pipeline_db, start_worker, interpol, system):
    case = builders.case(system)
    bashar = builders.person(system, name="Bashar al-Assad", birth_date="1965-09-11")
    builders.accused(system, case, bashar)
    maher = builders.accused(system, case, builders.person(system, name="Maher al-Assad")).party
    warrant = builders.warrant(system, case, maher, issued_on="2023-11-14")
    notice = builders.red_notice(system, warrant, interpol_id="2023/00777")
    notice_transition(notice_id=notice.pk, transition="publish", actor=system)
    interpol.publish(red("2024/00001", "AL-ASSAD", "BASHAR", "1965/09/11"))
    interpol.publish(red("2023/00777", "AL-ASSAD", "MAHER", "1967/12/08"))

    start_worker(
        INTERPOL_API_BASE=interpol.url,
        INTERPOL_SYNC_INTERVAL="1",
        INTERPOL_BACKOFF_SECONDS="0.01",
    )

    match_alert = wait_for(
        lambda: Alert.objects.filter(condition__startswith="interpol_match:").first(),
        60,
        "the possible match's alert",
    )
    assert match_alert.severity == "high" and match_alert.party_id == bashar.pk
    listed = wait_for(
        lambda: Alert.objects.filter(event__type="notice.listed", subject_id=notice.pk).first(),
        60,
        "the notice.listed alert (through the outbox)",
    )
    assert "listed on INTERPOL's public site" in listed.shown_title
    run = InterpolSyncRun.objects.filter(trigger="beat").order_by("started_at").first()
    assert run is not None and run.summary["matches"] == 1 and run.summary["listed"] == 1
    notice.refresh_from_db()
    assert (notice.public_listing, notice.status) == ("listed", "published")
    # Later runs (every second) raise nothing again.
    wait_for(lambda: InterpolSyncRun.objects.filter(trigger="beat").count() >= 2, 60, "a rerun")
    assert Alert.objects.filter(condition__startswith="interpol_match:").count() == 1
