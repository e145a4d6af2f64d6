"""A month not yet begun, typed into the 12345 pages' ``?month=``: answered as this month."""

from datetime import date, datetime
from io import BytesIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

TZ = ZoneInfo("Asia/Shanghai")
PAGES = ["issues:hotline_list", "issues:hotline_rates", "issues:hotline_export"]


@pytest.fixture(autouse=True)
def december():
    with time_machine.travel(datetime(2026, 12, 7, 8, 30, tzinfo=TZ), tick=False):
        yield


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize("month", ["2027-01", "2027-03", "9998-05"])
def test_a_month_not_yet_begun_is_sent_to_this_month(staff_client, name, month):
    response = staff_client.get(reverse(name), {"month": month})
    assert response.status_code == 302
    assert response["Location"] == f"{reverse(name)}?month=2026-12"


def test_the_list_keeps_only_open_when_it_sends_to_this_month(staff_client):
    response = staff_client.get(reverse("issues:hotline_list"), {"month": "2027-03", "open": "1"})
    assert response["Location"] == f"{reverse('issues:hotline_list')}?month=2026-12&open=1"


def test_this_months_open_case_is_not_listed_as_from_an_earlier_month(staff_client, make_case):
    """2027-03 listed this month's open cases again, each marked 往月未办结."""
    case = make_case(dispatched=datetime(2026, 12, 2, 8, tzinfo=TZ))
    response = staff_client.get(reverse("issues:hotline_list"), {"month": "2027-03"}, follow=True)
    assert response.context["month"] == date(2026, 12, 1)
    assert list(response.context["page_obj"]) == [case]
    assert "earlier-open" not in response.content.decode()


def test_the_rates_of_a_month_not_yet_begun_are_this_months(staff_client, make_case):
    case = make_case(dispatched=datetime(2026, 12, 2, 8, tzinfo=TZ))
    response = staff_client.get(reverse("issues:hotline_rates"), {"month": "2027-03"}, follow=True)
    assert response.context["month"] == date(2026, 12, 1)
    assert response.context["cases"] == [case]


def test_the_export_of_a_month_not_yet_begun_is_this_months(staff_client, make_case):
    """It was a workbook of nothing, named for 2027-03."""
    case = make_case(dispatched=datetime(2026, 12, 2, 8, tzinfo=TZ))
    response = staff_client.get(reverse("issues:hotline_export"), {"month": "2027-03"}, follow=True)
    assert "202612.xlsx" in response["Content-Disposition"]
    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(min_row=2, values_only=True))
    assert [row[0] for row in rows] == [case.case_no]


@pytest.mark.parametrize("name", PAGES)
def test_the_month_begins_by_beijing_time(client, staff, name):
    """At 01:00 on 1 January in Beijing it is still December in UTC: January is this month."""
    with time_machine.travel(datetime(2026, 12, 31, 17, 0, tzinfo=ZoneInfo("UTC")), tick=False):
        client.force_login(staff)
        assert client.get(reverse(name), {"month": "2027-01"}).status_code == 200
