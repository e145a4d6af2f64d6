"""The monthly report as one Excel workbook: a sheet per section, the same figures as the page."""

from datetime import date, datetime
from io import BytesIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from issues.models.choices import IssueStatus
from tests.factories import (
    DistributionFactory,
    HotlineCaseFactory,
    IssueFactory,
    ResidentFactory,
    RoomFactory,
    SpecialStatusFactory,
)

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


def three_cases(community, *, resolution_day: int) -> None:
    """Cases BJ000–BJ002 dispatched on 3, 4 and 5 November, to respond by the 4th."""
    for n, day in enumerate((3, 4, 5)):
        HotlineCaseFactory(
            community=community,
            case_no=f"BJ{n:03d}",
            dispatched_at=datetime(2026, 11, day, 9, tzinfo=TZ),
            response_deadline=datetime(2026, 11, 4, tzinfo=TZ),
            resolution_deadline=datetime(2026, 11, resolution_day, tzinfo=TZ),
        )


def test_the_12345_sheet_heads_its_case_numbers_and_says_how_many_were_dispatched(secretary_client, community):
    """The missed-deadline table's first column read 超时工单 over the case numbers, and the sheet
    had no 本期派单, which the page shows."""
    three_cases(community, resolution_day=10)
    rows = list(workbook(secretary_client.get(URL, {"month": "2026-11"}))["12345热线"].iter_rows(values_only=True))
    [heading] = [row for row in rows if row[0] == "工单编号"]
    assert rows.index(heading) < min(rows.index(row) for row in rows if str(row[0]).startswith("BJ"))
    with translation.override("zh-hans"):
        dispatched = translation.pgettext("report", "Cases dispatched in the period")
    assert [row[1] for row in rows if row[0] == dispatched] == [3]


def zh(message: str, context: str = "") -> str:
    with translation.override("zh-hans"):
        return translation.pgettext(context, message) if context else translation.gettext(message)


def rows_of(client, sheet: str, month: str = "2026-11") -> list[tuple]:
    return list(workbook(client.get(URL, {"month": month}))[sheet].iter_rows(values_only=True))


def test_it_keeps_the_fire_blanket_coverage_out_of_the_supplies_pieces_column(secretary_client, community):
    """The coverage row put 0/39 under the supplies table's 件数: a ratio in a count column."""
    rooms = [RoomFactory(unit__building__community=community) for _ in range(3)]
    for room in rooms:
        SpecialStatusFactory(resident=ResidentFactory(community=community, room=room))
    DistributionFactory(community=community, room=rooms[0], handed_on=date(2026, 11, 5), quantity=2)
    rows = rows_of(secretary_client, "特殊人群探访")
    supplies = [row[0] for row in rows].index(zh("Supplies handed out"))
    pieces = []
    for row in rows[supplies + 1 :]:
        if not row[0]:
            break
        pieces.append(row[2])
    assert pieces and all(isinstance(n, int) for n in pieces)
    coverage = zh("Fire blanket coverage of special households") + " (%)"
    [header] = [row for row in rows if coverage in row]
    figures = dict(zip(header, rows[rows.index(header) + 1], strict=False))
    assert figures[zh("Special households")] == 3
    assert figures[zh("Households with a fire blanket")] == 1
    assert figures[coverage] == 33.3


def test_the_12345_sheet_says_how_many_cases_missed_a_deadline_as_the_page_does(secretary_client, community):
    three_cases(community, resolution_day=30)
    page = secretary_client.get(reverse("reports:report"), {"month": "2026-11"}).context["hotline"]["missed_count"]
    rows = rows_of(secretary_client, "12345热线")
    assert page > 0
    assert [row[1] for row in rows if row[0] == zh("Cases that missed a deadline")] == [page]


def test_it_writes_every_missing_figure_as_the_same_dash(secretary_client):
    """For 2020-01 平均办结天数 was a blank cell while the 12345 sheet wrote —."""
    book = workbook(secretary_client.get(URL, {"month": "2020-01"}))
    figures = {row[0]: row[1] for row in book["民情日记"].iter_rows(min_row=3, values_only=True)}
    assert figures[zh("Average days to solve")] == "—"
    assert figures[zh("Solved on time rate") + " (%)"] == "—"
    rates = [row for row in book["12345热线"].iter_rows(min_row=3, values_only=True) if row[0] == zh("Period")]
    assert rates[0][1] == "—"


def test_it_makes_every_report_column_as_wide_as_its_labels(secretary_client, community):
    """Every column was 10 wide, too narrow for 期末超时未办结 or 特殊人群家庭灭火毯覆盖率."""
    IssueFactory(community=community, received_at=datetime(2026, 11, 3, 9, tzinfo=TZ))
    book = workbook(secretary_client.get(URL, {"month": "2026-11"}))
    for sheet in book.worksheets:
        for row in sheet.iter_rows(min_row=2):  # the title row spills over, as a title does
            for cell in row:
                if isinstance(cell.value, str):
                    wanted = min(sum(2 if ord(ch) > 0x2E80 else 1 for ch in cell.value), 38)
                    assert sheet.column_dimensions[cell.column_letter].width >= wanted, (sheet.title, cell.value)
