"""Dates read as the office writes them: month and day this year, the year otherwise, in both languages."""

import datetime as dt

import pytest
import time_machine
from django.template import Context, Template
from django.urls import reverse
from django.utils import formats, timezone, translation

from residents.dates import SHORT_FORMATS
from tests.factories import IssueFactory

NOW = dt.datetime(2026, 12, 1, 2, 30, tzinfo=dt.UTC)  # 10:30 in Beijing


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def render(value, language, style=""):
    argument = f':"{style}"' if style else ""
    template = Template("{% load fuhai_dates %}{{ value|short_date" + argument + " }}")
    with translation.override(language):
        return template.render(Context({"value": value}))


def test_it_writes_a_date_of_this_year_as_month_and_day_in_chinese(frozen):
    assert render(dt.date(2026, 3, 5), "zh-hans") == "3月5日"


def test_it_writes_a_date_of_another_year_with_the_year_in_chinese(frozen):
    assert render(dt.date(2025, 12, 31), "zh-hans") == "2025年12月31日"


def test_it_writes_a_date_of_this_year_as_month_and_day_in_english(frozen):
    assert render(dt.date(2026, 12, 1), "en") == "Dec. 1"


def test_it_writes_a_date_of_another_year_with_the_year_in_english(frozen):
    assert render(dt.date(2025, 12, 31), "en") == "Dec. 31, 2025"


def test_it_adds_the_local_time_when_asked(frozen):
    assert render(NOW, "zh-hans", "time") == "12月1日 10:30"
    assert render(NOW, "en", "time") == "Dec. 1, 10:30"


def test_it_takes_the_year_in_beijing_time(frozen):
    new_years_morning = dt.datetime(2025, 12, 31, 17, 0, tzinfo=dt.UTC)
    assert render(new_years_morning, "zh-hans", "time") == "1月1日 01:00"


def test_it_writes_another_years_time_with_the_year(frozen):
    assert render(dt.datetime(2025, 6, 1, 0, 0, tzinfo=dt.UTC), "en", "time") == "June 1, 2025, 08:00"


def test_it_writes_nothing_for_a_missing_date(frozen):
    assert render(None, "zh-hans") == ""


def test_it_shows_the_issue_log_dates_in_chinese(frozen, secretary_client, community):
    IssueFactory(community=community)
    content = secretary_client.get(reverse("issues:issue_list")).content.decode()
    assert "12月1日 10:30" in content


def test_it_shows_the_issue_log_dates_in_english(frozen, secretary_client, community):
    IssueFactory(community=community)
    secretary_client.cookies["django_language"] = "en"
    content = secretary_client.get(reverse("issues:issue_list")).content.decode()
    assert "Dec. 1, 10:30" in content
    assert "12月1日" not in content


def test_it_writes_the_weekday_when_asked(frozen):
    assert render(dt.date(2026, 12, 1), "zh-hans", "weekday") == "12月1日 星期二"
    assert render(dt.date(2026, 12, 1), "en", "weekday") == "Tuesday, Dec. 1"
    assert render(dt.date(2025, 12, 31), "zh-hans", "weekday") == "2025年12月31日 星期三"
    assert render(dt.date(2025, 12, 31), "en", "weekday") == "Wednesday, Dec. 31, 2025"


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("style", ["date", "time", "weekday"])
def test_it_writes_what_djangos_own_date_format_writes(frozen, language, style):
    """short_date fills in its formats' letters itself (split once a language, not once a date):
    what it writes stays what formats.date_format writes with the same format, this year and
    another, for every style and language, also for a morning, an afternoon and midnight."""
    zone = timezone.get_default_timezone()
    values = [
        dt.datetime(year, month, day, hour, minute, tzinfo=zone)
        for year, month, day, hour, minute in [(2026, 1, 5, 0, 0), (2026, 9, 30, 14, 7), (2025, 12, 31, 9, 59)]
    ]
    with translation.override(language), timezone.override(zone):
        for value in values:
            this_year, other_year = SHORT_FORMATS[style]
            expected = formats.date_format(value, this_year if value.year == 2026 else other_year)
            assert render(value, language, style) == expected
