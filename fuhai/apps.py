from django.apps import AppConfig


class FuhaiConfig(AppConfig):
    name = "fuhai"
    verbose_name = "Fuhai"

    def ready(self) -> None:
        # Register the deploy checks, and the daily digest as a source of the reminder sweep.
        from fuhai import checks, digest  # noqa: F401
