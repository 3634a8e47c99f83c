"""Bulk loads that stay linear: imports, data migrations, generators.

Django creates every foreign key `DEFERRABLE INITIALLY DEFERRED`, so PostgreSQL queues one
check per inserted row until the transaction commits. Our records also carry triggers
(pgtrigger's functions run an exception block, a subtransaction, per row), and the deferred
queue combined with them makes each row slower than the last (issue 12 measured 95 µs per
party at first, 442 µs once one transaction held a few tens of thousands, and ~65 µs flat
with the keys checked as each row goes in). Measured again here (docs/benchmarks.md, issue
12) both modes still slowed as one transaction grew, so for many thousands of rows also
commit in batches of a few hundred, each batch its own `bulk_load()`.

    from core.bulk import bulk_load

    with bulk_load():
        for row in rows:
            party_create(actor=actor, **row)

A foreign key that points at a missing row then fails on the insert that breaks it (an
IntegrityError at that row), not at commit: an importer can report the line at fault.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connections, transaction


def constraints_immediate(using: str = "default") -> None:
    """Check every deferrable constraint per statement for the rest of the current transaction.

    Precondition: inside a transaction (`transaction.atomic`); PostgreSQL applies
    `SET CONSTRAINTS` to the running transaction only, and it lasts until that transaction
    ends (there is no way back to "as declared" short of naming each constraint). Deferred
    checks already queued are run now.
    """
    connection = connections[using]
    if not connection.in_atomic_block:
        raise RuntimeError("constraints_immediate() needs a transaction: use bulk_load().")
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


@contextmanager
def bulk_load(using: str = "default") -> Iterator[None]:
    """One transaction for a large load, with constraints checked row by row so that it stays
    linear in the number of rows.

    Opens (or joins: a savepoint inside an outer transaction) `transaction.atomic`; everything
    in the block commits or rolls back together. Inside an outer transaction the setting
    lasts until that outer transaction ends, which is harmless for code that never inserts a
    child before its parent (ours never does).
    """
    with transaction.atomic(using=using):
        constraints_immediate(using)
        yield
