"""bench/generate.py makes what it says: counts, valid statuses, the rules the triggers and
constraints hold, the feed stamped, the case page's case, the same rows from the same seed."""

from django.db import connection, transaction

from bench.generate import CASE_PAGE_EVENTS, CASE_PAGE_REFERENCE, SCALES
from cases import workflows as case_workflows
from warrants import workflows as warrant_workflows

from .conftest import run_generator


def scalar(sql: str, params: list | None = None):
    with connection.cursor() as cursor:
        cursor.execute(sql, params or [])
        return cursor.fetchone()[0]


def test_counts_are_the_scale(generated):
    scale = SCALES["tiny"]
    assert scalar("SELECT count(*) FROM cases_case") == scale["cases"]
    assert scalar("SELECT count(*) FROM parties_party") == scale["parties"]
    assert scalar("SELECT count(*) FROM warrants_warrant") == scale["warrants"]
    assert scalar("SELECT count(*) FROM warrants_notice") == scale["notices"]
    assert scalar("SELECT count(*) FROM casetracker_event") == scale["events"]
    assert generated["counts"]["events"] == scale["events"]
    assert (
        scalar(
            "SELECT count(*) FROM casetracker_event e JOIN cases_case c ON c.id = e.case_id"
            " WHERE c.reference = %s",
            [CASE_PAGE_REFERENCE],
        )
        == CASE_PAGE_EVENTS
    )


def test_statuses_are_the_workflows(generated):
    for table, workflow in [
        ("cases_case", case_workflows.CASE),
        ("warrants_warrant", warrant_workflows.WARRANT),
        ("warrants_notice", warrant_workflows.NOTICE),
        ("cases_charge", case_workflows.CHARGE),
    ]:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT DISTINCT status FROM {table}")
            statuses = {row[0] for row in cursor.fetchall()}
        assert statuses and statuses <= set(workflow.states), table
    # Issued warrants: 3 in 10, the list the benchmark reads.
    assert scalar("SELECT count(*) FROM warrants_warrant WHERE status = 'issued'") > 0
    with connection.cursor() as cursor:
        cursor.execute("SELECT DISTINCT role, status FROM cases_participation")
        pairs = set(cursor.fetchall())
    assert pairs <= {("accused", s) for s in case_workflows.ACCUSED.states} | {
        ("witness", s) for s in case_workflows.OTHER_ROLE.states
    }


def test_rules_of_the_triggers_and_constraints_hold(generated):
    # A warrant's subject is a person; a charge's accused is accused in the same case.
    assert (
        scalar(
            "SELECT count(*) FROM warrants_warrant w JOIN parties_party p ON p.id = w.subject_id"
            " WHERE p.kind <> 'person'"
        )
        == 0
    )
    assert (
        scalar(
            "SELECT count(*) FROM cases_charge ch"
            " JOIN cases_participation p ON p.id = ch.accused_id"
            " WHERE p.case_id <> ch.case_id OR p.role <> 'accused'"
        )
        == 0
    )
    assert (
        scalar("SELECT count(*) FROM warrants_notice WHERE kind = 'red' AND warrant_id IS NULL")
        == 0
    )
    assert scalar("SELECT count(*) FROM parties_party WHERE protected AND pseudonym = ''") == 0
    assert scalar("SELECT count(*) FROM parties_party WHERE protected") > 0
    assert (
        scalar(
            "SELECT count(*) FROM warrants_warrant WHERE status IN"
            " ('issued', 'challenged', 'executed', 'annulled', 'lapsed') AND issued_on IS NULL"
        )
        == 0
    )
    # Every record has its audit rows (pghistory's triggers ran).
    assert scalar("SELECT count(*) FROM warrants_warrantaudit") >= SCALES["tiny"]["warrants"]


def test_events_are_stamped_in_seq_order_and_not_queued(generated):
    events = SCALES["tiny"]["events"]
    assert scalar("SELECT count(*) FROM casetracker_event WHERE feed_position IS NULL") == 0
    assert scalar("SELECT count(DISTINCT feed_position) FROM casetracker_event") == events
    # Positions follow seq without a gap: a reader of the feed gets them all, in order.
    assert (
        scalar(
            "SELECT count(*) FROM (SELECT feed_position - row_number() OVER (ORDER BY seq) AS d"
            " FROM casetracker_event) s"
            " WHERE d <> (SELECT min(feed_position) - 1 FROM casetracker_event)"
        )
        == 0
    )
    assert scalar("SELECT count(*) FROM alerts_outboxentry") == 0
    # Each record's history starts with its creation, and every status it reached has an event.
    assert (
        scalar(
            "SELECT count(*) FROM warrants_warrant w"
            " WHERE NOT EXISTS (SELECT 1 FROM casetracker_event e"
            " WHERE e.subject_id = w.id AND e.type = 'warrant.' || w.status)"
            " AND NOT (w.status = 'requested' AND EXISTS (SELECT 1 FROM casetracker_event e"
            " WHERE e.subject_id = w.id AND e.type = 'warrant.created'))"
        )
        == 0
    )


def test_the_same_seed_makes_the_same_rows(bench_user):
    fingerprint = """
        SELECT md5(string_agg(x, ',' ORDER BY x)) FROM (
            SELECT w.id || w.status || w.case_id || w.subject_id || w.created_at AS x
              FROM warrants_warrant w
            UNION ALL
            SELECT e.id || e.type || e.feed_position || e.data::text FROM casetracker_event e
        ) s
    """
    prints = []
    for seed in (12, 12, 13):
        with transaction.atomic():
            sid = transaction.savepoint()
            run_generator(bench_user, seed)
            prints.append(scalar(fingerprint))
            transaction.savepoint_rollback(sid)
    assert prints[0] == prints[1]
    assert prints[0] != prints[2]
