"""Volunteer hours as the office types them and as every page shows them: plain Python, no Django.

A tester typed 1.5, 1小时30分, 90分钟, 半小时 and full-width digits for the same service; only
the first was taken. All are read here into an exact Decimal (never a float, so sums do not drift)."""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal

#: One activity's hours are at most a day's.
MAX_HOURS = Decimal(24)

_CHINESE_DIGITS = {digit: n for n, digit in enumerate("零一二三四五六七八九")} | {"〇": 0, "两": 2}
_NUMBER = r"\d+(?:\.\d+)?|\.\d+|[零〇一二两三四五六七八九十]{1,3}"
_HOUR_UNIT = r"(?:小时|钟头|hours|hour|hrs|hr|h)"
_MINUTE_UNIT = r"(?:分钟|分|minutes|minute|mins|min|m)"
# 1.5小时, 1个半小时, 半小时, 1小时半, 1小时30分, 1h30m, 1h30.
_HOURS_RE = re.compile(
    rf"(?P<hours>{_NUMBER})?个?(?P<half>半)?个?{_HOUR_UNIT}(?P<half_after>半)?(?:(?P<minutes>{_NUMBER}){_MINUTE_UNIT}?)?"
)
_MINUTES_RE = re.compile(rf"(?P<minutes>{_NUMBER}){_MINUTE_UNIT}")
_CLOCK_RE = re.compile(r"(?P<hours>\d{1,2}):(?P<minutes>[0-5]\d)")
_QUARTERS_RE = re.compile(rf"(?P<quarters>{_NUMBER})个?刻钟?")  # 一刻钟, 三刻钟


def _number(text: str) -> Decimal | None:
    """1.5, 90 or a Chinese number up to 九十九 (两, 十二, 三十); None for 一二 and the like."""
    if text[0] not in _CHINESE_DIGITS and text[0] != "十":
        return Decimal(text)
    tens, ten, ones = text.partition("十")
    if not ten:
        return Decimal(_CHINESE_DIGITS[text]) if len(text) == 1 else None
    if len(tens) > 1 or len(ones) > 1 or "十" in ones:
        return None
    return Decimal(_CHINESE_DIGITS.get(tens, 1) * 10 + _CHINESE_DIGITS.get(ones, 0))


def _whole(value: Decimal | None) -> bool:
    return value is not None and value == value.to_integral_value()


def parse_hours(typed: str) -> Decimal | None:
    """The hours in ``typed`` as an exact Decimal (1小时20分 is 4/3 h to 28 places, rounded only
    by the community's rule); None when it does not read as hours. The range is the caller's."""
    text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", typed or "")).lower()
    if not text:
        return None
    if match := re.fullmatch(_NUMBER, text):
        return _number(match.group(0))
    if match := _CLOCK_RE.fullmatch(text):
        return Decimal(match["hours"]) + Decimal(match["minutes"]) / 60
    if match := _MINUTES_RE.fullmatch(text):
        minutes = _number(match["minutes"])
        return minutes / 60 if minutes is not None else None
    if match := _QUARTERS_RE.fullmatch(text):
        quarters = _number(match["quarters"])
        return quarters / 4 if _whole(quarters) else None
    match = _HOURS_RE.fullmatch(text)
    if match is None:
        return None
    hours = _number(match["hours"]) if match["hours"] else Decimal(0)
    halves = bool(match["half"]) + bool(match["half_after"])
    minutes = _number(match["minutes"]) if match["minutes"] else Decimal(0)
    if hours is None or minutes is None or halves > 1 or not (match["hours"] or halves):
        return None
    # 1.5个半小时 and 1小时90分 are slips, not hours: refused rather than guessed.
    if (halves or match["minutes"]) and not _whole(hours):
        return None
    if (halves and match["minutes"]) or minutes >= 60:
        return None
    return hours + Decimal("0.5") * halves + minutes / 60


def format_hours(hours: Decimal | int | None) -> str:
    """1.5, 2, 0.25: the same figure on every page, message and report (no 1.50 beside 1.5)."""
    if hours is None:
        return ""
    return f"{Decimal(hours).normalize():f}"
