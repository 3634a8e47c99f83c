"""Proceedings, deadlines and calendars in the web interface (issue 13): forms that refuse
bad input and store nothing, the appeal pending on the warrant page, the calendar pages and
the iCalendar feed (parsed with the icalendar package) at a secret, rotatable URL, a
protected witness named by pseudonym only."""

import icalendar
import pytest
from django.test import Client
from django.urls import reverse

from tests import builders
from warrants.actions import calendar_token_rotate, deadline_create, proceeding_create
from warrants.models import CalendarToken, Proceeding

pytestmark = pytest.mark.django_db

SECRETS = ("Realname", "Realalias", builders.SECRET_TITLE)


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def hearing(system, case, immune_warrant):
    """The 4 July 2025 hearing on the warrant against the protected head of state."""
    return proceeding_create(
        actor=system,
        case=case,
        kind="hearing",
        court="Cour de cassation",
        chamber="Assemblée plénière",
        date="2025-07-04",
        time="09:30",
        warrants=[immune_warrant],
    )


@pytest.fixture
def deadline(system, case):
    return deadline_create(
        actor=system, case=case, kind="filing", title="Mémoire ampliatif", due_on="2025-06-20"
    )


def feed(client: Client, token: str):
    return client.get(reverse("warrants:calendar_ics", args=[token]))


def parsed(response) -> dict[str, icalendar.cal.Component]:
    assert response["Content-Type"].startswith("text/calendar")
    cal = icalendar.Calendar.from_ical(response.content)
    return {str(e["UID"]): e for e in cal.walk("VEVENT")}


def test_the_feed_parses_and_holds_the_hearings_and_deadlines(
    viewer, hearing, deadline, immune_warrant
):
    events = parsed(feed(Client(), calendar_token_rotate(user=viewer)))
    assert set(events) == {
        f"proceeding-{hearing.pk}@casetracker",
        f"deadline-{deadline.pk}@casetracker",
    }
    held = events[f"proceeding-{hearing.pk}@casetracker"]
    assert str(held["SUMMARY"]).startswith("Hearing: Cour de cassation, Assemblée plénière")
    assert held.decoded("DTSTART").isoformat() == "2025-07-04T09:30:00"
    assert str(held["STATUS"]) == "CONFIRMED"
    due = events[f"deadline-{deadline.pk}@casetracker"]
    assert due.decoded("DTSTART").isoformat() == "2025-06-20"
    assert str(due["URL"]).endswith(reverse("warrants:deadline", args=[deadline.pk]))


def unfolded(response) -> str:
    """Every value of every event, as a calendar app reads them (lines unfolded: a name may
    be split across the feed's 75-octet lines)."""
    return "\n".join(str(v) for e in parsed(response).values() for v in e.values())


def test_the_feed_names_a_protected_subject_by_pseudonym_only(viewer, lawyer, hearing):
    seen = unfolded(feed(Client(), calendar_token_rotate(user=viewer)))
    assert "Witness H" in seen
    for secret in SECRETS:
        assert secret not in seen
    assert "Realname Hidden" in unfolded(feed(Client(), calendar_token_rotate(user=lawyer)))


def test_a_wrong_rotated_or_revoked_token_is_a_404(viewer, hearing):
    client = signed_in(viewer)
    assert feed(Client(), "cal_wrong").status_code == 404
    assert feed(Client(), "nothing-like-a-token").status_code == 404
    page = client.post(reverse("warrants:calendar_feed"), {"action": "rotate"})
    first = page.context["url"].rsplit("/", 1)[1].removesuffix(".ics")
    assert feed(Client(), first).status_code == 200
    assert first not in CalendarToken.objects.get(user=viewer).digest  # stored hashed
    page = client.post(reverse("warrants:calendar_feed"), {"action": "rotate"})
    second = page.context["url"].rsplit("/", 1)[1].removesuffix(".ics")
    assert (feed(Client(), first).status_code, feed(Client(), second).status_code) == (404, 200)
    client.post(reverse("warrants:calendar_feed"), {"action": "revoke"})
    assert feed(Client(), second).status_code == 404
    assert client.post(reverse("warrants:calendar_feed"), {"action": "?"}).status_code == 400


def test_the_feed_of_a_deactivated_user_is_a_404(viewer, hearing):
    token = calendar_token_rotate(user=viewer)
    viewer.is_active = False
    viewer.save()
    assert feed(Client(), token).status_code == 404


def test_the_feed_settings_show_the_url_once(viewer):
    client = signed_in(viewer)
    made = client.post(reverse("warrants:calendar_feed"), {"action": "rotate"})
    assert made.context["url"] in made.content.decode()
    later = client.get(reverse("warrants:calendar_feed")).content.decode()
    assert made.context["url"] not in later
    assert "Make a new address" in later


def test_the_calendar_pages_name_a_protected_subject_by_pseudonym(
    viewer, lawyer, case, hearing, deadline
):
    for url in (reverse("warrants:calendar"), reverse("warrants:case_calendar", args=[case.pk])):
        page = signed_in(viewer).get(url).content.decode()
        assert "Hearing: Cour de cassation" in page and "Mémoire ampliatif" in page
        assert "Witness H" in page
        for secret in SECRETS:
            assert secret not in page
        assert "Realname Hidden" in signed_in(lawyer).get(url).content.decode()


def test_a_case_calendar_shows_only_that_case(system, viewer, case, hearing):
    other = builders.case(system)
    page = signed_in(viewer).get(reverse("warrants:case_calendar", args=[other.pk]))
    assert "Cour de cassation" not in page.content.decode()


def test_the_proceeding_page_hides_a_protected_subject(viewer, hearing):
    page = signed_in(viewer).get(reverse("warrants:proceeding", args=[hearing.pk])).content.decode()
    assert "Witness H" in page
    for secret in SECRETS:
        assert secret not in page


def test_the_warrant_page_shows_the_appeal_pending_against_it(system, viewer, case, warrant):
    url = reverse("warrants:warrant", args=[warrant.pk])
    assert 'data-appeal-pending="no"' in signed_in(viewer).get(url).content.decode()
    proceeding_create(
        actor=system,
        case=case,
        kind="appeal_lodged",
        court="Cour de cassation",
        date="2024-06-28",
        warrants=[warrant],
    )
    page = signed_in(viewer).get(url).content.decode()
    assert 'data-appeal-pending="yes"' in page
    assert "before Cour de cassation" in page


def test_staff_record_a_hearing_and_hold_it_from_the_web(staff, case):
    client = signed_in(staff)
    r = client.post(
        reverse("warrants:proceeding_new") + f"?case={case.pk}",
        {"case": case.pk, "kind": "hearing", "court": "Cour d'appel", "date": "2024-05-15"},
    )
    assert r.status_code == 302
    hearing = Proceeding.objects.get()
    assert r["Location"] == reverse("warrants:proceeding", args=[hearing.pk])
    case_page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert f"proceeding-{hearing.pk}" in case_page
    r = client.post(
        reverse("web:transition", args=["proceeding", hearing.pk]),
        {"transition": "hold", "expected_version": 1},
    )
    assert r.status_code == 302
    hearing.refresh_from_db()
    assert hearing.status == "held"


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"kind": "decision", "date": "2999-01-01"}, "date"),
        ({"date": "not a date"}, "date"),
        ({"court": ""}, "court"),
        ({"kind": "verdict"}, "kind"),
    ],
)
def test_a_bad_proceeding_form_shows_the_error_and_stores_nothing(staff, case, fields, field):
    values = {"case": case.pk, "kind": "hearing", "court": "Cour", "date": "2025-01-10"}
    r = signed_in(staff).post(reverse("warrants:proceeding_new"), {**values, **fields})
    assert r.status_code == 400
    assert r.context["form"].errors.get(field)
    assert Proceeding.objects.count() == 0


def test_a_viewer_may_not_open_the_forms(viewer, hearing):
    client = signed_in(viewer)
    assert client.get(reverse("warrants:proceeding_new")).status_code == 403
    assert client.get(reverse("warrants:proceeding_edit", args=[hearing.pk])).status_code == 403
    assert client.get(reverse("warrants:deadline_new")).status_code == 403


def test_the_deadline_page_hides_a_protected_subject(system, viewer, case, immune_warrant):
    notice = builders.red_notice(system, immune_warrant)
    deadline = deadline_create(
        actor=system,
        case=case,
        kind="filing",
        title="Observations",
        due_on="2025-06-20",
        warrant=immune_warrant,
        notice=notice,
    )
    page = signed_in(viewer).get(reverse("warrants:deadline", args=[deadline.pk])).content.decode()
    assert "Witness H" in page
    for secret in SECRETS:
        assert secret not in page


def test_the_forms_pickers_name_a_protected_subject_by_pseudonym(
    system, staff, case, immune_warrant, hearing
):
    """Staff record proceedings but may not see protected identities: the warrant and
    notice pickers of the proceeding and deadline forms show the pseudonym only."""
    builders.red_notice(system, immune_warrant)
    client = signed_in(staff)
    for url in (
        reverse("warrants:proceeding_new") + f"?case={case.pk}",
        reverse("warrants:proceeding_new"),
        reverse("warrants:proceeding_edit", args=[hearing.pk]),
        reverse("warrants:deadline_new") + f"?case={case.pk}",
        reverse("warrants:deadline_new"),
    ):
        page = client.get(url).content.decode()
        assert "Witness H" in page, url
        for secret in SECRETS:
            assert secret not in page, url
