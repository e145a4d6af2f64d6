"""A month not over yet is reported as of today: an activity planned for later in the month is not
yet held, on the report, the rows behind it and the 街道 overview."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from tests.factories import ActivityFactory, CommendationFactory

TZ = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 12, 8, 11, 0, tzinfo=TZ)  # the report reads 截至12月8日
DECEMBER = {"month": "2026-12"}


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def december(community):
    """Held on 12-01 and this morning at 9:30; planned for 12-08 15:00 and 12-10."""
    for title, starts in (
        ("宪法宣传进社区", datetime(2026, 12, 1, 9, 30, tzinfo=TZ)),
        ("冬季消防演练", datetime(2026, 12, 8, 9, 30, tzinfo=TZ)),
        ("下午书法课", datetime(2026, 12, 8, 15, 0, tzinfo=TZ)),
        ("两百年活动", datetime(2026, 12, 10, 10, 0, tzinfo=TZ)),
    ):
        ActivityFactory(community=community, title=title, starts_at=starts)


def test_it_counts_only_the_activities_started_by_now_in_the_report(client, viewer, december):
    client.force_login(viewer)
    activities = client.get(reverse("reports:report"), DECEMBER).context["activities"]
    assert activities["totals"]["activities"] == 2


def test_it_lists_only_the_activities_started_by_now_behind_the_figure(client, viewer, december):
    client.force_login(viewer)
    response = client.get(reverse("reports:report_activity_rows"), DECEMBER)
    assert [a.title for a in response.context["activities"]] == ["宪法宣传进社区", "冬季消防演练"]


def test_it_counts_only_the_activities_started_by_now_on_the_street_overview(client, viewer, december):
    client.force_login(viewer)
    [row] = client.get(reverse("reports:street"), DECEMBER).context["rows"]
    assert row.activities == 2


def test_it_counts_only_commendations_received_by_today(client, viewer, community):
    # Entered with a later date through the admin, which does not check it as the form does.
    CommendationFactory(community=community, received_on=date(2026, 12, 8))
    CommendationFactory(community=community, received_on=date(2026, 12, 20))
    client.force_login(viewer)
    assert client.get(reverse("reports:report"), DECEMBER).context["activities"]["commendation_total"] == 1
    rows = client.get(reverse("reports:report_activity_rows"), DECEMBER).context["commendations"]
    assert [c.received_on for c in rows] == [date(2026, 12, 8)]


def test_it_counts_every_activity_of_a_month_that_is_over(client, viewer, december):
    with time_machine.travel(datetime(2027, 1, 2, 9, 0, tzinfo=TZ), tick=False):
        client.force_login(viewer)
        assert client.get(reverse("reports:report"), DECEMBER).context["activities"]["totals"]["activities"] == 4
