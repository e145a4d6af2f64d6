from django import template

register = template.Library()


@register.simple_tag
def hotline_clock(case, which, now):
    return case.clock(which, now)
