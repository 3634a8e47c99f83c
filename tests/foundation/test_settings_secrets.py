"""Settings fail safe: DEBUG is off unless asked for; secrets come from the environment or
from files named by `*_FILE` variables (Docker and Kubernetes secrets)."""

import json
import os
import subprocess
import sys

import pytest

pytestmark = pytest.mark.slow  # each reads the settings in a fresh process

SHOW = (
    "import json; from django.conf import settings as s; db = s.DATABASES['default']; "
    "print(json.dumps({'DEBUG': s.DEBUG, 'SECRET_KEY': s.SECRET_KEY, "
    "'EMAIL_HOST_PASSWORD': s.EMAIL_HOST_PASSWORD, 'db': [db['USER'], db['PASSWORD'], "
    "db['HOST'], db['NAME']], 'ssl_redirect': getattr(s, 'SECURE_SSL_REDIRECT', False)}))"
)
# The variables this file is about, removed from the environment the process inherits.
OURS = {"DEBUG", "SECRET_KEY", "SECRET_KEY_FILE", "DATABASE_URL", "DATABASE_URL_FILE"}
OURS |= {"EMAIL_HOST_PASSWORD", "EMAIL_HOST_PASSWORD_FILE", "DJANGO_SETTINGS_MODULE"}


def settings_with(**env: str) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if k not in OURS}
    return subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", SHOW],
        capture_output=True,
        text=True,
        timeout=120,
        env={**base, "DJANGO_SETTINGS_MODULE": "config.settings", **env},
    )


def shown(result: subprocess.CompletedProcess) -> dict:
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_debug_is_off_unless_the_environment_turns_it_on():
    off = shown(settings_with(SECRET_KEY="k" * 50))
    assert off["DEBUG"] is False and off["ssl_redirect"] is True
    assert shown(settings_with(DEBUG="true"))["DEBUG"] is True


def test_without_debug_there_is_no_fallback_secret_key():
    result = settings_with()
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_the_secret_key_is_read_from_the_file_secret_key_file_names(tmp_path):
    secret = tmp_path / "secret_key"
    secret.write_text("from-a-file-" + "s" * 50 + "\n")  # `echo` leaves a newline
    values = shown(settings_with(SECRET_KEY_FILE=str(secret)))
    assert values["SECRET_KEY"] == "from-a-file-" + "s" * 50
    # The file wins over a variable of the same name left in the environment.
    both = shown(settings_with(SECRET_KEY_FILE=str(secret), SECRET_KEY="from-the-environment"))
    assert both["SECRET_KEY"] == "from-a-file-" + "s" * 50


def test_database_url_and_email_password_come_from_files_too(tmp_path):
    (tmp_path / "db").write_text("postgres://app:db-pass@db.internal:5432/tracker\n")
    (tmp_path / "mail").write_text("mail-pass\n")
    values = shown(
        settings_with(
            SECRET_KEY="k" * 50,
            DATABASE_URL_FILE=str(tmp_path / "db"),
            EMAIL_HOST_PASSWORD_FILE=str(tmp_path / "mail"),
        )
    )
    assert values["db"] == ["app", "db-pass", "db.internal", "tracker"]
    assert values["EMAIL_HOST_PASSWORD"] == "mail-pass"


def test_a_secret_file_that_cannot_be_read_stops_the_start(tmp_path):
    result = settings_with(SECRET_KEY_FILE=str(tmp_path / "missing"))
    assert result.returncode != 0
    assert "SECRET_KEY_FILE: cannot read" in result.stderr
    assert str(tmp_path / "missing") in result.stderr
