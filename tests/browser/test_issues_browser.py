"""In Chromium: the 8:30 quick entry with the keyboard alone, the list and the detail page."""

import time

import pytest
from django.utils import timezone

from issues import services
from issues.models.choices import IssueStatus
from issues.models.issue import Issue
from tests.conftest import ARTIFACTS
from tests.factories import (
    BuildingFactory,
    IssueCategoryFactory,
    PartnerContactFactory,
    PartnerFactory,
    RoomFactory,
    UnitFactory,
)

pytestmark = pytest.mark.browser

# (text, place, reporter, handling method position in the select or None, contact position or
# None, what was done: asked for 当场解决 only, the field between the method and the contact)
FIVE_ITEMS = [
    ("3号楼门口又有人遛狗不拴绳", "3号楼门口", "李阿姨", 4, 1, ""),  # 转民警 → 刘警官
    ("5-2-301楼道堆放纸箱，堵了消防通道", "5-2-301", "", 3, 2, ""),  # 转物业 → 赵经理
    ("北区车棚有人飞线充电", "北区车棚", "老张", None, None, ""),  # 待核实
    ("东门路灯不亮", "东门", "", 1, None, "已换灯泡"),  # 当场解决
    ("3-2-501卫生间顶上渗水", "3-2-501", "王秀英", None, None, ""),  # 待核实
]


@pytest.fixture
def log(community, secretary):
    def make(text):
        return services.log_issue(community=community, by=secretary, now=timezone.now(), text=text)

    return make


@pytest.fixture
def office(community):
    for number in ("3", "5"):
        unit = UnitFactory(building=BuildingFactory(community=community, number=number), number="2")
        RoomFactory(unit=unit, room_no="501" if number == "3" else "301", floor_no=5)
    police = PartnerFactory(community=community, kind="police", name="福海社区警务站")
    prop = PartnerFactory(community=community, kind="property", name="福海物业")
    PartnerContactFactory(partner=police, name="刘警官")
    PartnerContactFactory(partner=prop, name="赵经理")
    return community


def test_it_logs_five_items_with_the_keyboard_alone(page_for, secretary, office):
    page = page_for(secretary)
    page.goto("/issues/new/")
    keystrokes = 0
    started = time.monotonic()
    for text, place, reporter, method, contact, done in FIVE_ITEMS:
        page.wait_for_selector("#id_text:focus")
        page.keyboard.type(text)
        page.keyboard.press("Tab")
        page.keyboard.type(place)
        page.keyboard.press("Tab")
        page.keyboard.type(reporter)
        keystrokes += len(text) + len(place) + len(reporter) + 2
        page.keyboard.press("Tab")  # category: suggested while typing, kept
        keystrokes += 1
        if method:
            page.keyboard.press("Tab")
            for _ in range(method):
                page.keyboard.press("ArrowDown")
            keystrokes += 1 + method
            if done:
                page.keyboard.press("Tab")
                page.keyboard.type(done)
                keystrokes += 1 + len(done)
            if contact:
                page.keyboard.press("Tab")
                for _ in range(contact):
                    page.keyboard.press("ArrowDown")
                keystrokes += 1 + contact
        with page.expect_navigation():
            page.keyboard.press("Control+Enter")
        keystrokes += 1
    elapsed = time.monotonic() - started
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "issues-quick-entry.png"), full_page=True)
    print(f"\nquick entry: 5 items in {elapsed:.1f} s, {keystrokes} keystrokes, 0 clicks")

    issues = list(Issue.objects.order_by("id"))
    assert [i.status for i in issues] == [
        IssueStatus.IN_PROGRESS,
        IssueStatus.IN_PROGRESS,
        IssueStatus.PENDING,
        IssueStatus.RESOLVED,
        IssueStatus.PENDING,
    ]
    assert issues[0].partner_contact.name == "刘警官"
    assert issues[0].category.name == "养犬"
    assert issues[3].result_note == "已换灯泡"
    assert issues[4].room.label == "3号楼2单元501"
    assert page.locator("#recent-items li").count() == 5


def test_it_offers_the_open_item_as_a_repeat_while_typing(page_for, secretary, office):
    page = page_for(secretary)
    page.goto("/issues/new/")
    page.keyboard.type("3号楼门口有人遛狗不拴绳")
    page.keyboard.press("Control+Enter")
    page.wait_for_selector("#id_text:focus")
    page.keyboard.type("又看到有人遛狗不拴绳")
    button = page.get_by_role("button", name="是同一问题，记为重复反映")
    button.wait_for()
    page.screenshot(path=str(ARTIFACTS / "issues-repeat-offer.png"), full_page=True)
    button.click()
    page.wait_for_selector("#id_text:focus")
    assert Issue.objects.get().report_count == 2


def test_it_adds_to_the_timeline_without_a_reload(page_for, secretary, office, log):
    issue = log("5号楼楼道堆放杂物")
    page = page_for(secretary)
    page.goto(f"/issues/{issue.pk}/")
    page.evaluate("window.__marker = 1")
    page.select_option("#fu_kind", "call")
    page.fill("#fu_note", "已电话通知物业清理")
    page.get_by_role("button", name="记入办理过程").click()
    page.locator("#timeline").get_by_text("已电话通知物业清理").wait_for()
    assert page.evaluate("window.__marker") == 1
    page.screenshot(path=str(ARTIFACTS / "issues-detail.png"), full_page=True)


def test_it_shows_the_list_on_a_phone(page_for, secretary, office, log):
    for text in ["3号楼门口有人遛狗不拴绳", "5号楼楼道堆放杂物", "北区车棚飞线充电"]:
        log(text)
    page = page_for(secretary)
    page.goto("/issues/?open=on")
    page.screenshot(path=str(ARTIFACTS / "issues-list.png"), full_page=True)
    phone = page_for(secretary, viewport={"width": 390, "height": 844})
    phone.goto("/issues/?q=拴绳")
    # One markup for both: on a phone each row is a card, the table's header is gone, nothing
    # runs off the screen sideways, and a tap anywhere on the card opens the item.
    rows = phone.locator("#issue-table tbody tr")
    assert rows.count() == 1
    assert not phone.locator("#issue-table thead").is_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    assert rows.first.bounding_box()["width"] <= 390
    phone.screenshot(path=str(ARTIFACTS / "issues-list-phone.png"), full_page=True)
    # The links drawn as buttons are 44 px tall on a phone, their words in the middle of the box.
    for name in ("导出Excel台账", "新登记"):
        off = phone.get_by_role("link", name=name).evaluate(
            """link => { const range = document.createRange(); range.selectNodeContents(link);
                         const words = range.getBoundingClientRect(), box = link.getBoundingClientRect();
                         return Math.abs((words.top + words.bottom) / 2 - (box.top + box.bottom) / 2); }"""
        )
        assert off < 3, (name, off)
    # Printed from a phone, the list is the table, not the cards.
    phone.emulate_media(media="print")
    assert phone.locator("#issue-table thead").is_visible()
    phone.emulate_media(media="screen")
    box = rows.first.bounding_box()
    phone.mouse.click(box["x"] + box["width"] - 20, box["y"] + box["height"] - 8)  # the card's corner, not its text
    phone.wait_for_url("**/issues/*/")
    phone.get_by_text("3号楼门口有人遛狗不拴绳").first.wait_for()


def test_it_shows_the_list_as_cards_on_a_tablet_and_names_on_one_line_on_a_pc(page_for, secretary, office, log):
    """At 768 px (a tablet held upright) the table's nine columns were squeezed to a character or
    two each (责任人 and 对接单位 read downwards); below 992 px the rows are cards now. On a PC a
    three-character name and a four-character category stay on one line."""
    secretary.first_name = "李晓红"
    secretary.save()
    # A text as long as the list shows (60 characters) and a partner's full name: the columns
    # are squeezed, as on a real morning's list.
    issue = log(
        "5号楼2单元楼道堆放纸箱杂物，堵住消防通道，电动车也停在楼道里充电，三楼住户多次反映，物业说这周清理但一直没有来人处理，居民很着急"
    )
    category = IssueCategoryFactory(community=office, name="消防安全")
    partner = PartnerFactory(community=office, kind="property", name="福海物业服务有限公司")
    Issue.objects.filter(pk=issue.pk).update(owner=secretary, category=category, partner=partner)
    tablet = page_for(secretary, viewport={"width": 768, "height": 1024})
    tablet.goto("/issues/")
    assert not tablet.locator("#issue-table thead").is_visible()
    assert tablet.evaluate("document.documentElement.scrollWidth") <= 768
    text = tablet.locator("#issue-table tbody tr .card-line").first.bounding_box()
    assert text["width"] > 400, text  # the text has the card's width, not a column's
    tablet.screenshot(path=str(ARTIFACTS / "issues-list-tablet.png"), full_page=True)
    pc = page_for(secretary, viewport={"width": 1366, "height": 900})
    pc.goto("/issues/")
    assert pc.locator("#issue-table thead").is_visible()
    lines = pc.evaluate(
        """() => [...document.querySelectorAll('#issue-table thead th, #issue-table tbody td')]
            .filter(cell => ['李晓红', '消防安全', '问题分类', '责任人'].includes(cell.textContent.trim()))
            .map(cell => { const range = document.createRange(); range.selectNodeContents(cell);
                           return [cell.textContent.trim(), range.getClientRects().length]; })"""
    )
    assert sorted(name for name, _count in lines) == ["李晓红", "消防安全", "责任人", "问题分类"], lines
    assert all(count == 1 for _name, count in lines), lines
    pc.screenshot(path=str(ARTIFACTS / "issues-list-pc.png"), full_page=True)


def test_the_lists_filter_bar_is_three_lines_on_a_pc_with_its_groups_named(page_for, secretary, office, log):
    """On a PC the search stood alone on the first line and the buttons under the states, over
    four lines; the seven states and the three flags (只看未办结, 已超期, 需升级) ran together in
    one wrap, and 接件日期 was a label tied to neither date box. Now: the search and four selects,
    then 楼, the dates and the flags, then the states (a group named 状态) and the buttons."""
    log("5号楼楼道堆放杂物")
    pc = page_for(secretary, viewport={"width": 1366, "height": 900})
    pc.goto("/issues/?open=on")
    middle = pc.evaluate(
        """() => Object.fromEntries(['#id_q', '#id_category', '#id_partner', '#id_building', 'input[name=received_min]',
                 '#filter-states', '#issue-filter button[type=submit]', '#issue-filter input[name=open]']
            .map(css => { const box = document.querySelector(css).getBoundingClientRect();
                          return [css, Math.round((box.top + box.bottom) / 2)]; }))"""
    )
    lines = sorted({middle["#id_q"], middle["#id_building"], middle["#filter-states"]})
    assert len(lines) == 3, middle
    assert abs(middle["#id_q"] - middle["#id_category"]) < 3 and abs(middle["#id_q"] - middle["#id_partner"]) < 3
    assert abs(middle["#id_building"] - middle["input[name=received_min]"]) < 6
    assert abs(middle["#id_building"] - middle["#issue-filter input[name=open]"]) < 12
    assert abs(middle["#filter-states"] - middle["#issue-filter button[type=submit]"]) < 20
    # The groups are named for a screen reader: the dates by 接件日期, the states by 状态.
    assert pc.get_by_role("group", name="接件日期").locator("input[type=date]").count() == 2
    states = pc.get_by_role("group", name="状态").locator("input[type=checkbox]")
    assert states.count() == 7 and pc.get_by_role("group", name="状态").get_by_label("只看未办结").count() == 0
    assert pc.evaluate("document.documentElement.scrollWidth") <= 1366
    pc.screenshot(path=str(ARTIFACTS / "issues-list-filters-pc.png"))


def test_the_sections_tabs_show_the_current_one_on_a_phone(page_for, secretary, office):
    """On a phone the 民情日记 tabs were cut at 民情日 and, on 对接单位 or 问题分类, the current tab
    was out of sight at the right: it is scrolled into view, and the edges that have more show a
    shadow."""
    phone = page_for(secretary, viewport={"width": 390, "height": 844})
    tabs = [("/issues/partners/", "对接单位"), ("/issues/categories/", "问题分类"), ("/issues/new/", "快速登记")]
    for url, name in tabs:
        phone.goto(url)
        nav = phone.locator("ul.subnav").first
        strip, tab = nav.bounding_box(), nav.locator(".nav-link.active").bounding_box()
        assert nav.locator(".nav-link.active").inner_text() == name
        assert strip["x"] <= tab["x"] and tab["x"] + tab["width"] <= strip["x"] + strip["width"], (name, strip, tab)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    assert "radial-gradient" in nav.evaluate("nav => getComputedStyle(nav).backgroundImage")
    phone.screenshot(path=str(ARTIFACTS / "issues-tabs-phone.png"))


def test_the_partners_are_cards_on_a_phone(page_for, secretary, office, log):
    """On a phone the partners' five columns squeezed 福海社区警务站 to three characters a line
    and read the header 未办结事项 downwards, a character a line."""
    PartnerFactory(community=office, kind="design", name="京华文化墙设计工作室")
    phone = page_for(secretary, viewport={"width": 390, "height": 844})
    phone.goto("/issues/partners/")
    assert not phone.locator("#partner-table thead").is_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    lines = phone.evaluate(
        """() => [...document.querySelectorAll('#partner-table tbody a')].map(link => {
                 const range = document.createRange(); range.selectNodeContents(link);
                 return [link.textContent, range.getClientRects().length]; })"""
    )
    assert ["京华文化墙设计工作室", 1] in lines and ["福海社区警务站", 1] in lines, lines
    card = phone.locator("#partner-table tbody tr", has_text="福海社区警务站")
    assert "未办结事项 0" in card.inner_text()
    phone.screenshot(path=str(ARTIFACTS / "issues-partners-phone.png"), full_page=True)
    box = card.bounding_box()
    phone.mouse.click(box["x"] + box["width"] - 20, box["y"] + box["height"] - 8)
    phone.wait_for_url("**/issues/partners/*/")
    assert phone.locator("h1").inner_text().startswith("福海社区警务站")


def test_it_reaches_the_channel_with_the_keyboard_and_keeps_a_walk_in(page_for, secretary, office):
    page = page_for(secretary)
    page.goto("/issues/new/")
    page.wait_for_selector("#id_text:focus")
    page.keyboard.press("Shift+Tab")  # from the text back to the channel, just above it
    assert page.evaluate("document.activeElement.id") == "id_channel"
    page.keyboard.press("ArrowDown")  # 微信群 → 来访
    page.keyboard.press("Tab")
    page.keyboard.type("来访：5号楼楼道灯坏了")
    page.keyboard.press("Control+Enter")
    page.wait_for_selector("#recent-items li")
    assert Issue.objects.get().channel == "walk_in"
