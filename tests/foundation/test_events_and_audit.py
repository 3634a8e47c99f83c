"""Events are append-only; every change is audited with who, when and from where."""

import uuid

import pytest
from django.db import DatabaseError, connection, transaction

from core.audit import audit_context
from core.events import Actor
from core.models import Event
from parties.models import Party
from tests import builders
from warrants.actions import warrant_transition, warrant_update
from warrants.models import Warrant

APPEND_ONLY = "Cannot update or delete rows from casetracker_event table"


@pytest.fixture
def event(warrant, system) -> Event:
    return warrant_transition(
        warrant_id=warrant.pk, transition="issue", actor=system, effective_date="2023-11-14"
    )[1]


def refused(change) -> str:
    with pytest.raises(DatabaseError) as error, transaction.atomic():
        change()
    return str(error.value)


def raw(sql: str, *params) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_an_event_cannot_be_saved_again(event):
    event.note = "rewritten"
    assert APPEND_ONLY in refused(event.save)


def test_events_cannot_be_bulk_updated(event):
    assert APPEND_ONLY in refused(lambda: Event.objects.update(note="rewritten"))


def test_an_event_cannot_be_deleted(event):
    assert APPEND_ONLY in refused(event.delete)
    assert APPEND_ONLY in refused(lambda: Event.objects.all().delete())


def test_events_cannot_be_changed_with_raw_sql(event):
    assert APPEND_ONLY in refused(
        lambda: raw("UPDATE casetracker_event SET note = 'x' WHERE seq = %s", event.seq)
    )
    assert APPEND_ONLY in refused(
        lambda: raw("DELETE FROM casetracker_event WHERE seq = %s", event.seq)
    )
    event.refresh_from_db()
    assert event.note == "" and event.type == "warrant.issued"


def test_events_record_their_writing_transaction(event, warrant, system):
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT txid_current()")
            txid = cursor.fetchone()[0]
        _, challenged = warrant_transition(
            warrant_id=warrant.pk, transition="challenge", actor=system, note="Defence, CA Paris"
        )
    challenged.refresh_from_db()
    assert challenged.txid == txid and challenged.seq > event.seq


def test_creation_records_one_created_event(system, case):
    party = builders.person(system)
    events = Event.objects.filter(subject_id=party.pk)
    assert [(e.type, e.resource, e.actor_name) for e in events] == [
        ("party.created", "party", "tests")
    ]


@pytest.mark.urls("tests.foundation.urls")
@pytest.mark.parametrize(("prefix", "channel"), [("/web", "web"), ("/api/test", "api")])
def test_a_transition_over_http_is_audited_with_user_request_id_and_channel(
    client, staff, warrant, prefix, channel
):
    warrant_transition(
        warrant_id=warrant.pk, transition="issue", actor=Actor.system(), effective_date="2023-11-14"
    )
    client.force_login(staff)
    request_id = str(uuid.uuid4())
    response = client.post(
        f"{prefix}/warrants/{warrant.pk}/transition",
        {"transition": "execute"},
        headers={"X-Request-ID": request_id},
    )
    assert response.status_code == 200 and response["X-Request-ID"] == request_id

    event = Event.objects.get(id=response.json()["event"])
    assert (event.type, event.actor_kind, event.actor_name, event.actor_user) == (
        "warrant.executed",
        "user",
        "staff",
        staff,
    )
    # The warrant's row and the subject's custody change share one request context.
    for record in (warrant, Party.objects.get(pk=warrant.subject_id)):
        row = record.audit_trail.order_by("-pgh_id").first()
        context = row.pgh_context.metadata
        assert context["request_id"] == request_id
        assert context["channel"] == channel
        assert (context["actor"], context["actor_kind"], context["user"]) == (
            "staff",
            "user",
            staff.pk,
        )


def test_every_field_change_is_audited_with_the_actor(system, warrant, staff):
    warrant_update(
        warrant_id=warrant.pk, actor=Actor.for_user(staff), issuing_authority="Cour d'appel"
    )
    rows = list(warrant.audit_trail.order_by("pgh_id"))
    assert [(r.pgh_label, r.issuing_authority) for r in rows] == [
        ("insert", "Investigating judges"),
        ("update", "Cour d'appel"),
    ]
    assert rows[0].pgh_context.metadata["actor"] == "tests"
    assert rows[1].pgh_context.metadata["actor"] == "staff"


def test_bulk_updates_are_audited_with_their_context(system, warrant, case, accused):
    other = builders.warrant(system, case, accused.party)
    with audit_context("task", task="fix_authorities"):
        Warrant.objects.filter(pk__in=[warrant.pk, other.pk]).update(issuing_authority="Paris")
    for record in (warrant, other):
        row = record.audit_trail.order_by("-pgh_id").first()
        assert (row.pgh_label, row.issuing_authority) == ("update", "Paris")
        assert row.pgh_context.metadata["channel"] == "task"
        assert row.pgh_context.metadata["task"] == "fix_authorities"


def test_a_created_record_is_dated_by_its_legal_date(system, case, accused):
    warrant = builders.warrant(system, case, accused.party, issued_on="2023-11-14")
    created = Event.objects.get(subject_id=warrant.pk, type="warrant.created")
    assert str(created.effective_date) == "2023-11-14"
