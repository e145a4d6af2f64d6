"""The report pages in Chromium: the secretary's monthly report and the 街道 overview render, a
figure opens the rows behind it, axe-core finds nothing serious, and on a phone the period
buttons sit neatly (labels centred, the month picker on a row of its own, nothing off-screen)."""

from datetime import datetime, time, timedelta
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone, translation
from django.utils.formats import date_format

from fuhai.reports.periods import month_start
from residents.models.community import Community, Role
from residents.scoping import SESSION_KEY
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
    page.get_by_role("link", name=community.name, exact=True).click()
    page.wait_for_url("**/reports/?**")
    assert community.name in page.locator("h1").inner_text()
    assert axe_violations(page) == []


def test_the_street_user_opens_the_items_behind_a_communitys_figure(
    page_for, street_user, last_month, community, other_community
):
    page = page_for(street_user, viewport=OFFICE)
    page.goto("/reports/street/")
    page.get_by_role("link", name=f"{community.name} 接件").click()  # its name: the community, the figure, 3 items
    page.wait_for_url(f"**/reports/rows/issues/received/?*community={community.pk}")
    rows = page.locator("main table").inner_text()
    assert all(issue.code in rows for issue in last_month)
    assert axe_violations(page) == []


def test_the_street_user_opens_an_item_of_a_second_communitys_report(
    page_for, client, street_user, last_month, community, other_community
):
    """The session works in the other community; the item link switches to the report's own."""
    page = page_for(street_user, viewport=OFFICE)
    session = client.session
    session[SESSION_KEY] = other_community.pk
    session.save()
    month = month_start(timezone.localdate(), 1).strftime("%Y-%m")
    page.goto(f"/reports/rows/issues/received/?month={month}&community={community.pk}")
    assert axe_violations(page) == []
    issue = last_month[0]
    page.get_by_role("button", name=issue.code).click()
    page.wait_for_url(f"**/issues/{issue.pk}/")
    assert issue.code in page.locator("h1").inner_text()


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


@pytest.fixture
def demo(transactional_db, settings):
    """The demo community: 12345 cases (one that missed a deadline), special residents with
    two and a half months of visits, and street1 in two communities."""
    settings.DEBUG = True
    call_command("seed_demo", force=True, verbosity=0, stdout=StringIO())
    return get_user_model().objects.get(username="secretary")


#: The cells with words that wrap to fewer than three characters a line (e.g. 派/单/时/间).
SQUEEZED = """() => [...document.querySelectorAll('td, th')].filter(cell => cell.offsetParent !== null)
    .map(cell => { const bottoms = [], walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
                   while (walker.nextNode()) {
                     if (!walker.currentNode.textContent.trim()) continue;
                     const range = document.createRange(); range.selectNodeContents(walker.currentNode);
                     for (const rect of range.getClientRects()) bottoms.push(rect.bottom);
                   }
                   bottoms.sort((a, b) => a - b);
                   const lines = bottoms.filter((bottom, i) => i === 0 || bottom - bottoms[i - 1] > 6).length;
                   const text = cell.textContent.replace(/\\s+/g, '');
                   return [text, lines, text.length / Math.max(lines, 1)]; })
    .filter(([text, lines, perLine]) => text.length >= 4 && perLine < 3)"""


@pytest.mark.parametrize(
    ("path", "username"),
    [("/reports/", "secretary"), ("/issues/hotline/rates/", "secretary"), ("/reports/street/", "street1")],
)
def test_the_report_tables_read_across_a_phone(page_for, demo, path, username):
    """At 390 px the 三率 cases put 问题分类 and 电动车充电 a character a line, the report's
    cases that missed a deadline 派单时间 two, the overview 社区 one: the tables keep their
    words on a line now and scroll sideways in a named region."""
    page = page_for(get_user_model().objects.get(username=username), viewport=PHONE)
    assert page.goto(path).status == 200
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert page.evaluate(SQUEEZED) == []
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"reports-tables-phone{path.rstrip('/').replace('/', '-')}.png"))
    assert axe_violations(page) == []


#: For each trend: the newest month's label on the chart and whether it is in sight, and the
#: first month of the table beside it and whether that is in sight.
NEWEST_IN_SIGHT = """() => [...document.querySelectorAll('.report-chart-pair')].map(pair => {
  const inside = (box, frame) => box.left >= frame.left - 1 && box.right <= frame.right + 1;
  const screen = {left: 0, right: window.innerWidth};
  const scroller = pair.querySelector('.report-chart-scroll');
  const labels = [...scroller.querySelectorAll('text')].filter(t => t.querySelector('tspan'));
  const newest = labels[labels.length - 1].querySelector('tspan');
  const first = pair.querySelector('table tbody tr th');
  return {chart: newest.textContent,
          chartInSight: inside(newest.getBoundingClientRect(), scroller.getBoundingClientRect())
                        && inside(newest.getBoundingClientRect(), screen),
          table: first.textContent.trim(), tableInSight: inside(first.getBoundingClientRect(), screen)};
})"""


def test_the_trends_show_the_newest_month_without_scrolling_on_a_phone(page_for, demo):
    """The trends began at the oldest month, the current one off-screen on a phone: the charts
    (old → new) now open at their newest end, the tables list the newest month first."""
    page = page_for(demo, viewport=PHONE)
    assert page.goto("/reports/").status == 200
    trends = page.evaluate(NEWEST_IN_SIGHT)
    newest = month_start(timezone.localdate(), 1)
    with translation.override("zh-hans"):
        chart, table = date_format(newest, "MONTH_FORMAT"), date_format(newest, "YEAR_MONTH_FORMAT")
    assert len(trends) == 3
    for trend in trends:
        assert trend == {"chart": chart, "chartInSight": True, "table": table, "tableInSight": True}


#: The smallest chart text as drawn on the screen, in CSS pixels.
SMALLEST_CHART_TEXT = """() => Math.min(...[...document.querySelectorAll('svg.report-chart text')].map(text =>
  parseFloat(getComputedStyle(text).fontSize) * text.ownerSVGElement.getScreenCTM().a))"""


@pytest.mark.parametrize("viewport", [PHONE, OFFICE], ids=["phone", "office"])
def test_the_chart_text_is_12_px_at_least(page_for, demo, viewport):
    """The charts' labels were 6 px on a phone (11 units of a 640-wide drawing shrunk to
    366 px) and 9 units for the numbers on the bars."""
    page = page_for(demo, viewport=viewport)
    assert page.goto("/reports/").status == 200
    assert page.evaluate(SMALLEST_CHART_TEXT) >= 12


#: The first column's cells of the 街道 overview, before and after its region is scrolled
#: sideways: where each is, and whether it is what is seen at its own middle (not a figure that
#: scrolled beneath it).
FIRST_COLUMN_ON_SCROLL = """() => {
  const region = document.querySelector('#street-overview').closest('.table-responsive');
  const cells = [...document.querySelectorAll('#street-overview tr > :first-child')];
  const before = cells.map(cell => cell.getBoundingClientRect().left);
  region.scrollLeft = 250;
  const after = cells.map(cell => cell.getBoundingClientRect().left);
  const seen = cells.map(cell => { const box = cell.getBoundingClientRect();
    return cell.contains(document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2)); });
  return {scrolled: region.scrollLeft, before, after, seen};
}"""


def test_the_overview_keeps_the_community_in_sight_when_its_table_scrolls_on_a_phone(
    page_for, street_user, last_month, community, other_community
):
    """At 390 px the overview's thirteen columns scroll sideways, and the community's name
    scrolled away with them: a 街道 reader on a phone lost which row was which."""
    page = page_for(street_user, viewport=PHONE)
    assert page.goto("/reports/street/").status == 200
    place = page.evaluate(FIRST_COLUMN_ON_SCROLL)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "reports-street-phone-scrolled.png"))
    assert place["scrolled"] > 200
    assert place["after"] == place["before"] and all(place["seen"]), place
    assert axe_violations(page) == []
    page.emulate_media(media="print")  # printed, the table is laid out as before
    assert page.evaluate("getComputedStyle(document.querySelector('#street-overview th')).position") == "static"


#: How many lines each place cell of the rows page takes.
PLACE_LINES = """() => [...document.querySelectorAll('main table tbody td:nth-child(5)')].map(cell => {
  const range = document.createRange(); range.selectNodeContents(cell);
  const tops = [...range.getClientRects()].map(rect => Math.round(rect.top));
  return [cell.textContent.trim(), new Set(tops).size];
})"""


def test_the_rows_page_reads_a_place_in_two_lines_at_most_on_a_phone(page_for, secretary, last_month, community):
    """At 390 px the rows behind a figure put 地点 a character a line (中/心/广/场…) and the
    headings over empty columns too: the table scrolls sideways instead."""
    places = ["北区车棚", "中心广场东侧健身器材旁", "3号楼2单元东侧绿地"]
    for issue, place in zip(last_month, places, strict=True):
        issue.place_text = place
        issue.save(update_fields=["place_text"])
    page = page_for(secretary, viewport=PHONE)
    month = month_start(timezone.localdate(), 1).strftime("%Y-%m")
    assert page.goto(f"/reports/rows/issues/received/?month={month}&community={community.pk}").status == 200
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "reports-rows-phone.png"))
    lines = page.evaluate(PLACE_LINES)
    assert sorted(text for text, _ in lines) == sorted(places)
    assert all(count <= 2 for _, count in lines), lines
    assert page.evaluate(SQUEEZED) == []  # nor a heading (来源渠/道, 问/题/分/类 over empty cells)
    page.locator("main table tbody td:nth-child(5)").first.scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "reports-rows-phone-place.png"))
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert axe_violations(page) == []


#: Per row of the visits table: how far below the first figure's text the category's text sits.
CATEGORY_OFFSETS = """() => [...document.querySelectorAll('.table-responsive[aria-labelledby="visits-h"] tbody tr')]
  .map(row => {
  const top = cell => { const range = document.createRange();
                        range.selectNodeContents(cell); return range.getClientRects()[0].top; };
  const words = row.cells[0].querySelector('a, button') || row.cells[0];
  return [row.cells[0].textContent.trim(), Math.round(top(words) - top(row.cells[1]))];
})"""


def test_a_street_readers_categories_sit_level_with_their_figures_on_a_phone(page_for, demo):
    """For a 街道 reader a category opens its list through a button, 44 px tall on a phone with its
    words in the middle: they sat half a line below the figures of their row (tester)."""
    community = Community.objects.get(name="福海佳园")
    page = page_for(get_user_model().objects.get(username="street1"), viewport=PHONE)
    assert page.goto(f"/reports/?community={community.pk}").status == 200
    offsets = page.evaluate(CATEGORY_OFFSETS)
    assert offsets and page.locator('.table-responsive[aria-labelledby="visits-h"] tbody button').count() >= 1
    assert all(abs(offset) <= 2 for _name, offset in offsets), offsets
