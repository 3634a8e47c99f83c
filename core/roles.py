"""Roles of domain.md §5 as groups with permissions. The admin role is the superuser flag."""

from django.contrib.auth.management import create_permissions

VIEW = [
    "cases.view_case",
    "cases.view_incident",
    "cases.view_participation",
    "cases.view_representation",
    "cases.view_charge",
    "parties.view_party",
    "parties.view_position",
    "warrants.view_warrant",
    "warrants.view_notice",
    "warrants.view_proceeding",
    "warrants.view_deadline",
    "alerts.view_alert",
    "casetracker.view_source",
]
# Court proceedings and deadlines: recorded by staff and lawyers alike (issue 13).
PROCEEDINGS = [
    f"warrants.{verb}_{model}"
    for model in ("proceeding", "deadline")
    for verb in ("add", "change", "transition")
]
# Acknowledging and resolving alerts (the alert workflow's permission): not for viewers,
# who only read (domain.md §5).
ACT_ON_ALERTS = ["alerts.change_alert"]

ROLES: dict[str, list[str]] = {
    "viewer": VIEW,
    "staff": VIEW
    + ACT_ON_ALERTS
    + [
        f"{app}.{verb}_{model}"
        for app, model in [
            ("cases", "case"),
            ("cases", "incident"),
            ("cases", "participation"),
            ("parties", "party"),
            ("parties", "position"),
            ("warrants", "warrant"),
            ("warrants", "notice"),
        ]
        for verb in ("add", "change")
    ]
    + [
        "cases.transition_case",
        "cases.transition_participation",
        "warrants.transition_warrant",
        "warrants.transition_notice",
        "casetracker.add_source",
    ]
    + PROCEEDINGS,
    "lawyer": VIEW
    + ACT_ON_ALERTS
    + PROCEEDINGS
    + [
        "parties.view_protected_identity",
        "parties.add_party",
        "parties.change_party",
        "parties.add_position",
        "parties.change_position",
        "cases.add_charge",
        "cases.change_charge",
        "cases.transition_charge",
        "cases.transition_participation",
        "cases.transition_representation",
        "cases.add_representation",
        "cases.change_representation",
        "parties.review_party",
        "cases.review_charge",
        "casetracker.add_source",
        # Confidential sources (docs/security.md): lawyers, admins and whoever added one.
        "casetracker.view_confidential_source",
    ],
}


def sync_roles(apps, schema_editor=None) -> None:
    """Create or update the role groups. Used by a migration, so it uses `apps`."""
    for config in apps.get_app_configs():
        config.models_module = True
        create_permissions(config, apps=apps, verbosity=0)
        config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, perms in ROLES.items():
        group, _ = Group.objects.get_or_create(name=role)
        wanted = []
        for perm in perms:
            app_label, codename = perm.split(".")
            found = Permission.objects.filter(
                content_type__app_label=app_label, codename=codename
            ).first()
            # A permission of a model a later migration creates: that migration syncs again.
            if found is not None:
                wanted.append(found)
        group.permissions.set(wanted)
