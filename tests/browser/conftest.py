"""Browser tests: Playwright for Python driving Debian's headless Chromium against a live server.

Never a downloaded browser: `.ci/run` installs the `chromium` package and we
launch /usr/bin/chromium (or $CHROMIUM). axe-core comes from the npm registry
(`npm ci`, see package.json) and is injected into pages by the accessibility test.
"""

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import connections

from tests.conftest import make_user
from tests.pipeline.conftest import (  # noqa: F401 (fixtures: a real Celery worker and Redis)
    broker,
    mail_dir,
    pipeline_db,
    start_worker,
    worker_env,
)

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "docs" / "screenshots"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str:
    path = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(path).exists():
        pytest.fail("Debian's chromium is missing: `apt-get install chromium` (see .ci/run).")
    return path


@pytest.fixture
def browser() -> Iterator:
    """A headless Chromium for one test, started after the test's database is set up.

    Playwright's sync API keeps an asyncio loop running in this thread. While it
    runs, Django refuses database calls (lifted here for the browser's lifetime
    only; `check --deploy` refuses the variable in a deployment) and hands out a
    separate connection, so the test database must be restored before the
    browser starts: request this fixture after the data fixtures.
    """
    from playwright.sync_api import sync_playwright

    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=chromium_path(), args=CHROMIUM_ARGS
            )
            yield browser
            browser.close()
            # Close the connection opened under the loop, or the test database can't be dropped.
            connections.close_all()
    finally:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


@pytest.fixture
def demo(db) -> None:
    """The demo case (seed_demo) and one user per role, committed so the live server sees them."""
    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115


@pytest.fixture
def people(demo) -> dict[str, User]:
    return {
        "staff": make_user("staff", "staff"),
        "lawyer": make_user("lawyer", "lawyer"),
        "viewer": make_user("viewer", "viewer"),
        "admin": make_user("admin", is_staff=True, is_superuser=True),
    }


@pytest.fixture
def sign_in(people, live_server, browser):
    """Open a fresh browser context signed in as `username`; returns its page."""
    contexts = []

    def open_as(username: str, *, viewport=None, locale: str = "en-GB"):
        context = browser.new_context(
            base_url=live_server.url,
            viewport=viewport or {"width": 1280, "height": 900},
            locale=locale,
        )
        contexts.append(context)
        page = context.new_page()
        page.goto("/accounts/login/")
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill("pw-" + username)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_selector("header nav")
        return page

    yield open_as
    for context in contexts:
        context.close()


def screenshot(page, name: str) -> None:
    """Save a full-page screenshot: into docs/screenshots/ (shown in the README) when
    UPDATE_SCREENSHOTS=1 (`make screenshots`), else into a scratch folder, so that an
    ordinary test run leaves the committed pictures and everyone's work tree alone."""
    if os.environ.get("UPDATE_SCREENSHOTS") == "1":
        folder = SCREENSHOTS
    else:
        folder = Path(tempfile.gettempdir()) / "casetracker-screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"{name}.png"), full_page=True)
