"""Create (or reset) one demo login per role and print them. For local demos only."""

import os

from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.management.base import BaseCommand, CommandError

LOGINS = [("admin", None), ("staff", "staff"), ("lawyer", "lawyer"), ("viewer", "viewer")]


class Command(BaseCommand):
    help = "Create demo logins (admin, staff, lawyer, viewer) sharing DEMO_PASSWORD and print them."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("Demo logins are for local use: refusing with DEBUG off.")
        password = os.environ.get("DEMO_PASSWORD", "casetracker-demo")
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
        self.stdout.write(f"Demo logins (password for all: {password}):")
        for username, role in LOGINS:
            self.stdout.write(f"  {username:<8} {role or 'admin (superuser)'}")
