"""Production mode: refuses to start without a secret key, passes `check --deploy`."""

import os
import subprocess
import sys

import pytest

pytestmark = pytest.mark.slow  # runs subprocesses


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, **env},
    )


def test_production_mode_refuses_to_start_without_a_secret_key():
    result = manage("check", DEBUG="false", SECRET_KEY="")
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_production_mode_passes_the_deploy_checks():
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="false",
        SECRET_KEY="k" * 60 + "-a-long-random-production-secret",
        ALLOWED_HOSTS="casetracker.example.org",
    )
    assert result.returncode == 0, result.stderr
