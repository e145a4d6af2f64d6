"""In Chromium: the secretary, logged in on the meeting room's computer, turns on 投屏模式 from the
keyboard; the board reads as the screen link does, keeps it through a refresh and a task moved,
and 退出投屏 brings back the names. Screenshots land in test-artifacts/."""

import re

import pytest

from tests.browser.test_board_browser import SCREEN_TEXT, demo, no_scrolling, shot  # noqa: F401 (fixture)
from tests.browser.test_board_columns_browser import axe_violations

pytestmark = pytest.mark.browser

#: A masked name (王**) or a door number (3-2-401, 2单元401) anywhere on the page's text.
PERSONAL = re.compile(r"\*\*|\d+-\d+-\d+|单元\d+")
ON, OFF = "button[name=screen][value=on]", "button[name=screen][value=off]"


def personal(page) -> list[str]:
    return PERSONAL.findall(page.locator("main").inner_text())


def refresh(page):
    """The timed refresh of the board's body, now instead of in 45 seconds."""
    with page.expect_response(lambda response: "/board/refresh/" in response.url):
        page.evaluate(
            """() => htmx.ajax('GET', document.getElementById('board-body').getAttribute('hx-get'),
                              {target: '#board-body', swap: 'innerHTML'})"""
        )


def test_it_shows_the_board_without_names_or_rooms_in_screen_mode_and_back(page_for, demo):  # noqa: F811
    page = page_for(demo["users"]["secretary"], viewport={"width": 1920, "height": 1080})
    page.goto("/board/")
    page.locator(".lane-visits li").first.wait_for()
    assert personal(page), "the working board names the due visits and their rooms"

    page.locator(ON).focus()
    page.keyboard.press("Enter")
    page.locator(OFF).wait_for()
    page.locator(".lane-visits li").first.wait_for()
    shot(page, "board-screen-mode-1920x1080.png")
    assert personal(page) == []
    assert "board-public" in page.locator("body").get_attribute("class")
    sizes = page.evaluate(SCREEN_TEXT)
    assert [(name, text, size) for name, text, size in sizes if size < 24] == []
    assert no_scrolling(page)
    assert axe_violations(page) == []

    refresh(page)
    assert personal(page) == [] and page.locator(OFF).count() == 1

    task = page.locator(".task", has_text="准备周五宪法宣传展板")
    task.focus()
    page.keyboard.press("2")
    page.locator(".task.status-doing", has_text="准备周五宪法宣传展板").wait_for()
    assert personal(page) == []

    page.locator(OFF).focus()
    page.keyboard.press("Enter")
    page.locator(ON).wait_for()
    shot(page, "board-screen-mode-left-1920x1080.png")
    assert personal(page)
