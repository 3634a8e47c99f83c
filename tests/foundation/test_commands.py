"""The role commands: roles work in the web UI; only admins get the Django admin."""

import os
import subprocess
import sys

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command

from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def test_demo_logins_give_the_django_admin_to_the_admin_only(settings, capsys):
    settings.DEBUG = True
    call_command("demo_logins")
    flags = {u.username: (u.is_staff, u.is_superuser) for u in User.objects.all()}
    assert flags == {
        "admin": (True, True),
        "staff": (False, False),
        "lawyer": (False, False),
        "viewer": (False, False),
    }
    assert User.objects.get(username="lawyer").groups.get().name == "lawyer"


def test_demo_logins_refuse_to_run_in_production(settings, monkeypatch):
    monkeypatch.delenv("DEMO_PASSWORD", raising=False)
    settings.DEBUG = False
    with pytest.raises(Exception, match="local use"):
        call_command("demo_logins")
    assert not User.objects.exists()


def test_demo_logins_in_production_refuse_the_public_default_password(settings, monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", "casetracker-demo")
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEMO_PASSWORD"):
        call_command("demo_logins")
    assert not User.objects.exists()


def test_demo_logins_in_production_take_the_given_password_and_do_not_print_it(
    settings, monkeypatch, capsys
):
    monkeypatch.setenv("DEMO_PASSWORD", "a-password-of-our-own-2026")
    settings.DEBUG = False
    call_command("demo_logins")
    assert User.objects.get(username="viewer").check_password("a-password-of-our-own-2026")
    assert "a-password-of-our-own-2026" not in capsys.readouterr().out


@pytest.mark.slow  # a subprocess
def test_demo_logins_in_production_exit_non_zero_with_the_reason():
    env = {k: v for k, v in os.environ.items() if k != "DEMO_PASSWORD"}
    result = subprocess.run(
        [sys.executable, "manage.py", "demo_logins"],
        capture_output=True,
        text=True,
        timeout=120,
        env={**env, "DEBUG": "false", "SECRET_KEY": "k" * 50},
    )
    assert result.returncode != 0
    assert "set DEMO_PASSWORD" in result.stderr


def test_assign_role_adds_the_group_and_admin_the_admin_flags(capsys):
    make_user("ana")
    call_command("assign_role", "ana", "lawyer")
    ana = User.objects.get(username="ana")
    assert [g.name for g in ana.groups.all()] == ["lawyer"]
    assert (ana.is_staff, ana.is_superuser) == (False, False)
    call_command("assign_role", "ana", "admin")
    ana.refresh_from_db()
    assert (ana.is_staff, ana.is_superuser) == (True, True)
    call_command("assign_role", "ana", "lawyer", "--remove")
    assert not User.objects.get(username="ana").groups.exists()


def test_a_viewer_cannot_open_the_django_admin(client, viewer):
    client.force_login(viewer)
    response = client.get("/admin/")
    assert response.status_code == 302 and "/admin/login/" in response["location"]
