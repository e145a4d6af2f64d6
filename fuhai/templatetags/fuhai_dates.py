"""Dates as the office writes them: month and day this year, with the year otherwise."""

from datetime import date, datetime

from django import template
from django.utils import timezone
from django.utils.translation import get_language, ngettext

from residents.dates import short_date_in

register = template.Library()


@register.filter(expects_localtime=True)
def short_date(value: date | datetime | None, style: str = "date") -> str:
    """`{{ d|short_date }}` is 12月1日 this year and 2025年12月31日 otherwise; "time" adds H:i, "weekday" 星期几."""
    if not value:
        return ""
    return short_date_in(value, style, get_language(), timezone.localdate().year)


@register.filter
def overdue_by(value: date, today: date) -> str:
    """`{{ due|overdue_by:today }}` is 已超期 12 天: in days, as visits are planned (7, 30, 90).
    Django's timesince wrote 已超期 8 月，4 周 after 应访日期 3月7日, which read as August."""
    days = (today - value).days
    return ngettext("overdue %(days)d day", "overdue %(days)d days", days) % {"days": days}
