"""Alerts raised for events without a transition before issue 13 read "Party ({subject}): , now "
(the default rule `*.created` never matched, so creations fell to the catch-all rule): give
them the title they were meant to have. A creation reads as the `*.created` rule writes it,
"{record} created ({subject})"; another event (what the INTERPOL sync observed) is named by its
type's verb. Nothing else changes (severity, status, party stay as they were).
"""

import re

from django.db import migrations

BROKEN = re.compile(r"^(?P<record>.*?) \((?P<subject>.*)\): , now ?(?P<status>.*)$")
BATCH = 500


def repaired(title: str, event_type: str) -> str | None:
    found = BROKEN.match(title)
    if found is None:
        return None
    record, subject, status = found["record"], found["subject"], found["status"].strip()
    verb = event_type.rpartition(".")[2].replace("_", " ")
    if event_type.endswith(".created"):
        return f"{record} created ({subject})"[:300]
    return f"{record} ({subject}): {verb}" + (f", now {status}" if status else "")


def forwards(apps, schema_editor):
    Alert = apps.get_model("alerts", "Alert")
    broken = Alert.objects.filter(title__contains="): , now", event__isnull=False)
    changed = []
    for alert in broken.select_related("event").iterator(chunk_size=BATCH):
        title = repaired(alert.title, alert.event.type)
        if title and title != alert.title:
            alert.title = title[:300]
            changed.append(alert)
    Alert.objects.bulk_update(changed, ["title"], batch_size=BATCH)


class Migration(migrations.Migration):
    dependencies = [("alerts", "0014_interpol_watch")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop, elidable=True)]
