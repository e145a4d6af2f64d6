"""In Chromium: the sign-in desk opened early at the door enables itself when sign-in opens, left
open greys itself out at the closing and says why under the walk-in, the walk-in field keeps the
cursor from one name to the next, and a walk-in signed in with no search is listed apart."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from activities import services
from activities.models import Participation
from tests.browser.waiting import FOCUSED_ON_WALK_IN, wait_until
from tests.factories import ActivityFactory, ResidentFactory

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def _activity(community, starts):
    return ActivityFactory(community=community, starts_at=starts, ends_at=starts + timedelta(hours=2))


def test_the_walk_in_field_keeps_the_cursor_from_one_name_to_the_next(page_for, staff, community):
    activity = _activity(community, timezone.now() + timedelta(minutes=30))
    page = page_for(staff, viewport=PHONE)
    page.goto(f"/activities/{activity.pk}/checkin/")
    field = page.locator("#id_name")

    field.fill("路过的钱大爷")
    field.press("Enter")
    wait_until(page, "document.querySelector('#walkin-result .alert-success') !== null")
    wait_until(page, FOCUSED_ON_WALK_IN)
    assert page.input_value("#id_name") == ""

    # Straight on with the next name, ended with the button this time (a tap moves the focus to it).
    page.keyboard.type("新搬来的小冯")
    page.click("#walkin-submit")
    wait_until(page, "document.querySelector('#headcount [data-present]').dataset.present === '2'")
    wait_until(page, FOCUSED_ON_WALK_IN)

    # Refused (a phone number typed with the name): the name stays, and so does the cursor.
    page.keyboard.type("张阿姨 13900001111")
    page.keyboard.press("Enter")
    wait_until(page, "document.querySelector('#walkin-result .alert-danger') !== null")
    wait_until(page, FOCUSED_ON_WALK_IN)
    assert page.input_value("#id_name") == "张阿姨 13900001111"
    assert sorted(Participation.objects.values_list("name", flat=True)) == sorted(["路过的钱大爷", "新搬来的小冯"])


def test_a_desk_opened_before_sign_in_opens_enables_itself(page_for, staff, community, room):
    """Loaded four seconds before sign-in opens (two hours before the start), the 签到 buttons
    work at the opening without a reload, and the search typed meanwhile is kept."""
    activity = _activity(community, timezone.now().replace(microsecond=0) + timedelta(hours=2, seconds=4))
    wang = ResidentFactory(community=community, name="王秀英", room=room)
    services.sign_up(activity, resident=wang, by=None, now=timezone.now())
    page = page_for(staff, viewport=PHONE)
    page.goto(f"/activities/{activity.pk}/checkin/")
    assert page.locator(f"#attendee-{wang.pk} .btn-checkin").is_disabled()
    assert page.locator("#walkin-submit").is_disabled()
    assert page.locator("#checkin-closed").is_visible()
    page.locator("#checkin-q").fill("王")
    wait_until(page, f"document.querySelector('#attendee-{wang.pk}') !== null")

    wait_until(page, "!document.querySelector('#walkin-submit').disabled", timeout=20)
    wait_until(page, f"!document.querySelector('#attendee-{wang.pk} .btn-checkin').disabled")
    assert not page.locator("#checkin-closed").is_visible()
    assert page.locator(f"#attendee-{wang.pk} .checkin-note").count() == 0
    assert page.input_value("#checkin-q") == "王"

    page.locator(f"#attendee-{wang.pk} .btn-checkin").click()
    wait_until(page, f"document.querySelector('#attendee-{wang.pk} .alert-success') !== null")
    assert Participation.objects.get(resident=wang).checked_in_at is not None


def test_a_walk_in_signed_in_with_no_search_is_listed_apart_from_the_sign_ups_not_here_yet(
    page_for, staff, community, room
):
    activity = _activity(community, timezone.now() + timedelta(minutes=30))
    wang = ResidentFactory(community=community, name="王秀英", room=room)
    services.sign_up(activity, resident=wang, by=None, now=timezone.now())
    page = page_for(staff, viewport=PHONE)
    page.goto(f"/activities/{activity.pk}/checkin/")
    assert not page.locator("#arrived-heading").is_visible()

    page.locator("#id_name").fill("路过的钱大爷")
    page.locator("#id_name").press("Enter")
    wait_until(page, "document.querySelectorAll('#arrived li').length === 1")
    assert page.locator("#arrived-heading").is_visible()
    assert "路过的钱大爷" in page.locator("#arrived").inner_text()
    assert page.locator("#attendees li").count() == 1 and page.locator(f"#attendees #attendee-{wang.pk}").count() == 1


def test_a_desk_left_open_past_the_closing_says_why_under_the_walk_in(page_for, staff, community):
    """Loaded three seconds before sign-in closes (midnight after the activity's day), the walk-in's
    签到 greys out at the closing with the reason under it, where a phone shows it."""
    activity = _activity(community, timezone.now() + timedelta(minutes=30))
    with time_machine.travel(activity.check_in_closes_at - timedelta(seconds=3), tick=True):
        page = page_for(staff, viewport=PHONE)
        page.goto(f"/activities/{activity.pk}/checkin/")
        assert not page.locator("#walkin-submit").is_disabled()
        assert not page.locator("#walkin-note").is_visible()

        wait_until(page, "document.querySelector('#walkin-submit').disabled", timeout=20)
        assert page.locator("#walkin-submit").get_attribute("aria-describedby") == "walkin-note"
        assert page.locator("#walkin-note").is_visible() and page.locator("#walkin-note").inner_text() == "签到已结束"
