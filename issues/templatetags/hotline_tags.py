from functools import lru_cache
from html import escape

from django import template
from django.utils import timezone
from django.utils.html import avoid_wrapping
from django.utils.safestring import mark_safe
from django.utils.timesince import TIME_STRINGS
from django.utils.translation import get_language
from django.utils.translation import gettext as _

register = template.Library()


@lru_cache(maxsize=16)
def clock_words(language: str) -> dict[str, str]:
    """A clock badge's words in ``language`` (the active one, here only the cache's key),
    translated once per process: the 12345 list shows two badges on each of 50 rows, and every
    gettext asks which language is active (a third of a badge's time, measured)."""
    return {
        "response": _("Response"),
        "resolution": _("Resolution"),
        "late": _("late"),
        "left": _("left"),
        "done late": _("done late"),
        "and": _(", "),
    }


@lru_cache(maxsize=1024)
def _unit(language: str, name: str, count: int) -> str:
    return avoid_wrapping(TIME_STRINGS[name] % {"num": count})


def span(seconds: float, language: str) -> str:
    """A clock's time left or over as its two largest units of days, hours and minutes, in
    Django's words for them (2 日，3 小时; 0 分钟 under a minute), as its timesince printed them
    without its calendar arithmetic (years, months, weeks: spans a 12345 clock does not have)."""
    minutes = max(int(seconds // 60), 0)
    hours, minutes = divmod(minutes, 60)
    days, hours = divmod(hours, 24)
    units = [("day", days), ("hour", hours), ("minute", minutes)]
    while len(units) > 1 and not units[0][1]:
        units.pop(0)
    shown = units[:1] + [unit for unit in units[1:2] if unit[1]]
    return clock_words(language)["and"].join(_unit(language, name, count) for name, count in shown)


def _badge(clock: dict | None, label: str, now, late: bool, language: str) -> str:
    # Built with the standard library's escape, not format_html: its lazy-aware escaping was
    # half of a badge's time, and every part here is a string (tests/issues/test_hotline.py
    # holds a label with markup to it).
    words = clock_words(language)
    if not clock:
        if late:
            return mark_safe(f'<span class="badge text-bg-danger">{escape(label)} {escape(words["done late"])}</span>')
        return mark_safe(f'<span class="badge text-bg-light border">{escape(label)} ✔</span>')
    deadline = clock["deadline"]
    over = (now - deadline).total_seconds()
    word = words["late"] if clock["late"] else words["left"]
    amount = span(over if clock["late"] else -over, language)
    title = timezone.localtime(deadline).strftime("%Y-%m-%d %H:%M")
    return mark_safe(
        f'<span class="badge text-bg-{escape(clock["level"])} clock" title="{title}">'
        f"{escape(label)} {escape(word)} {escape(amount)}</span>"
    )


@register.simple_tag
def clock_badge(clock: dict | None, label: str, now, late: bool = False) -> str:
    """A 12345 clock (HotlineCase.clock) as a badge: time left or late, coloured by how much of
    it is used; once done a tick, or 超时完成 if done after the deadline (``late``,
    HotlineCase.finished_late: a green ✔ hid a contact the 响应率 counts as missed). Rendered
    here, not by an included template: the 12345 list shows two per row."""
    return _badge(clock, label, now, late, get_language())


@register.simple_tag
def hotline_clocks(case, now) -> str:
    """The response and the resolution clock of a case, as two badges (the 12345 list): one
    over the other in the table's column on a PC, side by side on a phone's card."""
    language = get_language()
    words = clock_words(language)
    response = _badge(case.clock("response", now), words["response"], now, case.finished_late("response"), language)
    resolution = _badge(
        case.clock("resolution", now), words["resolution"], now, case.finished_late("resolution"), language
    )
    return mark_safe(f'{response}<br class="d-none d-lg-inline"> {resolution}')
