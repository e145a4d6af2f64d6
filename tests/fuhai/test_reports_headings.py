"""What a report says it is, on the page, in print and in its files: whose, which period, and
whether that period is over; the 街道 overview's own heading on a bad month."""

import re
from datetime import datetime
from io import BytesIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from issues.models.choices import IssueChannel
from residents.models.community import Role
from tests.factories import CommunityFactory, IssueFactory, MembershipFactory

TZ = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 12, 7, 9, 0, tzinfo=TZ)
REPORT = reverse("reports:report")
EXPORT = reverse("reports:report_export")
STREET = reverse("reports:street")
STREET_EXPORT = reverse("reports:street_export")


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def street_client(db):
    """A client of its own: the secretary's (``secretary_client``) is pytest-django's ``client``."""
    client = Client()
    first = CommunityFactory(name="福海东里", subdistrict="福海街道")
    user = MembershipFactory(community=first, role=Role.VIEWER).user
    MembershipFactory(community=CommunityFactory(name="福海西里", subdistrict="福海街道"), role=Role.VIEWER, user=user)
    client.force_login(user)
    return client


def zh(message: str, **values) -> str:
    with translation.override("zh-hans"):
        return translation.gettext(message) % values


def month_not_over() -> str:
    return zh("As of %(day)s; the month is not over yet", day="12月7日")


def heading(response) -> str:
    return re.search(r"<h1[^>]*>(.*?)</h1>", response.content.decode(), re.S).group(1)


def book(response):
    assert response.status_code == 200
    return load_workbook(BytesIO(response.content))


def disposition_fallback(response) -> str:
    return re.search(r'filename="([^"]*)"', response["Content-Disposition"]).group(1)


def test_it_heads_every_sheet_of_the_report_with_the_community_and_month(secretary_client, community):
    workbook = book(secretary_client.get(EXPORT, {"month": "2026-11"}))
    assert {ws.title: ws["A1"].value for ws in workbook} == dict.fromkeys(
        workbook.sheetnames, "福海佳园 · 月度报表 · 2026年11月"
    )


def test_it_keeps_the_report_sheets_headers_under_the_title_row(secretary_client):
    workbook = book(secretary_client.get(EXPORT, {"month": "2026-11"}))
    assert (workbook["民情日记"]["A2"].value, workbook["民情日记"].freeze_panes) == ("指标", "A3")


def test_it_titles_the_report_workbook(secretary_client):
    workbook = book(secretary_client.get(EXPORT, {"month": "2026-11"}))
    assert workbook.properties.title == "福海佳园 · 月度报表 · 2026年11月"


def test_it_gives_each_communitys_report_its_own_ascii_file_name(secretary_client, community):
    response = secretary_client.get(EXPORT, {"month": "2026-11"})
    assert disposition_fallback(response) == f"monthly-report-c{community.pk}-2026-11.xlsx"


def test_it_gives_each_communitys_records_their_own_ascii_file_name(secretary_client, community):
    response = secretary_client.get(reverse("reports:report_records"), {"month": "2026-11"})
    assert disposition_fallback(response) == f"monthly-records-c{community.pk}-2026-11.xlsx"


def test_it_heads_the_overview_sheet_with_the_subdistrict_and_month(street_client):
    workbook = book(street_client.get(STREET_EXPORT, {"month": "2026-11"}))
    assert (workbook.active["A1"].value, workbook.properties.title) == ("福海街道 · 街道总览 · 2026年11月",) * 2


def test_it_names_the_overviews_ascii_file_apart_from_a_communitys(street_client):
    response = street_client.get(STREET_EXPORT, {"month": "2026-11"})
    assert disposition_fallback(response) == "subdistrict-overview-2026-11.xlsx"


def test_it_heads_the_overviews_bad_month_page_as_the_overview(street_client):
    response = street_client.get(STREET, {"month": "abc"})
    assert (response.status_code, heading(response)) == (400, "街道总览")
    assert f'href="{STREET}"' in response.content.decode()


def test_it_still_heads_the_reports_bad_month_page_as_the_report(secretary_client):
    assert heading(secretary_client.get(REPORT, {"month": "abc"})) == "月度报表"


def test_it_says_the_current_month_of_the_report_is_not_over(secretary_client):
    assert month_not_over() in heading(secretary_client.get(REPORT, {"month": "2026-12"}))


def test_it_says_nothing_of_the_kind_for_a_month_that_is_over(secretary_client):
    assert "12月7日" not in heading(secretary_client.get(REPORT, {"month": "2026-11"}))


def test_it_says_the_current_quarter_is_not_over(secretary_client):
    expected = zh("As of %(day)s; the quarter is not over yet", day="12月7日")
    assert expected in heading(secretary_client.get(REPORT, {"quarter": "2026Q4"}))


def test_it_says_the_current_month_of_the_overview_is_not_over(street_client):
    assert month_not_over() in heading(street_client.get(STREET, {"month": "2026-12"}))


def test_it_says_the_current_month_is_not_over_in_the_exports_title_rows(secretary_client, street_client, community):
    report = book(secretary_client.get(EXPORT, {"month": "2026-12"}))["民情日记"]["A1"].value
    overview = book(street_client.get(STREET_EXPORT, {"month": "2026-12"})).active["A1"].value
    assert month_not_over() in report and month_not_over() in overview
    assert report.startswith(community.name) and overview.startswith("福海街道")


def test_it_writes_a_quarter_as_an_office_does(secretary_client):
    with translation.override("zh-hans"):
        expected = translation.pgettext("quarter", "Q3 %(year)s") % {"year": 2026}
    page = heading(secretary_client.get(REPORT, {"quarter": "2026Q3"}))
    assert "2026Q3" not in page and expected in page


def test_it_keeps_case_numbers_and_channels_on_one_line_in_the_rows_behind_a_figure(secretary_client, community):
    issue = IssueFactory(
        community=community, received_at=datetime(2026, 11, 3, 9, tzinfo=TZ), channel=IssueChannel.HOTLINE
    )
    url = reverse("reports:report_issue_rows", args=["received"])
    page = secretary_client.get(url, {"month": "2026-11"}).content.decode()
    with translation.override("zh-hans"):
        channel = str(IssueChannel.HOTLINE.label)
    assert re.search(rf'<td class="text-nowrap"><a href="[^"]*">{issue.code}</a>\s*</td>', page)
    assert f'<td class="text-nowrap">{channel}</td>' in page


def test_it_prints_the_overview_without_its_screen_hints_and_sort_arrow(street_client):
    page = street_client.get(STREET, {"month": "2026-11", "sort": "name"}).content.decode()
    hint = zh("Click a column to sort, a community to open its report, a figure to open what is behind it.")
    assert f'<span class="d-print-none">{hint}</span>' in page
    assert '<span class="d-print-none"> ▲</span>' in page and page.count("▲") == 1
