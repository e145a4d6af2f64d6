from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IssuesConfig(AppConfig):
    verbose_name = _("Issue log")
    name = "issues"

    def ready(self) -> None:
        from issues import signals  # noqa: F401 - connects the receivers
