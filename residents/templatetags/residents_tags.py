"""How people are named on every page, the same rule as in Python code, and how free text is
shown: mobile and ID numbers typed into it are masked on every page."""

from django import template

from residents.masking import mask_numbers_in_text
from residents.selectors import display_name

register = template.Library()
register.filter("display_name", display_name)


@register.filter
def masked(value):
    """{{ issue.text|masked|truncatechars:60 }}: mask before truncating, so no half number shows."""
    if value is None or value == "":
        return value
    return mask_numbers_in_text(str(value))
