"""Proceedings, deadlines and the calendar over the API (issue 13): writes through the
actions, problem+json for every refusal with nothing stored, the appeal pending on the
warrant, and the calendar naming protected parties by pseudonym only."""

import pytest

from tests import builders
from tests.api.conftest import client_for
from warrants.actions import proceeding_create
from warrants.models import Deadline, Proceeding

pytestmark = pytest.mark.django_db

PROBLEM = "application/problem+json"


@pytest.fixture
def as_staff(staff):
    return client_for(staff)


@pytest.fixture
def as_viewer(viewer):
    return client_for(viewer)


@pytest.fixture
def as_lawyer(lawyer):
    return client_for(lawyer)


def post(client, url, body):
    return client.post(url, body, format="json")


def test_staff_record_an_appeal_against_a_warrant_which_then_shows_it(
    as_staff, as_viewer, case, warrant
):
    r = post(
        as_staff,
        "/api/v1/proceedings/",
        {
            "case": str(case.pk),
            "kind": "appeal_lodged",
            "court": "Cour de cassation",
            "date": "2024-06-28",
            "warrants": [str(warrant.pk)],
        },
    )
    assert r.status_code == 201, r.json()
    appeal = r.json()
    assert (appeal["status"], appeal["allowed_transitions"]) == (
        "lodged",
        ["hear", "decide", "withdraw"],
    )
    shown = as_viewer.get(f"/api/v1/warrants/{warrant.pk}/").json()
    assert shown["appeal_pending"] is True
    assert [(a["id"], a["court"], a["status"]) for a in shown["pending_appeals"]] == [
        (appeal["id"], "Cour de cassation", "lodged")
    ]
    r = post(
        as_staff,
        f"/api/v1/proceedings/{appeal['id']}/transitions/",
        {"transition": "decide", "effective_date": "2025-07-25"},
    )
    assert (r.status_code, r.json()["status"]) == (200, "decided")
    shown = as_viewer.get(f"/api/v1/warrants/{warrant.pk}/").json()
    assert (shown["appeal_pending"], shown["pending_appeals"]) == (False, [])
    history = as_viewer.get(f"/api/v1/proceedings/{appeal['id']}/history/").json()["results"]
    assert [e["type"] for e in history] == ["proceeding.created", "proceeding.decided"]


def test_a_move_not_allowed_now_is_409_another_kinds_400_and_neither_stores(as_staff, system, case):
    hearing = proceeding_create(
        actor=system, case=case, kind="hearing", court="Cour d'appel", date="2024-05-15"
    )
    url = f"/api/v1/proceedings/{hearing.pk}/transitions/"
    r = post(as_staff, url, {"transition": "decide", "effective_date": "2024-06-26"})
    assert (r.status_code, r["Content-Type"]) == (400, PROBLEM)  # an appeal's, not a hearing's
    assert "hold, postpone, cancel" in r.json()["errors"]["transition"][0]
    assert post(as_staff, url, {"transition": "postpone", "note": "Adjourned"}).status_code == 200
    r = post(as_staff, url, {"transition": "hold"})
    assert (r.status_code, r["Content-Type"]) == (409, PROBLEM)
    assert r.json()["allowed_transitions"] == ["cancel"]
    hearing.refresh_from_db()
    assert (hearing.status, hearing.version) == ("postponed", 2)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"kind": "verdict"}, "kind"),
        ({"kind": "decision", "date": "2999-01-01"}, "date"),
        ({"date": "tomorrow"}, "date"),
        ({"status": "held"}, "status"),
        ({"warrants": ["not-a-uuid"]}, "warrants"),
        ({"remind_days_before": -1}, "remind_days_before"),
    ],
)
def test_bad_input_is_a_problem_naming_the_field_and_creates_nothing(as_staff, case, body, field):
    values = {"case": str(case.pk), "kind": "hearing", "court": "Cour", "date": "2025-07-04"}
    r = post(as_staff, "/api/v1/proceedings/", {**values, **body})
    assert (r.status_code, r["Content-Type"]) == (400, PROBLEM)
    assert field in r.json()["errors"]
    assert Proceeding.objects.count() == 0


def test_a_warrant_of_another_case_is_refused(as_staff, system, warrant):
    other = builders.case(system)
    r = post(
        as_staff,
        "/api/v1/proceedings/",
        {
            "case": str(other.pk),
            "kind": "appeal_lodged",
            "court": "Cour",
            "date": "2024-06-28",
            "warrants": [str(warrant.pk)],
        },
    )
    assert (r.status_code, "warrants" in r.json()["errors"]) == (400, True)
    assert Proceeding.objects.count() == 0


def test_kind_is_fixed_once_recorded(as_staff, system, case):
    hearing = proceeding_create(
        actor=system, case=case, kind="hearing", court="Cour", date="2025-07-04"
    )
    r = as_staff.patch(f"/api/v1/proceedings/{hearing.pk}/", {"kind": "judgment"}, format="json")
    assert (r.status_code, "kind" in r.json()["errors"]) == (400, True)
    r = as_staff.patch(
        f"/api/v1/proceedings/{hearing.pk}/", {"outcome": "Adjourned to 25 July"}, format="json"
    )
    assert (r.status_code, r.json()["outcome"], r["ETag"]) == (200, "Adjourned to 25 July", '"2"')


def test_a_viewer_reads_but_may_not_record(as_viewer, case):
    r = post(
        as_viewer,
        "/api/v1/deadlines/",
        {"case": str(case.pk), "title": "Brief", "due_on": "2030-01-10"},
    )
    assert (r.status_code, r["Content-Type"]) == (403, PROBLEM)
    assert Deadline.objects.count() == 0
    assert as_viewer.get("/api/v1/deadlines/").status_code == 200


def test_a_deadline_over_the_api(as_staff, case):
    r = post(
        as_staff,
        "/api/v1/deadlines/",
        {
            "case": str(case.pk),
            "kind": "appeal_period",
            "title": "Pourvoi",
            "due_on": "2030-01-10",
            "remind_days_before": 3,
        },
    )
    assert r.status_code == 201, r.json()
    deadline = r.json()
    r = post(as_staff, f"/api/v1/deadlines/{deadline['id']}/transitions/", {"transition": "meet"})
    assert (r.status_code, r.json()["status"]) == (200, "met")


def test_the_calendar_names_a_protected_subject_by_pseudonym_for_a_viewer(
    as_viewer, as_lawyer, system, case, immune_warrant
):
    proceeding_create(
        actor=system,
        case=case,
        kind="hearing",
        court="Cour de cassation",
        date="2025-07-04",
        warrants=[immune_warrant],
    )
    seen = as_viewer.get("/api/v1/calendar/").content.decode()
    assert "Witness H" in seen
    for secret in ("Realname", "Realalias", builders.SECRET_TITLE):
        assert secret not in seen
    assert "Realname Hidden" in as_lawyer.get("/api/v1/calendar/").content.decode()


def test_the_calendar_filters_by_case_and_days_and_refuses_bad_parameters(as_viewer, system, case):
    proceeding_create(actor=system, case=case, kind="hearing", court="A", date="2025-07-04")
    other = builders.case(system)
    proceeding_create(actor=system, case=other, kind="hearing", court="B", date="2025-07-05")
    days = [e["day"] for e in as_viewer.get("/api/v1/calendar/").json()]
    assert days == ["2025-07-04", "2025-07-05"]
    only = as_viewer.get(f"/api/v1/calendar/?case={case.pk}").json()
    assert [e["case_reference"] for e in only] == [case.reference]
    assert [e["day"] for e in as_viewer.get("/api/v1/calendar/?start=2025-07-05").json()] == [
        "2025-07-05"
    ]
    for bad in ("start=soon", "start=2025-07-05&end=2025-07-01", "colour=red"):
        r = as_viewer.get(f"/api/v1/calendar/?{bad}")
        assert (r.status_code, r["Content-Type"]) == (400, PROBLEM), bad


def test_the_calendar_needs_a_role(outsider):
    assert client_for(outsider).get("/api/v1/calendar/").status_code == 403
    assert client_for().get("/api/v1/calendar/").status_code == 401
