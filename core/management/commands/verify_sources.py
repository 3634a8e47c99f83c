"""`manage.py verify_sources`: re-hash every stored source file against its SHA-256 at upload.

Prints one line per problem (`tampered` or `missing`, the source's id and title) and a
summary; exits with status 1 when any file is tampered with or missing, so cron or a
monitoring job can alert on it. Read-only.
"""

from django.core.management.base import BaseCommand, CommandError

from core.sources import verify


class Command(BaseCommand):
    help = "Check every stored source file against its SHA-256 at upload."

    def handle(self, *args, **options):
        checked, problems = verify()
        for problem in problems:
            self.stdout.write(
                f"{problem.kind}\t{problem.source.pk}\t{problem.source.title}\t{problem.detail}"
            )
        summary = f"{checked} file(s) checked, {len(problems)} problem(s)."
        if problems:
            self.stdout.write(summary)
            raise CommandError(f"{len(problems)} source file(s) tampered with or missing.")
        self.stdout.write(self.style.SUCCESS(summary))
