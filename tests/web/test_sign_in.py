"""Sign-in: lockout per username and per address, its admin unlock and audit; two-factor."""

import datetime

import pytest
import time_machine
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

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


def test_the_admin_sign_in_is_locked_too(client):
    make_user("root", is_staff=True, is_superuser=True)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/admin/login/", {"username": "root", "password": "x"}, REMOTE_ADDR=HERE)
    response = client.post(
        "/admin/login/", {"username": "root", "password": "pw-root"}, REMOTE_ADDR=ELSEWHERE
    )
    assert response.status_code == 429 and b"Sign-in locked" in response.content
    assert not signed_in(client)


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


# Two-factor sign-in -------------------------------------------------------------------


def require_two_factor(role: str) -> None:
    """What an admin does in the admin: grant the permission to the role's group."""
    group = Group.objects.get(name=role)
    group.permissions.add(
        Permission.objects.get(content_type__app_label="casetracker", codename="require_two_factor")
    )


def app_code(device: TOTPDevice) -> str:
    """The code the user's authenticator app shows now."""
    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    return f"{code:0{device.digits}d}"


def enroll(user) -> tuple[TOTPDevice, list[str]]:
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    static = StaticDevice.objects.create(user=user, name="Recovery codes", confirmed=True)
    codes = ["recover01", "recover02"]
    for code in codes:
        static.token_set.create(token=code)
    return device, codes


def unthrottle(user) -> None:
    for model in (TOTPDevice, StaticDevice):
        model.objects.filter(user=user).update(
            throttling_failure_count=0, throttling_failure_timestamp=None
        )


def test_a_failed_code_makes_the_next_try_wait(client, lawyer):
    """django-otp's throttle: after a wrong code even the right one waits a moment."""
    device, _ = enroll(lawyer)
    sign_in(client, "lawyer", "pw-lawyer")
    with time_machine.travel(datetime.datetime.now(datetime.UTC), tick=False):
        assert client.post("/accounts/two-factor/", {"token": "123456"}).status_code == 400
        assert client.post("/accounts/two-factor/", {"token": app_code(device)}).status_code == 400


def test_without_two_factor_the_password_alone_signs_in(client, staff):
    """The default (the demo): nobody enrolled, no role requires it."""
    sign_in(client, "staff", "pw-staff")
    assert client.get("/").status_code == 200


def test_a_role_requiring_two_factor_sends_a_new_user_to_enrol_before_anything(client, lawyer):
    require_two_factor("lawyer")
    response = sign_in(client, "lawyer", "pw-lawyer")
    assert signed_in(client)
    page = client.get(response["Location"], follow=True)
    assert page.redirect_chain[-1][0].startswith("/accounts/two-factor/setup/")
    assert b"otpauth://totp/casetracker" in page.content and b"<svg" in page.content
    for url in ("/", "/cases/", "/settings/api-keys/", "/admin/"):
        assert client.get(url)["Location"].startswith("/accounts/two-factor/setup/"), url
    api = client.get("/api/v1/cases/")
    assert api.status_code == 403 and api["Content-Type"] == "application/problem+json"
    # The app's first code turns it on; the recovery codes are shown once.
    device = TOTPDevice.objects.get(user=lawyer, confirmed=False)
    done = client.post("/accounts/two-factor/setup/", {"token": app_code(device)})
    assert done.status_code == 200 and b"Recovery codes" in done.content
    codes = list(StaticDevice.objects.get(user=lawyer).token_set.values_list("token", flat=True))
    assert len(codes) == 10 and all(code.encode() in done.content for code in codes)
    assert client.get("/").status_code == 200
    assert client.get("/api/v1/cases/").status_code == 200
    assert codes[0].encode() not in client.get("/accounts/two-factor/setup/").content


def test_a_wrong_code_does_not_enrol(client, lawyer):
    require_two_factor("lawyer")
    sign_in(client, "lawyer", "pw-lawyer")
    client.get("/accounts/two-factor/setup/")
    response = client.post("/accounts/two-factor/setup/", {"token": "000000"})
    assert response.status_code == 400
    assert not TOTPDevice.objects.filter(user=lawyer, confirmed=True).exists()
    assert client.get("/").status_code == 302


def test_an_enrolled_user_gets_in_with_password_and_code_only(client, lawyer):
    require_two_factor("lawyer")
    device, _ = enroll(lawyer)
    sign_in(client, "lawyer", "pw-lawyer")
    # The password alone does not get in: every page asks for the code.
    response = client.get("/cases/")
    assert response["Location"] == "/accounts/two-factor/?next=%2Fcases%2F"
    assert client.get("/api/v1/cases/").status_code == 403
    wrong = client.post("/accounts/two-factor/", {"token": "123456", "next": "/cases/"})
    assert wrong.status_code == 400 and client.get("/").status_code == 302
    unthrottle(lawyer)  # the app's code at once after a mistake (django-otp backs off)
    right = client.post("/accounts/two-factor/", {"token": app_code(device), "next": "/cases/"})
    assert right["Location"] == "/cases/"
    assert client.get("/cases/").status_code == 200


def test_a_code_is_not_accepted_twice(client, lawyer):
    device, _ = enroll(lawyer)
    code = app_code(device)
    sign_in(client, "lawyer", "pw-lawyer")
    assert client.post("/accounts/two-factor/", {"token": code}).status_code == 302
    other = Client()
    sign_in(other, "lawyer", "pw-lawyer")
    assert other.post("/accounts/two-factor/", {"token": code}).status_code == 400


def test_a_recovery_code_signs_in_once(client, lawyer):
    require_two_factor("lawyer")
    _, codes = enroll(lawyer)
    sign_in(client, "lawyer", "pw-lawyer")
    assert client.post("/accounts/two-factor/", {"token": "RECOVER01"}).status_code == 302
    assert client.get("/").status_code == 200
    client.post("/accounts/logout/")
    sign_in(client, "lawyer", "pw-lawyer")
    assert client.post("/accounts/two-factor/", {"token": codes[0]}).status_code == 400
    assert client.get("/").status_code == 302
    unthrottle(lawyer)
    assert client.post("/accounts/two-factor/", {"token": codes[1]}).status_code == 302


def test_anyone_may_enrol_and_then_owes_the_code(client, staff):
    sign_in(client, "staff", "pw-staff")
    page = client.get("/accounts/two-factor/setup/")
    assert page.status_code == 200 and b"otpauth://" in page.content
    device = TOTPDevice.objects.get(user=staff)
    client.post("/accounts/two-factor/setup/", {"token": app_code(device)})
    client.post("/accounts/logout/")
    sign_in(client, "staff", "pw-staff")
    assert client.get("/")["Location"].startswith("/accounts/two-factor/?")


def test_superusers_are_not_required_by_having_every_permission(client, db):
    make_user("root", is_staff=True, is_superuser=True)
    require_two_factor("staff")
    sign_in(client, "root", "pw-root")
    assert client.get("/").status_code == 200


def test_api_keys_are_not_asked_for_a_second_factor(lawyer):
    require_two_factor("lawyer")
    _, raw = api_key_create(name="feed", scope="read", owner=lawyer)
    assert Client(HTTP_AUTHORIZATION=f"Bearer {raw}").get("/api/v1/cases/").status_code == 200


def test_an_authorization_header_does_not_skip_the_second_factor(client, lawyer):
    """Only a Bearer key bypasses the session, and the API then never falls back on it."""
    enroll(lawyer)
    sign_in(client, "lawyer", "pw-lawyer")
    for header in ("Basic bGF3eWVyOnB3LWxhd3llcg==", "Token abc", "Bearer"):
        assert client.get("/", HTTP_AUTHORIZATION=header).status_code == 302, header
        assert client.get("/api/v1/cases/", HTTP_AUTHORIZATION=header).status_code == 403
    assert client.get("/api/v1/cases/", HTTP_AUTHORIZATION="Bearer junk").status_code == 401


def test_the_enrolment_page_links_the_settings_only_for_who_may_reach_them(client, staff, lawyer):
    require_two_factor("lawyer")
    sign_in(client, "staff", "pw-staff")
    assert b'aria-label="Settings"' in client.get("/accounts/two-factor/setup/").content
    other = Client()
    sign_in(other, "lawyer", "pw-lawyer")
    assert b'aria-label="Settings"' not in other.get("/accounts/two-factor/setup/").content


def test_the_two_factor_pages_carry_the_csp(client, lawyer, staff):
    from tests.web.test_security_headers import check_html

    enroll(lawyer)
    sign_in(client, "lawyer", "pw-lawyer")
    check_html(client.get("/accounts/two-factor/"))
    other = Client()
    sign_in(other, "staff", "pw-staff")
    check_html(other.get("/accounts/two-factor/setup/"))
