"""A volunteer planned ahead is listed but neither 到场 nor counted for hours until they are
there; the headcount, the lists, the hours page and the reports agree."""

from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation

from activities import selectors, services
from activities.models import Participation
from tests.activities.conftest import NOW
from tests.factories import ActivityFactory


@pytest.fixture
def next_saturday(community, secretary):
    """An activity eight days after the desk's clock (Friday 9:00): nobody can be there yet."""
    starts = NOW + timedelta(days=8, hours=0.5)
    return ActivityFactory(
        community=community, title="冬季消防演练", starts_at=starts, ends_at=starts + timedelta(hours=2)
    )


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False):
        yield NOW


def _present_list(content: str) -> str:
    start = content.index('id="present-list"')
    return content[start : content.index("</ul>", start)]


def test_it_plans_a_volunteer_recorded_before_sign_in_opens(next_saturday, staff):
    volunteer = services.record_volunteer(next_saturday, name="刘芳", by=staff, now=NOW)
    assert (volunteer.role, volunteer.checked_in_at, volunteer.hours) == ("volunteer", None, Decimal("2.00"))


def test_it_signs_in_a_planned_volunteer_at_the_desk(next_saturday, wang, staff):
    services.record_volunteer(next_saturday, resident=wang, by=staff, now=NOW)
    services.check_in(next_saturday, resident=wang, by=staff, now=next_saturday.starts_at)
    assert Participation.objects.get().checked_in_at == next_saturday.starts_at


def test_it_counts_a_volunteer_recorded_after_the_day_as_present_from_the_start(activity, staff):
    later = activity.ends_at + timedelta(days=3)
    volunteer = services.record_volunteer(activity, name="刘芳", by=staff, now=later)
    assert volunteer.checked_in_at == activity.starts_at


def test_it_shows_no_one_present_at_an_activity_with_only_a_planned_volunteer(staff_client, next_saturday, clock):
    staff_client.post(reverse("activities:participation_volunteer", args=[next_saturday.pk]), {"name": "刘芳"})
    content = staff_client.get(reverse("activities:activity_detail", args=[next_saturday.pk])).content.decode()
    assert 'data-present="0"' in content
    assert "刘芳" in content and "刘芳" not in _present_list(content)


def test_it_keeps_a_signed_in_resident_recorded_as_volunteer_among_the_present(staff_client, activity, wang):
    services.check_in(activity, resident=wang, by=None, now=activity.starts_at)
    services.record_volunteer(activity, resident=wang, by=None, now=activity.starts_at)
    content = staff_client.get(reverse("activities:activity_detail", args=[activity.pk])).content.decode()
    assert 'data-present="1"' in content and "王秀英" in _present_list(content)


def test_it_leaves_a_planned_volunteer_out_of_the_hours_page(staff_client, next_saturday, activity, staff):
    services.record_volunteer(next_saturday, name="刘芳", by=staff, now=NOW)
    services.record_volunteer(activity, name="张伟", by=staff, now=activity.starts_at)
    rows = staff_client.get(reverse("activities:volunteer_hours")).context["page_obj"].object_list
    assert [row["name"] for row in rows] == ["张伟"]


def test_it_leaves_a_planned_volunteers_hours_out_of_the_report(community, next_saturday, activity, staff):
    services.record_volunteer(next_saturday, name="刘芳", hours=Decimal(3), by=staff, now=NOW)
    services.record_volunteer(activity, name="张伟", hours=Decimal(1), by=staff, now=activity.starts_at)
    start, end = NOW - timedelta(days=3), NOW + timedelta(days=27)
    rows, _kinds = selectors.activity_report(community, start=start, end=end, first=start.date(), last=end.date())
    assert [(row["volunteers"], row["hours"]) for row in rows] == [(1, Decimal("1.00"))]


def test_it_leaves_a_planned_volunteer_out_of_the_report_rows(community, next_saturday, staff):
    services.record_volunteer(next_saturday, name="刘芳", by=staff, now=NOW)
    row = selectors.activities_between(community, start=NOW, end=NOW + timedelta(days=30)).get()
    assert (row.volunteer_count, row.served_count, row.hours) == (1, 0, None)


def test_it_leaves_a_planned_volunteer_out_of_the_write_up(next_saturday, staff):
    services.record_volunteer(next_saturday, name="刘芳", by=staff, now=NOW)
    with translation.override("en"):
        assert "volunteers served" not in services.draft_briefing(next_saturday, community_name="福海佳园")


def test_it_lists_a_planned_volunteer_at_the_desk(staff_client, next_saturday, wang, clock):
    services.record_volunteer(next_saturday, resident=wang, by=None, now=NOW)
    rows = staff_client.get(reverse("activities:participation_checkin", args=[next_saturday.pk])).context["rows"]
    assert [row["resident"] for row in rows] == [wang]
