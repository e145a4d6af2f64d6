"""The report pages in Chromium: the secretary's monthly report and the 街道 overview render, a
figure opens the rows behind it, axe-core finds nothing serious, and on a phone the period
buttons sit neatly (labels centred, the month picker on a row of its own, nothing off-screen)."""

from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from fuhai.reports.periods import month_start
from residents.models.community import Role
from tests.browser.test_accessibility import AXE, RUN_AXE
from tests.conftest import ARTIFACTS
from tests.factories import IssueFactory, MembershipFactory

pytestmark = pytest.mark.browser

OFFICE = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def last_month(community, other_community):
    """Three items received on the 10th of the previous month (the report's default period)."""
    first = month_start(timezone.localdate(), 1)
    day = timezone.make_aware(datetime.combine(first.replace(day=10), time(9)))
    issues = [
        IssueFactory(community=community, received_at=day + timedelta(minutes=i), text=text)
        for i, text in enumerate(["3号楼楼道灯不亮", "北区车棚飞线充电", "中心广场晚上音响太吵"])
    ]
    community.subdistrict = other_community.subdistrict = "福海街道"
    community.save()
    other_community.save()
    return issues


@pytest.fixture
def street_user(viewer, other_community):
    """street1: read-only in both communities."""
    MembershipFactory(community=other_community, role=Role.VIEWER, user=viewer)
    return viewer


def axe_violations(page) -> list:
    page.add_script_tag(url=AXE)
    return page.evaluate(RUN_AXE)


def test_the_secretary_opens_the_rows_behind_a_figure(page_for, secretary, last_month, community):
    page = page_for(secretary, viewport=OFFICE)
    assert page.goto("/reports/").status == 200
    assert community.name in page.locator("h1").inner_text()
    assert axe_violations(page) == []
    received = page.locator("a.report-figure", has_text="接件").first
    assert received.locator(".report-figure-value").inner_text() == "3"
    received.click()
    page.wait_for_url("**/reports/rows/issues/received/**")
    page.set_viewport_size(PHONE)
    rows = page.locator("main table").inner_text()
    assert all(issue.code in rows for issue in last_month)
    assert axe_violations(page) == []


def test_the_street_user_lands_on_the_overview_and_opens_a_community(
    page_for, street_user, last_month, community, other_community
):
    page = page_for(street_user, viewport=OFFICE)
    page.goto("/")
    page.wait_for_url("**/reports/street/")
    table = page.locator("main table").inner_text()
    assert community.name in table and other_community.name in table
    assert axe_violations(page) == []
    page.get_by_role("link", name=community.name).click()
    page.wait_for_url("**/reports/?**")
    assert community.name in page.locator("h1").inner_text()
    assert axe_violations(page) == []


#: For each button of the period bar: its height and how far its label's middle is from its own.
NAV_GEOMETRY = """() => {
  const nav = document.querySelector(".report-nav").getBoundingClientRect();
  const form = document.querySelector(".report-nav form");
  const buttons = [...document.querySelectorAll(".report-nav a.btn")].map(b => {
    const box = b.getBoundingClientRect();
    const range = document.createRange();
    range.selectNodeContents(b);
    const text = range.getBoundingClientRect();
    return {label: b.innerText, height: box.height,
            off: Math.abs((text.top + text.bottom) / 2 - (box.top + box.bottom) / 2)};
  });
  return {navWidth: nav.width, formWidth: form && form.getBoundingClientRect().width, buttons,
          scrollWidth: document.documentElement.scrollWidth};
}"""


@pytest.mark.parametrize("url", ["/reports/", "/reports/street/"])
def test_the_period_buttons_sit_neatly_on_a_phone(page_for, street_user, secretary, last_month, url):
    page = page_for(street_user if "street" in url else secretary, viewport=PHONE)
    assert page.goto(url).status == 200
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"reports-phone{url.rstrip('/').replace('/', '-')}.png"))
    geometry = page.evaluate(NAV_GEOMETRY)
    assert geometry["scrollWidth"] <= PHONE["width"]
    for button in geometry["buttons"]:
        assert button["height"] <= 48 and button["off"] <= 3, button
    if "street" not in url:
        assert geometry["formWidth"] >= geometry["navWidth"] - 1
    assert axe_violations(page) == []
