"""Template context every page shares."""

from functools import lru_cache

from django.http import HttpRequest
from django.urls import get_script_prefix, reverse
from django.utils.translation import gettext_lazy as _

# The main menu's sections are the apps' URL namespaces; home, the board and the account
# pages live outside them and mark no item.
NAV_SECTIONS = frozenset({"issues", "residents", "activities", "reports"})

#: The main menu: (key, URL name, label).
NAV_ITEMS = (
    ("issues", "issues:issue_list", _("Issue log")),
    ("residents", "residents:resident_list", _("Residents & visits")),
    ("activities", "activities:activity_list", _("Activities & banners")),
    ("board", "board", _("Morning board")),
    ("reports", "reports:report", _("Reports")),
)


# Bounded: a server has one prefix or a few; the cache never grows with what requests carry.
@lru_cache(maxsize=8)
def _nav_items(script_prefix: str) -> tuple[tuple[str, str, str], ...]:
    # Reversed once per process (and prefix), not on every page: the menu is on every page and
    # its five {% url %} and {% include %} were a tenth of the base template's time.
    return tuple((key, reverse(name), label) for key, name, label in NAV_ITEMS)


def nav(request: HttpRequest) -> dict:
    """The active main-menu item, read from the namespace of the URL being shown, and the menu."""
    match = request.resolver_match
    namespace = match.namespaces[0] if match and match.namespaces else ""
    return {
        "nav": namespace if namespace in NAV_SECTIONS else "",
        "nav_items": _nav_items(get_script_prefix()),
    }
