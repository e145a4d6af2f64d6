"""Template filters of the activities app."""

from __future__ import annotations

from django import template

from activities.hours import format_hours

register = template.Library()


@register.filter
def hours(value) -> str:
    """Volunteer hours as every page shows them: 1.5, 2, 0.25 (floatformat gave 1.50 beside 2)."""
    return format_hours(value)
