"""In Chromium: a walk-in's name over 50 characters at the sign-in desk is refused in one message.
The hint typed beside the box (超出限制：最多50字，现在200字。) stayed under the box the server sent
back, beside the server's 请控制在 50 字以内，现在有 200 字。: two wordings of one error."""

from datetime import timedelta

import pytest
from django.utils import timezone

from activities.models import Participation
from tests.browser.waiting import FOCUSED_ON_WALK_IN, wait_until
from tests.conftest import ARTIFACTS
from tests.factories import ActivityFactory

pytestmark = pytest.mark.browser


def test_a_walk_in_name_too_long_is_refused_in_one_message(page_for, staff, community):
    starts = timezone.now() + timedelta(minutes=30)
    activity = ActivityFactory(community=community, starts_at=starts, ends_at=starts + timedelta(hours=2))
    page = page_for(staff, viewport={"width": 390, "height": 844})
    page.goto(f"/activities/{activity.pk}/checkin/")
    page.locator("#id_name").fill("赵" * 200)
    assert page.locator("#id_name-length").is_visible()  # said while typing
    page.click("#walkin-submit")
    wait_until(page, "document.querySelector('#walkin-result .alert-danger') !== null")
    wait_until(page, FOCUSED_ON_WALK_IN)  # htmx has settled the box sent back (the button had the focus)
    body = page.locator("body").inner_text()
    page.screenshot(path=str(ARTIFACTS / "walkin-too-long.png"))
    assert body.count("200") == 1, body
    assert page.locator("#id_name").input_value() == "赵" * 200
    assert not Participation.objects.exists()
