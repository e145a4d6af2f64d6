"""A month with nothing to count (nobody due a visit, no 12345 case) has no rate: the chart
shows a band saying so, the table and the workbooks a dash, never 0 %; a real 0 % (visits due,
none done) stays 0.0. The trend tables list the newest month first."""

import re
from datetime import date, datetime
from decimal import Decimal
from io import BytesIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django.utils.translation import gettext
from openpyxl import load_workbook

from fuhai.reports.charts import bar_chart, hbar_chart, line_chart
from residents.models.community import Role
from tests.factories import CommunityFactory, MembershipFactory, ResidentFactory, SpecialStatusFactory

TZ = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 12, 2, 9, 0, tzinfo=TZ)
URL = reverse("reports:report")


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def due_since_october(community):
    """One resident living alone, special from 2026-10-15 and never visited: nobody was due
    before October (no rate), and October and November are a real 0 %."""
    SpecialStatusFactory(resident=ResidentFactory(community=community), valid_from=date(2026, 10, 15))


def visit_trend_rows(page: str) -> list[tuple[str, str]]:
    table = page[page.index('id="visit-trend"') :]
    table = table[: table.index("</table>")]
    return re.findall(r'<th scope="row">([^<]+)</th><td class="text-end">([^<]*)</td>', table)


def test_it_bands_a_month_without_any_rate_as_no_data():
    svg = line_chart("探访率", ["09", "10", "11"], [("探访率", [None, 0, 50])], no_data="无数据")
    assert svg.count("无数据") == 1
    assert svg.count('fill="#f2f2f2"') == 1


def test_it_does_not_band_a_real_zero():
    svg = line_chart("探访率", ["10", "11"], [("探访率", [0, 0])], no_data="无数据")
    assert "无数据" not in svg


def test_it_does_not_band_a_month_one_series_of_which_has_a_rate():
    svg = line_chart("三率", ["10", "11"], [("响应率", [80, 90]), ("满意率", [None, 70])], no_data="无数据")
    assert "无数据" not in svg


def test_it_draws_every_chart_text_at_13_units_at_least():
    charts = [
        line_chart("三率", ["10", "11"], [("响应率", [80, None])], no_data="无数据"),
        bar_chart("收到", ["10", "11"], [("收到", [7, 13])]),
        hbar_chart("分类", [("供暖", 3)]),
    ]
    for svg in charts:
        sizes = [int(size) for size in re.findall(r'font-size="(\d+)"', svg)]
        assert sizes and min(sizes) >= 13, svg


def test_it_shows_a_dash_for_a_month_nobody_was_due_and_0_for_a_real_0(secretary_client, due_since_october):
    page = secretary_client.get(URL, {"month": "2026-11"}).content.decode()
    rows = dict(visit_trend_rows(page))
    assert rows["2025年12月"] == rows["2026年9月"] == "—"
    assert rows["2026年10月"] == rows["2026年11月"] == "0.0"


def test_it_bands_the_months_nobody_was_due_on_the_visit_chart(secretary_client, due_since_october):
    visits = secretary_client.get(URL, {"month": "2026-11"}).context["visits"]
    assert [rate for _, rate in visits["trend"]][-3:] == [None, Decimal("0.0"), Decimal("0.0")]
    assert visits["chart"].count(gettext("No data")) == 1


def test_it_lists_the_visit_trend_newest_month_first(secretary_client, due_since_october):
    page = secretary_client.get(URL, {"month": "2026-11"}).content.decode()
    months = [month for month, _ in visit_trend_rows(page)]
    assert months[0] == "2026年11月" and months[-1] == "2025年12月"
    as_numbers = [tuple(int(n) for n in re.findall(r"\d+", month)) for month in months]
    assert as_numbers == sorted(as_numbers, reverse=True)


def test_it_writes_a_dash_in_the_workbook_for_a_month_nobody_was_due(secretary_client, due_since_october):
    response = secretary_client.get(reverse("reports:report_export"), {"month": "2026-11"})
    sheet = load_workbook(BytesIO(response.content))["特殊人群探访"]
    by_month = {row[0]: row[1] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert by_month["2025-12"] == by_month["2026-09"] == "—"
    assert by_month["2026-10"] == by_month["2026-11"] == 0


def test_it_writes_a_dash_in_the_overview_workbook_for_a_community_nobody_was_due_in(db, client):
    user = MembershipFactory(community=CommunityFactory(name="福海东里"), role=Role.VIEWER).user
    MembershipFactory(community=CommunityFactory(name="福海西里"), role=Role.VIEWER, user=user)
    client.force_login(user)
    response = client.get(reverse("reports:street_export"), {"month": "2026-11"})
    sheet = load_workbook(BytesIO(response.content)).active
    headers = [cell.value for cell in sheet[2]]  # under the title row
    column = headers.index("月探访率 (%)")
    assert [row[column] for row in sheet.iter_rows(min_row=3, values_only=True)] == ["—", "—"]
