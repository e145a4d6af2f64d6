"""In Chromium on a 390 px phone: the sign-in desk's search field shows its whole hint, a walk-in
signed in is listed on the desk, where its sign-in can be taken back, and a desk left open past
the closing greys its 签到 out without a reload."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from activities import services
from activities.models import Participation
from tests.browser.waiting import wait_until
from tests.factories import ActivityFactory, ResidentFactory

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}

# The placeholder's width in the field's own font, against the room inside its padding.
PLACEHOLDER_ROOM = """(field) => {
    const style = getComputedStyle(field);
    const context = document.createElement("canvas").getContext("2d");
    context.font = style.font;
    const room = field.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    return {text: field.placeholder, width: context.measureText(field.placeholder).width, room: room};
}"""


@pytest.mark.parametrize("locale", ["zh-CN", "en"])
def test_the_search_hint_fits_the_field_on_a_phone(page_for, staff, community, locale):
    starts = timezone.now() + timedelta(minutes=30)
    activity = ActivityFactory(community=community, starts_at=starts, ends_at=starts + timedelta(hours=2))
    page = page_for(staff, viewport=PHONE, locale=locale)
    page.goto(f"/activities/{activity.pk}/checkin/")
    hint = page.locator("#checkin-q").evaluate(PLACEHOLDER_ROOM)
    assert hint["text"] and hint["width"] <= hint["room"], hint


def test_a_walk_in_signed_in_is_listed_and_can_be_taken_back(page_for, staff, community):
    starts = timezone.now() + timedelta(minutes=30)
    activity = ActivityFactory(community=community, starts_at=starts, ends_at=starts + timedelta(hours=2))
    page = page_for(staff, viewport=PHONE)
    page.on("dialog", lambda dialog: dialog.accept())
    page.goto(f"/activities/{activity.pk}/checkin/")
    page.locator("#checkin-q").fill("赵大爷")
    wait_until(page, "document.querySelector('#attendees li') !== null")  # nobody found

    page.locator("#id_name").fill("赵大爷")
    page.click("#walkin-submit")
    wait_until(page, "document.querySelector('#attendees .attendee') !== null")
    walk_in = Participation.objects.get(name="赵大爷")
    row = page.locator(f"#walkin-{walk_in.pk}")
    assert row.locator(".checked-in").is_visible()
    assert not page.locator("#attendees li:not(.attendee)").is_visible()

    row.get_by_role("button").click()
    wait_until(page, "document.querySelector('#headcount [data-present]').dataset.present === '0'")
    assert page.locator(f"#walkin-{walk_in.pk} .alert-info").is_visible()
    assert not Participation.objects.exists()


def test_a_desk_left_open_past_the_closing_greys_itself_out(page_for, staff, community, room):
    """Loaded four seconds before sign-in closes (the server's clock moved there, ticking)."""
    starts = timezone.now() + timedelta(minutes=30)
    activity = ActivityFactory(community=community, starts_at=starts, ends_at=starts + timedelta(hours=2))
    wang = ResidentFactory(community=community, name="王秀英", room=room)
    services.sign_up(activity, resident=wang, by=None, now=timezone.now())
    with time_machine.travel(activity.check_in_closes_at - timedelta(seconds=4), tick=True):
        page = page_for(staff, viewport=PHONE)
        page.goto(f"/activities/{activity.pk}/checkin/")
        assert not page.locator(f"#attendee-{wang.pk} .btn-checkin").is_disabled()
        assert not page.locator("#checkin-closed").is_visible()

        wait_until(page, "document.querySelector('#walkin-submit').disabled", timeout=20)
        wait_until(page, f"document.querySelector('#attendee-{wang.pk} .btn-checkin').disabled")
        assert page.locator("#checkin-closed").is_visible()
        assert page.locator(f"#attendee-{wang.pk} .checkin-note").is_visible()


LONG_NAME = ("阿卜杜热合曼·买买提依明" * 5)[:50]  # 50 characters, as many as the field takes


def test_a_long_walk_in_name_keeps_the_desk_inside_a_phone(page_for, staff, community, room):
    """A 50-character walk-in made the page 1029 px wide: the desk zoomed out and taps missed."""
    assert len(LONG_NAME) == 50
    starts = timezone.now() + timedelta(minutes=30)
    activity = ActivityFactory(community=community, starts_at=starts, ends_at=starts + timedelta(hours=2))
    wang = ResidentFactory(community=community, name="王秀英", room=room)
    services.check_in(activity, name=LONG_NAME, by=None, now=timezone.now())
    page = page_for(staff, viewport=PHONE)
    page.goto(f"/activities/{activity.pk}/checkin/?q=阿卜杜")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert page.locator("#attendees .attendee .attendee-name").get_attribute("title") == LONG_NAME

    page.goto(f"/activities/{activity.pk}/checkin/?q=王秀英")
    name = page.locator(f"#attendee-{wang.pk} .attendee-name")
    height = name.evaluate("(name) => name.getBoundingClientRect().height")
    line = name.evaluate("(name) => parseFloat(getComputedStyle(name).lineHeight)")
    assert height < 1.5 * line and name.evaluate("(name) => name.scrollWidth <= name.clientWidth")
