"""Sign-in: lockout per username and per address, its admin unlock and audit; two-factor."""

import datetime

import pytest
import time_machine
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.core.management import call_command
from django.test import Client

from core.keys import api_key_create
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
HERE, ELSEWHERE = "192.0.2.10", "198.51.100.20"  # documentation addresses (RFC 5737)


def sign_in(client: Client, username: str, password: str, address: str = HERE):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def fail(client: Client, username: str, times: int, address: str = HERE) -> None:
    for _ in range(times):
        sign_in(client, username, "wrong-password", address)


def test_a_few_wrong_passwords_still_let_the_right_one_in(client, staff):
    fail(client, "staff", settings.AXES_FAILURE_LIMIT - 1)
    response = sign_in(client, "staff", "pw-staff")
    assert response.status_code == 302 and signed_in(client)


def test_repeated_wrong_passwords_lock_the_username_from_any_address(client, staff):
    fail(client, "staff", settings.AXES_FAILURE_LIMIT)
    for address in (HERE, ELSEWHERE):
        response = sign_in(client, "staff", "pw-staff", address)
        assert response.status_code == 429
        assert not signed_in(client)
    # A page of our own, saying what happened and what to do, not a bare text.
    assert response["Content-Type"].startswith("text/html")
    assert b"Sign-in locked" in response.content
    assert b"15 minutes" in response.content
    assert b"administrator" in response.content


def test_fifty_wrong_passwords_are_not_all_answered(client, staff):
    statuses = [sign_in(client, "staff", f"guess-{n}").status_code for n in range(50)]
    assert statuses.count(429) >= 50 - settings.AXES_FAILURE_LIMIT
    assert sign_in(client, "staff", "pw-staff").status_code == 429


def test_an_address_trying_many_usernames_is_locked_for_all_of_them(client, staff):
    per_user = settings.AXES_FAILURE_LIMIT - 1
    names = [f"guess{n}" for n in range(settings.LOGIN_IP_FAILURE_LIMIT // per_user + 1)]
    for name in names:
        fail(client, name, per_user)
    assert sign_in(client, "staff", "pw-staff").status_code == 429
    # The username itself is not locked: from another address it signs in.
    assert sign_in(client, "staff", "pw-staff", ELSEWHERE).status_code == 302


def test_the_lock_ends_after_the_cool_off(client, staff):
    fail(client, "staff", settings.AXES_FAILURE_LIMIT)
    later = datetime.datetime.now(datetime.UTC) + settings.AXES_COOLOFF_TIME
    with time_machine.travel(later + datetime.timedelta(seconds=5)):
        assert sign_in(client, "staff", "pw-staff").status_code == 302


def test_an_admin_unlocks_a_username_by_deleting_its_attempts_in_the_admin(client, staff):
    fail(client, "staff", settings.AXES_FAILURE_LIMIT)
    admin = Client()
    admin.force_login(make_user("root", is_staff=True, is_superuser=True))
    page = admin.get("/admin/axes/accessattempt/")
    assert page.status_code == 200 and b"staff" in page.content
    ids = list(AccessAttempt.objects.filter(username="staff").values_list("pk", flat=True))
    response = admin.post(
        "/admin/axes/accessattempt/",
        {"action": "delete_selected", "_selected_action": ids, "post": "yes"},
    )
    assert response.status_code == 302
    assert not AccessAttempt.objects.filter(username="staff").exists()
    assert sign_in(client, "staff", "pw-staff").status_code == 302


def test_the_axes_reset_command_unlocks_a_username(client, staff):
    fail(client, "staff", settings.AXES_FAILURE_LIMIT)
    call_command("axes_reset_username", "staff")
    assert sign_in(client, "staff", "pw-staff").status_code == 302


def test_sign_ins_and_failures_are_audited_and_shown_in_the_admin(client, staff):
    fail(client, "staff", 2)
    sign_in(client, "staff", "pw-staff", ELSEWHERE)
    failures = AccessFailureLog.objects.filter(username="staff")
    assert [(f.ip_address, f.locked_out) for f in failures] == [(HERE, False), (HERE, False)]
    success = AccessLog.objects.get(username="staff")
    assert success.ip_address == ELSEWHERE and success.logout_time is None
    client.post("/accounts/logout/")
    assert AccessLog.objects.get(username="staff").logout_time is not None
    admin = Client()
    admin.force_login(make_user("root", is_staff=True, is_superuser=True))
    for page in ("accesslog", "accessfailurelog"):
        response = admin.get(f"/admin/axes/{page}/")
        assert response.status_code == 200 and b"staff" in response.content


def test_a_locked_username_keeps_its_api_keys_and_open_sessions(client, staff):
    """Keys are not passwords, and an open session is not a sign-in: neither is locked."""
    _, raw = api_key_create(name="feed", scope="read", owner=staff)
    session = Client()
    session.force_login(staff)
    fail(client, "staff", settings.AXES_FAILURE_LIMIT)
    keyed = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert keyed.get("/api/v1/cases/", REMOTE_ADDR=HERE).status_code == 200
    assert session.get("/api/v1/cases/", REMOTE_ADDR=HERE).status_code == 200
    assert session.get("/", REMOTE_ADDR=HERE).status_code == 200
    # Wrong keys are answered 401 and counted by no lockout (they are not sign-ins).
    assert Client(HTTP_AUTHORIZATION="Bearer nope").get("/api/v1/cases/").status_code == 401
    assert AccessFailureLog.objects.filter(username="staff").count() == settings.AXES_FAILURE_LIMIT
