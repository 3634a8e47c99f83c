"""Viewers only read (domain.md §5, issue 10): the viewer group loses alerts.change_alert, the
alert workflow's permission to acknowledge and resolve; staff and lawyers keep it.

The same change as core/roles.py, written out here so that this migration means the same
whatever the role table says later.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

PERMISSION = ("alerts", "change_alert")
GRANTED = ["staff", "lawyer"]
WITHDRAWN = ["viewer"]


def permission(apps):
    Permission = apps.get_model("auth", "Permission")
    found = Permission.objects.filter(
        content_type__app_label=PERMISSION[0], codename=PERMISSION[1]
    ).first()
    if found is None:  # a database whose permissions were never created (post_migrate)
        config = apps.get_app_config(PERMISSION[0])
        config.models_module = True
        create_permissions(config, apps=apps, verbosity=0)
        config.models_module = None
        found = Permission.objects.get(
            content_type__app_label=PERMISSION[0], codename=PERMISSION[1]
        )
    return found


def regroup(apps, granted, withdrawn):
    Group = apps.get_model("auth", "Group")
    perm = permission(apps)
    for group in Group.objects.filter(name__in=granted):
        group.permissions.add(perm)
    for group in Group.objects.filter(name__in=withdrawn):
        group.permissions.remove(perm)


def forwards(apps, schema_editor):
    regroup(apps, GRANTED, WITHDRAWN)


def backwards(apps, schema_editor):
    regroup(apps, GRANTED + WITHDRAWN, [])


class Migration(migrations.Migration):
    dependencies = [
        ("alerts", "0011_alert_titles_name_parties"),
        ("casetracker", "0002_roles"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
