"""In Chromium: a 12345 case's deadline typed only in part."""

from datetime import timedelta

import pytest
from django.utils import timezone

from issues.hotline.models import HotlineCase
from tests.conftest import ARTIFACTS

pytestmark = pytest.mark.browser

INCOMPLETE = "日期或时间没有填完整：请补全，或清空这一栏。"


def test_a_deadline_typed_only_in_part_stops_the_save(page_for, secretary):
    """The day typed into 办结时限 without the hour: the browser sends the field empty, and the
    case was saved with the default deadline, the city's date lost without a word."""
    page = page_for(secretary)
    page.goto("/issues/hotline/new/")
    page.get_by_label("工单编号").fill("202612040099")
    page.get_by_label("派单时间").fill(timezone.localtime().strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("内容").fill("来电反映楼下餐馆油烟扰民")
    deadline = page.get_by_label("办结时限")
    deadline.click(position={"x": 12, "y": 12})  # the first part of the date, whichever it is
    page.keyboard.type("12082026")
    assert deadline.evaluate("input => input.validity.badInput")
    page.get_by_role("button", name="保存").click()
    page.wait_for_timeout(300)
    assert page.url.endswith("/issues/hotline/new/")
    assert deadline.evaluate("input => input.validationMessage") == INCOMPLETE
    assert "is-invalid" in deadline.get_attribute("class")
    page.screenshot(path=str(ARTIFACTS / "hotline-incomplete-deadline.png"))
    assert not HotlineCase.objects.exists()
    # Finished, the field clears its message and the case is saved with that deadline.
    soon = timezone.localtime() + timedelta(days=3)
    deadline.fill(soon.strftime("%Y-%m-%dT18:00"))
    assert deadline.evaluate("input => input.validationMessage") == ""
    with page.expect_navigation():
        page.get_by_role("button", name="保存").click()
    case = HotlineCase.objects.get()
    assert timezone.localtime(case.resolution_deadline).strftime("%m-%d %H:%M") == soon.strftime("%m-%d 18:00")
