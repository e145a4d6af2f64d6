"""In Chromium: a 12345 case's deadline typed only in part; the clocks at text size."""

from datetime import timedelta

import pytest
from django.utils import timezone

from issues.hotline.models import HotlineCase
from tests.conftest import ARTIFACTS
from tests.factories import HotlineCaseFactory

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


def test_a_paste_longer_than_the_field_is_kept_whole_and_refused_in_words(page_for, secretary):
    """A tester pasted 10,000 characters into 内容: the browser kept 2,000 (the field's maxlength)
    and the case was saved cut, without a word. Now the paste goes in whole and the server says
    how long it may be, with the text still in the field to shorten."""
    page = page_for(secretary)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto("/issues/hotline/new/")
    text = "来电反映楼下餐馆油烟扰民。" * 250  # 3,250 characters
    page.evaluate("text => navigator.clipboard.writeText(text)", text)
    content = page.get_by_label("内容")
    content.click()
    page.keyboard.press("Control+V")
    assert content.evaluate("field => field.value.length") == len(text)
    page.get_by_label("工单编号").fill("202612040098")
    page.get_by_label("派单时间").fill(timezone.localtime().strftime("%Y-%m-%dT%H:%M"))
    with page.expect_navigation():
        page.get_by_role("button", name="保存").click()
    assert not HotlineCase.objects.exists()
    assert "3250" in page.locator("form.card").inner_text()
    assert page.get_by_label("内容").evaluate("field => field.value.length") == len(text)


@pytest.mark.parametrize("width", [390, 1440])
def test_the_clocks_are_as_big_as_the_text_around_them(page_for, secretary, community, width):
    """剩余57分钟 is what the secretary looks for on the 12345 list, the case page and the home
    page: 14 px like the list's text, not a badge's 10.5 px (a tester read it as fine print)."""
    case = HotlineCaseFactory(community=community, dispatched_at=timezone.now() - timedelta(hours=1))
    page = page_for(secretary, viewport={"width": width, "height": 900})
    for url in ("/issues/hotline/", f"/issues/hotline/{case.pk}/", "/"):
        page.goto(url)
        sizes = page.locator(".hotline-clock").evaluate_all(
            "badges => badges.map(b => parseFloat(getComputedStyle(b).fontSize))"
        )
        assert len(sizes) >= 2 and min(sizes) >= 14, (url, sizes)
    page.goto("/issues/hotline/")
    page.screenshot(path=str(ARTIFACTS / f"hotline-clocks-{width}.png"))
