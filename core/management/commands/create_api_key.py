"""`manage.py create_api_key --name NAME --scope read|write [--user USERNAME] [--expires DAYS]`

Prints the new key alone on the last line of output (domain.md §4); it is
stored hashed and cannot be shown again.
"""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from core.keys import Scope, api_key_create


class Command(BaseCommand):
    help = "Create an API key and print it (once) on the last line."

    def add_arguments(self, parser):
        parser.add_argument("--name", required=True, help="What the key is for.")
        parser.add_argument("--scope", required=True, choices=Scope.values, help="read or write.")
        parser.add_argument(
            "--user", help="Owner's username (default: the only superuser, if exactly one)."
        )
        parser.add_argument("--expires", type=int, help="Days until the key expires.")

    def handle(self, *args, name, scope, user=None, expires=None, **options):
        User = get_user_model()
        if user:
            owner = User.objects.filter(username=user).first()
            if owner is None:
                raise CommandError(f"No user named {user!r}.")
        else:
            admins = list(User.objects.filter(is_superuser=True, is_active=True)[:2])
            if len(admins) != 1:
                raise CommandError("Give --user USERNAME (there is not exactly one superuser).")
            owner = admins[0]
        if expires is not None and expires <= 0:
            raise CommandError("--expires takes a positive number of days.")
        expires_at = timezone.now() + timedelta(days=expires) if expires else None
        try:
            key, raw = api_key_create(owner=owner, name=name, scope=scope, expires_at=expires_at)
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from None
        self.stdout.write(
            f"Created API key {key.name!r} (scope {key.scope}, owner {owner.get_username()}, "
            f"prefix {key.prefix}). It is shown once; store it now:"
        )
        self.stdout.write(raw)
