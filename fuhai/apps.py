from django import forms
from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from fuhai.middleware import stamp_session_on_login

_char_field_to_python = forms.CharField.to_python


def _to_python_with_one_character_line_breaks(field: forms.CharField, value):
    value = _char_field_to_python(field, value)
    return value.replace("\r\n", "\n").replace("\r", "\n") if isinstance(value, str) else value


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

        # A browser posts a textarea's line break as \r\n, which len() counts as two: 1,980
        # characters on 21 lines were refused as over 2,000. Every text field (a model's, a form's,
        # the admin's) cleans through CharField.to_python, so there a break becomes one \n, before
        # the length is checked and as it is saved; fuhai.js counts a break as one to match.
        forms.CharField.to_python = _to_python_with_one_character_line_breaks
