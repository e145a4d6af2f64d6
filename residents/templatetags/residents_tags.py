"""How people are named on every page, the same rule as in Python code."""

from django import template

from residents.selectors import display_name

register = template.Library()
register.filter("display_name", display_name)
