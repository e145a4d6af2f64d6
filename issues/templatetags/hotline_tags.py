from html import escape

from django import template
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from issues.hotline.clock_text import clock_text, clock_words

register = template.Library()


def _badge(clock: dict | None, label: str, now, late: bool, language: str, zone) -> str:
    # Built with the standard library's escape, not format_html: its lazy-aware escaping was
    # half of a badge's time, and every part here is a string (tests/issues/test_hotline.py
    # holds a label with markup to it); SafeString, as mark_safe makes of a str, without its
    # look for a lazy string.
    words = clock_words(language)
    if not clock:
        if late:
            late_text = f"{escape(label)} {escape(words['done late'])}"
            return SafeString(f'<span class="badge text-bg-danger hotline-clock">{late_text}</span>')
        return SafeString(f'<span class="badge text-bg-light border hotline-clock">{escape(label)} ✔</span>')
    title = timezone.localtime(clock["deadline"], zone).strftime("%Y-%m-%d %H:%M")
    return SafeString(
        f'<span class="badge text-bg-{escape(clock["level"])} hotline-clock" title="{title}">'
        f"{escape(label)} {escape(clock_text(clock['deadline'] - now, language))}</span>"
    )


@register.simple_tag
def clock_badge(clock: dict | None, label: str, now, late: bool = False) -> str:
    """A 12345 clock (HotlineCase.clock) as a badge: time left or late, coloured by how much of
    it is used; once done a tick, or 超时完成 if done after the deadline (``late``,
    HotlineCase.finished_late: a green ✔ hid a contact the 响应率 counts as missed). Rendered
    here, not by an included template: the 12345 list shows two per row."""
    return _badge(clock, label, now, late, get_language(), timezone.get_current_timezone())


@register.simple_tag
def hotline_clocks(case, now) -> str:
    """The response and the resolution clock of a case, as two badges (the home page): one
    over the other in the table's column on a PC, side by side on a phone's card."""
    return clocks_html(case, now, get_language(), timezone.get_current_timezone())


def clocks_html(case, now, language: str, zone) -> str:
    """:func:`hotline_clocks` with the language and time zone given: the 12345 list asks for
    them once a page, not once a row (issues/hotline/views.py, listed_cases)."""
    words = clock_words(language)
    response = _badge(
        case.clock("response", now), words["response"], now, case.finished_late("response"), language, zone
    )
    resolution = _badge(
        case.clock("resolution", now), words["resolution"], now, case.finished_late("resolution"), language, zone
    )
    return SafeString(f'{response}<br class="d-none d-lg-inline"> {resolution}')
