"""Template context every page shares."""

from functools import lru_cache

from django.http import HttpRequest
from django.urls import get_script_prefix, reverse
from django.utils.translation import gettext_lazy as _

# The main menu's sections are the apps' URL namespaces; home, the board and the account
# pages live outside them and mark no item.
NAV_SECTIONS = frozenset({"issues", "residents", "activities", "reports"})

#: The main menu: (key, URL name, label, only for those who may edit). 巡查 is walked on a phone
#: every day by whoever may log items (not the 街道 viewer, who cannot start a walk).
NAV_ITEMS = (
    ("issues", "issues:issue_list", _("Issue log"), False),
    ("patrol", "issues:patrol_start", _("Patrol"), True),
    ("projects", "issues:project_list", _("Projects"), False),
    ("residents", "residents:resident_list", _("Residents & visits"), False),
    ("activities", "activities:activity_list", _("Activities & banners"), False),
    ("board", "board", _("Morning board"), False),
    ("reports", "reports:report", _("Reports"), False),
)


# Bounded: a server has one prefix or a few; the cache never grows with what requests carry.
@lru_cache(maxsize=8)
def _nav_items(script_prefix: str, editor: bool) -> tuple[tuple[str, str, str], ...]:
    # Reversed once per process (and prefix), not on every page: the menu is on every page and
    # its five {% url %} and {% include %} were a tenth of the base template's time.
    return tuple((key, reverse(name), label) for key, name, label, editors in NAV_ITEMS if editor or not editors)


def _section(match) -> str:
    namespace = match.namespaces[0] if match and match.namespaces else ""
    # The patrol's pages are in the issues namespace (issues/patrol/urls.py) but have their own item.
    if namespace == "issues" and match.url_name.startswith("patrol_"):
        return "patrol"
    if namespace == "issues" and match.url_name.startswith(("project_", "milestone_")):
        return "projects"
    return namespace if namespace in NAV_SECTIONS else ""


def nav(request: HttpRequest) -> dict:
    """The active main-menu item, read from the URL being shown, and the menu for the person's role."""
    membership = getattr(request, "membership", None)
    return {
        "nav": _section(request.resolver_match),
        "nav_items": _nav_items(get_script_prefix(), membership is not None and membership.can_edit),
    }
