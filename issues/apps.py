from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IssuesConfig(AppConfig):
    verbose_name = _("Issue log")
    name = "issues"

    def ready(self) -> None:
        # Connect the receivers and register the reminder sources with the sweep.
        from issues import signals  # noqa: F401
        from issues.context_processors import unread_notifications
        from issues.hotline import reminders as hotline_reminders  # noqa: F401
        from issues.projects import reminders as project_reminders  # noqa: F401
        from issues.reminders import triggers  # noqa: F401
        from residents.scoping import MEMBERSHIP_FIGURES

        MEMBERSHIP_FIGURES["unread_notifications"] = unread_notifications
