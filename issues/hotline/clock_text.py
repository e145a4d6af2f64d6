"""How long a 12345 clock has left, or is late, as an office writes it: 剩余3小时55分钟,
已超时21小时4分钟 (in English 3 h 55 min left, 21 h 4 min late). The one formatter of the
clocks on the 12345 list, the case page, the home page and the board, and of how long a
partner has kept an item waiting (已等3天4小时, the partner list and a partner's page)."""

from datetime import timedelta
from functools import lru_cache

from django.utils.translation import gettext as _


@lru_cache(maxsize=16)
def clock_words(language: str) -> dict:
    """The clocks' words in ``language`` (the active one, here only the cache's key), the
    badges' labels with them (issues/templatetags/hotline_tags.py), translated once per
    process: the 12345 list shows two clocks on each of 50 rows, and every gettext asks which
    language is active (a third of a badge's time, measured)."""
    return {
        "response": _("Response"),
        "resolution": _("Resolution"),
        "done late": _("done late"),
        ("day",): _("%(days)d d"),
        ("day", "hour"): _("%(days)d d %(hours)d h"),
        ("hour",): _("%(hours)d h"),
        ("hour", "minute"): _("%(hours)d h %(minutes)d min"),
        ("minute",): _("%(minutes)d min"),
        "left": _("%(amount)s left"),
        "late": _("%(amount)s late"),
        "waiting": _("waiting %(amount)s"),
        "under a minute": _("less than 1 min"),
    }


def span(seconds: float, language: str) -> str:
    """``seconds`` as its two largest units of days, hours and minutes (3小时55分钟, 2天; 0分钟
    under a minute, never negative), with no space a line could break at."""
    minutes = max(int(seconds // 60), 0)
    hours, minutes = divmod(minutes, 60)
    days, hours = divmod(hours, 24)
    units = [("day", days), ("hour", hours), ("minute", minutes)]
    while len(units) > 1 and not units[0][1]:
        units.pop(0)
    shown = tuple(name for name, count in units[:1] + [unit for unit in units[1:2] if unit[1]])
    text = clock_words(language)[shown] % {"days": days, "hours": hours, "minutes": minutes}
    return text.replace(" ", "\xa0")


def clock_text(left: timedelta, language: str) -> str:
    """A running clock's time ``left`` (HotlineCase.clock's, negative once late) as the office
    writes it: 剩余3小时55分钟, 已超时21小时4分钟."""
    seconds = left.total_seconds()
    if seconds < 0:
        return clock_words(language)["late"] % {"amount": span(-seconds, language)}
    return clock_words(language)["left"] % {"amount": span(seconds, language)}


def waiting_text(waited: timedelta, language: str) -> str:
    """How long an item has ``waited`` for a partner, as the office writes it: 已等3天4小时,
    已等21小时4分钟, 已等不到1分钟 (timesince's 3 日，4 小时 read like no other time here)."""
    seconds = waited.total_seconds()
    words = clock_words(language)
    amount = span(seconds, language) if seconds >= 60 else words["under a minute"].replace(" ", "\xa0")
    return words["waiting"] % {"amount": amount}
