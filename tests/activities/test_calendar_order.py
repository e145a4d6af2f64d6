"""The calendar lists a day's activities by the time each shows that day, not by its start date:
a two-day activity from 10:00 yesterday comes after today's 09:30."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.urls import reverse

from tests.factories import ActivityFactory

TZ = ZoneInfo("Asia/Shanghai")


def test_it_orders_a_days_activities_by_their_time_of_day(staff_client, community):
    two_days = datetime(2026, 12, 7, 10, 0, tzinfo=TZ)
    ActivityFactory(
        community=community, title="两百年活动", starts_at=two_days, ends_at=two_days + timedelta(days=1, hours=6)
    )
    morning = datetime(2026, 12, 8, 9, 30, tzinfo=TZ)
    ActivityFactory(
        community=community, title="宪法宣传进社区", starts_at=morning, ends_at=morning + timedelta(hours=2)
    )
    response = staff_client.get(reverse("activities:activity_calendar_month", args=[2026, 12]))
    [cell] = [c for week in response.context["weeks"] for c in week if c["day"] == morning.date()]
    assert [a.title for a in cell["activities"]] == ["宪法宣传进社区", "两百年活动"]
