"""A quarter's report is called a quarterly report, on the page, its rows and its files; the
workbook's sheet names fit Excel without a word cut in two."""

import re
from datetime import datetime
from io import BytesIO
from urllib.parse import quote
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import load_workbook

NOW = datetime(2026, 12, 2, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def english(secretary_client):
    secretary_client.cookies["django_language"] = "en"
    return secretary_client


def heading(page: str) -> str:
    return re.search(r"<h1[^>]*>(.*?)</h1>", page, re.S).group(1)


def test_it_titles_a_quarters_report_as_quarterly(english):
    """The English quarter report read "Monthly report · 2026Q4"."""
    page = english.get(reverse("reports:report"), {"quarter": "2026Q4"}).content.decode()
    assert "Quarterly report" in heading(page) and "Monthly" not in heading(page)
    assert re.search(r"<title>Quarterly report ·", page)


def test_it_still_titles_a_months_report_as_monthly(english):
    page = english.get(reverse("reports:report"), {"month": "2026-11"}).content.decode()
    assert "Monthly report" in heading(page)


def test_it_titles_the_rows_behind_a_quarters_figure_as_quarterly(english):
    url = reverse("reports:report_issue_rows", args=["received"])
    page = english.get(url, {"quarter": "2026Q4"}).content.decode()
    assert "Quarterly report ·" in page and "Monthly report" not in page


@pytest.mark.parametrize(
    ("url", "stem"), [("reports:report_export", "Quarterly report"), ("reports:report_records", "Quarterly records")]
)
def test_it_names_a_quarters_workbook_as_quarterly(english, url, stem):
    response = english.get(reverse(url), {"quarter": "2026Q4"})
    assert f"UTF-8''{quote(stem)}_" in response["Content-Disposition"]


def test_it_writes_the_english_sheet_names_whole(english):
    """特殊人群探访 in English, "Visits to the special population", lost its last letter."""
    response = english.get(reverse("reports:report_export"), {"month": "2026-11"})
    names = load_workbook(BytesIO(response.content)).sheetnames
    assert names == [
        "Residents' issues (民情日记)",
        "12345 hotline",
        "Special population visits",
        "Activities and commendations",
    ]


def test_it_writes_the_report_labels_with_the_chinese_colon_in_chinese(secretary_client):
    """覆盖率: 50% and 表扬: 3 — ASCII colons in the middle of Chinese text."""
    page = secretary_client.get(reverse("reports:report"), {"month": "2026-11"}).content.decode()
    with translation.override("zh-hans"):
        coverage, commendations = _("Fire blanket coverage of special households"), _("Commendations")
    assert f"{coverage}：—" in page
    assert f"{coverage}:" not in page and f"{commendations}:" not in page
