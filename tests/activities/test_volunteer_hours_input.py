"""Volunteer hours as the office types them (1.5, 1小时30分, 90分钟, 半小时, full-width digits):
read exactly, refused in words with the typed text kept, summed and shown the same everywhere."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from activities.hours import format_hours, parse_hours
from activities.models import ActivitySettings, HoursRounding, Participation
from tests.factories import ActivityFactory

SAME_HOUR_AND_A_HALF = ["1.5", "1小时30分", "1小时30分钟", "90分钟", "90分", "一个半小时", "1个半小时", "1小时半",
                        "１．５", "１小时３０分", "1:30", "1h30m", "1.5 小时", "1.5h", "90 min"]  # fmt: skip


@pytest.mark.parametrize("typed", SAME_HOUR_AND_A_HALF)
def test_it_reads_an_hour_and_a_half_however_it_is_typed(typed):
    assert parse_hours(typed) == Decimal("1.5")


@pytest.mark.parametrize(
    ("typed", "hours"),
    [("半小时", "0.5"), ("半个小时", "0.5"), ("两小时", "2"), ("一刻钟", "0.25"), ("45分钟", "0.75"), ("3", "3")],
)
def test_it_reads_the_other_ways_the_office_writes_hours(typed, hours):
    assert parse_hours(typed) == Decimal(hours)


@pytest.mark.parametrize("typed", ["abc", "-1", "1小时90分", "1.5个半小时", "一二", "1.5.5", "小时", "半"])
def test_it_reads_nonsense_as_no_hours(typed):
    assert parse_hours(typed) is None


@pytest.mark.parametrize(("stored", "shown"), [("1.50", "1.5"), ("2.00", "2"), ("0.25", "0.25"), ("10.00", "10")])
def test_it_shows_hours_one_way(stored, shown):
    assert format_hours(Decimal(stored)) == shown


def _record(client, activity, hours, name="刘芳"):
    url = reverse("activities:participation_volunteer", args=[activity.pk])
    return client.post(url, {"name": name, "volunteer_role": "签到", "hours": hours}, follow=True)


@pytest.mark.parametrize("typed", ["1小时30分", "90分钟", "１．５", "一个半小时"])
def test_it_records_hours_typed_in_words_exactly(staff_client, activity, typed):
    _record(staff_client, activity, typed)
    assert Participation.objects.get().hours == Decimal("1.50")


@pytest.mark.parametrize("typed", ["很久", "1小时90分", "-2"])
def test_it_refuses_hours_it_cannot_read_keeping_what_was_typed(staff_client, activity, typed):
    response = _record(staff_client, activity, typed)
    assert not Participation.objects.exists()
    assert f"“{typed}”" in response.context["volunteer_form"].errors["hours"][0]  # said, with it
    assert f'value="{typed}"' in response.content.decode()  # and the field still holds it


def test_it_refuses_more_than_a_days_hours(staff_client, activity):
    response = _record(staff_client, activity, "25小时")
    assert not Participation.objects.exists()
    assert response.context["volunteer_form"].has_error("hours", code="max_value")


def test_it_says_when_typed_hours_were_rounded_by_the_rule(staff_client, activity, community):
    ActivitySettings.objects.create(community=community, hours_rounding=HoursRounding.HALF_DOWN)
    content = _record(staff_client, activity, "1小时20分").content.decode()
    banner = content[content.index('id="messages"') : content.index('id="volunteers"')]
    assert Participation.objects.get().hours == Decimal("1.00")
    assert "“1小时20分”" in banner


def test_it_sums_one_persons_hours_typed_three_ways_without_drift(staff_client, activity, community):
    ActivitySettings.objects.create(community=community, hours_rounding=HoursRounding.EXACT)
    later = [
        ActivityFactory(
            community=community,
            starts_at=activity.starts_at + timedelta(days=d),
            ends_at=activity.ends_at + timedelta(days=d),
        )
        for d in (-2, -1)
    ]
    for each, typed in zip([activity, *later], ["0.1", "6分钟", "０．２"], strict=True):
        _record(staff_client, each, typed)
    rows = staff_client.get(reverse("activities:volunteer_hours")).context["page_obj"].object_list
    assert [(row["name"], row["times"], row["total"]) for row in rows] == [("刘芳", 3, Decimal("0.40"))]
    assert '<td class="text-end">0.4</td>' in staff_client.get(reverse("activities:volunteer_hours")).content.decode()


def test_it_shows_an_hour_and_a_half_as_1_5_on_the_activity_and_the_hours_page(staff_client, activity):
    _record(staff_client, activity, "90分钟")
    detail = staff_client.get(activity.get_absolute_url()).content.decode()
    hours_page = staff_client.get(reverse("activities:volunteer_hours")).content.decode()
    assert '<td class="text-end pe-3">1.5</td>' in detail and "1.50" not in detail
    assert '<td class="text-end">1.5</td>' in hours_page and "1.50" not in hours_page


def test_it_refuses_hours_longer_than_the_activity_keeping_what_was_typed(staff_client, activity):
    """A tester recorded 20 hours for a 2-hour activity; this one lasts an hour and a half."""
    response = _record(staff_client, activity, "20小时")
    assert not Participation.objects.exists()
    assert response.context["volunteer_form"].has_error("hours", code="longer_than_activity")
    assert "1.5" in response.context["volunteer_form"].errors["hours"][0]
    assert 'value="20小时"' in response.content.decode()


def test_it_takes_hours_as_long_as_the_activity(staff_client, activity):
    _record(staff_client, activity, "1小时30分")
    assert Participation.objects.get().hours == Decimal("1.50")


def test_it_takes_the_activitys_length_as_the_rule_rounds_it(staff_client, activity, community):
    """1 h 50 min to the nearest half hour is 2 h, what an empty field records: typed, it is taken too."""
    activity.ends_at = activity.starts_at + timedelta(hours=1, minutes=50)
    activity.save()
    ActivitySettings.objects.create(community=community, hours_rounding=HoursRounding.HALF_NEAREST)
    _record(staff_client, activity, "2")
    assert Participation.objects.get().hours == Decimal("2.00")


def test_it_keeps_the_task_when_hours_are_recorded_again_without_it(staff_client, activity):
    url = reverse("activities:participation_volunteer", args=[activity.pk])
    staff_client.post(url, {"name": "刘芳", "volunteer_role": "摄影", "hours": "1"})
    staff_client.post(url, {"name": "刘芳", "hours": "1.5"})
    volunteer = Participation.objects.get()
    assert (volunteer.volunteer_role, volunteer.hours) == ("摄影", Decimal("1.50"))


def test_it_changes_the_task_when_a_new_one_is_typed(staff_client, activity):
    url = reverse("activities:participation_volunteer", args=[activity.pk])
    staff_client.post(url, {"name": "刘芳", "volunteer_role": "摄影", "hours": "1"})
    staff_client.post(url, {"name": "刘芳", "volunteer_role": "讲解", "hours": ""})
    assert Participation.objects.get().volunteer_role == "讲解"
