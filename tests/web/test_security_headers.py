"""HTTP security headers: a Content-Security-Policy without 'unsafe-inline' on every HTML
page, a nonce on each inline script or style, and Django's own headers kept."""

import datetime
import re

import pytest
from django.test import Client
from django.urls import reverse

from tests import builders
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def pages(system, case, accused, warrant) -> list[str]:
    issued = builders.warrant(system, case, accused.party, issued_on=datetime.date(2023, 11, 14))
    notice = builders.red_notice(system, issued)
    return [
        reverse("web:dashboard"),
        reverse("cases:list"),
        reverse("cases:new"),
        reverse("cases:detail", args=[case.pk]),
        reverse("cases:edit", args=[case.pk]),
        reverse("parties:list"),
        reverse("parties:new"),
        reverse("parties:detail", args=[accused.party.pk]),
        reverse("warrants:warrants"),
        reverse("warrants:warrant", args=[warrant.pk]),
        reverse("warrants:notices"),
        reverse("alerts:inbox"),
        reverse("alerts:following"),
        reverse("web:review_queue"),
        reverse("web:users"),
        reverse("web:api_keys"),
        reverse("web:webhooks"),
        reverse("two_factor_enroll"),  # its QR code is inline SVG, no style
        reverse("web:history", args=["warrant", warrant.pk]),
        reverse("web:transition", args=["warrant", warrant.pk]) + "?transition=refuse",
        reverse("warrants:notice", args=[notice.pk]),
        "/api/docs/",
        "/admin/",
    ]


def policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {
        name: values
        for name, *values in (part.split() for part in header.split(";") if part.strip())
    }


def check_html(response) -> None:
    assert response["Content-Type"].startswith("text/html"), response
    csp = policy(response)
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]
    assert csp["default-src"] == ["'self'"]
    assert csp["object-src"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'none'"]
    # A nonce is sent when the page used one (django-csp): each inline script or style has it.
    nonce = next((v[7:-1] for v in csp["script-src"] if v.startswith("'nonce-")), None)
    html = response.content.decode()
    for tag, attributes in re.findall(r"<(script|style)\b([^>]*)>", html):
        if tag == "script" and "src=" in attributes:
            continue
        assert nonce and f'nonce="{nonce}"' in attributes, f"inline <{tag}> without the nonce"
        assert f"'nonce-{nonce}'" in csp["style-src"]
    # Inline style attributes and event handlers are refused by the policy: none is used.
    assert not re.search(r"<[^>]+\sstyle=", html), "inline style attribute"
    assert not re.search(r"<[^>]+\son[a-z]+=", html), "inline event handler"


def test_every_page_has_a_csp_without_unsafe_inline(client, admin_user, pages):
    client.force_login(admin_user)
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        if url == "/admin/":
            # Django's admin is the back office: the policy applies, its markup is Django's.
            assert "'unsafe-inline'" not in response["Content-Security-Policy"]
            continue
        check_html(response)


def test_signed_out_pages_have_the_csp_too(client, staff):
    for url in ("/accounts/login/", "/accounts/password_reset/", "/accounts/password_reset/done/"):
        response = client.get(url)
        assert response.status_code == 200, url
        check_html(response)
    for _ in range(6):
        locked = client.post("/accounts/login/", {"username": "staff", "password": "x"})
    assert locked.status_code == 429
    check_html(locked)


def test_each_response_gets_its_own_nonce(client, viewer):
    client.force_login(viewer)
    first, second = (policy(client.get("/api/docs/"))["script-src"] for _ in range(2))
    assert first != second and any(v.startswith("'nonce-") for v in first)


def test_the_api_docs_run_their_inline_script_under_the_nonce(client, viewer):
    client.force_login(viewer)
    response = client.get("/api/docs/")
    nonce = next(v for v in policy(response)["script-src"] if v.startswith("'nonce-"))[7:-1]
    assert re.search(rf"<script nonce=\"{re.escape(nonce)}\">\s*\S", response.content.decode())
    assert b"SwaggerUIBundle" in response.content


def test_the_existing_security_headers_stay(client, viewer):
    client.force_login(viewer)
    response = client.get("/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_json_responses_need_no_policy_but_keep_nosniff(client):
    user = make_user("reader", "viewer")
    api = Client()
    api.force_login(user)
    response = api.get("/api/v1/cases/")
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
