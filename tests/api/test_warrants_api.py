"""Warrants over the API: list, transitions, 409 with allowed transitions, history."""


def issue(client, warrant, **extra):
    body = {"transition": "issue", "effective_date": "2023-11-14", **extra}
    return client.post(f"/api/v1/warrants/{warrant.pk}/transitions/", body, format="json")


def test_a_warrant_shows_its_subjects_name_and_its_cases_reference(as_viewer, warrant):
    item = as_viewer.get("/api/v1/warrants/").json()["results"][0]
    assert item["subject_summary"]["name"] == warrant.subject.name
    assert item["case_summary"]["reference"] == warrant.case.reference
    assert (item["status"], item["version"]) == ("requested", 1)


def test_staff_issue_a_warrant_and_get_the_updated_record(as_staff, warrant):
    r = issue(as_staff, warrant)
    assert r.status_code == 200
    assert (r.json()["status"], r.json()["issued_on"], r["ETag"]) == ("issued", "2023-11-14", '"2"')
    assert "annul" in r.json()["allowed_transitions"]


def test_a_transition_not_allowed_now_is_409_listing_the_allowed_ones(as_staff, warrant):
    issue(as_staff, warrant)
    r = issue(as_staff, warrant)
    assert r.status_code == 409
    assert r["Content-Type"] == "application/problem+json"
    assert r.json()["allowed_transitions"] == ["challenge", "annul", "execute", "withdraw", "lapse"]


def test_history_lists_the_warrants_events_oldest_first(as_viewer, as_staff, warrant):
    issue(as_staff, warrant)
    types = [
        e["type"]
        for e in as_viewer.get(f"/api/v1/warrants/{warrant.pk}/history/").json()["results"]
    ]
    assert types == ["warrant.created", "warrant.issued"]


def test_an_id_that_is_not_a_uuid_is_a_problem_404(as_staff):
    r = as_staff.get("/api/v1/warrants/nope/")
    assert (r.status_code, r["Content-Type"]) == (404, "application/problem+json")
