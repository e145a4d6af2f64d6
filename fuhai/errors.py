from django.core.exceptions import ImproperlyConfigured


class SettingsError(ImproperlyConfigured):
    """A setting is missing or wrong; the message is one sentence saying what to set."""
