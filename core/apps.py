from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    # The label predates the move to core/: it names the tables and the migration history.
    label = "casetracker"
    verbose_name = "casetracker kernel"
