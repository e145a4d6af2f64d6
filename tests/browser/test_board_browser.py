"""In Chromium: the board on the meeting-room screen, tasks moved by keyboard and by drag,
the screen link, and the day's sheet on one A4 page. Screenshots land in test-artifacts/."""

import re
from datetime import datetime, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

from activities.models import Activity
from issues import services
from issues.models.issue import Issue
from issues.models.task import BoardToken, Task, TaskStatus
from residents.models.community import Community
from tests.browser.test_board_columns_browser import axe_violations
from tests.conftest import ARTIFACTS
from tests.factories import ActivityFactory, ParticipationFactory, PatrolFactory

pytestmark = pytest.mark.browser

TASKS = [
    ("staff1", "入户走访3号楼王奶奶，带灭火毯", None),
    ("staff1", "电话回访7号楼渗水住户", "卫生间顶上渗水"),
    ("staff2", "联系物业处理5号楼楼道堆物", "5号楼2单元楼道"),
    ("staff2", "准备周五宪法宣传展板", None),
    ("grid1", "巡查北区车棚飞线充电", "北区车棚"),
    ("grid1", "走访独居老人（南区）", None),
    ("grid2", "核实2号楼枯枝位置并拍照", "2号楼前的大树"),
    ("secretary", "与设计公司现场看文化墙安装", None),
    ("secretary", "下午与物业经理对接消防通道", None),
]


@pytest.fixture
def demo(db):
    """福海佳园 from seed_demo, with a morning's tasks and today's activities."""
    call_command("seed_demo", force=True, verbosity=0, stdout=StringIO())
    community = Community.objects.get(name="福海佳园")
    users = {u.username: u for u in get_user_model().objects.all()}
    now = timezone.now()
    for username, title, issue_text in TASKS:
        issue = Issue.objects.filter(community=community, text__contains=issue_text).first() if issue_text else None
        services.add_task(
            community=community,
            by=users["secretary"],
            now=now,
            title=title,
            day=timezone.localdate(now),
            assignee=users[username],
            issue=issue,
        )
    first = Task.objects.filter(community=community).order_by("id")
    first[0].move(by=users["staff1"], now=now, status=TaskStatus.DOING)
    first[4].move(by=users["grid1"], now=now, status=TaskStatus.DONE)
    start = timezone.make_aware(timezone.datetime.combine(timezone.localdate(now), timezone.datetime.min.time()))
    ActivityFactory(community=community, title="宪法宣传日主题活动", starts_at=start + timedelta(hours=9, minutes=30))
    ActivityFactory(community=community, title="流感疫苗接种提醒", starts_at=start + timedelta(hours=14))
    return {"community": community, "users": users}


def shot(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name))


def no_scrolling(page) -> bool:
    return page.evaluate(
        "document.documentElement.scrollHeight <= window.innerHeight"
        " && document.documentElement.scrollWidth <= window.innerWidth"
    )


@pytest.mark.parametrize("width,height", [(1920, 1080), (1280, 720)])
def test_it_fits_the_day_on_the_screen_without_scrolling(page_for, demo, width, height):
    page = page_for(demo["users"]["secretary"], viewport={"width": width, "height": height})
    page.goto("/board/")
    page.get_by_text("入户走访3号楼王奶奶").first.wait_for()
    shot(page, f"board-{width}x{height}.png")
    assert no_scrolling(page)


def test_it_reads_down_a_phone_one_person_and_one_lane_at_a_time(page_for, demo):
    """The screen's grid on a phone: five people's columns in 485 px, a character a line, and the
    page wider than the phone. Now each column and lane takes the phone's width, none is
    squeezed to nothing (the 12345 and activity lanes had no height), and the text stays 16 px."""
    page = page_for(demo["users"]["secretary"], viewport={"width": 390, "height": 844})
    page.goto("/board/")
    page.get_by_text("入户走访3号楼王奶奶").first.wait_for()
    shot(page, "board-phone.png")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    boxes = page.evaluate(
        """() => Array.from(document.querySelectorAll('.board-column, .lane')).map(el => {
            const r = el.getBoundingClientRect(), title = el.querySelector('h2').getBoundingClientRect();
            return {width: r.width, height: r.height, title: title.height};
        })"""
    )
    assert len(boxes) >= 8
    assert all(box["width"] >= 340 for box in boxes), boxes
    assert all(box["height"] > box["title"] > 0 for box in boxes), boxes
    sizes = page.evaluate(
        "Array.from(document.querySelectorAll('.task-title, .lane li'))"
        ".map(el => parseFloat(getComputedStyle(el).fontSize))"
    )
    assert sizes and min(sizes) >= 14, sizes


def test_it_shows_the_screen_link_without_personal_data(page_for, demo):
    community = demo["community"]
    Issue.objects.filter(community=community).update(text="电话13912345678的住户反映楼道堆物")
    _row, token = BoardToken.create_link(
        community=community, label="会议室电视", by=demo["users"]["secretary"], now=timezone.now()
    )
    page = page_for(None, viewport={"width": 1920, "height": 1080})
    page.goto(f"/board/tv/{token}/")
    page.get_by_text("入户走访3号楼王奶奶").first.wait_for()
    shot(page, "board-tv-1920x1080.png")
    body = page.content()
    assert "13912345678" not in body and "139****5678" in body
    assert page.locator("#task-text").count() == 0 and page.locator("[draggable=true]").count() == 0


def test_it_gives_out_and_moves_a_task_with_the_keyboard(page_for, demo):
    page = page_for(demo["users"]["secretary"], viewport={"width": 1920, "height": 1080})
    page.goto("/board/")
    page.locator("#task-text").fill("@李晓红 送灭火毯到5号楼")
    page.keyboard.press("Enter")
    card = page.locator(".task", has_text="送灭火毯到5号楼")
    card.wait_for()
    assert page.locator("#task-text").input_value() == ""
    card.focus()
    # The columns: the secretary, then each role's people in pinyin order (王月圆; 陈志强, 李晓红; …).
    page.keyboard.press("ArrowLeft")
    page.locator(".board-column", has_text="陈志强").locator(".task", has_text="送灭火毯到5号楼").wait_for()
    page.keyboard.press("3")
    page.locator(".task.status-done", has_text="送灭火毯到5号楼").wait_for()
    task = Task.objects.get(title="送灭火毯到5号楼")
    assert (task.assignee.username, task.status, task.events.count()) == ("staff2", TaskStatus.DONE, 3)


def test_it_moves_a_task_by_drag_and_drop(page_for, demo):
    page = page_for(demo["users"]["secretary"], viewport={"width": 1920, "height": 1080})
    page.goto("/board/")
    source = page.locator(".task", has_text="准备周五宪法宣传展板")
    target = page.locator(".board-column", has_text="张建国")
    source.drag_to(target)
    target.locator(".task", has_text="准备周五宪法宣传展板").wait_for()
    assert Task.objects.get(title="准备周五宪法宣传展板").assignee.username == "grid1"


def test_it_prints_the_days_tasks_on_one_a4_page(page_for, demo):
    page = page_for(demo["users"]["secretary"], viewport={"width": 1920, "height": 1080})
    page.goto("/board/")
    page.emulate_media(media="print")
    page.set_viewport_size({"width": 794, "height": 1123})
    shot(page, "board-print-a4.png")
    pdf = page.pdf(format="A4", prefer_css_page_size=True)
    (ARTIFACTS / "board-print.pdf").write_bytes(pdf)
    assert len(re.findall(rb"/Type\s*/Page(?!s)", pdf)) == 1


def meeting_room_screen(page_for, demo, width=1920, height=1080):
    """The board through a screen link, on the meeting room's TV (1920×1080 unless told)."""
    _row, token = BoardToken.create_link(
        community=demo["community"], label="会议室电视", by=demo["users"]["secretary"], now=timezone.now()
    )
    page = page_for(None, viewport={"width": width, "height": height})
    page.goto(f"/board/tv/{token}/")
    return page


#: Every element on the screen with text of its own, and every field (a placeholder is text too),
#: shown and not clipped to a pixel (a label for screen readers only): [class or tag, text, px].
SCREEN_TEXT = """() => [...document.querySelectorAll('body *')]
    .filter(el => el.checkVisibility() && el.getBoundingClientRect().width > 1
        && (el.matches('input, select') || [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim())))
    .map(el => [el.className || el.tagName, (el.textContent.trim() || el.placeholder || '').slice(0, 20),
                parseFloat(getComputedStyle(el).fontSize)])"""


@pytest.fixture
def wednesday():
    """A Wednesday's meeting (the week's figures are on the board), after a walk round."""
    with time_machine.travel(datetime(2026, 12, 2, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=True):
        yield


@pytest.mark.parametrize("width,height", [(1920, 1080), (1600, 900)])
def test_it_sets_no_text_below_24_px_on_the_meeting_room_screen(page_for, wednesday, demo, width, height):
    """Tasks and lanes were 24 px, but the rest of the screen was not: the date 22 px at 1600 px,
    the Wednesday figures 15 to 22, the walks and the time of the last update at the foot 14 to 20."""
    now = timezone.now()
    PatrolFactory(
        community=demo["community"],
        staff=demo["users"]["grid1"],
        started_at=now - timedelta(hours=16),
        ended_at=now - timedelta(hours=15),
        checked_count=12,
        solved_count=2,
        new_count=1,
    )
    page = meeting_room_screen(page_for, demo, width, height)
    # A full column shows only the tasks it can show whole (the 1600×900 screen holds two of 李晓红's four).
    page.locator(".task").first.wait_for()
    sizes = page.evaluate(SCREEN_TEXT)
    shot(page, f"board-tv-text-{width}x{height}.png")
    shown = {name for name, _text, _size in sizes}
    assert {"board-date", "figure-label", "board-patrol", "board-updated", "task-title", "tag", "where"} <= shown
    assert [(name, text, size) for name, text, size in sizes if size < 24] == []
    assert no_scrolling(page)


def test_it_sets_no_task_text_below_24_px_on_the_meeting_room_screen(page_for, demo):
    """The people's columns were the smallest text on the screen: a task's title 21 px, its
    state and tags 16 px, under lanes of 24 px."""
    page = meeting_room_screen(page_for, demo)
    page.get_by_text("入户走访3号楼王奶奶").first.wait_for()
    sizes = page.evaluate(
        """() => [...document.querySelectorAll('.board-column, .board-column *')]
            .filter(el => [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim()))
            .map(el => [el.className, parseFloat(getComputedStyle(el).fontSize)])"""
    )
    shot(page, "board-tv-tasks-1920x1080.png")
    assert {"task-title", "task-state", "tag"} <= {name for name, _size in sizes}
    assert [(name, size) for name, size in sizes if size < 24] == []


def test_it_sets_no_text_below_24_px_on_the_staff_board_on_the_meeting_room_tv(page_for, wednesday, demo):
    """The secretary who runs the meeting logged in: the quick entry, its menu of visits (17 and
    16 px), the tools, the task's buttons (18 px) and the keyboard help at the foot (15 px)."""
    page = page_for(demo["users"]["secretary"], viewport={"width": 1920, "height": 1080})
    page.goto("/board/")
    page.locator(".board-visit-pick summary").click()
    page.locator(".board-visit-pick .visit-about").first.wait_for()
    sizes = page.evaluate(SCREEN_TEXT)
    shot(page, "board-staff-tv-text-1920x1080.png")
    shown = {name for name, _text, _size in sizes}
    assert {"board-date", "visit-about", "board-keys", "task-title", "INPUT", "SELECT", "BUTTON", "SUMMARY"} <= shown
    assert [(name, text, size) for name, text, size in sizes if size < 24] == []
    assert no_scrolling(page)


def test_it_gives_every_button_of_the_board_a_44_px_tap_target_on_a_phone(page_for, demo):
    """On a phone the task's ▶ ✓ ↷ were 26 px squares, 关联走访 and the item's number 21 and
    17 px high: too small for a finger. Measured with a task's visit menu open."""
    page = page_for(demo["users"]["secretary"], viewport={"width": 390, "height": 844})
    page.goto("/board/")
    card = page.locator(".task", has_text="入户走访3号楼王奶奶")
    card.locator(".task-visits-edit summary").click()
    card.locator(".task-visits-form button").wait_for()
    shot(page, "board-phone-targets.png")
    heights = page.evaluate(
        """() => [...document.querySelectorAll(
                '.board-head :is(a, button, input, select, summary), .task :is(a, button, summary, label)')]
            .filter(el => el.checkVisibility())
            .map(el => [el.textContent.trim().slice(0, 12) || el.tagName, el.getBoundingClientRect().height])"""
    )
    names = [name for name, _height in heights]
    assert {"▶", "✓", "↷", "关联走访", "保存"} <= set(names) and any(n.startswith("MQ") for n in names)
    assert [(name, height) for name, height in heights if height < 44] == []


@pytest.mark.parametrize("width,height", [(1920, 1080), (1280, 720)])
def test_it_shows_every_lane_line_whole_and_every_overdue_flag_inside_its_line(page_for, demo, width, height):
    """A full lane used to squeeze its items (flex), so a due visit's second line and its red
    'overdue' flag were cut in half on the meeting-room screen; a line either shows whole or not
    at all (the lane's count says how many there are)."""
    page = page_for(demo["users"]["secretary"], viewport={"width": width, "height": height})
    page.goto("/board/")
    page.locator(".lane-visits li").first.wait_for()
    cut = page.evaluate(
        """() => [...document.querySelectorAll('.lane li')].flatMap(li => {
            const lineHeight = parseFloat(getComputedStyle(li).lineHeight);
            const box = li.getBoundingClientRect();
            const squeezed = li.clientHeight + 1 < Math.min(li.scrollHeight, 2 * lineHeight);
            const flags = [...li.querySelectorAll('.flag')].filter(f => {
                const r = f.getBoundingClientRect();
                return r.top < box.top - 1 || r.bottom > box.bottom + 1;
            });
            const list = li.parentElement.getBoundingClientRect();
            const shown = box.left < list.right && box.top < list.bottom;
            const half = shown && box.bottom > list.bottom + 1;
            return squeezed || flags.length || half ? [li.textContent.trim().slice(0, 30)] : [];
        })"""
    )
    shot(page, f"board-lanes-{width}x{height}.png")
    assert page.locator(".lane-visits li .flag").count() > 0
    assert cut == []


@pytest.mark.parametrize("width,height", [(1920, 1080), (1600, 900)])
def test_it_shows_every_12345_clock_and_activity_title_whole_on_the_meeting_room_screen(page_for, demo, width, height):
    """At 1600×900 a 12345 case's number and place took the entry's two lines and its red
    '响应 已超时21小时' was cut off below them; an activity's title and venue pushed its sign-ups
    out the same way. The place and the venue give way (…), never the clock, title or badge."""
    activity = Activity.objects.get(community=demo["community"], title="宪法宣传进社区")
    for _ in range(12):
        ParticipationFactory(activity=activity, signed_up_at=timezone.now())
    page = meeting_room_screen(page_for, demo, width, height)
    page.locator(".lane-hotline li .clock").first.wait_for()
    shot(page, f"board-tv-clocks-{width}x{height}.png")
    cut = page.evaluate(
        """() => [...document.querySelectorAll(
                '.lane-hotline li .clock, .lane-activities li :is(.when, .what, .tag)')].flatMap(el => {
            const li = el.closest('li');
            if (!li.checkVisibility()) return [];
            const inside = (r, o) => r.top >= o.top - 1 && r.bottom <= o.bottom + 1
                && r.left >= o.left - 1 && r.right <= o.right + 1;
            const r = el.getBoundingClientRect();
            const ok = inside(r, li.getBoundingClientRect()) && inside(r, el.closest('.lane').getBoundingClientRect());
            return ok ? [] : [el.textContent.trim()];
        })"""
    )
    shown = page.evaluate(
        """() => ['.lane-hotline li .clock', '.lane-activities li .what', '.lane-activities li .tag']
            .map(s => [...document.querySelectorAll(s)].filter(el => el.closest('li').checkVisibility()).length)"""
    )
    assert all(n >= 1 for n in shown), shown
    assert cut == []


def open_the_summary_from_the_board(page):
    page.goto("/board/")
    page.locator(".board-tools a[href='/board/summary/']").click()
    page.locator("table").wait_for()
    # The table is laid out before board.css arrives when the server is slow (CI measured every
    # text 18.4 px, the light page's size); sizes are read once the page's stylesheets are in.
    page.wait_for_load_state()


@pytest.mark.parametrize("width,height", [(1920, 1080), (1600, 900)])
def test_it_sets_the_mid_week_summary_across_the_meeting_room_screen(page_for, wednesday, demo, width, height):
    """周中总结, shown on the TV after the board, was the light page with the menu: the table half
    the screen's width, its text 20 to 22 px. One tap from the board and one back."""
    page = page_for(demo["users"]["secretary"], viewport={"width": width, "height": height})
    open_the_summary_from_the_board(page)
    sizes = page.evaluate(SCREEN_TEXT)
    shot(page, f"board-summary-{width}x{height}.png")
    assert [(name, text, size) for name, text, size in sizes if size < 24] == []
    assert page.locator("table").bounding_box()["width"] >= 0.9 * width
    assert page.locator("#mainnav").count() == 0
    shown = {name for name, _text, _size in sizes}
    assert {"board-title", "board-date", "TH", "summary-this", "summary-visits"} <= shown
    assert no_scrolling(page)
    assert axe_violations(page) == []
    page.locator(".board-tools a[href='/board/']").click()
    page.locator("#board-body").wait_for()


def test_it_reads_the_mid_week_summary_on_a_phone(page_for, wednesday, demo):
    page = page_for(demo["users"]["secretary"], viewport={"width": 390, "height": 844})
    open_the_summary_from_the_board(page)
    shot(page, "board-summary-phone.png")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert page.locator(".board-tools a").bounding_box()["height"] >= 44
    sizes = page.evaluate(SCREEN_TEXT)
    assert [(name, text, size) for name, text, size in sizes if size < 14] == []
    assert axe_violations(page) == []
