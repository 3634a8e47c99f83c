from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "casetracker.web"
    label = "web"
    verbose_name = "Web interface"
