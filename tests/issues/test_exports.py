"""The 民情日记 台账 and the 12345 month as files: hostile text stays text, numbers masked."""

from datetime import date, datetime
from io import BytesIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from issues.models.issue import Issue

TZ = ZoneInfo("Asia/Shanghai")
HOSTILE = '=HYPERLINK("http://evil.example","点此")\x08楼上漏水，请回电13812348000'


def sheet(response):
    return load_workbook(BytesIO(response.content)).active


def formulas(ws):
    return [c.coordinate for row in ws.iter_rows() for c in row if c.data_type == "f"]


@pytest.fixture
def issue_export(staff_client, log):
    issue = log(HOSTILE)
    Issue.objects.filter(pk=issue.pk).update(result_note="@SUM(1)回电13812348000")
    return sheet(staff_client.get(reverse("issues:issue_export")))


def test_it_writes_no_formula_into_the_issue_log(issue_export):
    assert formulas(issue_export) == []


def test_it_keeps_a_formula_like_item_text_as_text_in_the_issue_log(issue_export):
    assert issue_export["F2"].value.startswith('=HYPERLINK("http://evil.example"')


def test_it_removes_the_control_character_from_the_issue_log(issue_export):
    assert "\x08" not in issue_export["F2"].value


def test_it_masks_the_mobile_in_the_item_text_and_result_of_the_issue_log(issue_export):
    assert ("138****8000" in issue_export["F2"].value, "13812348000" in issue_export["L2"].value) == (True, False)


def test_it_writes_the_received_time_as_a_date_cell_in_local_time(issue_export, now):
    assert (issue_export["B2"].is_date, issue_export["B2"].value) == (True, now.replace(tzinfo=None))


def test_it_names_the_issue_log_in_chinese_with_the_date(staff_client, community):
    with time_machine.travel(datetime(2026, 12, 1, 9, 0, tzinfo=TZ)):
        disposition = staff_client.get(reverse("issues:issue_export"))["Content-Disposition"]
    assert "filename*=UTF-8''%E6%B0%91%E6%83%85%E6%97%A5%E8%AE%B0%E5%8F%B0%E8%B4%A6_20261201.xlsx" in disposition


@pytest.fixture
def hotline_export(staff_client, make_case, now):
    make_case(dispatched=now, text=HOSTILE, caller_name="=cmd|' /C calc'!A0", caller_phone="13900001234")
    return sheet(staff_client.get(reverse("issues:hotline_export"), {"month": f"{now:%Y-%m}"}))


def test_it_writes_no_formula_into_the_12345_month(hotline_export):
    assert formulas(hotline_export) == []


def test_it_keeps_a_formula_like_caller_name_as_text(hotline_export):
    assert hotline_export["D2"].value == "=cmd|' /C calc'!A0"


def test_it_removes_the_control_character_from_the_12345_month(hotline_export):
    assert "\x08" not in hotline_export["F2"].value


def test_it_masks_the_mobile_in_the_12345_case_text(hotline_export):
    assert "138****8000" in hotline_export["F2"].value


def test_it_keeps_the_12345_case_number_whole(hotline_export):
    assert hotline_export["A2"].value == "2026113000001"


def test_it_writes_the_dispatch_time_as_a_date_cell(hotline_export, now):
    assert (hotline_export["B2"].is_date, hotline_export["B2"].value.date()) == (True, date(2026, 11, 30))


def test_an_export_with_a_filter_not_understood_goes_back_to_the_list_that_says_why(staff_client, log):
    log("楼道里堆了旧沙发")
    reversed_range = {"received_min": "2026-12-01", "received_max": "2026-11-01"}
    response = staff_client.get(reverse("issues:issue_export"), reversed_range)
    assert response.status_code == 302
    assert response["Location"] == reverse("issues:issue_list") + "?received_min=2026-12-01&received_max=2026-11-01"
    page = staff_client.get(response["Location"]).content.decode()
    assert "第一个日期晚于第二个日期，请对调。" in page and 'value="2026-12-01"' in page


def test_it_writes_the_receipt_time_without_microseconds(staff_client, log):
    log(now=datetime(2026, 11, 30, 8, 30, 12, 345678, tzinfo=TZ))
    assert sheet(staff_client.get(reverse("issues:issue_export")))["B2"].value == datetime(2026, 11, 30, 8, 30, 12)


NUMBERS = "王秀英说楼上漏水，电话138 0013 8000，身份证110101199001011234，老证110105710923123"
MASKED = "王秀英说楼上漏水，电话138 **** 8000，身份证110***********1234，老证110********3123"


@pytest.mark.parametrize(("member", "shown"), [("staff", "王秀英"), ("viewer", "王**")])
def test_the_issue_log_writes_the_numbers_of_the_text_and_result_masked_once(login, request, log, member, shown):
    """The writer masks the numbers of every text; the row masks only the names the 街道 viewer
    may not read (it masked the numbers too, and the writer then again)."""
    issue = log(NUMBERS, reporter_name="王秀英")
    Issue.objects.filter(pk=issue.pk).update(result_note="已联系王秀英，回电13812348000")
    ws = sheet(login(request.getfixturevalue(member)).get(reverse("issues:issue_export")))
    assert ws["F2"].value == MASKED.replace("王秀英", shown)
    assert ws["L2"].value == f"已联系{shown}，回电138****8000"


@pytest.mark.parametrize(("member", "shown"), [("staff", "王秀英"), ("viewer", "王**")])
def test_the_12345_month_writes_the_numbers_of_the_text_masked_once(login, request, make_case, now, member, shown):
    make_case(dispatched=now, text=NUMBERS, caller_name="王秀英", caller_phone="13900001234")
    ws = sheet(login(request.getfixturevalue(member)).get(reverse("issues:hotline_export"), {"month": f"{now:%Y-%m}"}))
    assert (ws["D2"].value, ws["E2"].value) == (shown, "139****1234")
    assert ws["F2"].value == MASKED.replace("王秀英", shown)
