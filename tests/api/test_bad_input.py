"""Bad input gets a precise problem+json error, changes nothing, and never a 500."""

import json

import pytest

from core.models import Event
from warrants.models import Warrant

PROBLEM = "application/problem+json"


def problem(r, status):
    assert (r.status_code, r["Content-Type"]) == (status, PROBLEM), r.content
    body = r.json()
    assert body["status"] == status and body["type"].startswith("urn:casetracker:problem:")
    return body


@pytest.fixture
def untouched(world):
    """Asserts, after the test, that no record or event changed."""
    before = (Event.objects.count(), list(Warrant.objects.values_list("id", "version", "status")))
    yield
    after = (Event.objects.count(), list(Warrant.objects.values_list("id", "version", "status")))
    assert after == before


def post(client, path, raw, content_type="application/json"):
    return client.generic("POST", path, raw, content_type=content_type)


def test_malformed_json(world, as_staff, untouched):
    body = problem(post(as_staff, "/api/v1/warrants/", '{"case": '), 400)
    assert body["type"].endswith(":malformed")


def test_a_json_list_instead_of_an_object(world, as_staff, untouched):
    body = problem(post(as_staff, "/api/v1/warrants/", "[1, 2]"), 400)
    assert "non_field_errors" in body["errors"]


def test_wrong_types_name_each_field(world, as_staff, untouched):
    body = {"case": 12, "subject": "not-a-uuid", "issuing_country": ["FR"], "requested_on": "soon"}
    errors = problem(as_staff.post("/api/v1/warrants/", body, format="json"), 400)["errors"]
    assert set(errors) == {
        "case",
        "subject",
        "issuing_country",
        "requested_on",
        "issuing_authority",
    }
    assert errors["case"] == ["Must be a string."]


def test_unknown_and_read_only_fields_are_errors(world, as_staff, untouched):
    r = as_staff.patch(
        f"/api/v1/warrants/{world.warrant.pk}/",
        {"reference": "X", "colour": "red", "status": "issued", "version": 9},
        format="json",
    )
    errors = problem(r, 400)["errors"]
    assert errors["colour"] == ["Unknown field."]
    assert set(errors) == {"colour", "status", "version"}


def test_an_oversized_body_is_413(world, as_staff, untouched):
    raw = json.dumps({"issuing_authority": "x" * (2 * 1024 * 1024)})
    problem(post(as_staff, "/api/v1/warrants/", raw), 413)


def test_form_encoding_is_415(world, as_staff, untouched):
    r = post(as_staff, "/api/v1/warrants/", "a=b", "application/x-www-form-urlencoded")
    problem(r, 415)


@pytest.mark.parametrize(
    "query",
    [
        "cursor=bogus",
        "cursor=cD1ub3RhZGF0ZQ==",  # p=notadate
        "page_size=0",
        "page_size=201",
        "page_size=ten",
        "ordering=password",
        "status=issued'--",
        "case=1%20OR%201=1",
        "subject=../../etc",
        "updated_after=yesterday",
        "kind=arrest,nuclear",
    ],
)
def test_bad_query_parameters_are_400_naming_the_parameter(world, as_viewer, query):
    body = problem(as_viewer.get(f"/api/v1/warrants/?{query}"), 400)
    assert query.split("=")[0] in body["errors"]


def test_a_text_filter_with_sql_in_it_is_just_text(world, as_viewer):
    r = as_viewer.get("/api/v1/warrants/?reference=x' OR '1'='1")
    assert (r.status_code, r.json()["results"]) == (200, [])


@pytest.mark.parametrize("query", ["after=-1", "after=abc", "after=99999999999999999999", "type="])
def test_bad_feed_parameters_are_400(world, as_viewer, query):
    problem(as_viewer.get(f"/api/v1/events/?{query}"), 400)


def test_an_id_of_the_wrong_kind_is_404_or_a_field_error(world, as_staff, untouched):
    # A case id where a warrant id belongs: no such warrant.
    problem(as_staff.get(f"/api/v1/warrants/{world.case.pk}/"), 404)
    # A warrant id where a party id belongs: no such party.
    body = {"kind": "blue", "subject": str(world.warrant.pk), "requesting_country": "FR"}
    errors = problem(as_staff.post("/api/v1/notices/", body, format="json"), 400)["errors"]
    assert "subject" in errors


def test_a_transition_missing_its_date_or_note_is_400(world, as_staff, system, untouched):
    r = as_staff.post(
        f"/api/v1/warrants/{world.issued.pk}/transitions/", {"transition": "annul"}, format="json"
    )
    assert "effective_date" in problem(r, 400)["errors"]
    r = as_staff.post(
        f"/api/v1/warrants/{world.issued.pk}/transitions/",
        {"transition": "challenge"},
        format="json",
    )
    assert "note" in problem(r, 400)["errors"]


@pytest.mark.parametrize(
    "body",
    [
        {"transition": "fly"},
        {"transition": "issue", "effective_date": "2999-01-01"},
        {"transition": "issue", "effective_date": "14/11/2023"},
        {"transition": ""},
        {},
        {"transition": "issue", "extra": 1},
        {"transition": ["issue"]},
    ],
)
def test_bad_transition_requests_are_400(world, as_staff, untouched, body):
    r = as_staff.post(f"/api/v1/warrants/{world.warrant.pk}/transitions/", body, format="json")
    problem(r, 400)


def test_a_red_notice_on_a_warrant_not_issued_is_refused(world, as_staff):
    body = {"kind": "red", "warrant": str(world.warrant.pk), "requesting_country": "FR"}
    errors = problem(as_staff.post("/api/v1/notices/", body, format="json"), 400)["errors"]
    assert "warrant" in errors


def test_a_duplicate_reference_is_an_error_not_a_500(world, as_staff):
    body = {
        "reference": world.case.reference,
        "title": "Dup",
        "jurisdiction": "FR",
        "forum": "Court",
        "basis": "universal",
    }
    assert (
        "reference" in problem(as_staff.post("/api/v1/cases/", body, format="json"), 400)["errors"]
    )


def test_unknown_api_paths_are_problem_404(db, as_viewer):
    problem(as_viewer.get("/api/v1/nothing/"), 404)
    problem(as_viewer.get("/api/v2/warrants/"), 404)


def test_a_method_not_allowed_is_405_problem(world, as_staff):
    problem(as_staff.put(f"/api/v1/warrants/{world.warrant.pk}/", {}, format="json"), 405)


def test_deeply_nested_json_is_400_not_a_500(world, as_staff, untouched):
    deep = "[" * 100_000 + "]" * 100_000
    body = problem(post(as_staff, "/api/v1/warrants/", deep), 400)
    assert body["type"].endswith(":malformed")


@pytest.mark.parametrize("cursor", ["!!!", "%00", "cD0%3D%3D%3D"])
def test_a_cursor_that_is_not_base64_is_400_not_the_first_page(world, as_viewer, cursor):
    body = problem(as_viewer.get(f"/api/v1/warrants/?cursor={cursor}"), 400)
    assert "cursor" in body["errors"]


def test_a_webhook_created_inactive_is_stored_inactive(world, as_staff, settings):
    settings.WEBHOOKS_ALLOW_PRIVATE = True
    r = as_staff.post(
        "/api/v1/webhooks/",
        {"url": "http://127.0.0.1:9/hook", "event_types": ["warrant.*"], "active": False},
        format="json",
    )
    assert r.status_code == 201, r.content
    assert r.json()["active"] is False


@pytest.mark.parametrize(
    ("field", "value"),
    [("requested_on", "2999-01-01"), ("issued_on", "2999-01-01"), ("disclosed_on", "2999-01-01")],
)
def test_a_legal_date_in_the_future_is_refused(world, as_staff, untouched, field, value):
    body = {
        "case": str(world.case.pk),
        "subject": str(world.person.pk),
        "kind": "arrest",
        "issuing_country": "FR",
        "issuing_authority": "Paris investigating judges",
        "requested_on": "2023-11-01",
        field: value,
    }
    errors = problem(as_staff.post("/api/v1/warrants/", body, format="json"), 400)["errors"]
    assert field in errors


def test_a_transition_dated_in_the_future_is_refused(world, as_staff, untouched):
    r = as_staff.post(
        f"/api/v1/warrants/{world.warrant.pk}/transitions/",
        {"transition": "issue", "effective_date": "2999-01-01"},
        format="json",
    )
    assert "effective_date" in problem(r, 400)["errors"]
