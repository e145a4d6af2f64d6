"""The monthly report as one Excel workbook: a sheet per section, the same figures as the page."""

from datetime import datetime
from io import BytesIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from issues.hotline.models import HotlineCase
from issues.models.choices import IssueStatus
from tests.factories import IssueFactory

TZ = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 12, 2, 9, 0, tzinfo=TZ)
URL = reverse("reports:report_export")


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def workbook(response):
    assert response.status_code == 200
    return load_workbook(BytesIO(response.content))


def test_it_writes_a_sheet_per_section(secretary_client):
    book = workbook(secretary_client.get(URL, {"month": "2026-11"}))
    assert book.sheetnames == ["民情日记", "12345热线", "特殊人群探访", "活动与表扬"]


def test_it_writes_the_figures_the_page_shows(secretary_client, community):
    for day in (3, 4):
        IssueFactory(community=community, received_at=datetime(2026, 11, day, 9, tzinfo=TZ), status=IssueStatus.PENDING)
    sheet = workbook(secretary_client.get(URL, {"month": "2026-11"}))["民情日记"]
    figures = {row[0]: row[1] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert figures["接件"] == 2


def test_it_names_the_file_after_the_community_and_month(secretary_client):
    response = secretary_client.get(URL, {"month": "2026-11"})
    assert "2026-11.xlsx" in response["Content-Disposition"]


def test_it_explains_a_bad_month_instead_of_a_workbook(secretary_client):
    assert secretary_client.get(URL, {"month": "11-2026"}).status_code == 400


def test_it_gives_404_for_the_workbook_of_another_community(secretary_client, other_community):
    assert secretary_client.get(URL, {"community": other_community.pk}).status_code == 404


def test_the_12345_sheet_heads_its_case_numbers_and_says_how_many_were_dispatched(secretary_client, community):
    """The missed-deadline table's first column read 超时工单 over the case numbers, and the sheet
    had no 本期派单, which the page shows."""
    for n, day in enumerate((3, 4, 5)):
        HotlineCase.objects.create(
            issue=IssueFactory(community=community, received_at=datetime(2026, 11, day, 9, tzinfo=TZ)),
            community=community,
            case_no=f"BJ{n:03d}",
            request_type="complaint",
            dispatched_at=datetime(2026, 11, day, 9, tzinfo=TZ),
            response_deadline=datetime(2026, 11, 4, tzinfo=TZ),
            resolution_deadline=datetime(2026, 11, 10, tzinfo=TZ),
        )
    rows = list(workbook(secretary_client.get(URL, {"month": "2026-11"}))["12345热线"].iter_rows(values_only=True))
    [heading] = [row for row in rows if row[0] == "工单编号"]
    assert rows.index(heading) < min(rows.index(row) for row in rows if str(row[0]).startswith("BJ"))
    with translation.override("zh-hans"):
        dispatched = translation.pgettext("report", "Cases dispatched in the period")
    assert [row[1] for row in rows if row[0] == dispatched] == [3]
