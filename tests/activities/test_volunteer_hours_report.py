"""志愿服务时长: a reversed date range is said, never exported as an empty workbook; month shortcuts."""

import time_machine
from django.urls import reverse

from activities import services
from tests.activities.conftest import NOW

REVERSED = {"date_min": "2026-12-31", "date_max": "2026-12-01"}


def test_it_refuses_to_export_a_reversed_date_range_and_says_why(staff_client, activity):
    services.record_volunteer(activity, name="刘芳", hours=1, by=None, now=activity.starts_at)
    response = staff_client.get(reverse("activities:volunteer_hours_export"), REVERSED, follow=True)
    content = response.content.decode()
    assert response.redirect_chain[0][0].startswith(reverse("activities:volunteer_hours"))
    assert "date_min=2026-12-31" in response.redirect_chain[0][0]
    assert 'id="filter-errors"' in content and "对调" in content


def test_it_still_exports_a_range_in_order(staff_client, activity):
    response = staff_client.get(
        reverse("activities:volunteer_hours_export"), {"date_min": "2026-12-01", "date_max": "2026-12-31"}
    )
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxml")


def test_it_offers_this_month_and_last_month(staff_client):
    with time_machine.travel(NOW, tick=False):
        content = staff_client.get(reverse("activities:volunteer_hours")).content.decode()
    shortcuts = content[content.index('id="month-shortcuts"') :]
    assert "date_min=2026-12-01&amp;date_max=2026-12-04" in shortcuts
    assert "date_min=2026-11-01&amp;date_max=2026-11-30" in shortcuts


def test_a_reversed_range_does_not_say_the_period_had_no_hours(staff_client, activity):
    """A tester read 该时段暂无志愿服务记录 under a reversed range as "nobody served then"."""
    services.record_volunteer(activity, name="刘芳", hours=1, by=None, now=activity.starts_at)
    content = staff_client.get(reverse("activities:volunteer_hours"), REVERSED).content.decode()
    assert "该时段暂无志愿服务记录" not in content and "请先更正上方的日期" in content
