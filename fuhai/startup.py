"""Turn a settings mistake into one clear sentence instead of a traceback."""

import sys

from django.conf import settings

from fuhai.errors import SettingsError


def load_settings_or_exit() -> None:
    """Import the settings now; on a SettingsError print its sentence and stop."""

    try:
        settings.INSTALLED_APPS  # noqa: B018 - forces the settings module to load
    except SettingsError as exc:
        sys.stderr.write(f"Fuhai cannot start: {exc}\n")
        sys.exit(2)
