"""Events are append-only: TRUNCATE is refused like UPDATE and DELETE, whoever sends it."""

import pytest
from django.db import DatabaseError, connection, transaction

from core.models import Event
from warrants.actions import warrant_transition

# TRUNCATE inside a transaction that has queued the outbox's deferred triggers is refused for
# that reason alone: these tests commit. Their teardown (Django's flush, a TRUNCATE of every
# table) is the one TRUNCATE let through (tests/conftest.py).
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

TRUNCATE_REFUSED = "Cannot truncate casetracker_event"


@pytest.fixture
def event(warrant, system) -> Event:
    return warrant_transition(
        warrant_id=warrant.pk, transition="issue", actor=system, effective_date="2023-11-14"
    )[1]


def refused(sql: str) -> str:
    with pytest.raises(DatabaseError) as error, transaction.atomic(), connection.cursor() as cur:
        cur.execute(sql)
    return str(error.value)


def test_the_events_table_cannot_be_truncated(event):
    assert TRUNCATE_REFUSED in refused("TRUNCATE casetracker_event CASCADE")
    assert Event.objects.filter(pk=event.pk).exists()


def test_the_events_table_cannot_be_truncated_along_with_others(event):
    # As `manage.py flush` does: one statement naming every table.
    assert TRUNCATE_REFUSED in refused(
        "TRUNCATE alerts_outboxentry, alerts_eventreceipt, casetracker_event CASCADE"
    )
    assert Event.objects.filter(pk=event.pk).exists()


def test_other_tables_can_still_be_truncated(event):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("TRUNCATE alerts_workerheartbeat")
    assert Event.objects.filter(pk=event.pk).exists()
