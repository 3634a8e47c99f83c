"""Default alert rules (issue 4, domain.md §3), and receipts for events older than the pipeline.

Rules are data: the admin adjusts them without code. Events recorded before
this migration are marked handled, so deploying the pipeline does not mail
and post the whole history.
"""

from django.db import migrations

HIGH = [
    ("warrant.issued", "Warrant {reference} issued against {subject}"),
    ("warrant.annulled", "Warrant {reference} against {subject} annulled"),
    ("warrant.challenged", "Warrant {reference} against {subject} challenged"),
    ("notice.withdrawn", "{kind} Notice for {subject} withdrawn"),
    ("notice.cancelled", "{kind} Notice for {subject} cancelled by INTERPOL"),
    ("notice.delisted", "{kind} Notice for {subject} no longer listed on INTERPOL's public site"),
    ("case.judgment", "Judgment in {subject} ({case})"),
    ("case.dismissed", "Case {case} dismissed: {subject}"),
]


def seed(apps, schema_editor):
    AlertRule = apps.get_model("alerts", "AlertRule")
    EventReceipt = apps.get_model("alerts", "EventReceipt")
    Event = apps.get_model("casetracker", "Event")
    rules = [
        AlertRule(
            event_type="notice.published",
            match={"kind": "red"},
            severity="critical",
            title="Red Notice published for {subject}",
            priority=10,
        ),
        AlertRule(
            event_type="warrant.executed",
            severity="critical",
            title="Warrant {reference} executed: {subject} detained",
            priority=10,
        ),
    ]
    rules += [
        AlertRule(event_type=event_type, severity="high", title=title, priority=20)
        for event_type, title in HIGH
    ]
    rules += [
        AlertRule(
            event_type="*.created",
            severity="info",
            title="{record} created ({subject})",
            priority=90,
        ),
        AlertRule(
            event_type="*",
            severity="normal",
            title="{record} ({subject}): {transition}, now {to_status}",
            priority=100,
        ),
    ]
    AlertRule.objects.bulk_create(rules)
    for consumer in ("alerts", "webhooks"):
        EventReceipt.objects.bulk_create(
            [EventReceipt(event_id=seq, consumer=consumer) for seq in
             Event.objects.values_list("seq", flat=True)],
            batch_size=1000,
        )


class Migration(migrations.Migration):
    dependencies = [("alerts", "0003_pipeline")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
