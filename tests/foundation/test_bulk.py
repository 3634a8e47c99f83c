"""core.bulk: a bulk load checks foreign keys row by row (so it stays linear), in one
transaction."""

import uuid

import pytest
from django.db import IntegrityError, connection, transaction

from core.bulk import bulk_load, constraints_immediate
from core.events import Actor
from parties.models import Party, Position
from tests import builders

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_a_missing_foreign_key_fails_at_its_own_insert_inside_a_bulk_load():
    with pytest.raises(IntegrityError), bulk_load():
        Position.objects.create(party_id=uuid.uuid4(), title="Nobody's position")
        # Never reached: the key is checked by the insert above, not at commit.
        pytest.fail("the foreign key was not checked at the insert")


def test_without_it_the_same_insert_is_only_refused_at_commit():
    # Django declares keys DEFERRABLE INITIALLY DEFERRED: what bulk_load changes.
    with pytest.raises(IntegrityError), transaction.atomic():
        Position.objects.create(party_id=uuid.uuid4(), title="Nobody's position")
        reached = True
    assert reached


def test_a_bulk_load_commits_its_rows_together_or_not_at_all():
    actor = Actor.system()
    with bulk_load():
        builders.person(actor, name="Loaded One")
        builders.person(actor, name="Loaded Two")
    assert Party.objects.filter(name__startswith="Loaded").count() == 2

    with pytest.raises(RuntimeError), bulk_load():
        builders.person(actor, name="Rolled Back")
        raise RuntimeError("the importer stops")
    assert not Party.objects.filter(name="Rolled Back").exists()


def test_constraints_immediate_refuses_to_run_outside_a_transaction():
    assert connection.get_autocommit()
    with pytest.raises(RuntimeError, match="needs a transaction"):
        constraints_immediate()
