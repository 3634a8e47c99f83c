"""The shared kernel's records: the base every domain record extends, and Event."""

import uuid

import pghistory
import pgtrigger
from django.conf import settings
from django.db import models


class Record(models.Model):
    """Base of every domain record: UUID id, version, timestamps.

    `version` grows by one on every change. Actions set it; the `version`
    trigger (see `record_triggers`) makes it hold for bulk and raw updates too.
    """

    id = models.UUIDField(
        primary_key=True, default=uuid.uuid4, editable=False, help_text="Stable public identifier."
    )
    version = models.PositiveIntegerField(
        default=1, editable=False, help_text="Grows by one on every change (the ETag)."
    )
    created_at = models.DateTimeField(auto_now_add=True, help_text="When the record was created.")
    updated_at = models.DateTimeField(auto_now=True, help_text="When the record last changed.")

    class Meta:
        abstract = True


def record_triggers() -> list[pgtrigger.Trigger]:
    """Triggers every Record has: `version` bumps on any real change, whoever writes."""
    return [
        pgtrigger.Trigger(
            name="bump_version",
            when=pgtrigger.Before,
            operation=pgtrigger.Update,
            condition=pgtrigger.AnyChange(exclude=["version", "updated_at"]),
            func="NEW.version := OLD.version + 1; RETURN NEW;",
        )
    ]


class ActorKind(models.TextChoices):
    USER = "user"
    API_KEY = "api_key"
    SYSTEM = "system"


class Event(models.Model):
    """One recorded change: the timeline, the change feed and the outbox of every side effect.

    Append-only: the database refuses UPDATE, DELETE and TRUNCATE, save the one stamp of
    `feed_position` (core.feed). `seq` numbers events as they are inserted (the outbox's
    key); transactions commit out of that order, so the feed orders by `feed_position`,
    given once the event is committed, in commit order (`seq` on the wire).
    """

    seq = models.BigAutoField(
        primary_key=True,
        help_text="Internal: number taken at insertion (the outbox's key, history order).",
    )
    id = models.UUIDField(
        default=uuid.uuid4,
        unique=True,
        editable=False,
        help_text="Public identifier; also the webhook-id of its deliveries.",
    )
    txid = models.BigIntegerField(
        db_default=models.Func(function="txid_current", output_field=models.BigIntegerField()),
        editable=False,
        help_text="Id of the writing transaction (internal, for diagnosis).",
    )
    feed_position = models.BigIntegerField(
        null=True,
        blank=True,
        editable=False,
        help_text="Position in the change feed (`seq` on the wire), given once the event is "
        "committed, in commit order (core.feed); null until then, and out of the feed.",
    )
    type = models.CharField(
        max_length=64,
        db_index=True,
        help_text="<resource>.<new status>, <resource>.created, or notice.listed/delisted/changed.",
    )
    occurred_at = models.DateTimeField(auto_now_add=True, help_text="When it was recorded (UTC).")
    effective_date = models.DateField(help_text="The legal date of the change.")
    actor_kind = models.CharField(
        max_length=16, choices=ActorKind.choices, help_text="Who made the change."
    )
    actor_name = models.CharField(max_length=200, help_text="Name of the user, key or process.")
    actor_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The acting user (or the owner of the acting API key).",
    )
    resource = models.CharField(max_length=32, help_text="Kind of record changed, e.g. warrant.")
    subject_id = models.UUIDField(db_index=True, help_text="Id of the record changed.")
    case = models.ForeignKey(
        "cases.Case",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="events",
        help_text="The case the record belongs to, if any.",
    )
    transition = models.CharField(max_length=64, blank=True, help_text="Transition name, if any.")
    from_status = models.CharField(max_length=32, blank=True, help_text="Status before.")
    to_status = models.CharField(max_length=32, blank=True, help_text="Status after.")
    note = models.TextField(blank=True, help_text="Free text given with the change.")
    data = models.JSONField(help_text="Snapshot of the record after the change.")
    source = models.ForeignKey(
        "casetracker.Source",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="events",
        help_text="The source the change rests on, if one was cited (core.sources).",
    )

    class Meta:
        ordering = ["seq"]
        indexes = [
            models.Index(fields=["resource", "subject_id", "seq"]),
            # What core.feed still has to stamp: a handful of rows at any time.
            models.Index(
                fields=["seq"],
                condition=models.Q(feed_position__isnull=True),
                name="casetracker_event_unstamped",
            ),
        ]
        constraints = [
            # Partial, so that PostgreSQL does not count it as a key: the stamp's UPDATE then
            # takes no lock that waits on a transaction referencing the event (a relay's
            # receipts, alerts, deliveries: FOR KEY SHARE).
            models.UniqueConstraint(
                fields=["feed_position"],
                condition=models.Q(feed_position__isnull=False),
                name="casetracker_event_feed_position",
            ),
        ]
        triggers = [
            # The one change allowed: core.feed's stamp, setting `feed_position` where it
            # was null and touching nothing else.
            pgtrigger.Trigger(
                name="append_only",
                when=pgtrigger.Before,
                operation=pgtrigger.Update | pgtrigger.Delete,
                func="""
                IF TG_OP = 'UPDATE' AND OLD.feed_position IS NULL
                   AND NEW.feed_position IS NOT NULL
                   AND to_jsonb(OLD) - 'feed_position' = to_jsonb(NEW) - 'feed_position' THEN
                    RETURN NEW;
                END IF;
                RAISE EXCEPTION
                    'pgtrigger: Cannot update or delete rows from % table', TG_TABLE_NAME;
                """,
            ),
            # TRUNCATE fires no row trigger: refused by a statement trigger of its own (also
            # when the table is one of many in the statement, or reached by CASCADE).
            pgtrigger.Trigger(
                name="append_only_truncate",
                when=pgtrigger.Before,
                operation=pgtrigger.Truncate,
                level=pgtrigger.Statement,
                func="RAISE EXCEPTION 'Cannot truncate %: events are append-only', TG_TABLE_NAME;",
            ),
            # Positions come from core.feed alone, never from whoever inserts.
            pgtrigger.Trigger(
                name="feed_unstamped",
                when=pgtrigger.Before,
                operation=pgtrigger.Insert,
                func="NEW.feed_position := NULL; RETURN NEW;",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {self.type}"


def audited(model_name: str):
    """Track every field change of a model with django-pghistory (`<record>.audit_trail`)."""
    return pghistory.track(
        model_name=model_name, obj_field=pghistory.ObjForeignKey(related_name="audit_trail")
    )


# Models of the kernel kept in their own modules (imported so Django registers them).
from core.accounts import Account  # noqa: E402, F401
from core.keys import ApiKey  # noqa: E402, F401
from core.sources import Source, SourceLink  # noqa: E402, F401
