"""In Chromium: the top bar's search box is an ARIA combobox driven by the keyboard."""

import pytest
from django.urls import reverse

from tests.conftest import ARTIFACTS
from tests.factories import IssueFactory

pytestmark = pytest.mark.browser


def test_it_opens_a_suggestion_with_the_arrow_keys_and_enter(page_for, secretary, community):
    first = IssueFactory(community=community, text="北区车棚电动车充电桩坏了")
    second = IssueFactory(community=community, text="楼道里私拉电线给电动车充电")
    page = page_for(secretary, viewport={"width": 1280, "height": 800})
    page.goto("/")
    box = page.get_by_role("combobox", name="搜索")
    box.fill("电动车")
    page.locator("#top-search-list [role=option]").nth(1).wait_for()
    assert box.get_attribute("aria-expanded") == "true"
    box.press("ArrowDown")
    box.press("ArrowDown")
    selected = page.locator("#top-search-list [aria-selected=true]")
    assert box.get_attribute("aria-activedescendant") == selected.get_attribute("id")
    target = selected.get_attribute("href")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "search-dropdown.png"))
    with page.expect_navigation():
        box.press("Enter")
    assert page.url.endswith(target)
    assert target in {reverse("issues:issue_detail", args=[issue.pk]) for issue in (first, second)}


def test_it_closes_the_suggestions_with_escape(page_for, secretary, community):
    IssueFactory(community=community, text="楼道灯不亮")
    page = page_for(secretary, viewport={"width": 1280, "height": 800})
    page.goto("/")
    box = page.get_by_role("combobox", name="搜索")
    box.fill("楼道灯")
    page.locator("#top-search-list [role=option]").first.wait_for()
    box.press("Escape")
    assert box.get_attribute("aria-expanded") == "false"
    assert page.locator("#top-search-list").is_hidden()


def test_it_opens_the_full_results_page_on_enter_without_a_selection(page_for, secretary, community):
    IssueFactory(community=community, text="楼道灯不亮")
    page = page_for(secretary, viewport={"width": 1280, "height": 800})
    page.goto("/")
    box = page.get_by_role("combobox", name="搜索")
    box.fill("楼道灯")
    with page.expect_navigation():
        box.press("Enter")
    assert "/search/?q=" in page.url
    assert page.locator("#search-issue").get_by_text("楼道灯不亮").is_visible()
