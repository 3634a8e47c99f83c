"""`manage.py import_csv parties|cases FILE [--dry-run] [--user USERNAME]`

Checks the whole file first and lists every problem by line and field; writes nothing
unless the file is clean, then creates the new rows through the actions in one transaction
(all or nothing), skipping rows already imported (cases.imports). A progress bar goes to
stderr on a terminal (or with --progress).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from cases import imports
from core.audit import audit_context
from core.events import Actor

BAR = 30


class Command(BaseCommand):
    help = "Import parties or cases from a UTF-8 CSV file (check everything, then all or nothing)."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=sorted(imports.KINDS), help="What the file holds.")
        parser.add_argument("file", help="Path of the CSV file (UTF-8, header line first).")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check and report only; write nothing."
        )
        parser.add_argument(
            "--user",
            help="Act as this user (their permissions; named in the events). "
            "Default: the system actor 'import_csv'.",
        )
        parser.add_argument(
            "--progress", action="store_true", help="Draw the progress bar even off a terminal."
        )

    def handle(self, *args, kind, file, dry_run=False, user=None, progress=False, **options):
        actor = self._actor(user)
        path = Path(file)
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror or error}.") from None
        draw = self._bar if (progress or sys.stderr.isatty()) else None
        try:
            with audit_context("command", command="import_csv", file=path.name):
                if dry_run:
                    plan = imports.check(kind, data, actor)
                else:
                    plan = imports.run(kind, data, actor, progress=draw)
        except imports.ImportRefused as refused:
            raise CommandError(f"{file}: {refused} Nothing was written.") from None
        except PermissionDenied as refused:
            raise CommandError(f"{refused} Nothing was written.") from None
        if draw is not None and not dry_run and plan.to_create:
            self.stderr.write("")
        for problem in plan.problems:
            self.stdout.write(f"{file}: {problem}")
        if plan.problems:
            raise CommandError(
                f"{len(plan.problems)} problem(s) in {file}; nothing was written. "
                "Correct them and run again."
            )
        new, skipped = len(plan.to_create), plan.skipped
        if dry_run:
            self.stdout.write(
                f"{file}: no problem. Would create {new} {kind}, skip {skipped} already "
                "imported. Nothing was written (dry run)."
            )
        else:
            self.stdout.write(
                self.style.SUCCESS(
                    f"{file}: created {new} {kind}, skipped {skipped} already there."
                )
            )

    def _actor(self, username: str | None) -> Actor:
        if not username:
            return Actor.system("import_csv")
        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"No active user named {username!r}.")
        return Actor.for_user(user)

    _last_drawn = 0.0

    def _bar(self, done: int, total: int) -> None:
        now = time.monotonic()
        if done != total and now - self._last_drawn < 0.1:
            return  # a terminal needs no more than ten updates a second
        self._last_drawn = now
        filled = BAR * done // total
        self.stderr.write(
            f"\r[{'#' * filled}{'.' * (BAR - filled)}] {done}/{total} ({100 * done // total}%)",
            ending="",
        )
        self.stderr.flush()
