"""ETag on every record; If-None-Match → 304; If-Match mismatch → 412 and nothing changes."""

from warrants.models import Warrant


def url(w):
    return f"/api/v1/warrants/{w.pk}/"


def test_a_detail_carries_its_version_as_etag(world, as_viewer):
    r = as_viewer.get(url(world.warrant))
    assert r["ETag"] == '"1"' == f'"{r.json()["version"]}"'


def test_if_none_match_with_the_current_etag_is_304_without_a_body(world, as_viewer):
    r = as_viewer.get(url(world.warrant), HTTP_IF_NONE_MATCH='"1"')
    assert (r.status_code, r.content, r["ETag"]) == (304, b"", '"1"')
    assert as_viewer.get(url(world.warrant), HTTP_IF_NONE_MATCH='"0"').status_code == 200


def test_if_match_with_a_stale_etag_is_412_and_changes_nothing(world, as_staff):
    as_staff.patch(url(world.warrant), {"reference": "W-NEW"}, format="json")  # now version 2
    stale = as_staff.patch(
        url(world.warrant), {"reference": "W-LOST"}, format="json", HTTP_IF_MATCH='"1"'
    )
    assert (stale.status_code, stale["Content-Type"]) == (412, "application/problem+json")
    assert stale.json()["current_version"] == 2
    moved = as_staff.post(
        f"{url(world.warrant)}transitions/",
        {"transition": "issue", "effective_date": "2023-11-14"},
        format="json",
        HTTP_IF_MATCH='"1"',
    )
    assert moved.status_code == 412
    warrant = Warrant.objects.get(pk=world.warrant.pk)
    assert (warrant.reference, warrant.status, warrant.version) == ("W-NEW", "requested", 2)


def test_if_match_with_the_current_etag_writes(world, as_staff):
    r = as_staff.post(
        f"{url(world.warrant)}transitions/",
        {"transition": "issue", "effective_date": "2023-11-14"},
        format="json",
        HTTP_IF_MATCH='"1"',
    )
    assert (r.status_code, r["ETag"]) == (200, '"2"')


def test_a_malformed_if_match_is_412(world, as_staff):
    r = as_staff.patch(url(world.warrant), {"reference": "X"}, format="json", HTTP_IF_MATCH="v1")
    assert r.status_code == 412


def test_a_409_names_the_transitions_allowed_now(world, as_staff):
    r = as_staff.post(f"{url(world.warrant)}transitions/", {"transition": "annul"}, format="json")
    assert (r.status_code, r.json()["allowed_transitions"]) == (
        409,
        ["issue", "refuse", "withdraw"],
    )
    assert r.json()["status_value"] == "requested"
