"""Who may read and write court proceedings and deadlines (issue 13): every role reads them;
staff and lawyers record them and move them through their workflows.

The same grants as core/roles.py, written out here so that this migration means the same
whatever the role table says later.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

READ = ["view_proceeding", "view_deadline"]
WRITE = [
    "add_proceeding",
    "change_proceeding",
    "transition_proceeding",
    "add_deadline",
    "change_deadline",
    "transition_deadline",
]
GRANTS = {"viewer": READ, "staff": READ + WRITE, "lawyer": READ + WRITE}


def grant(apps, schema_editor):
    config = apps.get_app_config("warrants")
    config.models_module = True
    create_permissions(config, apps=apps, verbosity=0)
    config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, codenames in GRANTS.items():
        group, _ = Group.objects.get_or_create(name=role)
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="warrants", codename__in=codenames)
        )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, codenames in GRANTS.items():
        group = Group.objects.filter(name=role).first()
        if group is not None:
            group.permissions.remove(
                *Permission.objects.filter(
                    content_type__app_label="warrants", codename__in=codenames
                )
            )


class Migration(migrations.Migration):
    dependencies = [
        ("warrants", "0004_proceedings_deadlines"),
        ("casetracker", "0002_roles"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
