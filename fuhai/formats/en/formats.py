"""Date formats of the English UI, under the same names as the Chinese ones."""

MONTH_DAY_FORMAT = "N j"
# Custom names, used in templates as {{ value|date:"MONTH_FORMAT" }} and by the short_date filter.
YEAR_FORMAT = "Y"
MONTH_FORMAT = "M"
MONTH_DAY_TIME_FORMAT = "N j, H:i"
MONTH_DAY_WEEKDAY_FORMAT = "l, N j"
WEEKDAY_DATE_FORMAT = "l, N j, Y"
WEEKDAY_DATETIME_FORMAT = "D, N j, Y, H:i"
# Django's English default is a 12-hour clock; the office and the rest of the UI use 24 hours.
DATETIME_FORMAT = "N j, Y, H:i"
