"""`version` grows by exactly one on every change, whoever writes."""

import pytest
from django.db import connection

from core.actions import VersionConflict
from core.models import Event
from tests import builders
from warrants.actions import warrant_transition, warrant_update
from warrants.models import Warrant


def db_version(record) -> int:
    return type(record).objects.values_list("version", flat=True).get(pk=record.pk)


def test_a_new_record_starts_at_version_one(warrant):
    assert warrant.version == db_version(warrant) == 1


def test_an_action_update_bumps_version_once(system, warrant):
    updated = warrant_update(warrant_id=warrant.pk, actor=system, issuing_authority="Cour d'appel")
    assert updated.version == db_version(warrant) == 2


def test_an_update_changing_nothing_keeps_the_version(system, warrant):
    same = warrant_update(
        warrant_id=warrant.pk, actor=system, issuing_authority="Investigating judges"
    )
    assert same.version == db_version(warrant) == 1


def test_a_transition_bumps_version_once(system, warrant):
    moved, _ = warrant_transition(
        warrant_id=warrant.pk, transition="issue", actor=system, effective_date="2023-11-14"
    )
    assert moved.version == db_version(warrant) == 2


def test_a_bulk_update_bumps_each_row_once(system, warrant, case, accused):
    other = builders.warrant(system, case, accused.party)
    warrant_update(warrant_id=other.pk, actor=system, reference="W-other")
    Warrant.objects.filter(pk__in=[warrant.pk, other.pk]).update(issuing_authority="Paris")
    assert (db_version(warrant), db_version(other)) == (2, 3)


def test_a_bulk_update_changing_nothing_keeps_the_version(warrant):
    Warrant.objects.filter(pk=warrant.pk).update(issuing_authority=warrant.issuing_authority)
    assert db_version(warrant) == 1


def test_a_raw_sql_update_bumps_version(warrant):
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE warrants_warrant SET issuing_authority = 'Paris' WHERE id = %s", [warrant.pk]
        )
    assert db_version(warrant) == 2


def test_a_stale_version_is_refused_and_nothing_is_stored(system, warrant):
    warrant_update(warrant_id=warrant.pk, actor=system, issuing_authority="Cour d'appel")
    events = Event.objects.filter(subject_id=warrant.pk).count()
    with pytest.raises(VersionConflict, match="now version 2, you had version 1"):
        warrant_transition(
            warrant_id=warrant.pk,
            transition="issue",
            actor=system,
            effective_date="2023-11-14",
            expected_version=1,
        )
    warrant.refresh_from_db()
    assert (warrant.status, warrant.version) == ("requested", 2)
    assert Event.objects.filter(subject_id=warrant.pk).count() == events
