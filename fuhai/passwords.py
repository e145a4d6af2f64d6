"""Password rules beyond Django's own."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

DEMO_PASSWORD = "fuhai2024"


class DemoPasswordValidator:
    """Refuses the demo's published password (settings add this rule when DEBUG is off)."""

    def validate(self, password: str, user=None) -> None:
        if password.strip().lower() == DEMO_PASSWORD:
            raise ValidationError(_("This is the demo's published password; choose your own."), code="password_demo")

    def get_help_text(self) -> str:
        return _("Your password cannot be the demo's published password.")
