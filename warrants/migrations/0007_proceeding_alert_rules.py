"""Alert rules for court proceedings and deadlines (issue 13): high alerts for what a team
must act on at once (an appeal lodged, a decision, a hearing postponed or cancelled, a
deadline missed); every other proceeding and deadline event falls to the default rules
(alerts 0004: `*.created` info, `*` normal).

Rules are data (alerts 0004): the admin may change the wording or the severity. Titles name
the case, never a party (a proceeding's events carry none).
"""

from django.db import migrations

RULES = [
    ("proceeding.created", {"kind": "appeal_lodged"}, "Appeal lodged in case {case}"),
    ("proceeding.created", {"kind": "decision"}, "Decision recorded in case {case}"),
    ("proceeding.created", {"kind": "judgment"}, "Judgment recorded in case {case}"),
    ("proceeding.decided", {}, "Appeal decided in case {case}"),
    ("proceeding.postponed", {}, "Hearing postponed in case {case}"),
    ("proceeding.cancelled", {}, "Hearing cancelled in case {case}"),
    ("deadline.missed", {}, "Deadline missed in case {case}"),
]


def seed(apps, schema_editor):
    AlertRule = apps.get_model("alerts", "AlertRule")
    AlertRule.objects.bulk_create(
        AlertRule(event_type=event_type, match=match, severity="high", title=title, priority=20)
        for event_type, match, title in RULES
    )


def unseed(apps, schema_editor):
    AlertRule = apps.get_model("alerts", "AlertRule")
    for event_type, match, title in RULES:
        AlertRule.objects.filter(event_type=event_type, match=match, title=title).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("warrants", "0006_list_indexes"),
        ("alerts", "0014_interpol_watch"),
    ]

    operations = [migrations.RunPython(seed, unseed)]
