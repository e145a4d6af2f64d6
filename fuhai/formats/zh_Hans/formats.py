"""Date formats of the Chinese UI; what Django's zh_Hans lacks or pads (m月 gives 09月)."""

MONTH_DAY_FORMAT = "n月j日"
# Custom names, used in templates as {{ value|date:"MONTH_FORMAT" }} and by the short_date filter.
YEAR_FORMAT = "Y年"
MONTH_FORMAT = "n月"
MONTH_DAY_TIME_FORMAT = "n月j日 H:i"
MONTH_DAY_WEEKDAY_FORMAT = "n月j日 l"
WEEKDAY_DATE_FORMAT = "Y年n月j日 l"
WEEKDAY_DATETIME_FORMAT = "Y年n月j日 D H:i"
