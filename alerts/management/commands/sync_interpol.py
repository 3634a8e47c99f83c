"""`manage.py sync_interpol`: one INTERPOL sync, now, in this process (alerts.interpol_watch)."""

from django.core.management.base import BaseCommand, CommandError

from alerts import interpol_watch
from core.audit import audit_context


class Command(BaseCommand):
    help = (
        "Look up every notice with an INTERPOL id on INTERPOL's public notices service "
        "(INTERPOL_API_BASE) and search public red notices for accused persons without one; "
        "print a summary. Does nothing while another sync runs."
    )

    def handle(self, *args, **options) -> None:
        with audit_context("command", command="sync_interpol"):
            summary = interpol_watch.sync(trigger="command")
        self.stdout.write(summary.line())
        if summary.error:
            raise CommandError(f"INTERPOL sync stopped early: {summary.error}")
