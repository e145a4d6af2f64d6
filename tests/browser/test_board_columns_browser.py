"""In Chromium: a person's column with more tasks than fit. On the meeting-room screen nobody can
scroll, so the column shows whole tasks only and "另有N项" counts the rest; on /board/ the
column scrolls, and every scroll region can be reached from the keyboard. Screenshots land in
test-artifacts/."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

from issues import services
from issues.models.issue import Issue
from issues.models.task import BoardToken, Task
from residents.models.community import Community, Role
from tests.conftest import ARTIFACTS
from tests.factories import MembershipFactory

pytestmark = pytest.mark.browser

AXE = "/static/vendor/axe-core/axe.min.js"
RUN_AXE = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations.map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.map(n => n.target.join(" "))}));
}"""
#: The busy column's tasks: short and long titles, some with an item's number, so they differ in height.
TITLES = [
    "入户走访3号楼王奶奶",
    "电话回访7号楼渗水住户，约物业周五一起上门查看卫生间顶上渗水的位置",
    "准备周五宪法宣传展板",
]
BUSY = 15


@pytest.fixture
def busy_column(db):
    """福海佳园 from seed_demo, with fifteen more of today's tasks for 李晓红 and a screen link."""
    call_command("seed_demo", force=True, verbosity=0, stdout=StringIO())
    community = Community.objects.get(name="福海佳园")
    users = get_user_model().objects
    secretary, staff1 = users.get(username="secretary"), users.get(username="staff1")
    issue = Issue.objects.filter(community=community).first()
    now = timezone.now()
    for i in range(BUSY):
        services.add_task(
            community=community,
            by=secretary,
            now=now,
            title=f"{i + 1}. {TITLES[i % 3]}",
            day=timezone.localdate(now),
            assignee=staff1,
            issue=issue if i % 2 else None,
        )
    _row, token = BoardToken.create_link(community=community, label="会议室电视", by=secretary, now=now)
    return {"community": community, "secretary": secretary, "token": token}


def columns_as_drawn(page) -> list[dict]:
    """Per person's column: how many tasks it has, those drawn, those drawn but not whole inside
    the column or its list, and the number in its "另有N项" line (0 without one)."""
    return page.evaluate(
        """() => [...document.querySelectorAll('.board-column')].map(column => {
            const inside = (r, o) => r.top >= o.top - 1 && r.bottom <= o.bottom + 1
                && r.left >= o.left - 1 && r.right <= o.right + 1;
            const box = column.getBoundingClientRect();
            const list = column.querySelector('.task-list').getBoundingClientRect();
            const tasks = [...column.querySelectorAll('.task')];
            const drawn = tasks.filter(task => task.checkVisibility());
            const more = column.querySelector('.lane-more');
            const shownMore = more !== null && more.checkVisibility();
            return {
                name: column.querySelector('h2').firstChild.textContent.trim(),
                tasks: tasks.length,
                drawn: drawn.length,
                cut: drawn.filter(task => {
                    const r = task.getBoundingClientRect();
                    return !inside(r, box) || !inside(r, list);
                }).map(task => task.textContent.trim().slice(0, 20)),
                more: shownMore ? parseInt(more.textContent.match(/\\d+/)[0], 10) : 0,
                moreText: shownMore ? more.textContent.trim() : '',
                moreInside: !shownMore || inside(more.getBoundingClientRect(), box),
                moreSize: shownMore ? parseFloat(getComputedStyle(more).fontSize) : 0,
            };
        })"""
    )


def axe_violations(page) -> list[dict]:
    page.add_script_tag(url=AXE)
    return page.evaluate(RUN_AXE)


@pytest.mark.parametrize("width,height", [(1920, 1080), (1600, 900)])
def test_it_shows_whole_tasks_and_counts_the_rest_in_a_full_column_on_the_screen(page_for, busy_column, width, height):
    """Fifteen tasks made the column a scroll region a TV cannot scroll (axe:
    scrollable-region-focusable), with the last task drawn cut in half at its foot."""
    page = page_for(None, viewport={"width": width, "height": height})
    page.goto(f"/board/tv/{busy_column['token']}/")
    page.locator(".task").first.wait_for()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"board-tv-busy-column-{width}x{height}.png"))
    columns = columns_as_drawn(page)
    busy = next(column for column in columns if column["name"] == "李晓红")
    assert busy["tasks"] >= BUSY and 1 <= busy["drawn"] < BUSY, busy
    assert busy["more"] == busy["tasks"] - busy["drawn"] and busy["moreText"] == f"另有{busy['more']}项", busy
    assert busy["moreInside"] and busy["moreSize"] >= 24, busy
    for column in columns:
        assert column["cut"] == [], column
        assert column["drawn"] + column["more"] == column["tasks"], column
    assert axe_violations(page) == []


def test_it_counts_the_rest_again_after_the_screen_refreshes(page_for, busy_column):
    page = page_for(None, viewport={"width": 1920, "height": 1080})
    token = busy_column["token"]
    page.goto(f"/board/tv/{token}/")
    page.locator(".task").first.wait_for()
    before = columns_as_drawn(page)
    with page.expect_response(lambda r: "/refresh/" in r.url):
        page.evaluate(f"htmx.ajax('GET', '/board/tv/{token}/refresh/', {{target: '#board-body', swap: 'innerHTML'}})")
    page.wait_for_timeout(300)
    after = columns_as_drawn(page)
    assert after == before and any(column["more"] for column in after)


def test_it_keeps_the_staff_boards_full_column_scrolling(page_for, busy_column):
    """On /board/ every task stays in its column, which scrolls; each task is a tab stop."""
    page = page_for(busy_column["secretary"], viewport={"width": 1920, "height": 1080})
    page.goto("/board/")
    page.locator(".task").first.wait_for()
    column = page.locator(".board-column", has_text="李晓红")
    assert column.locator(".task").count() >= BUSY and column.locator(".lane-more").count() == 0
    assert column.locator(".task-list").evaluate("list => list.scrollHeight > list.clientHeight")
    last = column.locator(".task").last
    last.focus()
    assert last.evaluate("task => task.getBoundingClientRect().bottom") <= 1080
    assert [v for v in axe_violations(page) if v["id"] == "scrollable-region-focusable"] == []


def test_it_lets_a_viewer_scroll_a_full_column_from_the_keyboard(page_for, busy_column):
    """A 街道 viewer's board has no buttons on a task: the full column was a scroll region with
    nothing in it to reach by keyboard (a task's item number is a link: these have none)."""
    Task.objects.filter(community=busy_column["community"]).update(issue=None)
    viewer = MembershipFactory(community=busy_column["community"], role=Role.VIEWER).user
    page = page_for(viewer, viewport={"width": 1920, "height": 1080})
    page.goto("/board/")
    page.locator(".task").first.wait_for()
    column = page.locator(".board-column", has_text="李晓红")
    assert column.locator(".task").count() >= BUSY
    assert [v for v in axe_violations(page) if v["id"] == "scrollable-region-focusable"] == []
