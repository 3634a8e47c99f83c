"""A case's team follows it by default (issue 13), with a real worker: high alerts are mailed
at once to the team, the rest in the daily digest, which names a protected witness by its
pseudonym for a member who may not see who the witness is."""

import pytest

from alerts import mail as alert_mail
from alerts.flags import Finding, raise_for_finding
from alerts.models import Alert
from alerts.tasks import send_digests
from cases.actions import case_create, case_member_add, case_transition, participation_create
from core.events import Actor
from parties.actions import party_create
from tests.conftest import make_user

from .harness import mails, wait_for

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def mails_about(mail_dir, word: str) -> list:
    return [m for m in mails(mail_dir) if word in m["Subject"]]


def test_the_team_of_a_case_is_told_of_its_alerts_without_subscribing(
    start_worker, mail_dir, system
):
    creator = make_user("creator", "staff", email="creator@example.org")
    lawyer = make_user("assigned", "lawyer", email="assigned@example.org")
    counsel = make_user("counsel", "viewer", email="counsel@example.org")
    make_user("bystander", "staff", email="bystander@example.org")
    case = case_create(
        actor=Actor.for_user(creator),
        reference="TEAM-2",
        title="Team case",
        jurisdiction="FR",
        forum="Paris",
        basis="universal",
    )
    case_member_add(actor=Actor.for_user(creator), case=case, user=lawyer, role="lawyer")
    case_member_add(actor=Actor.for_user(creator), case=case, user=counsel, role="counsel")
    witness = party_create(
        actor=system, kind="person", name="Real Witness Name", protected=True, pseudonym="Witness Q"
    )
    participation_create(actor=system, case=case, party=witness, role="witness")
    start_worker()

    case_transition(case_id=case.pk, transition="dismiss", actor=system, note="No jurisdiction")
    alert = wait_for(
        lambda: Alert.objects.filter(case=case, event__type="case.dismissed").first(),
        what="the alert",
    )
    assert alert.severity == "high"
    sent = wait_for(lambda: len(mails_about(mail_dir, "dismissed")) >= 3, what="three emails")
    sent = mails_about(mail_dir, "dismissed")
    assert sorted(m["To"] for m in sent) == [
        "assigned@example.org",
        "counsel@example.org",
        "creator@example.org",
    ]
    assert f"/alerts/{alert.pk}/record/" in sent[0].get_payload()

    wait_for(
        lambda: Alert.objects.filter(event__type="participation.created", party=witness).exists(),
        what="the witness's alert",
    )
    send_digests.delay()
    wait_for(lambda: len(mails_about(mail_dir, "Daily digest")) >= 3, what="three digests")
    digests = {m["To"]: m.get_payload() for m in mails_about(mail_dir, "Daily digest")}
    assert set(digests) == {"assigned@example.org", "counsel@example.org", "creator@example.org"}
    assert "Witness Q" in digests["counsel@example.org"]
    assert "Real Witness Name" not in digests["counsel@example.org"]
    assert "Real Witness Name" not in digests["creator@example.org"]  # staff: no permission
    assert "Real Witness Name" in digests["assigned@example.org"]  # a lawyer may see it
    # Another alert the same day waits for tomorrow's digest: nobody gets a second one today.
    later = raise_for_finding(
        Finding(condition="t:later", severity="normal", title="Later", case_id=case.pk)
    )
    assert later.notifications.filter(status="pending").count() == 3
    assert alert_mail.send_digests() == 0
