"""Every surface offers the same transitions: the API's `allowed_transitions`, the buttons of the
web pages and the admin's links all come from `Workflow.allowed_for` (status, permission, guards).

For every record kind, in states where a guard matters (a red notice on a warrant not yet
issued cannot be published), and for every role, the three surfaces must agree.
"""

import re
from html import unescape

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from alerts.models import Alert
from cases.actions import participation_create, representation_create
from core.keys import api_key_create
from tests import builders
from tests.conftest import make_user
from warrants.actions import warrant_transition
from web import records

API_PATHS = {
    "case": "cases",
    "participation": "participations",
    "representation": "representations",
    "charge": "charges",
    "warrant": "warrants",
    "notice": "notices",
    "alert": "alerts",
}
ROLES = ["viewer", "staff", "lawyer", "admin"]

# A transition form on a page: <details data-transition="name"> then its form's action URL.
# A transition's button (web/_transitions.html): its form is loaded from hx-get when opened.
WEB_OFFER = re.compile(r'data-transition="(?P<name>\w+)" hx-get="(?P<url>(?P<action>[^"?]+)[^"]*)"')
# Alerts' one-click moves (acknowledge) are plain forms to alerts:move.
ALERT_MOVE = re.compile(r'<form method="post" action="/alerts/(?P<pk>[0-9a-f-]+)/(?P<name>\w+)/"')
ADMIN_OFFER = re.compile(r'href="[^"]*/(?P<pk>[0-9a-f-]{36})/transition/(?P<name>\w+)/"')


@pytest.fixture
def records_in_every_kind(db, system):
    case = builders.case(system)
    accused = builders.accused(system, case)
    plaintiff = participation_create(
        actor=system, case=case, party=builders.person(system), role="plaintiff"
    )
    witness = participation_create(
        actor=system, case=case, party=builders.person(system), role="witness"
    )
    counsel = representation_create(
        actor=system, client=plaintiff, counsel=builders.person(system), bar="Paris Bar"
    )
    charge = builders.charge(system, case, accused)
    requested = builders.warrant(system, case, accused.party)
    issued, challenged = (builders.warrant(system, case, accused.party) for _ in range(2))
    for warrant in (issued, challenged):
        warrant_transition(warrant_id=warrant.pk, transition="issue", actor=system)
        warrant.refresh_from_db()
    notice = builders.red_notice(system, issued)
    blocked_notice = builders.red_notice(system, challenged)
    warrant_transition(
        warrant_id=challenged.pk, transition="challenge", actor=system, note="The defence"
    )  # its red notice can no longer be published: the guard wants an issued warrant
    for record in (challenged, blocked_notice):
        record.refresh_from_db()
    alert = Alert.objects.create(severity="high", title="Warrant annulled", case=case)
    return [
        case,
        accused,
        plaintiff,
        witness,
        counsel,
        charge,
        requested,
        issued,
        challenged,
        blocked_notice,
        notice,
        alert,
    ]


def api_offer(client: APIClient, record) -> set[str]:
    kind = records.resource_of(record)
    response = client.get(f"/api/v1/{API_PATHS[kind]}/{record.pk}/")
    assert response.status_code == 200, response.content
    return set(response.json()["allowed_transitions"])


def web_offer(client: Client, record) -> set[str]:
    kind = records.resource_of(record)
    page = client.get(records.url_of(record).split("#")[0])
    assert page.status_code == 200
    html = page.content.decode()
    if kind == "alert":
        return {m["name"] for m in ALERT_MOVE.finditer(html) if m["pk"] == str(record.pk)}
    action = reverse("web:transition", args=[kind, record.pk])
    offered = set()
    for m in WEB_OFFER.finditer(html):
        if m["action"] != action:
            continue
        # The button's form is really there: a form posting that transition.
        form = client.get(unescape(m["url"]))
        assert form.status_code == 200, m["url"]
        assert f'<form method="post" action="{action}"' in form.content.decode(), m["url"]
        offered.add(m["name"])
    return offered


def admin_offer(client: Client, record) -> set[str]:
    opts = record._meta
    page = client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[record.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    return {m["name"] for m in ADMIN_OFFER.finditer(html) if m["pk"] == str(record.pk)}


@pytest.mark.parametrize("role", ROLES)
def test_api_web_and_admin_offer_the_same_transitions(role, records_in_every_kind):
    if role == "admin":
        user = make_user("admin", is_staff=True, is_superuser=True)
    else:
        user = make_user(role, role)
    api, web = APIClient(), Client()
    api.force_login(user)
    web.force_login(user)
    for record in records_in_every_kind:
        expected = {t.name for t in record.workflow.allowed_for(record, user)}
        where = f"{role} on {records.resource_of(record)} ({record.status})"
        assert api_offer(api, record) == expected, where
        assert web_offer(web, record) == expected, where
        # The back office is the administrators' alone. Alerts move there by bulk list
        # actions (through the same alert_transition), not from their change page.
        if role == "admin" and not isinstance(record, Alert):
            assert admin_offer(web, record) == expected, where


def test_the_guard_is_what_hides_publishing(records_in_every_kind):
    """The comparison above is not vacuous: staff are offered publish on one notice only."""
    staff = make_user("staff", "staff")
    *_, blocked_notice, notice, _alert = records_in_every_kind
    assert "publish" not in {
        t.name for t in blocked_notice.workflow.allowed_for(blocked_notice, staff)
    }
    assert "publish" in {t.name for t in notice.workflow.allowed_for(notice, staff)}


def test_a_read_key_is_offered_nothing(records_in_every_kind):
    owner = make_user("staff", "staff")
    key = api_key_create(owner=owner, name="reader", scope="read")[1]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    for record in records_in_every_kind:
        assert api_offer(client, record) == set()
