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

    Append-only: the database refuses UPDATE and DELETE. `seq` orders the feed;
    `txid` and `horizon` let the feed hold back events that a transaction with a
    lower `seq` might still overtake (see `core.selectors.feed_events_visible_to`).
    """

    seq = models.BigAutoField(primary_key=True, help_text="Position in the change feed.")
    id = models.UUIDField(
        default=uuid.uuid4,
        unique=True,
        editable=False,
        help_text="Public identifier; also the webhook-id of its deliveries.",
    )
    txid = models.BigIntegerField(
        db_default=models.Func(function="txid_current", output_field=models.BigIntegerField()),
        editable=False,
        help_text="Id of the writing transaction (internal, for gap-free feed reads).",
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
    horizon = models.BigIntegerField(
        db_default=0,
        editable=False,
        help_text="Internal: first transaction id not yet assigned just after `seq` was taken. "
        "The feed serves this event once every older transaction has finished.",
    )

    class Meta:
        ordering = ["seq"]
        indexes = [
            models.Index(fields=["resource", "subject_id", "seq"]),
            models.Index(fields=["horizon"], name="casetracker_event_horizon"),
        ]
        triggers = [
            pgtrigger.Protect(name="append_only", operation=pgtrigger.Update | pgtrigger.Delete),
            # TRUNCATE fires no row trigger: refused by a statement trigger of its own (also
            # when the table is one of many in the statement, or reached by CASCADE).
            pgtrigger.Trigger(
                name="append_only_truncate",
                when=pgtrigger.Before,
                operation=pgtrigger.Truncate,
                level=pgtrigger.Statement,
                func="RAISE EXCEPTION 'Cannot truncate %: events are append-only', TG_TABLE_NAME;",
            ),
            # Gap-free feed (core.selectors.feed_events_visible_to). Take our own
            # transaction id *before* the seq; then `horizon` = 1 + the highest id of any
            # transaction running now (each holds a lock on its own id; ids are 32-bit there,
            # widened with our epoch). Any transaction that took a lower seq had its id by
            # then, so once every id below `horizon` has finished, no lower seq can appear.
            # (Snapshots cannot give this: their xmax is 1 + the last *completed* id.)
            # Each insert draws two seq values: seq grows, with gaps.
            pgtrigger.Trigger(
                name="feed_horizon",
                when=pgtrigger.Before,
                operation=pgtrigger.Insert,
                declare=[("own", "bigint"), ("low", "bigint")],
                func="""
                own := txid_current();
                low := own % 4294967296;
                NEW.txid := own;
                NEW.seq := nextval(pg_get_serial_sequence(TG_TABLE_NAME, 'seq'));
                SELECT 1 + greatest(own, max(
                    CASE WHEN x - low > 2147483648 THEN own - low - 4294967296 + x
                         WHEN low - x > 2147483648 THEN own - low + 4294967296 + x
                         ELSE own - low + x END))
                  INTO NEW.horizon
                  FROM (SELECT transactionid::text::bigint AS x FROM pg_locks
                        WHERE locktype = 'transactionid') AS running;
                RETURN NEW;
                """,
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
from core.keys import ApiKey  # noqa: E402, F401
