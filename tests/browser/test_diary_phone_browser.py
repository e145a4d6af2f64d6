"""In Chromium: the 民情日记 of a day on a phone. Its three tables kept their A4 layout and each
scrolled sideways in 390 px (当日登记's nine columns to 60rem): the content and the state were off
the screen. Now each row is a card below 992 px; on a PC and printed they stay tables."""

import pytest
from django.utils import timezone

from issues import services
from issues.models.choices import FollowUpKind
from tests.conftest import ARTIFACTS

pytestmark = pytest.mark.browser

TEXTS = [
    "3号楼门口又有人遛狗不拴绳，孩子吓哭了，群里好几位居民都在说，希望社区和民警一起上门",
    "5号楼2单元楼道堆放纸箱杂物，堵住消防通道",
    "北区车棚有人飞线充电",
]
CALL = "已电话通知物业，答应今天下午清理楼道"
RESULT = "物业已拆除飞线，车棚充电桩可以正常使用"


@pytest.fixture
def day(community, staff):
    now = timezone.now()
    logged = [services.log_issue(community=community, by=staff, now=now, text=text) for text in TEXTS]
    services.add_followup(logged[1], by=staff, now=now, kind=FollowUpKind.CALL, note=CALL)
    logged[2].resolve(by=staff, now=now, result="fixed", note=RESULT)
    logged[2].callback(by=staff, now=now, satisfaction="satisfied", method="phone")
    return timezone.localdate(now).isoformat()


def overflowing(page) -> list:
    """The diary's boxes whose content is wider than they are, and the page itself."""
    return page.evaluate(
        """() => [document.scrollingElement, ...document.querySelectorAll('.table-responsive, .diary-table')]
            .filter(box => box.scrollWidth > box.clientWidth)
            .map(box => [box.className || box.tagName, box.scrollWidth, box.clientWidth])"""
    )


def test_the_days_diary_reads_on_a_phone_without_scrolling_sideways(page_for, staff, day):
    page = page_for(staff, viewport={"width": 390, "height": 844})
    page.goto(f"/issues/diary/{day}/")
    page.get_by_text(TEXTS[0]).wait_for()
    assert overflowing(page) == []
    for table in page.locator(".diary-table").all():
        box = table.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390, box
    # The whole text, the state and the note can be read: each is on the screen.
    for words in (TEXTS[0], CALL, RESULT):
        shown = page.get_by_text(words).first.bounding_box()
        assert shown["x"] >= 0 and shown["x"] + shown["width"] <= 390, (words, shown)
    assert not page.locator(".diary-table thead").first.is_visible()
    page.screenshot(path=str(ARTIFACTS / "diary-phone.png"), full_page=True)


def test_the_days_diary_stays_a_table_on_a_pc_and_printed(page_for, staff, day):
    page = page_for(staff, viewport={"width": 1366, "height": 900})
    page.goto(f"/issues/diary/{day}/")
    assert page.locator(".diary-table thead").first.is_visible()
    assert page.locator(".diary-table").first.evaluate("table => getComputedStyle(table).display") == "table"
    assert overflowing(page) == []
    page.screenshot(path=str(ARTIFACTS / "diary-pc.png"), full_page=True)
    phone = page_for(staff, viewport={"width": 390, "height": 844})
    phone.goto(f"/issues/diary/{day}/")
    phone.emulate_media(media="print")
    assert phone.locator(".diary-table thead").first.is_visible()
