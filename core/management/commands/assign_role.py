"""Give a user one of the roles of domain.md §5 (viewer, staff, lawyer, admin)."""

from django.contrib.auth.models import Group, User
from django.core.management.base import BaseCommand, CommandError

from core.roles import ROLES


class Command(BaseCommand):
    help = "Assign a role to a user: viewer, staff, lawyer or admin (superuser)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("role", choices=[*ROLES, "admin"])
        parser.add_argument("--remove", action="store_true", help="Take the role away instead.")

    def handle(self, *args, username, role, remove, **options):
        try:
            user = User.objects.get(username=username)
        except User.DoesNotExist:
            raise CommandError(f"No user named '{username}'.") from None
        if role == "admin":
            user.is_superuser = user.is_staff = not remove
            user.save(update_fields=["is_superuser", "is_staff"])
        elif remove:
            user.groups.remove(Group.objects.get(name=role))
        else:  # roles work in the web UI; the Django admin is for admins
            user.groups.add(Group.objects.get(name=role))
        verb = "no longer has" if remove else "now has"
        self.stdout.write(self.style.SUCCESS(f"{username} {verb} the role {role}."))
