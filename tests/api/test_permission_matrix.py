"""The permission matrix: every URL the app serves by every persona, with the status each gets.

The URLs come from the URL conf itself (web pages, the API router, the admin), so a new
URL without an entry in MATRIX fails `test_every_url_has_an_entry`. Each entry gives,
per persona, the status of a GET and, for URLs that take writes, of a POST with an
empty body: permission is checked before the body is, so a persona allowed to write
gets the validation error (400) and one who is not gets 403 (API), 404 (a record it may
not see) or the sign-in page (302, web). Every request runs in a transaction rolled
back after it, so personas see the same data.

Personas (domain.md §5): anonymous, viewer, staff, lawyer, admin, and a read and a write
API key (owned by a staff user). Keys authenticate the API only: on web pages they are
anonymous.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from django.contrib import admin
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver

from alerts.models import Alert, InterpolMatch, Subscription, WebhookDelivery, WebhookEndpoint
from core.keys import ApiKey
from core.models import Event

PERSONAS = ["anonymous", "viewer", "staff", "lawyer", "admin", "read_key", "write_key"]


def url_patterns() -> Iterator[tuple[str, str]]:
    """(route, name) of every URL the project serves; routes as the URL conf writes them."""

    def walk(patterns, prefix: str, namespace: str):
        for p in patterns:
            if isinstance(p, URLResolver):
                inner = f"{namespace}{p.namespace}:" if p.namespace else namespace
                yield from walk(p.url_patterns, prefix + str(p.pattern), inner)
            elif isinstance(p, URLPattern):
                yield prefix + str(p.pattern), f"{namespace}{p.name or ''}"

    for route, name in walk(get_resolver().url_patterns, "", ""):
        if not route.startswith("admin/"):
            yield route, name


def canonical(route: str) -> str:
    """A route with DRF's regexes written as <pk> placeholders, for the matrix's keys."""
    route = re.sub(r"\(\?P<(\w+)>[^)]*\)", r"<\1>", route)
    return route.replace("^", "").replace("$", "")


class Undo(Exception):
    pass


@pytest.fixture
def ids(world, staff, viewer, settings):
    """A value for every placeholder the routes use, from a world with one record of each kind."""
    settings.WEBHOOKS_ALLOW_PRIVATE = True
    from alerts.webhooks import endpoint_create
    from core.events import Actor

    endpoint = endpoint_create(
        actor=Actor.for_user(staff), url="http://127.0.0.1:9/hook", event_types=["*"]
    )
    event = Event.objects.filter(subject_id=world.warrant.pk).first()
    assert event is not None
    delivery = WebhookDelivery.objects.create(endpoint=endpoint, event=event)
    alert = Alert.objects.create(severity="high", title="Warrant annulled", case=world.case)
    subscription = Subscription.objects.create(user=viewer, case=world.case)
    match = InterpolMatch.objects.create(
        party=world.accused.party, entity_id="2024/00001", score=1.0, fields={"name": "X"}
    )
    key = ApiKey.objects.filter(owner=staff).first()
    assert key is not None
    return {
        "case": world.case.pk,
        "incident": world.incident.pk,
        "participation": world.accused.pk,
        "representation": world.representation.pk,
        "charge": world.charge.pk,
        "party": world.witness.pk,  # the protected witness: the strictest case
        "warrant": world.warrant.pk,
        "notice": world.notice.pk,
        "event": event.id,
        "api_key": key.pk,
        "alert": alert.pk,
        "subscription": subscription.pk,
        "interpol_match": match.pk,
        "webhook": endpoint.pk,
        "delivery": delivery.pk,
        "user": viewer.pk,
        **_proceedings(world),
        "source": _witness_source(world),
        "the_word_party": "party",  # a resource name where the route takes one
    }


def _witness_source(world):
    """A source attached to the protected witness: only who may see the witness's identity
    reads it (the strictest case; tests/api/test_sources.py has the others)."""
    from core.events import Actor
    from core.sources import source_attach, source_create

    source = source_create(actor=Actor.system(), url="https://example.org/s", title="Statement")
    source_attach(actor=Actor.system(), source=source, record=world.witness)
    return source.pk


def _proceedings(world) -> dict:
    """A hearing on the world's warrant and a deadline of its case (issue 13)."""
    from core.events import Actor
    from warrants.actions import deadline_create, proceeding_create

    hearing = proceeding_create(
        actor=Actor.system(),
        case=world.case,
        kind="hearing",
        court="Cour de cassation",
        date="2025-07-04",
        warrants=[world.warrant],
    )
    deadline = deadline_create(
        actor=Actor.system(), case=world.case, title="Brief", due_on="2025-06-20"
    )
    return {"proceeding": hearing.pk, "deadline": deadline.pk, "feed_token": "cal_wrong"}


# route → (placeholder values, GET statuses, POST statuses or None), statuses in PERSONAS
# order. Written out in full on purpose: this table is the access policy, read by people.
Row = tuple[dict[str, str], str, str | None]


def row(get: str, post: str | None = None, **kwargs: str) -> Row:
    return kwargs, get, post


# Abbreviations for the common shapes.
API_READ = "401 200 200 200 200 200 200"
WEB_READ = "302 200 200 200 200 302 302"

MATRIX: dict[str, Row] = {
    "": row(WEB_READ, WEB_READ),
    "accounts/login/": row("200 302 302 302 302 200 200", "200 302 302 302 302 200 200"),
    "accounts/logout/": row("405 405 405 405 405 405 405", "302 302 302 302 302 302 302"),
    "accounts/password_reset/": row("200 200 200 200 200 200 200", "200 200 200 200 200 200 200"),
    "accounts/password_reset/done/": row("200 200 200 200 200 200 200"),
    "accounts/reset/<uidb64>/<token>/": row(
        "200 200 200 200 200 200 200", "200 200 200 200 200 200 200", uidb64="x", token="x"
    ),
    "accounts/reset/done/": row("200 200 200 200 200 200 200"),
    "accounts/two-factor/": row("302 302 302 302 302 302 302", "302 302 302 302 302 302 302"),
    "accounts/two-factor/setup/": row(WEB_READ, WEB_READ),
    "alerts/": row(WEB_READ, WEB_READ),
    # an alert about no record: its inbox row
    "alerts/<uuid:pk>/record/": row(
        "302 302 302 302 302 302 302", "302 405 405 405 405 302 302", pk="alert"
    ),
    # viewers only read (403); others acknowledge and are sent back
    "alerts/<uuid:pk>/<str:transition>/": row(
        "302 405 405 405 405 302 302",
        "302 403 302 302 302 302 302",
        pk="alert",
        transition="acknowledge",
    ),
    "alerts/following/": row("403 200 200 200 200 403 403", "403 200 200 200 200 403 403"),
    "alerts/following/<uuid:pk>/stop/": row(
        "403 405 405 405 405 403 403", "403 302 404 404 404 403 403", pk="subscription"
    ),
    "alerts/interpol-matches/<uuid:pk>/": row(
        "403 200 200 200 200 403 403", "403 405 405 405 405 403 403", pk="interpol_match"
    ),
    # deciding needs the permission to edit notices (403); an empty dismissal lacks its note
    "alerts/interpol-matches/<uuid:pk>/<str:decision>/": row(
        "403 405 405 405 405 403 403",
        "403 403 400 403 400 403 403",
        pk="interpol_match",
        decision="dismiss",
    ),
    "api/.*": row("404 404 404 404 404 404 404", "404 404 404 404 404 404 404"),
    "api/docs/": row("200 200 200 200 200 200 200"),
    "api/schema/": row("200 200 200 200 200 200 200"),
    "api/v1/": row(API_READ, "401 405 405 405 405 403 405"),
    "api/v1/alerts/": row(API_READ, "401 405 405 405 405 403 405"),
    "api/v1/alerts/<pk>/": row(API_READ, "401 405 405 405 405 403 405", pk="alert"),
    # Action endpoints (transitions, review, protection) parse the body first: an empty
    # one is 400 for every signed-in persona. Their refusals with a valid body are in
    # test_personas.py, test_protection.py and test_alert_redaction.py.
    "api/v1/alerts/<pk>/transitions/": row(
        "401 405 405 405 405 405 405", "401 400 400 400 400 403 400", pk="alert"
    ),
    "api/v1/api-keys/": row(API_READ, "401 400 400 400 400 403 403"),
    # staff's own: others 404, admins see all
    "api/v1/api-keys/<pk>/": row(
        "401 404 200 404 200 200 200", "401 405 405 405 405 403 403", pk="api_key"
    ),
    # hearings and deadlines the caller may see (GET only)
    "api/v1/calendar/": row(API_READ, "401 405 405 405 405 403 405"),
    "api/v1/cases/": row(API_READ, "401 403 400 403 400 403 400"),
    "api/v1/cases/<pk>/": row(API_READ, "401 405 405 405 405 403 405", pk="case"),
    "api/v1/cases/<pk>/chronology/<kind>/": row(
        API_READ, "401 405 405 405 405 403 405", pk="case", kind="pdf"
    ),
    "api/v1/cases/<pk>/history/": row(API_READ, "401 405 405 405 405 403 405", pk="case"),
    "api/v1/cases/<pk>/transitions/": row(
        "401 405 405 405 405 405 405", "401 400 400 400 400 403 400", pk="case"
    ),
    "api/v1/charges/": row(API_READ, "401 403 403 400 400 403 403"),
    "api/v1/charges/<pk>/": row(API_READ, "401 405 405 405 405 403 405", pk="charge"),
    "api/v1/charges/<pk>/history/": row(API_READ, "401 405 405 405 405 403 405", pk="charge"),
    "api/v1/charges/<pk>/review/": row(
        "401 405 405 405 405 405 405", "401 400 400 400 400 403 400", pk="charge"
    ),
    "api/v1/charges/<pk>/transitions/": row(
        "401 405 405 405 405 405 405", "401 400 400 400 400 403 400", pk="charge"
    ),
    # proceedings and deadlines: staff and lawyers record them (issue 13)
    "api/v1/deadlines/": row(API_READ, "401 403 400 400 400 403 400"),
    "api/v1/deadlines/<pk>/": row(API_READ, "401 405 405 405 405 403 405", pk="deadline"),
    "api/v1/deadlines/<pk>/history/": row(API_READ, "401 405 405 405 405 403 405", pk="deadline"),
    "api/v1/deadlines/<pk>/transitions/": row(
        "401 405 405 405 405 405 405", "401 400 400 400 400 403 400", pk="deadline"
    ),
    "api/v1/events/": row(API_READ, "401 405 405 405 405 403 405"),
    # Served once stamped into the feed, which never happens inside this test's
    # transaction (test_feed_order.py reads committed ones).
    "api/v1/events/<id>/": row(
        "401 404 404 404 404 404 404", "401 405 405 405 405 403 405", id="event"
    ),
    "api/v1/incidents/": row(API_READ, "401 403 400 403 400 403 400"),
    "api/v1/incidents/<pk>/": row(API_READ, "401 405 405 405 405 403 405", pk="incident"),
    "api/v1/interpol-matches/": row(API_READ, "401 405 405 405 405 403 405"),
    "api/v1/interpol-matches/<pk>/": row(
        API_READ, "401 405 405 405 405 403 405", pk="interpol_match"
    ),
    "api/v1/interpol-matches/<pk>/confirm/": row(
        "401 405 405 405 405 405 405", "401 400 400 400 400 403 400", pk="interpol_match"
    ),
    "api/v1/interpol-matches/<pk>/dismiss/": row(
        "401 405 405 405 405 405 405", "401 400 400 400 400 403 400", pk="interpol_match"
    ),
    "api/v1/notices/": row(API_READ, "401 403 400 403 400 403 400"),
    "api/v1/notices/<pk>/": row(API_READ, "401 405 405 405 405 403 405", pk="notice"),
    "api/v1/notices/<pk>/history/": row(API_READ, "401 405 405 405 405 403 405", pk="notice"),
    "api/v1/notices/<pk>/transitions/": row(
        "401 405 405 405 405 405 405", "401 400 400 400 400 403 400", pk="notice"
    ),
    "api/v1/participations/": row(API_READ, "401 403 400 403 400 403 400"),
    "api/v1/participations/<pk>/": row(API_READ, "401 405 405 405 405 403 405", pk="participation"),
    "api/v1/participations/<pk>/history/": row(
        API_READ, "401 405 405 405 405 403 405", pk="participation"
    ),
    "api/v1/participations/<pk>/transitions/": row(
        "401 405 405 405 405 405 405", "401 400 400 400 400 403 400", pk="participation"
    ),
    "api/v1/parties/": row(API_READ, "401 403 400 400 400 403 400"),
    "api/v1/parties/<pk>/": row(API_READ, "401 405 405 405 405 403 405", pk="party"),
    "api/v1/parties/<pk>/history/": row(API_READ, "401 405 405 405 405 403 405", pk="party"),
    "api/v1/parties/<pk>/protection/": row(
        "401 405 405 405 405 405 405", "401 400 400 400 400 403 400", pk="party"
    ),
    "api/v1/parties/<pk>/review/": row(
        "401 405 405 405 405 405 405", "401 400 400 400 400 403 400", pk="party"
    ),
    "api/v1/proceedings/": row(API_READ, "401 403 400 400 400 403 400"),
    "api/v1/proceedings/<pk>/": row(API_READ, "401 405 405 405 405 403 405", pk="proceeding"),
    "api/v1/proceedings/<pk>/history/": row(
        API_READ, "401 405 405 405 405 403 405", pk="proceeding"
    ),
    "api/v1/proceedings/<pk>/transitions/": row(
        "401 405 405 405 405 405 405", "401 400 400 400 400 403 400", pk="proceeding"
    ),
    "api/v1/representations/": row(API_READ, "401 403 403 400 400 403 403"),
    "api/v1/representations/<pk>/": row(
        API_READ, "401 405 405 405 405 403 405", pk="representation"
    ),
    "api/v1/representations/<pk>/history/": row(
        API_READ, "401 405 405 405 405 403 405", pk="representation"
    ),
    "api/v1/representations/<pk>/transitions/": row(
        "401 405 405 405 405 405 405", "401 400 400 400 400 403 400", pk="representation"
    ),
    # sources: adding needs casetracker.add_source; the one read is the witness's (404 to
    # whoever may not see protected identities; the keys are a staff user's)
    "api/v1/sources/": row(API_READ, "401 403 400 400 400 403 400"),
    "api/v1/sources/<pk>/": row(
        "401 404 404 200 200 404 404", "401 405 405 405 405 403 405", pk="source"
    ),
    "api/v1/sources/<pk>/attach/": row(
        "401 405 405 405 405 405 405", "401 404 404 400 400 403 404", pk="source"
    ),
    "api/v1/sources/<pk>/download/": row(
        "401 404 404 404 404 404 404", "401 405 405 405 405 403 405", pk="source"
    ),
    "api/v1/subscriptions/": row(API_READ, "401 400 400 400 400 403 400"),
    # the viewer's own
    "api/v1/subscriptions/<pk>/": row(
        "401 200 404 404 404 404 404", "401 405 405 405 405 403 405", pk="subscription"
    ),
    "api/v1/warrants/": row(API_READ, "401 403 400 403 400 403 400"),
    "api/v1/warrants/<pk>/": row(API_READ, "401 405 405 405 405 403 405", pk="warrant"),
    "api/v1/warrants/<pk>/history/": row(API_READ, "401 405 405 405 405 403 405", pk="warrant"),
    "api/v1/warrants/<pk>/transitions/": row(
        "401 405 405 405 405 405 405", "401 400 400 400 400 403 400", pk="warrant"
    ),
    "api/v1/webhooks/": row(API_READ, "401 400 400 400 400 403 400"),
    # staff's own: others 404, admins see all
    "api/v1/webhooks/<pk>/": row(
        "401 404 200 404 200 200 200", "401 405 405 405 405 403 405", pk="webhook"
    ),
    "api/v1/webhooks/<pk>/deliveries/": row(
        "401 404 200 404 200 200 200", "401 405 405 405 405 403 405", pk="webhook"
    ),
    "api/v1/webhooks/<pk>/deliveries/<delivery_id>/redeliver/": row(
        "401 405 405 405 405 405 405",
        "401 404 202 404 202 403 202",
        pk="webhook",
        delivery_id="delivery",
    ),
    "api/v1/webhooks/<pk>/rotate-secret/": row(
        "401 405 405 405 405 405 405", "401 404 200 404 200 403 200", pk="webhook"
    ),
    "calendar/": row(WEB_READ, WEB_READ),
    "calendar/case/<uuid:pk>/": row(WEB_READ, WEB_READ, pk="case"),
    # an empty POST neither makes nor revokes the feed's address
    "calendar/feed/": row(WEB_READ, "302 400 400 400 400 302 302"),
    # the secret URL: no session needed; a wrong token is a 404 for everyone
    "calendar/feed/<str:token>.ics": row(
        "404 404 404 404 404 404 404", "405 405 405 405 405 405 405", token="feed_token"
    ),
    "cases/": row(WEB_READ, WEB_READ),
    "cases/<uuid:pk>/": row(WEB_READ, WEB_READ, pk="case"),
    "cases/<uuid:pk>/charges/new/": row(
        "302 403 403 200 200 302 302", "302 403 403 400 400 302 302", pk="case"
    ),
    "cases/<uuid:pk>/chronology.<str:kind>": row(
        WEB_READ, "302 405 405 405 405 302 302", pk="case", kind="pdf"
    ),
    "cases/<uuid:pk>/edit/": row(
        "302 403 200 403 200 302 302", "302 403 400 403 400 302 302", pk="case"
    ),
    "cases/<uuid:pk>/incidents/new/": row(
        "302 403 200 403 200 302 302", "302 403 400 403 400 302 302", pk="case"
    ),
    "cases/<uuid:pk>/participations/new/": row(
        "302 403 200 403 200 302 302", "302 403 400 403 400 302 302", pk="case"
    ),
    "cases/charges/<uuid:pk>/edit/": row(
        "302 403 403 200 200 302 302", "302 403 403 400 400 302 302", pk="charge"
    ),
    "cases/incidents/<uuid:pk>/edit/": row(
        "302 403 200 403 200 302 302", "302 403 400 403 400 302 302", pk="incident"
    ),
    "cases/new/": row("302 403 200 403 200 302 302", "302 403 400 403 400 302 302"),
    "cases/participations/<uuid:pk>/counsel/new/": row(
        "302 403 403 200 200 302 302", "302 403 403 400 400 302 302", pk="participation"
    ),
    "cases/representations/<uuid:pk>/edit/": row(
        "302 403 403 200 200 302 302", "302 403 403 400 400 302 302", pk="representation"
    ),
    "deadlines/<uuid:pk>/": row(WEB_READ, WEB_READ, pk="deadline"),
    "deadlines/<uuid:pk>/edit/": row(
        "302 403 200 200 200 302 302", "302 403 400 400 400 302 302", pk="deadline"
    ),
    "deadlines/new/": row("302 403 200 200 200 302 302", "302 403 400 400 400 302 302"),
    "follow/<str:kind>/<uuid:pk>/": row(
        "302 405 405 405 405 302 302", "302 404 404 404 404 302 302", kind="case", pk="case"
    ),
    "healthz": row("200 200 200 200 200 200 200", "200 200 200 200 200 200 200"),
    "history/<str:resource>/<uuid:pk>/": row(
        "302 404 404 404 404 302 302",
        "302 404 404 404 404 302 302",
        resource="warrant",
        pk="warrant",
    ),
    "i18n/setlang/": row("302 302 302 302 302 302 302", "302 302 302 302 302 302 302"),
    "imports/": row("302 403 200 200 200 302 302", "302 403 400 400 400 302 302"),
    "notices/": row(WEB_READ, WEB_READ),
    "notices/<uuid:pk>/": row(WEB_READ, WEB_READ, pk="notice"),
    "notices/<uuid:pk>/edit/": row(
        "302 403 200 403 200 302 302", "302 403 400 403 400 302 302", pk="notice"
    ),
    "notices/new/": row("302 403 200 403 200 302 302", "302 403 400 403 400 302 302"),
    "parties/": row(WEB_READ, WEB_READ),
    "parties/<uuid:pk>/": row(WEB_READ, WEB_READ, pk="party"),
    "parties/<uuid:pk>/edit/": row(
        "302 403 200 200 200 302 302", "302 403 400 400 400 302 302", pk="party"
    ),
    # lawyers and admins only
    "parties/<uuid:pk>/protection/": row(
        "302 403 403 200 200 302 302", "302 403 403 400 400 302 302", pk="party"
    ),
    "parties/new/": row("302 403 200 200 200 302 302", "302 403 400 400 400 302 302"),
    # search pages answer GET only
    "pick/<str:kind>/": row(WEB_READ, "302 405 405 405 405 302 302", kind="parties"),
    "proceedings/<uuid:pk>/": row(WEB_READ, WEB_READ, pk="proceeding"),
    "proceedings/<uuid:pk>/edit/": row(
        "302 403 200 200 200 302 302", "302 403 400 400 400 302 302", pk="proceeding"
    ),
    "proceedings/new/": row("302 403 200 200 200 302 302", "302 403 400 400 400 302 302"),
    "review/": row("302 403 403 200 200 302 302", "302 403 403 200 200 302 302"),
    "review/<str:resource>/<uuid:pk>/": row(
        "302 405 405 405 405 302 302", "302 404 404 404 404 302 302", resource="party", pk="party"
    ),
    "search/": row(WEB_READ, "302 405 405 405 405 302 302"),
    "settings/api-keys/": row(WEB_READ, WEB_READ),
    "settings/api-keys/<uuid:pk>/revoke/": row(
        "302 405 405 405 405 302 302", "302 404 302 404 302 302 302", pk="api_key"
    ),
    # admins only
    "settings/users/": row("302 302 302 302 200 302 302", "302 302 302 302 200 302 302"),
    "settings/users/<int:pk>/": row(
        "302 302 302 302 200 302 302", "302 302 302 302 200 302 302", pk="user"
    ),
    "settings/webhooks/": row(WEB_READ, WEB_READ),
    "settings/webhooks/<uuid:pk>/": row(
        "302 404 200 404 200 302 302", "302 404 400 404 400 302 302", pk="webhook"
    ),
    "settings/webhooks/deliveries/<uuid:pk>/redeliver/": row(
        "302 405 405 405 405 302 302", "302 404 302 404 302 302 302", pk="delivery"
    ),
    "sources/": row(WEB_READ, "302 405 405 405 405 302 302"),
    "sources/<uuid:pk>/": row(
        "302 404 404 200 200 302 302", "302 405 405 405 405 302 302", pk="source"
    ),
    # a link has no file to download or preview (404 to all); files: tests/web/test_sources.py
    "sources/<uuid:pk>/download/": row(
        "302 404 404 404 404 302 302", "302 405 405 405 405 302 302", pk="source"
    ),
    "sources/<uuid:pk>/preview/": row(
        "302 404 404 404 404 302 302", "302 405 405 405 405 302 302", pk="source"
    ),
    "sources/attach/<str:resource>/<uuid:pk>/": row(
        "302 403 200 200 200 302 302",
        "302 403 400 400 400 302 302",
        resource="the_word_party",
        pk="party",
    ),
    "transition/<str:resource>/<uuid:pk>/": row(
        "302 404 404 404 404 302 302",
        "302 404 404 404 404 302 302",
        resource="warrant",
        pk="warrant",
    ),
    "warrants/": row(WEB_READ, WEB_READ),
    "warrants/<uuid:pk>/": row(WEB_READ, WEB_READ, pk="warrant"),
    "warrants/<uuid:pk>/edit/": row(
        "302 403 200 403 200 302 302", "302 403 400 403 400 302 302", pk="warrant"
    ),
    "warrants/new/": row("302 403 200 403 200 302 302", "302 403 400 403 400 302 302"),
}


def test_every_url_has_an_entry_and_every_entry_a_url():
    served = {canonical(route) for route, _ in url_patterns()}
    assert served - set(MATRIX) == set(), "URLs without an entry in MATRIX"
    assert set(MATRIX) - served == set(), "entries in MATRIX for URLs no longer served"


def fill(route: str, values: dict[str, str], ids: dict) -> str:
    def value(match: re.Match) -> str:
        given = values[match.group(1)]  # an id of the world (`ids`) or a literal
        return str(ids.get(given, given))

    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", value, route)


def status_of(client, method: str, path: str) -> int:
    try:
        with transaction.atomic():
            if method == "GET":
                response = client.get(path)
            elif path.startswith("/api/"):
                response = client.post(path, {}, format="json")
            else:
                response = client.post(path, {})
            raise Undo(response.status_code)
    except Undo as done:
        return int(done.args[0])


@pytest.mark.parametrize("route", sorted(MATRIX))
def test_each_persona_gets_the_status_the_matrix_gives(route, clients, ids):
    values, get, post = MATRIX[route]
    path = fill(route, values, ids)
    seen = {
        "GET": " ".join(str(status_of(clients[p], "GET", path)) for p in PERSONAS),
    }
    want = {"GET": get}
    if post is not None:
        seen["POST"] = " ".join(str(status_of(clients[p], "POST", path)) for p in PERSONAS)
        want["POST"] = post
    assert seen == want, f"{path} ({' '.join(PERSONAS)})"


def test_the_admin_is_for_admins_only(clients, ids):
    """Every model the admin registers: its list is the administrator's back office alone."""
    paths = ["/admin/"] + [
        f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        for model in admin.site._registry
    ]
    for path in paths:
        seen = {p: status_of(clients[p], "GET", path) for p in PERSONAS}
        assert seen == {**{p: 302 for p in PERSONAS}, "admin": 200}, path


def test_a_webhook_of_another_owner_is_not_found(clients, ids, lawyer):
    endpoint = WebhookEndpoint.objects.get(pk=ids["webhook"])
    assert endpoint.owner != lawyer
    path = f"/api/v1/webhooks/{endpoint.pk}/"
    assert status_of(clients["lawyer"], "GET", path) == 404
    assert status_of(clients["admin"], "GET", path) == 200
