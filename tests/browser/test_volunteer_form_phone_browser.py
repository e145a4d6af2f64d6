"""In Chromium on a 375 px phone: a refused volunteer form says so at the top of the page."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import ActivityFactory

pytestmark = pytest.mark.browser

SMALL_PHONE = {"width": 375, "height": 667}


def test_it_shows_why_a_volunteer_was_refused_in_sight_on_a_small_phone(page_for, staff, community):
    """The form is at the foot of the activity page on a phone: refused, the page came back at
    its top with the only message beside the form, out of sight and not announced."""
    starts = timezone.now().replace(second=0, microsecond=0) - timedelta(hours=3)
    activity = ActivityFactory(
        community=community, title="宪法宣传活动", starts_at=starts, ends_at=starts + timedelta(hours=2)
    )
    page = page_for(staff, viewport=SMALL_PHONE)
    page.goto(f"/activities/{activity.pk}/")
    page.fill("#id_name", "刘芳")
    page.fill("#id_hours", "25")
    with page.expect_navigation():
        page.locator("#volunteers button[type=submit]").click()
    banner = page.locator("#messages .alert-danger[role=alert]")
    banner.wait_for()
    assert banner.is_visible() and "“25”" in banner.inner_text()
    box = banner.bounding_box()
    assert box is not None and box["y"] >= 0 and box["y"] + box["height"] <= SMALL_PHONE["height"]
    assert page.input_value("#id_hours") == "25" and page.input_value("#id_name") == "刘芳"
