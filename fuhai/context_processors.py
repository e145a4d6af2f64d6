"""Template context every page shares."""

from django.http import HttpRequest

# The main menu's sections are the apps' URL namespaces; home, the board and the account
# pages live outside them and mark no item.
NAV_SECTIONS = frozenset({"issues", "residents", "activities", "reports"})


def nav(request: HttpRequest) -> dict[str, str]:
    """The active main-menu item, read from the namespace of the URL being shown."""
    match = request.resolver_match
    namespace = match.namespaces[0] if match and match.namespaces else ""
    return {"nav": namespace if namespace in NAV_SECTIONS else ""}
