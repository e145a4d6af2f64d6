"""Rules that live on the activities models: rounding, time order, sign-in once, no personal data."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from activities.models import AlreadyCheckedIn, HoursRounding, round_hours, validate_no_personal_data
from tests.factories import ActivityFactory, ParticipationFactory


@pytest.mark.parametrize(
    ("rule", "hours", "expected"),
    [
        (HoursRounding.HALF_DOWN, "1.7", "1.5"),
        (HoursRounding.HALF_NEAREST, "1.8", "2.0"),
        (HoursRounding.QUARTER_NEAREST, "1.2", "1.25"),
        (HoursRounding.HOUR_DOWN, "2.9", "2"),
        (HoursRounding.EXACT, "1.333", "1.33"),
    ],
)
def test_it_rounds_volunteer_hours_by_the_rule(rule, hours, expected):
    assert round_hours(Decimal(hours), rule) == Decimal(expected)


def test_it_refuses_an_activity_that_ends_before_it_starts(activity):
    ends_at = activity.ends_at
    activity.ends_at = activity.starts_at - timedelta(hours=1)
    with pytest.raises(ValidationError) as error:
        activity.full_clean()
    assert "ends_at" in error.value.message_dict
    activity.refresh_from_db()
    assert activity.ends_at == ends_at


def test_it_keeps_the_time_order_in_the_database_too(community, now):
    with pytest.raises(IntegrityError):
        ActivityFactory(community=community, starts_at=now, ends_at=now)


def test_it_refuses_to_sign_in_the_same_person_twice(activity, secretary, now):
    participation = ParticipationFactory(activity=activity)
    participation.check_in(by=secretary, now=now)
    with pytest.raises(AlreadyCheckedIn):
        participation.check_in(by=secretary, now=now + timedelta(minutes=5))
    participation.refresh_from_db()
    assert participation.checked_in_at == now
    assert activity.participations.count() == 1


@pytest.mark.parametrize(
    "text",
    ["有事请联系13812348000", "电话 138 1234 8000", "身份证110101195005011234", "11010119500501123X 请带上"],
)
def test_it_refuses_a_notice_with_personal_numbers(text):
    with pytest.raises(ValidationError):
        validate_no_personal_data(text)


FLATS = ["停水。有事找3号楼2单元501张大爷", "3-2-501门口的纸箱请尽快搬走", "7号楼1201室 请注意"]
NOT_FLATS = ["3号楼2单元楼道灯维修", "3号楼明天停水", "2026-12-05 9:00", "咨询电话：010-1234-5678"]


@pytest.mark.parametrize("text", FLATS)
def test_it_refuses_a_notice_that_names_a_flat(text):
    """A tester saved 停水。有事找3号楼2单元501张大爷 under a banner that says 不要写姓名加门牌."""
    with pytest.raises(ValidationError) as refused:
        validate_no_personal_data(text)
    assert "3号楼2单元501" in str(refused.value)  # the message says what a flat is


@pytest.mark.parametrize("text", NOT_FLATS)
def test_it_accepts_a_notice_that_names_a_building_or_a_unit(text):
    validate_no_personal_data(text)


@pytest.mark.parametrize("text", ["咨询电话：010-12345678", "请拨打12345或119", "X月X日9:00至17:00停水"])
def test_it_accepts_a_notice_with_office_numbers_and_times(text):
    validate_no_personal_data(text)
