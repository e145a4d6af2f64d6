from django.apps import AppConfig


class FuhaiConfig(AppConfig):
    name = "fuhai"
    verbose_name = "Fuhai"

    def ready(self) -> None:
        from fuhai import checks  # noqa: F401 - registers the deploy checks
