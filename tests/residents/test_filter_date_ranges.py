"""Every list's 'between' filter (residents.filters.FilterForm): a range whose first date is after
its second is said in the list's alert, by the filter's label, with the dates kept; the list
waits for it to be swapped, as it does for any filter not understood. 1 December to 1 November
showed an empty list and no word on the access records and the volunteer hours."""

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from residents.models.resident import AccessLog
from tests.factories import ActivityFactory, IssueFactory, ParticipationFactory

BEIJING = ZoneInfo("Asia/Shanghai")
MID_NOVEMBER = datetime(2026, 11, 15, 9, 30, tzinfo=BEIJING)
REVERSED = "第一个日期晚于第二个日期，请对调。"


@pytest.fixture
def access_record(resident, staff):
    with time_machine.travel(MID_NOVEMBER, tick=False):
        AccessLog.objects.create(
            community=resident.community, user=staff, resident=resident, field="phone", reason="联系家属"
        )
    return "联系家属"


@pytest.fixture
def volunteer(community):
    activity = ActivityFactory(community=community, starts_at=MID_NOVEMBER)
    ParticipationFactory(
        activity=activity,
        resident=None,
        name="志愿者赵敏",
        role="volunteer",
        hours=Decimal(2),
        checked_in_at=MID_NOVEMBER,
    )
    return "志愿者赵敏"


@pytest.fixture
def item(community):
    IssueFactory(community=community, text="楼道里堆了旧沙发", received_at=MID_NOVEMBER)
    return "楼道里堆了旧沙发"


#: Each list with a 'between' filter: its URL name, the filter's name, its label and a row of
#: mid-November (a fixture) that the list shows.
LISTS = [
    pytest.param("residents:accesslog_list", "created", "时间范围", "access_record", id="access records"),
    pytest.param("activities:volunteer_hours", "date", "活动日期", "volunteer", id="volunteer hours"),
    pytest.param("issues:issue_list", "received", "接件日期", "item", id="issue log"),
]


@pytest.mark.parametrize(("url", "name", "label", "row"), LISTS)
def test_a_reversed_range_is_said_by_the_filters_label_and_keeps_the_dates(
    request, secretary_client, url, name, label, row
):
    request.getfixturevalue(row)
    response = secretary_client.get(reverse(url), {f"{name}_min": "2026-12-01", f"{name}_max": "2026-11-01"})
    page = response.content.decode()
    assert response.status_code == 200
    errors = page.split('id="filter-errors"')[1].split("</ul>")[0]
    assert f"<li>{label}：{REVERSED}</li>" in errors
    assert 'value="2026-12-01"' in page and 'value="2026-11-01"' in page


@pytest.mark.parametrize(("url", "name", "label", "row"), LISTS)
def test_a_reversed_range_lists_nothing_and_counts_nothing_until_it_is_swapped(
    request, secretary_client, url, name, label, row
):
    shown = request.getfixturevalue(row)
    reversed_page = secretary_client.get(reverse(url), {f"{name}_min": "2026-11-30", f"{name}_max": "2026-11-01"})
    assert shown not in reversed_page.content.decode() and "共 0 条" not in reversed_page.content.decode()
    swapped = secretary_client.get(reverse(url), {f"{name}_min": "2026-11-01", f"{name}_max": "2026-11-30"})
    assert shown in swapped.content.decode() and 'id="filter-errors"' not in swapped.content.decode()


@pytest.mark.parametrize(("url", "name", "label", "row"), LISTS)
def test_a_range_of_one_day_lists_that_day(request, secretary_client, url, name, label, row):
    shown = request.getfixturevalue(row)
    page = secretary_client.get(reverse(url), {f"{name}_min": "2026-11-15", f"{name}_max": "2026-11-15"})
    assert shown in page.content.decode() and 'id="filter-errors"' not in page.content.decode()


def test_the_volunteer_hours_of_a_reversed_range_are_not_exported_as_every_hour(secretary_client, volunteer):
    """Without its range the filter would export every hour ever served under the dates asked for;
    it exports nothing and goes back to the page, which says to swap the dates
    (tests/activities/test_volunteer_hours_report.py)."""
    url = reverse("activities:volunteer_hours_export")
    response = secretary_client.get(url, {"date_min": "2026-12-01", "date_max": "2026-11-01"})
    assert response.status_code == 302 and volunteer.encode() not in response.content
    assert not response["Content-Type"].startswith("application/vnd.openxml")
