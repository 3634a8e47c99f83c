"""Back up the database with pg_dump: a .dump and its .manifest.json (core.backups)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core import backups


class Command(BaseCommand):
    help = (
        "Dump the database of DATABASE_URL (pg_dump, custom format) into DIR as "
        "casetracker-<UTC time>.dump, with a manifest (checksum, row count of every table, "
        "migrations) beside it. docs/operations.md, Backups."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dir", default="backups", help="Where to write the backup (default: backups)."
        )

    def handle(self, *args, dir, **options):
        try:
            backups.backup(Path(dir), say=self.say)
        except backups.BackupError as error:
            raise CommandError(str(error)) from None

    def say(self, line: str) -> None:
        self.stdout.write(line)
        self.stdout.flush()
