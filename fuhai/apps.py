from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in
from django.utils.translation import gettext_lazy as _

from fuhai.middleware import stamp_session_on_login


class FuhaiConfig(AppConfig):
    name = "fuhai"
    verbose_name = _("Subdistrict")

    def ready(self) -> None:
        # Register the deploy checks, and the daily digest as a source of the reminder sweep.
        from fuhai import checks, digest  # noqa: F401

        user_logged_in.connect(stamp_session_on_login, dispatch_uid="fuhai.stamp_session_on_login")
