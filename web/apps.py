from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "web"
    label = "web"
    verbose_name = "Web interface"

    def ready(self) -> None:
        # Connects the sign-in receiver that decides whether a second factor is owed.
        from web.accounts import two_factor  # noqa: F401
