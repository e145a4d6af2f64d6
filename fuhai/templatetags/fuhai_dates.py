"""Dates as the office writes them: month and day this year, with the year otherwise."""

from datetime import date, datetime
from functools import lru_cache

from django import template
from django.utils import formats, timezone
from django.utils.dateformat import DateFormat, re_escaped, re_formatchars
from django.utils.translation import get_language, ngettext

register = template.Library()

# style: (format for this year, format for another year), named in fuhai/formats/<language>/.
SHORT_FORMATS = {
    "date": ("MONTH_DAY_FORMAT", "DATE_FORMAT"),
    "time": ("MONTH_DAY_TIME_FORMAT", "DATETIME_FORMAT"),
    "weekday": ("MONTH_DAY_WEEKDAY_FORMAT", "WEEKDAY_DATE_FORMAT"),
}


#: A date format split into DateFormat's letters (True) and its literal text (False, unescaped).
Pieces = tuple[tuple[str, bool], ...]


@lru_cache(maxsize=16)
def short_formats(style: str, language: str) -> tuple[Pieces, Pieces]:
    """The formats of ``style`` in ``language`` (the active one, here only the cache's key),
    looked up and split once per process, as dateformat.format splits them: looking a format
    up and splitting it again for every date was half of a date's time (measured), and a list
    writes one a row."""
    return tuple(
        tuple(
            (piece, True) if i % 2 else (re_escaped.sub(r"\1", piece), False)
            for i, piece in enumerate(re_formatchars.split(formats.get_format(name, language)))
            if piece
        )
        for name in SHORT_FORMATS[style]
    )


@register.filter(expects_localtime=True)
def short_date(value: date | datetime | None, style: str = "date") -> str:
    """`{{ d|short_date }}` is 12月1日 this year and 2025年12月31日 otherwise; "time" adds H:i, "weekday" 星期几."""
    if not value:
        return ""
    this_year, other_year = short_formats(style, get_language())
    shown = DateFormat(value)
    pieces = this_year if value.year == timezone.localdate().year else other_year
    return "".join(str(getattr(shown, piece)()) if letter else piece for piece, letter in pieces)


@register.filter
def overdue_by(value: date, today: date) -> str:
    """`{{ due|overdue_by:today }}` is 已超期 12 天: in days, as visits are planned (7, 30, 90).
    Django's timesince wrote 已超期 8 月，4 周 after 应访日期 3月7日, which read as August."""
    days = (today - value).days
    return ngettext("overdue %(days)d day", "overdue %(days)d days", days) % {"days": days}
