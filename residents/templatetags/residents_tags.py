"""How people are named on every page, the same rule as in Python code, and how free text is
shown: mobile and ID numbers typed into it are masked on every page."""

from django import template

from residents.masking import mask_name, mask_name_in_label, mask_numbers_in_text
from residents.selectors import display_name

register = template.Library()
register.filter("display_name", display_name)


@register.filter
def masked(value, names=()):
    """{{ issue.text|masked|truncatechars:60 }}: mask before truncating, so no half number shows.
    {{ f.note|masked:issue.hidden_names }}: and the names the reader sees as 王** (an item's
    people for the 街道 viewer, issues.selectors.names.hide_names; none for the office)."""
    if value is None or value == "":
        return value
    return mask_numbers_in_text(str(value), names or ())


@register.filter
def name_for(name: str, membership) -> str:
    """{{ resident.name|name_for:membership }}: a resident's (or their contact's) full name for
    the office, 王** for the 街道 viewer (Membership.visits_residents)."""
    if membership is not None and membership.visits_residents:
        return name
    return mask_name(name)


@register.filter
def label_for(label: str, membership) -> str:
    """{{ c.giver_display|label_for:membership }}: a label naming people as typed (7号楼李先生,
    3号楼王阿姨一家) for the office, with the people as 王** for the 街道 viewer (7号楼李**, not
    7**); numbers in it masked for everyone."""
    if membership is not None and membership.visits_residents:
        return mask_numbers_in_text(label or "")
    return mask_name_in_label(label)


@register.filter
def hidden_from(names, membership) -> tuple[str, ...]:
    """{% with hidden=c.giver_names|hidden_from:membership %}{{ c.inscription|masked:hidden }}: the
    names a text is shown with as 王** to the 街道 viewer; none for the office."""
    if membership is not None and membership.visits_residents:
        return ()
    return tuple(names or ())


@register.filter
def visit_checks(visit, membership) -> list[tuple[str, str, str]]:
    """{% for label, value, display in visit|visit_checks:membership %}: the health check only
    for roles that may see health data, as the sensitive categories."""
    return visit.checks(sensitive=membership is not None and membership.can_see_sensitive)


@register.filter
def category_for(status, membership) -> str:
    """{{ status|category_for:membership }}: SpecialStatus.category_for."""
    return status.category_for(membership)
