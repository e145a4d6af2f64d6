from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from fuhai.middleware import stamp_session_on_login


class FuhaiConfig(AppConfig):
    name = "fuhai"
    verbose_name = _("Subdistrict")

    def ready(self) -> None:
        # Register the deploy checks, and the daily digest as a source of the reminder sweep.
        from fuhai import checks, digest  # noqa: F401

        user_logged_in.connect(stamp_session_on_login, dispatch_uid="fuhai.stamp_session_on_login")

        from residents.forms import TOO_LONG

        # Every field's "too long" in the office's words (请控制在 100 字以内，现在有 150 字。), not
        # Django's 确保该变量包含不超过 100 字符: forms that set no message of their own showed it.
        # Set on the validator class, whose message is read when a value fails, so it holds for
        # the fields of form classes imported before this runs as well.
        MaxLengthValidator.message = TOO_LONG
