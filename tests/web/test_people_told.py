"""People told what matters (issue 13): alerts link to their record, the menu counts open
alerts, titles read as sentences, a case's team follows it, a digest once a day."""

import datetime
import re
import uuid

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from alerts import mail as alert_mail
from alerts import outbox
from alerts.checks import run_checks
from alerts.flags import Finding, raise_for_events, raise_for_finding
from alerts.models import SUBJECT, Alert, Notification
from cases.actions import case_create, case_member_add
from cases.models import CaseMember
from core.events import Actor
from core.models import Event
from parties.actions import party_set_protection
from tests import builders
from tests.conftest import clear_cache, make_user

pytestmark = pytest.mark.django_db

# What the catch-all rule wrote for an event without a transition: "Party (X): , now ".
BROKEN_TITLE = re.compile(r":\s*,|,\s*now\s*$|\bnow\s*$|\(\s*\)")


def seed_and_relay() -> list[Alert]:
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    while outbox.relay_sweep():
        pass
    return list(Alert.objects.all())


def test_no_alert_title_of_the_demo_is_broken_and_each_names_what_happened(lawyer):
    seed_and_relay()
    alerts = list(Alert.objects.all())
    assert alerts
    for alert in alerts:
        assert not BROKEN_TITLE.search(alert.shown_title), alert.shown_title
    assert "Party created (Bashar al-Assad)" in [a.shown_title for a in alerts]


def test_an_event_without_a_transition_names_its_type_in_the_catch_all_title(system, case):
    from alerts import flags
    from alerts.models import AlertRule

    party = builders.person(system, name="Someone")
    event = Event.objects.get(type="party.created", subject_id=party.pk)
    AlertRule.objects.filter(event_type="*.created").update(enabled=False)
    flags._rules = (0.0, [])  # re-read the rule table now
    try:
        [alert] = raise_for_events([event])
    finally:
        flags._rules = (0.0, [])
    assert alert.shown_title.startswith("Party (Someone): created")
    assert ": ," not in alert.shown_title


def test_the_demo_trips_no_critical_check_and_records_no_invented_red_notice():
    from warrants.models import Notice

    seed_and_relay()
    raised = run_checks()
    assert not Notice.objects.exists()  # CNN reported one as expected, not requested
    assert not [a for a in raised if a.severity == "critical"]
    assert not Alert.objects.filter(severity="critical").exists()
    assert not Alert.objects.filter(condition__startswith="red_notice_warrant_not_issued").exists()


def test_the_demo_does_not_fill_the_inbox_with_normal_alerts_about_its_history():
    alerts = seed_and_relay()
    assert not [a.shown_title for a in alerts if a.severity == "normal"]
    assert {a.severity for a in alerts} <= {"info", "high"}
    assert [a for a in alerts if a.severity == "high"]  # what matters still shows


def test_the_demo_dates_charges_and_participations_by_law_not_by_its_load_day():
    from cases.models import Incident
    from parties.models import Position

    seed_and_relay()
    created = {
        (e.resource, str(e.effective_date))
        for e in Event.objects.filter(type__in=["participation.created", "charge.created"])
    }
    assert created == {
        ("participation", "2021-03-01"),
        ("participation", "2023-11-14"),
        ("charge", "2023-11-14"),
    }
    brought = Event.objects.filter(type="charge.charged").values_list("effective_date", flat=True)
    assert {str(d) for d in brought} == {"2023-11-14"}
    adra = Incident.objects.get(title="Chemical attack on Adra")
    assert (str(adra.started_on), str(adra.ended_on)) == ("2013-08-04", "2013-08-05")
    assert "http" in adra.description
    assert set(Position.objects.values_list("ended_on", flat=True)) == {datetime.date(2024, 12, 8)}
    # the first warrant was in question before the Cour de cassation until its annulment
    annulled = Event.objects.get(type="warrant.annulled")
    before = Event.objects.filter(subject_id=annulled.subject_id, seq__lt=annulled.seq).last()
    assert (before.type, str(before.effective_date)) == ("warrant.challenged", "2024-07-01")
    assert "4 July 2025" in annulled.note and "https://" in annulled.note


def test_the_demo_records_the_appeal_to_the_cour_de_cassation_its_hearing_and_decision():
    from warrants.proceedings import Proceeding

    seed_and_relay()
    steps = {
        (p.kind, str(p.date), p.status, p.court)
        for p in Proceeding.objects.filter(case__reference="FR-PARIS-2021-GHOUTA")
    }
    assert steps == {
        ("appeal_lodged", "2024-07-01", "decided", "Cour de cassation"),
        ("hearing", "2025-07-04", "held", "Cour de cassation"),
        ("decision", "2025-07-25", "delivered", "Cour de cassation"),
    }
    decision = Proceeding.objects.get(kind="decision")
    assert decision.appeal.kind == "appeal_lodged"
    assert "immunity" in decision.outcome
    assert [w.status for w in decision.warrants.all()] == ["annulled"]


def test_the_demo_loads_twice_to_the_same_data():
    seed_and_relay()
    counts = {m: m.objects.count() for m in (Event, Alert)}
    seed_and_relay()
    assert {m: m.objects.count() for m in (Event, Alert)} == counts


# --- links ---------------------------------------------------------------------------------


def test_an_alert_links_to_its_record_for_who_may_read_it(client, viewer, system, warrant):
    alert = raise_for_finding(
        Finding(
            condition="test:1",
            severity="high",
            title="About a warrant",
            subject_resource="warrant",
            subject_id=warrant.pk,
            case_id=warrant.case_id,
        )
    )
    client.force_login(viewer)
    link = reverse("alerts:record", args=[alert.pk])
    assert link in client.get(reverse("alerts:inbox")).content.decode()
    response = client.get(link)
    assert response.status_code == 302
    assert response["Location"] == reverse("warrants:warrant", args=[warrant.pk])
    assert client.get(reverse("alerts:record", args=[uuid.uuid4()])).status_code == 404
    api = client.get(f"/api/v1/alerts/{alert.pk}/").json()
    assert api["subject"]["url"] == f"/api/v1/warrants/{warrant.pk}/"


def test_an_alert_that_reveals_a_protected_identity_has_no_link_for_a_viewer(
    client, viewer, lawyer, system, immune_warrant
):
    [alert] = run_checks(["warrant_against_immune_person"])
    client.force_login(viewer)
    assert client.get(reverse("alerts:record", args=[alert.pk])).status_code == 404
    client.force_login(lawyer)
    assert client.get(reverse("alerts:record", args=[alert.pk])).status_code == 302


# --- the menu's badge ----------------------------------------------------------------------


def badge(page: str) -> int:
    found = re.search(r'data-open-alerts="(\d+)"', page)
    return int(found.group(1)) if found else 0


def test_the_menu_counts_the_open_alerts_the_reader_may_see(
    client, viewer, lawyer, system, immune_warrant
):
    clear_cache()
    run_checks(["warrant_against_immune_person"])  # hidden from viewers: reveals identity
    raise_for_finding(Finding(condition="test:1", severity="normal", title="Seen by all"))
    client.force_login(viewer)
    assert badge(client.get("/").content.decode()) == 1
    client.force_login(lawyer)
    assert badge(client.get("/").content.decode()) == 2
    # acknowledging one counts again at once for who moved it
    alert = Alert.objects.get(condition="test:1")
    client.post(reverse("alerts:move", args=[alert.pk, "resolve"]))
    assert badge(client.get("/").content.decode()) == 1


# --- default following ---------------------------------------------------------------------


def test_the_creator_and_lawyers_of_a_case_follow_it_until_they_stop(client, system):
    creator = make_user("creator", "staff", email="creator@example.org")
    assigned = make_user("assigned", "lawyer", email="assigned@example.org")
    make_user("bystander", "staff", email="bystander@example.org")
    case = case_create(
        actor=Actor.for_user(creator),
        reference="TEAM-1",
        title="Team case",
        jurisdiction="FR",
        forum="Paris",
        basis="universal",
    )
    case_member_add(actor=Actor.for_user(creator), case=case, user=assigned, role="lawyer")
    high = raise_for_finding(
        Finding(condition="t:high", severity="high", title="Now", case_id=case.pk)
    )
    normal = raise_for_finding(
        Finding(condition="t:normal", severity="normal", title="Later", case_id=case.pk)
    )
    rows = set(Notification.objects.values_list("alert_id", "user__username", "digest"))
    assert rows == {
        (high.pk, "creator", False),
        (high.pk, "assigned", False),
        (normal.pk, "creator", True),
        (normal.pk, "assigned", True),
    }
    client.force_login(assigned)
    client.post(reverse("web:follow", args=["case", case.pk]), {"follow": "off"})
    assert not CaseMember.objects.get(user=assigned).follows
    raise_for_finding(Finding(condition="t:2", severity="high", title="Again", case_id=case.pk))
    assert set(
        Notification.objects.filter(alert__condition="t:2").values_list("user__username", flat=True)
    ) == {"creator"}
    client.post(reverse("web:follow", args=["case", case.pk]), {"follow": "on"})
    assert CaseMember.objects.get(user=assigned).follows


def test_a_team_digest_never_names_a_protected_witness_to_a_viewer(system):
    witness = builders.person(system, name="Real Witness Name", pseudonym="Witness Z")
    member = make_user("member", "viewer", email="member@example.org")
    case = builders.case(system)
    CaseMember.objects.create(case=case, user=member, role="counsel")
    party_set_protection(
        party_id=witness.pk, protected=True, pseudonym="Witness Z", actor=system, note="At risk"
    )
    Notification.objects.all().delete()  # the protection's own alert is not this test's
    mail.outbox.clear()
    raise_for_finding(
        Finding(
            condition="t:w",
            severity="normal",
            title=f"{SUBJECT} to testify",
            case_id=case.pk,
            party_id=witness.pk,
            party_ids=(witness.pk,),
        )
    )
    assert alert_mail.send_digests() == 1
    [digest] = mail.outbox
    assert "Witness Z to testify" in digest.body
    assert "Real Witness Name" not in digest.subject + digest.body


def test_a_digest_goes_once_a_day_to_each_user(system):
    follower = make_user("follower", "viewer", email="follower@example.org")
    case = builders.case(system)
    CaseMember.objects.create(case=case, user=follower, role="lawyer")
    with time_machine.travel("2026-05-04 07:00Z", tick=False):
        raise_for_finding(Finding(condition="t:1", severity="normal", title="One", case_id=case.pk))
        assert alert_mail.send_digests() == 1
        raise_for_finding(Finding(condition="t:2", severity="info", title="Two", case_id=case.pk))
        assert alert_mail.send_digests() == 0  # the same day: tomorrow's digest
    with time_machine.travel("2026-05-05 07:00Z", tick=False):
        assert alert_mail.send_digests() == 1
        assert alert_mail.send_digests() == 0
    assert [("One" in m.body, "Two" in m.body) for m in mail.outbox] == [
        (True, False),
        (False, True),
    ]
    assert "/record/" not in mail.outbox[0].body  # a finding about no record links nowhere


def test_an_email_links_to_the_alerts_record(system, warrant, settings):
    settings.SITE_URL = "https://tracker.example.org"
    follower = make_user("follower", "viewer", email="follower@example.org")
    CaseMember.objects.create(case_id=warrant.case_id, user=follower, role="lawyer")
    alert = raise_for_finding(
        Finding(
            condition="t:link",
            severity="high",
            title="About a warrant",
            case_id=warrant.case_id,
            subject_resource="warrant",
            subject_id=warrant.pk,
        )
    )
    [row] = Notification.objects.filter(alert=alert)
    assert alert_mail.send_notification(row.pk)
    [email] = mail.outbox
    assert f"https://tracker.example.org/alerts/{alert.pk}/record/" in email.body


# --- French labels -------------------------------------------------------------------------


def test_the_warrant_pages_call_an_arrest_warrant_mandat_d_arret_in_french(client, viewer, warrant):
    import html

    client.force_login(viewer)
    client.post(reverse("set_language"), {"language": "fr", "next": "/"})
    for url in (reverse("warrants:warrant", args=[warrant.pk]), reverse("warrants:warrants")):
        page = html.unescape(client.get(url).content.decode())
        assert f"Mandat d'arrêt {warrant.reference}" in page, url
        assert "Arrêt mandat" not in page and "Arrêt " + warrant.reference not in page


def test_the_migration_repairs_the_titles_written_before(system, case):
    import importlib

    from django.apps import apps

    repair = importlib.import_module("alerts.migrations.0015_repair_transitionless_titles")
    party = builders.person(system, name="Someone")
    created = Event.objects.get(type="party.created", subject_id=party.pk)
    opened = Event.objects.get(type="case.created", subject_id=case.pk)
    broken = Alert.objects.create(
        event=created, severity="normal", title=f"Party ({SUBJECT}): , now ", party=party
    )
    case_title = f"Case {case.reference} ({case.title}): , now complaint filed"
    old_case = Alert.objects.create(event=opened, severity="normal", title=case_title)
    fine = Alert.objects.create(severity="high", title="Warrant annulled: , now ok")
    repair.forwards(apps, None)
    for alert in (broken, old_case, fine):
        alert.refresh_from_db()
    assert broken.shown_title == "Party created (Someone)"
    assert old_case.title == f"Case {case.reference} created ({case.title})"
    assert fine.title == "Warrant annulled: , now ok"  # no event: left as it was


def test_the_demo_cites_a_public_source_for_each_record_and_transition():
    from django.contrib.contenttypes.models import ContentType

    from cases.models import Charge, Incident, Participation, Representation
    from core.sources import Source, SourceLink
    from warrants.models import Warrant
    from warrants.proceedings import Proceeding

    seed_and_relay()
    assert Source.objects.exists()
    assert all(s.kind == "url" and s.url.startswith("http") for s in Source.objects.all())
    linked = set(SourceLink.objects.values_list("content_type", "object_id"))
    for model in (Incident, Representation, Charge, Warrant, Proceeding):
        kind = ContentType.objects.get_for_model(model).pk
        for pk in model.objects.values_list("pk", flat=True):
            assert (kind, pk) in linked, (model.__name__, pk)
    witness = Participation.objects.get(role="witness")  # fictional: no source
    kind = ContentType.objects.get_for_model(Participation).pk
    others = Participation.objects.exclude(pk=witness.pk).values_list("pk", flat=True)
    assert all((kind, pk) in linked for pk in others)
    annulled = Event.objects.get(type="warrant.annulled")
    assert "cassation" in annulled.source.url
    transitions = Event.objects.exclude(transition="")
    assert not transitions.filter(source__isnull=True).exists()


def test_the_following_page_lists_the_team_cases_and_stops_one(client, system):
    member = make_user("member", "viewer", email="member@example.org")
    case = builders.case(system)
    CaseMember.objects.create(case=case, user=member, role="counsel")
    client.force_login(member)
    page = client.get(reverse("alerts:following")).content.decode()
    assert f'id="team-{case.pk}"' in page and case.reference in page
    response = client.post(
        reverse("web:follow", args=["case", case.pk]),
        {"follow": "off", "next": reverse("alerts:following")},
    )
    assert response["Location"] == reverse("alerts:following")
    assert not CaseMember.objects.get(user=member).follows
    assert "not followed" in client.get(reverse("alerts:following")).content.decode()
    outside = client.post(
        reverse("web:follow", args=["case", case.pk]),
        {"follow": "on", "next": "https://evil.example/"},
    )
    assert outside["Location"] == reverse("cases:detail", args=[case.pk])  # never off-site
    assert CaseMember.objects.get(user=member).follows
