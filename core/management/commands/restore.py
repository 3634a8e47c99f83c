"""Restore a backup made by `backup`, checked against its manifest (core.backups)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core import backups


class Command(BaseCommand):
    help = (
        "Restore a casetracker-<time>.dump into the database of DATABASE_URL (created if "
        "missing): checks its sha256 against the manifest, refuses a database that is not "
        "empty unless --force, restores in one transaction, then checks every table's row "
        "count. docs/operations.md, Backups."
    )

    def add_arguments(self, parser):
        parser.add_argument("backup", help="The .dump (or its .manifest.json).")
        parser.add_argument(
            "--database",
            help="Restore into this database of the same server instead (created if missing).",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Restore into a database that is not empty: the backup's tables are dropped "
            "and recreated, in the same transaction as the restore.",
        )

    def handle(self, *args, backup, database, force, **options):
        try:
            restored = backups.restore(Path(backup), database=database, force=force, say=self.say)
        except backups.BackupError as error:
            raise CommandError(str(error)) from None
        for table in restored.extra_tables:
            self.say(f"Note: table {table} is in {restored.database} but not in the backup.")
        if restored.pending_migrations:
            self.say(
                f"Note: {len(restored.pending_migrations)} migrations of this code are not "
                f"applied to {restored.database} (the backup is older): run `manage.py "
                f"migrate` against it before use ({', '.join(restored.pending_migrations)})."
            )
        if restored.unknown_migrations:
            self.say(
                f"Note: {restored.database} has {len(restored.unknown_migrations)} migrations "
                "this code does not know (the backup was made by newer code): run it with "
                f"that code ({', '.join(restored.unknown_migrations)})."
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored {restored.tables} tables, {restored.rows} rows, into "
                f"{restored.database}: every table's row count is the manifest's."
            )
        )

    def say(self, line: str) -> None:
        self.stdout.write(line)
        self.stdout.flush()
