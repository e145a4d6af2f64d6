"""Times and dates as WeChat writes them in a copied chat: 08:12, 昨天 21:40, 星期三 9:00,
2023年12月6日 下午3:05, 12/6 07:55, and the dates that do not exist (2026/2/30). Plain Python,
like the parser that reads them (``issues.wechat.parser``)."""

from __future__ import annotations

import re
from datetime import date, time, timedelta

_AMPM = r"(?:上午|下午|中午|晚上|凌晨|早上|傍晚|早晨)"
HM = rf"(?:{_AMPM}\s*)?(?:[01]?\d|2[0-3]):[0-5]\d(?::[0-5]\d)?"
WEEKDAY = r"(?:星期|周|礼拜)[一二三四五六日天]"
#: A day of the calendar as written: "2026年12月6日", "2026-12-06", "2026/12/6", "12月6日", "12/6".
CALENDAR = (
    r"(?:\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*[日号]?"
    r"|\d{4}[-/.]\d{1,2}[-/.]\d{1,2}"
    r"|\d{1,2}\s*月\s*\d{1,2}\s*[日号]"
    r"|\d{1,2}[/-]\d{1,2})"
)
_DATE = rf"(?:{CALENDAR}|今天|昨天|前天|{WEEKDAY})"
#: A moment as WeChat writes it: "08:12", "昨天 21:40", "2023年12月6日 7:55", "12/6 07:55".
WHEN = rf"(?:{_DATE}(?:\s*{WEEKDAY})?\s*)?{HM}"
#: A day on its own, as on a divider line: "2023年12月6日", "昨天", "星期三".
DAY = rf"{_DATE}(?:\s*{WEEKDAY})?"
_UNTIL = r"(?:到|至|[-－~～—–])"
#: The rest of a time range after its first moment: "到 12:00", "至12点", "-12:00", "~下午3:00".
#: "2026/12/7 8:00 到 12:00 停水" is a notice's hours, not a moment and a sender.
UNTIL_RE = re.compile(rf"\s*{_UNTIL}\s*(?:{_DATE}\s*)?(?:{HM}|(?:{_AMPM}\s*)?\d{{1,2}}\s*[点时])")
#: The start of a time range before a moment: "8点到", "8:00 -" ("停水 8点到 12:00").
FROM_RE = re.compile(rf"\d\s*[点时]?\s*{_UNTIL}\s*$")

_WHEN_RE = re.compile(rf"^{WHEN}$")
_CALENDAR_RE = re.compile(CALENDAR)
_DAY_RE = re.compile(rf"^{DAY}$")
FULL_DATE_RE = re.compile(r"(\d{4})\s*(?:年|[-/.])\s*(\d{1,2})\s*(?:月|[-/.])\s*(\d{1,2})")
_MONTH_DAY_RE = re.compile(r"(\d{1,2})\s*(?:月|[/-])\s*(\d{1,2})")
_TIME_RE = re.compile(rf"({_AMPM})?\s*(\d{{1,2}}):(\d{{2}})(?::(\d{{2}}))?$")
_WEEKDAYS = "一二三四五六日"
_RELATIVE = {"今天": 0, "昨天": 1, "前天": 2}


def _day_of(text: str, today: date, ref: date | None = None) -> date | None:
    """The date named at the start of ``text``, or None when it names none (or an impossible one).
    A day without a year is taken in the year of ``ref`` (the last date divider), else this year."""
    try:
        if m := FULL_DATE_RE.match(text):
            return date(int(m[1]), int(m[2]), int(m[3]))
        if m := _MONTH_DAY_RE.match(text):
            ref = ref or today
            day = date(ref.year, int(m[1]), int(m[2]))
            # "12/6" read in January is last December's.
            return day.replace(year=ref.year - 1) if day > today else day
    except ValueError:
        return None
    for word, back in _RELATIVE.items():
        if text.startswith(word):
            return today - timedelta(days=back)
    if m := re.match(r"(?:星期|周|礼拜)([一二三四五六日天])", text):
        wanted = _WEEKDAYS.index(m[1].replace("天", "日"))
        back = (today.weekday() - wanted) % 7 or 7
        return today - timedelta(days=back)
    return None


def impossible_date(text: str, today: date) -> str:
    """The date as written when ``text`` is a moment or a day in WeChat's shape whose date does not
    exist ("2026/2/30 21:00", "13月2日"), else "". ``parse_when`` reads no moment in it."""
    text = text.strip()
    if not (_WHEN_RE.match(text) or _DAY_RE.match(text)):
        return ""
    m = _CALENDAR_RE.match(text)
    return m[0].strip() if m and _day_of(text, today) is None else ""


def parse_when(text: str, today: date, ref: date | None = None) -> tuple[date | None, time | None] | None:
    """Read "08:12", "昨天 21:40", "2023年12月6日 上午7:55", "12/6 07:55" or a bare day.

    Returns (day or None, time or None), or None when ``text`` is no moment at all."""
    text = text.strip()
    if _WHEN_RE.match(text):
        m = _TIME_RE.search(text)
        hour, minute, second = int(m[2]), int(m[3]), int(m[4] or 0)
        if (m[1] in {"下午", "晚上", "傍晚"} and hour < 12) or (m[1] == "中午" and hour < 11):
            hour += 12
        elif m[1] in {"凌晨", "上午", "早上", "早晨"} and hour == 12:
            hour = 0
        head = text[: m.start()].strip()
        day = _day_of(head, today, ref) if head else None
        if head and day is None:
            return None
        return day, time(hour, minute, second)
    if _DAY_RE.match(text):
        day = _day_of(text, today, ref)
        return (day, None) if day else None
    return None
