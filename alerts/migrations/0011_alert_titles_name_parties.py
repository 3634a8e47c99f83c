"""Alerts raised before titles were rendered per reader (issue 10): give each its party and
put `{subject}` where its title wrote the party's name.

Such a title holds the name the party had when the alert was raised: its real name, or
its pseudonym if it was protected then. Every name and pseudonym the party has had (its
audit trail) is looked for, longest first, as whole words. A title that names the party
in no form found keeps its text; it gets the party reference all the same.

Backwards, the placeholder is filled in with the name anyone may see (a protected party's
pseudonym), which is what titles held before.
"""

import re
from collections import defaultdict
from uuid import UUID

from django.db import migrations

SUBJECT = "{subject}"
BATCH = 1000
# The record an event is about → the key of its main party in the event's data.
PARTY_KEY = {
    "warrant": "subject_id",
    "notice": "subject_id",
    "participation": "party_id",
    "representation": "counsel_id",
}


def as_uuid(value):
    try:
        return UUID(str(value)) if value else None
    except ValueError:
        return None


def wanted_party(alert):
    """What names the alert's party: ("party", id), ("participation", id), ("notice", id),
    ("warrant", id), or None. Mirrors alerts.flags.parties_of and the periodic checks."""
    event = alert.event
    if event is not None:
        data = event.data or {}
        if event.resource == "party":
            return ("party", event.subject_id)
        if event.resource in PARTY_KEY:
            party_id = as_uuid(data.get(PARTY_KEY[event.resource]))
            return ("party", party_id) if party_id else None
        if event.resource == "charge":
            participation_id = as_uuid(data.get("accused_id"))
            return ("participation", participation_id) if participation_id else None
        return None
    if alert.condition and alert.subject_id:
        if alert.subject_resource in ("notice", "warrant", "party"):
            return (alert.subject_resource, alert.subject_id)
    return None


def resolve_parties(apps, wanted):
    """{(kind, id): party id} for the references in `wanted`, in a few queries."""
    by_kind = defaultdict(set)
    for kind, pk in wanted:
        by_kind[kind].add(pk)
    Party = apps.get_model("parties", "Party")
    models = {
        "participation": (apps.get_model("cases", "Participation"), "party_id"),
        "notice": (apps.get_model("warrants", "Notice"), "subject_id"),
        "warrant": (apps.get_model("warrants", "Warrant"), "subject_id"),
    }
    found = {}
    existing = set(Party.objects.filter(pk__in=by_kind["party"]).values_list("pk", flat=True))
    found.update({("party", pk): pk for pk in existing})
    for kind, (model, field) in models.items():
        if by_kind[kind]:
            rows = model.objects.filter(pk__in=by_kind[kind]).values_list("pk", field)
            found.update({(kind, pk): party_id for pk, party_id in rows if party_id})
    return found


def names_of(apps, party_ids):
    """{party id: every name and pseudonym it has had}, from the party and its audit trail."""
    Party = apps.get_model("parties", "Party")
    PartyAudit = apps.get_model("parties", "PartyAudit")
    names = defaultdict(set)
    for pk, name, pseudonym in Party.objects.filter(pk__in=party_ids).values_list(
        "pk", "name", "pseudonym"
    ):
        names[pk].update(filter(None, (name, pseudonym)))
    for pk, name, pseudonym in PartyAudit.objects.filter(pgh_obj_id__in=party_ids).values_list(
        "pgh_obj_id", "name", "pseudonym"
    ):
        names[pk].update(filter(None, (name, pseudonym)))
    return names


def with_placeholder(title, names):
    if not names or SUBJECT in title:
        return title
    alternatives = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    return re.sub(rf"(?<!\w)(?:{alternatives})(?!\w)", SUBJECT, title)


def convert(apps, alerts):
    references = {alert.pk: wanted_party(alert) for alert in alerts}
    parties = resolve_parties(apps, {r for r in references.values() if r and r[1]})
    names = names_of(apps, set(parties.values()))
    changed = []
    for alert in alerts:
        party_id = parties.get(references[alert.pk])
        if party_id is None:
            continue
        alert.party_id = party_id
        alert.title = with_placeholder(alert.title, names.get(party_id))
        changed.append(alert)
    Alert = apps.get_model("alerts", "Alert")
    Alert.objects.bulk_update(changed, ["party", "title"])


def forwards(apps, schema_editor):
    Alert = apps.get_model("alerts", "Alert")
    pending = Alert.objects.filter(party__isnull=True).select_related("event").order_by("pk")
    last = None
    while True:
        batch = pending if last is None else pending.filter(pk__gt=last)
        alerts = list(batch[:BATCH])
        if not alerts:
            return
        convert(apps, alerts)
        last = alerts[-1].pk


def backwards(apps, schema_editor):
    Alert = apps.get_model("alerts", "Alert")
    alerts = Alert.objects.filter(title__contains=SUBJECT).select_related("party")
    changed = []
    for alert in alerts.iterator(chunk_size=BATCH):
        party = alert.party
        if party is None:
            name = "an unknown party"
        else:
            name = (party.pseudonym or "Protected party") if party.protected else party.name
        alert.title = alert.title.replace(SUBJECT, name)[:300]
        changed.append(alert)
    Alert.objects.bulk_update(changed, ["title"], batch_size=BATCH)


class Migration(migrations.Migration):
    dependencies = [
        ("alerts", "0010_alert_party"),
        ("cases", "0003_choice_labels"),
        ("warrants", "0002_choice_labels"),
    ]

    operations = [migrations.RunPython(forwards, backwards, elidable=True)]
