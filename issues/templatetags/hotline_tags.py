from django import template
from django.utils import timezone
from django.utils.html import format_html
from django.utils.timesince import timesince, timeuntil
from django.utils.translation import gettext as _

register = template.Library()


@register.simple_tag
def clock_badge(clock: dict | None, label: str, now, late: bool = False) -> str:
    """A 12345 clock (HotlineCase.clock) as a badge: time left or late, coloured by how much of
    it is used; once done a tick, or 超时完成 if done after the deadline (``late``,
    HotlineCase.finished_late: a green ✔ hid a contact the 响应率 counts as missed). Rendered
    here, not by an included template: the 12345 list shows two per row."""
    if not clock:
        if late:
            return format_html('<span class="badge text-bg-danger">{} {}</span>', label, _("done late"))
        return format_html('<span class="badge text-bg-light border">{} ✔</span>', label)
    deadline = clock["deadline"]
    if clock["late"]:
        word, amount = _("late"), timesince(deadline, now)
    else:
        word, amount = _("left"), timeuntil(deadline, now)
    return format_html(
        '<span class="badge text-bg-{} clock" title="{}">{} {} {}</span>',
        clock["level"],
        timezone.localtime(deadline).strftime("%Y-%m-%d %H:%M"),
        label,
        word,
        amount,
    )


@register.simple_tag
def hotline_clocks(case, now) -> str:
    """The response and the resolution clock of a case, as two badges (the 12345 list): one
    over the other in the table's column on a PC, side by side on a phone's card."""
    return format_html(
        '{}<br class="d-none d-lg-inline"> {}',
        clock_badge(case.clock("response", now), _("Response"), now, case.finished_late("response")),
        clock_badge(case.clock("resolution", now), _("Resolution"), now, case.finished_late("resolution")),
    )
