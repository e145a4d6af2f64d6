"""An activity's dates, places and hours within sane bounds, refused in the office's words with
what was typed kept: 1900-01-01 to 2099-12-10 filled every day of the calendar and the board
(默认时长 1752649 小时), 名额 0 read as 不限, 服务0小时 was recorded, and an activity shortened or
moved after the day kept hours and sign-ins that no longer fit it. The messages are new (English
until the catalogue has them), so the forms and pages are read in English."""

from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation

from activities import services
from activities.forms import ActivityForm, CommendationForm, VolunteerForm
from activities.models import Activity, ActivitySettings, Commendation, HoursRounding, ParticipantRole, Participation
from tests.activities.conftest import NOW
from tests.factories import ActivityFactory, ParticipationFactory

TODAY = NOW.date()


@pytest.fixture(autouse=True)
def in_english_on_the_day():
    with translation.override("en"), time_machine.travel(NOW, tick=False):
        yield


def plan(community, activity=None, **data):
    base = {
        "title": "宪法宣传",
        "platform": "policy",
        "starts_at": "2026-12-12T09:30",
        "ends_at": "2026-12-12T11:00",
        "venue": "新时代文明实践站",
    }
    return ActivityForm({**base, **data}, instance=activity, community=community)


# --- dates ----------------------------------------------------------------------------------


def test_it_refuses_an_activity_starting_in_1900(community):
    form = plan(community, starts_at="1900-01-01T09:00", ends_at="2099-12-10T11:00")
    assert form.errors["starts_at"] == ["The date is more than 1 year ago: check the year."]


def test_it_refuses_an_activity_starting_three_years_ahead(community):
    form = plan(community, starts_at="2029-12-12T09:30", ends_at="2029-12-12T11:00")
    assert form.errors["starts_at"] == ["The date is more than 2 years ahead: check the year."]


def test_it_refuses_an_activity_running_until_2099(community):
    form = plan(community, ends_at="2099-12-10T11:00")
    assert form.errors["ends_at"] == ["An activity lasts at most 31 days: check the end."]


def test_it_plans_an_activity_over_three_days(community):
    assert plan(community, ends_at="2026-12-14T17:00").is_valid()


def test_the_page_keeps_what_was_typed_for_an_activity_from_1900(staff_client):
    staff_client.cookies["django_language"] = "en"
    data = {"title": "宪法宣传", "platform": "policy", "venue": "文化活动室"}
    data |= {"starts_at": "1900-01-01T09:00", "ends_at": "2099-12-10T11:00"}
    response = staff_client.post(reverse("activities:activity_create"), data)
    assert "The date is more than 1 year ago" in response.content.decode()
    assert 'value="文化活动室"' in response.content.decode() and not Activity.objects.exists()


def test_an_activity_held_long_ago_keeps_its_date_when_its_title_is_corrected(community):
    starts = NOW - timedelta(days=400)
    held = ActivityFactory(community=community, starts_at=starts, ends_at=starts + timedelta(hours=2))
    form = plan(
        community,
        held,
        title="宪法宣传进社区",
        starts_at=f"{starts:%Y-%m-%dT%H:%M}",
        ends_at=f"{held.ends_at:%Y-%m-%dT%H:%M}",
    )
    assert form.is_valid(), form.errors


def test_it_refuses_a_commendation_dated_1800(community):
    form = CommendationForm(
        {"kind": "banner", "received_on": "1800-01-01", "giver_resident_name": "李阿姨"}, community=community
    )
    assert form.errors["received_on"] == ["The date is more than 2 years ago: check the year."]
    assert not Commendation.objects.exists()


# --- places and words ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        ("0", "At least 1 place: leave it empty for no limit."),
        ("99999999999999", "At most 10000 places: check the number."),
        ("很多", "Enter the number of places as a whole number, or leave it empty for no limit."),
    ],
)
def test_it_refuses_a_capacity_out_of_bounds_in_its_own_words(community, typed, said):
    assert plan(community, capacity=typed).errors["capacity"] == [said]


def test_it_plans_an_activity_with_no_limit_when_the_capacity_is_empty(community):
    form = plan(community, capacity="")
    assert form.is_valid() and form.cleaned_data["capacity"] is None


def test_it_asks_for_the_venue_in_its_own_words(community):
    assert plan(community, venue="").errors["venue"] == ["Please enter where it takes place."]


# --- volunteer hours -----------------------------------------------------------------------


def hours_error(community, activity, typed):
    form = VolunteerForm({"name": "刘芳", "hours": typed}, community=community, activity=activity)
    return form.errors["hours"]


def test_it_refuses_zero_volunteer_hours(community, activity):
    assert hours_error(community, activity, "0") == ["“0”: hours must be more than 0."]


def test_it_says_negative_volunteer_hours_are_negative(community, activity):
    assert hours_error(community, activity, "-2") == ["“-2”: hours cannot be negative."]


def test_it_refuses_hours_the_rule_rounds_to_nothing(community, activity):
    ActivitySettings.objects.create(community=community, hours_rounding=HoursRounding.HALF_DOWN)
    assert hours_error(community, activity, "10分钟") == [
        "“10分钟” is 0 hours once rounded by this community's rule: hours must be more than 0."
    ]


def test_a_volunteer_at_an_activity_over_three_days_gets_a_days_hours_at_most(community, secretary):
    activity = ActivityFactory(community=community, starts_at=NOW - timedelta(days=3), ends_at=NOW)
    assert services.default_hours(activity) == Decimal(24)
    volunteer = services.record_volunteer(activity, by=secretary, now=NOW, name="刘芳")
    assert volunteer.hours == Decimal(24)


# --- what was recorded still fits a changed time -------------------------------------------


@pytest.fixture
def early(community):
    """An activity held this morning from 5:00 to 8:00, with two volunteers' hours recorded."""
    starts = NOW.replace(hour=5)
    activity = ActivityFactory(community=community, starts_at=starts, ends_at=starts + timedelta(hours=3))
    for name, hours in [("刘芳", "3"), ("张伟", "1.5")]:
        ParticipationFactory(
            activity=activity, resident=None, name=name, role=ParticipantRole.VOLUNTEER, hours=Decimal(hours),
            checked_in_at=starts,
        )  # fmt: skip
    return activity


def test_it_refuses_to_shorten_an_activity_below_the_hours_recorded(community, early):
    form = plan(community, early, starts_at="2026-12-04T05:00", ends_at="2026-12-04T05:30")
    assert form.non_field_errors() == [
        "2 volunteer(s) have more hours recorded than the new time allows (0.5 hours): lower their hours "
        "on the activity's page first, or keep the longer time."
    ]


def test_it_shortens_an_activity_the_hours_still_fit(community, early):
    assert plan(community, early, starts_at="2026-12-04T05:00", ends_at="2026-12-04T08:00", title="晨练").is_valid()
    assert plan(community, early, starts_at="2026-12-04T05:00", ends_at="2026-12-04T07:00").errors == {
        "__all__": [
            "1 volunteer(s) have more hours recorded than the new time allows (2 hours): lower their hours "
            "on the activity's page first, or keep the longer time."
        ]
    }


def test_it_refuses_to_move_an_activity_people_signed_in_at_to_next_week(community, early):
    form = plan(community, early, starts_at="2026-12-11T05:00", ends_at="2026-12-11T08:00")
    assert form.non_field_errors() == [
        "2 sign-in(s) recorded at this activity do not fit the new time: check the date and time. "
        "To hold the activity again on another day, plan a new one."
    ]


def test_it_moves_an_activity_nobody_has_signed_in_at(community, activity):
    assert plan(community, activity, starts_at="2026-12-11T09:30", ends_at="2026-12-11T11:00").is_valid()


def test_the_edit_page_keeps_what_was_typed_and_the_records(staff_client, early):
    staff_client.cookies["django_language"] = "en"
    data = {"title": "晨练改期", "platform": "health", "venue": "小广场"}
    data |= {"starts_at": "2026-12-11T05:00", "ends_at": "2026-12-11T05:30"}
    response = staff_client.post(reverse("activities:activity_edit", args=[early.pk]), data)
    body = response.content.decode()
    assert "2 sign-in(s) recorded" in body and "2 volunteer(s) have more hours" in body
    assert 'value="晨练改期"' in body and 'value="小广场"' in body
    early.refresh_from_db()
    assert early.starts_at == NOW.replace(hour=5)
    assert sorted(Participation.objects.values_list("hours", flat=True)) == [Decimal("1.5"), Decimal("3")]


def test_the_activity_form_leaves_checking_to_the_server(staff_client):
    """Its messages are the office's words; the browser's own stopped 名额 0 in English."""
    assert "novalidate" in staff_client.get(reverse("activities:activity_create")).content.decode()
