"""Alert rules for a change of a party's protection (issue 10): a high alert either way.

Rules are data (0004): the admin may change the wording or the severity.
"""

from django.db import migrations

RULES = [
    ("party.protected", "{subject}: identity now protected"),
    ("party.unprotected", "Protection lifted: {subject}'s identity is visible to every reader"),
]


def seed(apps, schema_editor):
    AlertRule = apps.get_model("alerts", "AlertRule")
    AlertRule.objects.bulk_create(
        AlertRule(event_type=event_type, severity="high", title=title, priority=20)
        for event_type, title in RULES
    )


def unseed(apps, schema_editor):
    AlertRule = apps.get_model("alerts", "AlertRule")
    AlertRule.objects.filter(event_type__in=[event_type for event_type, _ in RULES]).delete()


class Migration(migrations.Migration):
    dependencies = [("alerts", "0008_subscription_uuid")]

    operations = [migrations.RunPython(seed, unseed)]
