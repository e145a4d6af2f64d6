"""Dates as the office writes them: month and day this year, with the year otherwise."""

from datetime import date, datetime

from django import template
from django.utils import formats, timezone
from django.utils.translation import ngettext

register = template.Library()

# style: (format for this year, format for another year), named in fuhai/formats/<language>/.
SHORT_FORMATS = {
    "date": ("MONTH_DAY_FORMAT", "DATE_FORMAT"),
    "time": ("MONTH_DAY_TIME_FORMAT", "DATETIME_FORMAT"),
    "weekday": ("MONTH_DAY_WEEKDAY_FORMAT", "WEEKDAY_DATE_FORMAT"),
}


@register.filter(expects_localtime=True)
def short_date(value: date | datetime | None, style: str = "date") -> str:
    """`{{ d|short_date }}` is 12月1日 this year and 2025年12月31日 otherwise; "time" adds H:i, "weekday" 星期几."""
    if not value:
        return ""
    this_year, other_year = SHORT_FORMATS[style]
    return formats.date_format(value, this_year if value.year == timezone.localdate().year else other_year)


@register.filter
def overdue_by(value: date, today: date) -> str:
    """`{{ due|overdue_by:today }}` is 已超期 12 天: in days, as visits are planned (7, 30, 90).
    Django's timesince wrote 已超期 8 月，4 周 after 应访日期 3月7日, which read as August."""
    days = (today - value).days
    return ngettext("overdue %(days)d day", "overdue %(days)d days", days) % {"days": days}
