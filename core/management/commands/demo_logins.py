"""Create (or reset) one demo login per role and print them. For local demos only.

With DEBUG on they share DEMO_PASSWORD (default `casetracker-demo`, printed). With
DEBUG off (a deployment) the public default is refused: the command stops unless
DEMO_PASSWORD gives a password of one's own, so no server ever has known logins.
"""

import os

from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.management.base import BaseCommand, CommandError

LOGINS = [("admin", None), ("staff", "staff"), ("lawyer", "lawyer"), ("viewer", "viewer")]
DEFAULT_PASSWORD = "casetracker-demo"  # public: in the README


class Command(BaseCommand):
    help = (
        "Create demo logins (admin, staff, lawyer, viewer) sharing DEMO_PASSWORD and print them. "
        "With DEBUG off, DEMO_PASSWORD is required."
    )

    def handle(self, *args, **options):
        password = os.environ.get("DEMO_PASSWORD", "")
        if not settings.DEBUG and password in ("", DEFAULT_PASSWORD):
            raise CommandError(
                "Demo logins are for local use: with DEBUG off they would have the public "
                "default password. Refusing; set DEMO_PASSWORD to a password of your own "
                "to create them anyway."
            )
        password = password or DEFAULT_PASSWORD
        for username, role in LOGINS:
            user, _ = User.objects.get_or_create(
                username=username, defaults={"email": f"{username}@example.org"}
            )
            # Roles work in the web UI; the Django admin is the administrator's back office.
            user.is_staff = user.is_superuser = role is None
            user.set_password(password)
            user.save()
            if role:
                user.groups.set([Group.objects.get(name=role)])
        shown = password if settings.DEBUG else "the DEMO_PASSWORD given"
        self.stdout.write(f"Demo logins (password for all: {shown}):")
        for username, role in LOGINS:
            self.stdout.write(f"  {username:<8} {role or 'admin (superuser)'}")
