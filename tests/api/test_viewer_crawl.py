"""A viewer crawls every page and API resource after a party is protected, and finds its
real identity nowhere: not in pages, alerts raised before the protection, emails,
history, events or the feed (issue 10).

The witness is entered unprotected, with a position, a birth date, aliases and an
original-script name; events, an alert and an email about her are written; then a
lawyer protects her. The crawl follows every link (`href`, `hx-get`, `action`) from the
web pages and every API URL the API answers with, as far as they go.
"""

import json
import re
from collections import deque

import pytest
from django.core import mail

from alerts.flags import raise_for_events
from alerts.mail import send_digests, send_notification
from alerts.models import Notification, Subscription
from cases.actions import participation_create
from core.events import Actor
from core.models import Event
from parties.actions import party_create, party_set_protection
from tests import builders
from tests.api.conftest import client_for
from tests.web.test_exports import docx_text, pdf_text
from warrants.actions import notice_create

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

SECRETS = [
    "Layla Realname",
    "Realname",
    "Layla Hiddenalias",
    "ليلى",
    "Minister of Secrets",
    "1971-03-09",
]
PAGE_LIMIT = 600
SKIP = re.compile(r"^/(static|accounts/logout|i18n|admin/logout)|/(edit|new)/|/protection/")


@pytest.fixture
def protected_later(system, lawyer, viewer):
    viewer.email = "viewer@example.org"
    viewer.save(update_fields=["email"])
    case = builders.case(system)
    Subscription.objects.create(user=viewer, case=case)
    witness = party_create(
        actor=system,
        kind="person",
        name="Layla Realname",
        name_original="ليلى",
        aliases=["Layla Hiddenalias"],
        birth_date="1971-03-09",
        positions=[{"title": "Minister of Secrets", "function": "foreign_minister"}],
    )
    participation_create(actor=system, case=case, party=witness, role="witness")
    notice_create(actor=system, kind="yellow", subject=witness, requesting_country="FR")
    alerts = raise_for_events(list(Event.objects.order_by("seq")))
    assert alerts, "the rules raise alerts about her before she is protected"
    # Their emails are queued now and sent after the protection (a worker was down, or
    # the digest is daily): they are written when sent, for the recipient as things are.
    assert Notification.objects.filter(user=viewer).exists()
    party_set_protection(
        party_id=witness.pk,
        protected=True,
        pseudonym="Witness W-9",
        actor=Actor.for_user(lawyer),
        note="Threatened after her first statement.",
    )
    for notification in Notification.objects.filter(user=viewer, digest=False):
        send_notification(notification.pk)
    send_digests()
    return witness


def links(path: str, body: str) -> list[str]:
    if path.startswith("/api/"):
        found = re.findall(r'"((?:http://testserver)?/api/v1/[^"?]*(?:\?[^"]*)?)"', body)
    else:
        found = re.findall(r'(?:href|hx-get|action)="(/[^"#]*)"', body)
    return [re.sub(r"^http://testserver", "", url).replace("&amp;", "&") for url in found]


def crawl(client, start: list[str]) -> dict[str, str]:
    """Every page reachable from `start` by GET, with its body."""
    seen: dict[str, str] = {}
    queue = deque(start)
    while queue and len(seen) < PAGE_LIMIT:
        path = queue.popleft()
        if path in seen or SKIP.search(path):
            continue
        response = client.get(path)
        raw = b"".join(response.streaming_content) if response.streaming else response.content
        body = raw.decode(errors="replace")
        kind = response.get("Content-Type", "")
        if kind.startswith("application/json"):
            body = json.dumps(response.json(), ensure_ascii=False)
        elif kind == "application/pdf":  # a dossier: its text, as a reader would copy it
            body = pdf_text(raw) + "\n" + "".join(pdf_text(raw).split())
        elif kind.startswith("application/vnd.openxmlformats"):
            body = docx_text(raw)
        seen[path] = body
        queue.extend(links(path, body))
    return seen


def test_a_viewer_finds_a_protected_identity_nowhere(protected_later, viewer):
    client = client_for(viewer)
    pages = crawl(
        client,
        [
            "/",
            "/cases/",
            "/parties/",
            "/warrants/",
            "/notices/",
            "/alerts/",
            "/alerts/following/",
            "/settings/api-keys/",
            "/settings/webhooks/",
            f"/parties/{protected_later.pk}/",
            f"/history/party/{protected_later.pk}/",
            "/api/v1/",
            "/api/v1/events/",
            f"/api/v1/parties/{protected_later.pk}/history/",
            "/api/v1/alerts/",
            "/api/v1/parties/?q=Layla",
            "/parties/?q=Layla",
        ],
    )
    assert len(pages) > 40, sorted(pages)  # the crawl really went through the app
    # ... and through the downloads: CSV lists and a case's dossier
    assert any("format=csv" in path for path in pages) and any(
        path.endswith(("chronology.pdf", "chronology.docx", "chronology.ftm")) for path in pages
    ), sorted(pages)
    assert any("Witness W-9" in body for body in pages.values())
    leaks = {path: [s for s in SECRETS if s in body] for path, body in pages.items()}
    assert {path: found for path, found in leaks.items() if found} == {}

    emails = [m.subject + m.body + "".join(str(a[0]) for a in m.alternatives) for m in mail.outbox]
    assert emails, "the viewer follows the case: alerts about her are mailed"
    assert [s for s in SECRETS for text in emails if s in text] == []


def test_a_lawyer_crawling_the_same_pages_sees_her_real_name(protected_later, lawyer):
    pages = crawl(client_for(lawyer), [f"/parties/{protected_later.pk}/", "/alerts/"])
    assert any("Layla Realname" in body for body in pages.values())
