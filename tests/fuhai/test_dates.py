"""Dates read as the office writes them: month and day this year, the year otherwise, in both languages."""

import datetime as dt

import pytest
import time_machine
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

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
