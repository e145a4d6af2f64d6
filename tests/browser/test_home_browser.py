"""In Chromium: log in through the form and land on the Chinese home page."""

import pytest

from tests.conftest import ARTIFACTS

pytestmark = pytest.mark.browser


def test_it_logs_in_and_shows_the_home_page_in_chinese(page_for, secretary):
    page = page_for()
    page.goto("/")
    page.get_by_label("用户名").fill("secretary")
    page.get_by_label("密码").fill("pw-for-tests")
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/")
    assert page.locator("h1").inner_text().startswith("您好")
    assert page.get_by_role("link", name="福海", exact=False).first.is_visible()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "home-zh.png"), full_page=True)


def test_it_collapses_the_navigation_on_a_phone(page_for, secretary):
    page = page_for(secretary, viewport={"width": 390, "height": 844})
    page.goto("/")
    toggler = page.get_by_role("button", name="菜单")
    assert toggler.is_visible()
    toggler.click()
    page.get_by_role("button", name="退出登录").wait_for(state="hidden")
    assert page.get_by_text("民情日记").is_visible()
    page.screenshot(path=str(ARTIFACTS / "home-phone.png"), full_page=True)


def test_it_keeps_my_items_readable_on_a_phone(page_for, secretary, community):
    from tests.factories import IssueFactory

    IssueFactory(community=community, owner=secretary, text="楼下餐馆油烟扰民，晚上排风机噪音大，居民多次反映")
    page = page_for(secretary, viewport={"width": 390, "height": 844})
    page.goto("/")
    text = page.locator("#my-items .my-item-text").first
    # A line of CJK at 16 px is about 25 px high: the 40-character text and its place line must fit
    # in a few full-width lines, not one column three characters wide.
    assert text.bounding_box()["width"] > 300
    assert page.locator("#my-items li").first.bounding_box()["height"] < 160
    page.screenshot(path=str(ARTIFACTS / "home-my-items-phone.png"), full_page=True)


def test_it_remembers_that_the_first_run_help_was_dismissed(page_for, secretary, community):
    page = page_for(secretary, viewport={"width": 390, "height": 844})
    page.goto("/")
    help_panel = page.locator("#first-run-help")
    assert help_panel.is_visible()
    page.get_by_role("button", name="知道了").click()
    assert help_panel.is_hidden()
    page.reload()
    page.locator("#my-items").wait_for()
    assert page.locator("#first-run-help").is_hidden()
