"""API keys: hashed at rest, shown once, scoped, expiring, revocable; they act as their owner."""

import datetime
import io

import pghistory.models
import pytest
from django.core.management import call_command
from django.utils import timezone

from core.keys import ApiKey, api_key_create, hash_key
from tests.api.conftest import client_for


def test_create_api_key_prints_the_key_alone_on_its_last_line(staff):
    out = io.StringIO()
    call_command(
        "create_api_key", "--name", "sync", "--scope", "read", "--user", "staff", stdout=out
    )
    raw = out.getvalue().strip().splitlines()[-1]
    key = ApiKey.objects.get()
    assert raw.startswith("ct_") and " " not in raw
    assert (key.name, key.scope, key.owner, key.hashed_key) == (
        "sync",
        "read",
        staff,
        hash_key(raw),
    )
    # Never stored in the clear.
    assert raw not in str(ApiKey.objects.values_list().get())
    assert client_for(key=raw).get("/api/v1/warrants/").status_code == 200


def test_create_api_key_refuses_an_unknown_user(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="No user named"):
        call_command("create_api_key", "--name", "x", "--scope", "write", "--user", "nobody")


def test_a_key_records_when_it_was_last_used(read_key, as_read_key):
    assert ApiKey.objects.get().last_used_at is None
    as_read_key.get("/api/v1/cases/")
    assert ApiKey.objects.get().last_used_at is not None


@pytest.mark.parametrize(
    "header",
    ["Bearer ct_nope_nope", "Bearer ", "Bearer a b", "Bearer " + "x" * 300],
)
def test_a_wrong_key_is_401_not_anonymous(db, header):
    r = client_for().get("/api/v1/cases/", HTTP_AUTHORIZATION=header)
    assert (r.status_code, r["Content-Type"]) == (401, "application/problem+json")
    assert r["WWW-Authenticate"].startswith("Bearer")


def test_no_credentials_is_401(db, anon):
    r = anon.get("/api/v1/warrants/")
    assert (r.status_code, r.json()["status"]) == (401, 401)


def test_revoked_and_expired_keys_are_refused(staff, as_staff):
    key, raw = api_key_create(owner=staff, name="k", scope="read")
    assert client_for(key=raw).get("/api/v1/cases/").status_code == 200
    assert as_staff.delete(f"/api/v1/api-keys/{key.pk}/").status_code == 204
    assert client_for(key=raw).get("/api/v1/cases/").status_code == 401
    _, expiring = api_key_create(
        owner=staff, name="e", scope="read", expires_at=timezone.now() + datetime.timedelta(hours=1)
    )
    ApiKey.objects.filter(name="e").update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    assert client_for(key=expiring).get("/api/v1/cases/").status_code == 401


def test_a_key_of_an_inactive_user_is_refused(staff, read_key):
    staff.is_active = False
    staff.save()
    assert client_for(key=read_key).get("/api/v1/cases/").status_code == 401


def test_the_raw_key_is_shown_once_at_creation(as_staff):
    created = as_staff.post("/api/v1/api-keys/", {"name": "bot", "scope": "write"}, format="json")
    assert created.status_code == 201 and created.json()["key"].startswith("ct_")
    listed = as_staff.get("/api/v1/api-keys/").json()["results"]
    assert [k["name"] for k in listed] == ["bot"] and "key" not in listed[0]


def test_nobody_reaches_another_users_keys_by_id(staff, lawyer, as_lawyer, write_key):
    theirs = ApiKey.objects.get(owner=staff)
    assert as_lawyer.get(f"/api/v1/api-keys/{theirs.pk}/").status_code == 404
    assert as_lawyer.delete(f"/api/v1/api-keys/{theirs.pk}/").status_code == 404
    assert as_lawyer.get("/api/v1/api-keys/").json()["results"] == []
    assert ApiKey.objects.get(pk=theirs.pk).revoked_at is None


def test_only_an_admin_makes_keys_for_others(staff, as_lawyer, as_admin):
    body = {"name": "for-staff", "scope": "read", "owner": "staff"}
    assert as_lawyer.post("/api/v1/api-keys/", body, format="json").status_code == 403
    r = as_admin.post("/api/v1/api-keys/", body, format="json")
    assert (r.status_code, r.json()["owner"]) == (201, "staff")
    assert len(as_admin.get("/api/v1/api-keys/").json()["results"]) == 1


def test_a_key_cannot_mint_keys(as_write_key):
    r = as_write_key.post("/api/v1/api-keys/", {"name": "x"}, format="json")
    assert r.status_code == 403


def test_a_read_key_cannot_write(world, as_read_key):
    r = as_read_key.patch(f"/api/v1/cases/{world.case.pk}/", {"title": "x"}, format="json")
    assert (r.status_code, r["Content-Type"]) == (403, "application/problem+json")
    assert "scope 'read'" in r.json()["detail"]


def test_a_change_through_a_key_is_attributed_to_the_key_and_its_owner(world, staff, as_write_key):
    r = as_write_key.post(
        f"/api/v1/cases/{world.case.pk}/transitions/",
        {"transition": "open_investigation"},
        format="json",
    )
    assert r.status_code == 200
    event = as_write_key.get(f"/api/v1/cases/{world.case.pk}/history/").json()["results"][-1]
    assert event["actor"] == {"kind": "api_key", "name": "write-bot"}
    context = pghistory.models.Context.objects.get(metadata__actor="write-bot")
    assert (context.metadata["user"], context.metadata["channel"]) == (staff.pk, "api")
    assert context.metadata["actor_kind"] == "api_key"
