"""Two transitions on one warrant at once, from two database connections: exactly one wins.

Each thread has its own Django connection (connections are per thread), and
the tests commit for real (`transaction=True`). `serialized_rollback` puts
back the roles created by migrations once the tables are flushed.
"""

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, transaction

from core.models import Event
from core.workflow import InvalidTransition
from parties.models import Party
from tests import builders
from warrants.actions import warrant_transition

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

# An upper bound so a broken lock fails the test instead of hanging it; never a timing assertion.
PATIENCE = 30


class Outcome:
    def __init__(self) -> None:
        self.value: Any = None
        self.error: BaseException | None = None
        self.pid: int | None = None


def in_thread(work: Callable[[Outcome], Any]) -> tuple[threading.Thread, Outcome]:
    outcome = Outcome()

    def run() -> None:
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                outcome.pid = cursor.fetchone()[0]
            outcome.value = work(outcome)
        except BaseException as error:  # reported to the test thread
            outcome.error = error
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, outcome


def wait_until_blocked_on_a_lock(outcome: Outcome) -> None:
    done = threading.Event()
    for _ in range(PATIENCE * 20):
        if outcome.pid is not None:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT wait_event_type FROM pg_stat_activity WHERE pid = %s", [outcome.pid]
                )
                row = cursor.fetchone()
            if row and row[0] == "Lock":
                return
        if outcome.error is not None:
            raise AssertionError(f"second transition did not wait: {outcome.error!r}")
        done.wait(0.05)
    raise AssertionError("the second transition never waited for the row lock")


@pytest.fixture
def issued_warrant(system):
    case = builders.case(system)
    return builders.warrant(system, case, builders.person(system), issued_on="2023-11-14")


def transition_events(warrant) -> list[str]:
    return list(
        Event.objects.filter(subject_id=warrant.pk)
        .exclude(transition="")
        .values_list("type", flat=True)
    )


def test_a_transition_waits_for_the_one_holding_the_row_and_is_then_refused(system, issued_warrant):
    first_holds_lock, release = threading.Event(), threading.Event()

    def annul(outcome: Outcome):
        with transaction.atomic():
            result = warrant_transition(
                warrant_id=issued_warrant.pk,
                transition="annul",
                actor=system,
                effective_date="2025-07-25",
            )
            first_holds_lock.set()
            assert release.wait(PATIENCE)
        return result

    def execute(outcome: Outcome):
        return warrant_transition(warrant_id=issued_warrant.pk, transition="execute", actor=system)

    first, annulled = in_thread(annul)
    assert first_holds_lock.wait(PATIENCE)
    second, executed = in_thread(execute)
    try:
        wait_until_blocked_on_a_lock(executed)
    finally:
        release.set()
        first.join(PATIENCE)
        second.join(PATIENCE)

    assert annulled.error is None and annulled.value[0].status == "annulled"
    assert isinstance(executed.error, InvalidTransition)
    assert "'annulled'" in str(executed.error)
    issued_warrant.refresh_from_db()
    assert issued_warrant.status == "annulled"
    assert transition_events(issued_warrant) == ["warrant.annulled"]
    # The loser's follow-up (detaining the subject) was rolled back with it.
    assert Party.objects.get(pk=issued_warrant.subject_id).custody == "unknown"


def test_two_simultaneous_identical_transitions_store_one(system, issued_warrant):
    start = threading.Barrier(2, timeout=PATIENCE)

    def execute(outcome: Outcome):
        start.wait()
        return warrant_transition(warrant_id=issued_warrant.pk, transition="execute", actor=system)

    threads = [in_thread(execute) for _ in range(2)]
    for thread, _ in threads:
        thread.join(PATIENCE)
    outcomes = [outcome for _, outcome in threads]

    assert sorted(type(o.error).__name__ for o in outcomes) == ["InvalidTransition", "NoneType"]
    issued_warrant.refresh_from_db()
    assert (issued_warrant.status, issued_warrant.version) == ("executed", 2)
    assert transition_events(issued_warrant) == ["warrant.executed"]
