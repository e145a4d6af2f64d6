"""The secretary's day on the demo data, walked in Chromium as issue 17 describes it: twelve
steps, each ending in the state it must reach, with clicks, keystrokes and seconds per step and
axe-core's findings per page. `pytest -s tests/browser/test_day_walk.py` prints the table.

Counting: a click or tap is one click, a select is two (open, choose), a checkbox one; a typed
character is one keystroke (Chinese counted as characters, not as IME strokes), a paste two,
Enter/Tab one. Seconds are Chromium's against the test server, with axe's own time left out:
they show where a step waits, not how fast a person is."""

import time
import unicodedata
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

from activities.models import Commendation, Participation
from issues.hotline.models import HotlineCase
from issues.models.choices import IssueStatus
from issues.models.issue import Issue
from issues.models.reminder import Notification
from issues.models.task import Task
from issues.patrol.models import PatrolCheck
from issues.reminders.sweep import run_sweep
from residents.models.care import Distribution, Visit
from residents.models.community import Community
from tests.browser.waiting import wait_until
from tests.conftest import ARTIFACTS

pytestmark = pytest.mark.browser

OFFICE = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
TV = {"width": 1920, "height": 1080}
MORNING = (Path(__file__).resolve().parents[1] / "fixtures" / "wechat" / "morning_batch.txt").read_text()
AXE = "/static/vendor/axe-core/axe.min.js"
RUN_AXE = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  const count = impacts => result.violations.filter(v => impacts.includes(v.impact))
    .reduce((n, v) => n + v.nodes.length, 0);
  return {serious: count(["serious", "critical"]), other: count(["minor", "moderate"]),
          rules: result.violations.map(v => `${v.id}:${v.impact} ${v.nodes.map(n => n.target.join(" ")).join(" ")}`)};
}"""


def pad(text: str, width: int) -> str:
    """Left-align in a monospaced table: a Chinese character takes two columns."""
    wide = sum(1 for char in text if unicodedata.east_asian_width(char) in "WF")
    return text + " " * max(width - len(text) - wide, 0)


@dataclass
class Row:
    step: str
    clicks: int = 0
    keys: int = 0
    seconds: float = 0.0
    pages: list[str] = field(default_factory=list)


class Walk:
    """Drives the page and counts what a person would do."""

    def __init__(self, page):
        self.page = page
        self.rows: list[Row] = []
        self.axe: dict[str, dict] = {}
        self.row: Row | None = None
        self.axe_seconds = 0.0

    @contextmanager
    def step(self, name: str):
        self.row = Row(name)
        self.axe_seconds = 0.0
        started = time.monotonic()
        yield self.row
        self.row.seconds = time.monotonic() - started - self.axe_seconds
        self.rows.append(self.row)

    def locate(self, target):
        return self.page.locator(target) if isinstance(target, str) else target

    def click(self, target):
        self.locate(target).click()
        self.row.clicks += 1

    def type(self, target, text: str):
        self.locate(target).click()
        self.page.keyboard.type(text)
        self.row.clicks += 1
        self.row.keys += len(text)

    def paste(self, target, text: str):
        self.locate(target).click()
        self.locate(target).fill(text)
        self.row.clicks += 1
        self.row.keys += 2

    def press(self, key: str):
        self.page.keyboard.press(key)
        self.row.keys += 1

    def select(self, target, value=None, **how):
        self.locate(target).select_option(value, **how)
        self.row.clicks += 2

    def choose(self, target, text: str):
        """Select the option whose label contains ``text`` (labels carry more than the name)."""
        options = self.locate(target).locator("option")
        value = next(o.get_attribute("value") for o in options.all() if text in o.inner_text())
        self.select(target, value)

    def check(self, target):
        self.locate(target).check()
        self.row.clicks += 1

    def checkpoint(self, name: str):
        """axe-core on the page as it is now (once per page name), and a screenshot."""
        self.row.pages.append(name)
        if name in self.axe:
            return
        started = time.monotonic()
        self.page.add_script_tag(url=AXE)
        self.axe[name] = self.page.evaluate(RUN_AXE)
        ARTIFACTS.mkdir(exist_ok=True)
        self.page.screenshot(path=str(ARTIFACTS / f"day-{len(self.axe):02d}-{name}.png"))
        self.axe_seconds += time.monotonic() - started

    def table(self) -> str:
        lines = [
            f"{'#':>2}  {'step':<34} {'clicks':>6} {'keys':>5} {'seconds':>7}  pages (axe serious+critical / other)",
        ]
        for n, row in enumerate(self.rows, 1):
            pages = ", ".join(
                f"{p} ({self.axe[p]['serious']}/{self.axe[p]['other']})" for p in dict.fromkeys(row.pages)
            )
            lines.append(f"{n:>2}  {pad(row.step, 34)} {row.clicks:>6} {row.keys:>5} {row.seconds:>7.1f}  {pages}")
        total = Row("total", *(sum(getattr(r, k) for r in self.rows) for k in ("clicks", "keys", "seconds")))
        lines.append(f"    {total.step:<34} {total.clicks:>6} {total.keys:>5} {total.seconds:>7.1f}")
        serious = sum(a["serious"] for a in self.axe.values())
        other = sum(a["other"] for a in self.axe.values())
        lines.append(f"axe on {len(self.axe)} pages: {serious} serious or critical, {other} minor or moderate")
        for page, found in self.axe.items():
            if found["rules"]:
                lines.append(f"  {page}: {', '.join(found['rules'])}")
        return "\n".join(lines)


@pytest.fixture
def demo(db):
    call_command("seed_demo", force=True, verbosity=0, stdout=StringIO())
    return Community.objects.get(name="福海佳园")


def navigate(walk, name: str):
    """A click on the top menu (opened first on a phone; the board has none, so 首页 first)."""
    if walk.page.locator("#mainnav").count() == 0:
        with walk.page.expect_navigation():
            walk.click(walk.page.get_by_role("link", name="首页", exact=True))
    toggler = walk.page.locator(".navbar-toggler")
    if toggler.is_visible():
        walk.click(toggler)
    with walk.page.expect_navigation():
        walk.click(walk.page.locator("#mainnav").get_by_role("link", name=name, exact=True))


def test_the_secretarys_day_walks_through_in_twelve_steps(page_for, live_server, demo):
    users = {u.username: u for u in get_user_model().objects.all()}
    page = page_for(None, viewport=OFFICE)
    walk = Walk(page)
    today = timezone.localdate()

    with walk.step("log in"):
        page.goto("/")
        walk.type("#id_username", "secretary")
        walk.type("#id_password", "fuhai2024")
        with page.expect_navigation():
            walk.press("Enter")
        page.locator("#my-items").wait_for()
        walk.checkpoint("home")
    assert page.url.rstrip("/") == live_server.url

    before = Issue.objects.count()
    with walk.step("WeChat batch"):
        navigate(walk, "民情日记")
        walk.checkpoint("diary list")
        with page.expect_navigation():
            walk.click(page.get_by_role("link", name="微信群批量登记"))
        walk.paste("#id_paste", MORNING)
        with page.expect_navigation():
            walk.click("#btn-parse")
        walk.checkpoint("wechat drafts")
        with page.expect_navigation():
            walk.click("#btn-save")
        page.locator("#messages").get_by_text("已登记").wait_for()
    logged = Issue.objects.count() - before
    assert logged >= 10

    leak = Issue.objects.get(community=demo, text__startswith="卫生间顶上渗水")
    with walk.step("handle an item"):
        navigate(walk, "民情日记")
        walk.type("#id_q", "渗水")
        with page.expect_navigation():
            walk.press("Enter")
        with page.expect_navigation():
            walk.click(page.locator(f"a[href='/issues/{leak.pk}/']:visible").first)
        walk.checkpoint("item")
        walk.click(page.get_by_role("link", name="设置处理方式", exact=True))
        walk.select("#settle_form_handling_method", "to_property")
        walk.choose("#settle_form_partner_contact", "孙丽")
        walk.type("#settle_form_note", "已联系物业上门查看")
        walk.click(page.locator("#action-panel form button[type=submit]"))
        page.locator("#timeline").get_by_text("已联系物业上门查看").wait_for()
    leak.refresh_from_db()
    assert leak.status == IssueStatus.IN_PROGRESS

    with walk.step("morning board"):
        navigate(walk, "晨会看板")
        walk.type("#task-text", "@李晓红 入户走访送灭火毯")
        walk.click(".board-visit-pick summary")
        walk.check(page.locator(".board-visit-pick input[name=visits]").first)
        walk.click(".board-add button[type=submit]")
        page.locator(".task", has_text="入户走访送灭火毯").locator(".tag-visit").wait_for()
        walk.checkpoint("board")
    task = Task.objects.get(title="入户走访送灭火毯")
    assert task.assignee.username == "staff1" and task.visits.count() == 1

    activity = demo.activities.get(title="宪法宣传进社区")
    # Sign-in opens two hours before the start: the desk signs people in to an activity about to
    # begin, whatever the clock says when the walk runs (the demo's is at 9:30).
    starts = timezone.now().replace(second=0, microsecond=0) + timedelta(minutes=30)
    demo.activities.filter(pk=activity.pk).update(starts_at=starts, ends_at=starts + timedelta(hours=2))
    with walk.step("activity and 20 check-ins"):
        navigate(walk, "活动锦旗")
        # The list starts at activities not yet over; the 9:30 one may be, depending on the clock.
        walk.select("#id_when", "")
        with page.expect_navigation():
            walk.click(page.locator("main form").get_by_role("button", name="筛选"))
        with page.expect_navigation():
            walk.click(page.get_by_role("link", name="宪法宣传进社区").first)
        walk.checkpoint("activity")
        page.goto(f"/activities/{activity.pk}/checkin/")  # the desk's phone opens the sign-in link
        walk.row.clicks += 1
        walk.checkpoint("sign-in desk")
        present = Participation.objects.filter(activity=activity, checked_in_at__isnull=False).count()
        for n in range(20):
            name = f"来宾{n + 1:02d}号"
            walk.type("#id_name", name)
            walk.click(page.get_by_role("button", name="签到", exact=True).last)
            page.locator("#walkin-result").get_by_text(f"{name}已签到").wait_for()
        page.locator(f'#headcount [data-present="{present + 20}"]').wait_for()
    assert Participation.objects.filter(activity=activity, checked_in_at__isnull=False).count() == present + 20

    honours = Commendation.objects.filter(community=demo).count()
    with walk.step("two commendations (锦旗)"):
        for giver, words in (("王秀英", "为民办实事 贴心暖人心"), ("李桂兰", "排忧解难 情系百姓")):
            page.goto("/activities/honours/new/")
            walk.row.clicks += 2  # 活动锦旗 → 登记锦旗
            walk.checkpoint("commendation form")
            walk.type("#id_giver_resident_name", giver)
            walk.type("#id_inscription", words)
            with page.expect_navigation():
                walk.click(page.locator("main form").get_by_role("button", name="保存"))
        walk.checkpoint("wall of honour")
    assert Commendation.objects.filter(community=demo).count() == honours + 2

    dog = Issue.objects.get(community=demo, text__startswith="3号楼门口又有人遛狗")
    reports = dog.report_count
    with walk.step("repeat complaint escalated"):
        navigate(walk, "民情日记")
        with page.expect_navigation():
            walk.click(page.get_by_role("link", name="快速登记"))
        walk.type("#id_text", "3号楼门口又有人遛狗不拴绳，第三次反映了")
        button = page.get_by_role("button", name="是同一问题，记为重复反映").first
        button.wait_for()
        walk.checkpoint("quick entry")
        walk.click(button)
        page.wait_for_selector("#id_text:focus")
        page.goto(f"/issues/{dog.pk}/")
        walk.row.clicks += 1
        page.locator("#timeline").get_by_text("第三次反映了").wait_for()
    dog.refresh_from_db()
    assert dog.report_count == reports + 1 and dog.escalated

    with walk.step("partner project (文化墙)"):
        with page.expect_navigation():
            walk.click(page.get_by_role("link", name="快速登记"))
        walk.type("#id_text", "中心广场文化墙设计方案需与设计工作室对接")
        with page.expect_navigation():
            walk.press("Control+Enter")
        wall = Issue.objects.get(text__startswith="中心广场文化墙")
        page.goto(f"/issues/{wall.pk}/")
        walk.row.clicks += 1
        walk.click(page.get_by_role("link", name="设置处理方式", exact=True))
        walk.select("#settle_form_handling_method", "coordinate")
        walk.choose("#settle_form_partner_contact", "吴迪")
        promised = today + timedelta(days=7)
        page.locator("#settle_form_promised_date").fill(promised.isoformat())
        walk.row.clicks += 1
        walk.row.keys += 8
        walk.click(page.locator("#action-panel form button[type=submit]"))
        page.locator("#timeline .promised").wait_for()
        walk.checkpoint("item waiting for a partner")
    wall.refresh_from_db()
    assert wall.status == IssueStatus.WAITING and timezone.localdate(wall.promised_at) == promised
    assert f"{promised.month}月{promised.day}日" in page.locator("#timeline .promised").inner_text()

    with walk.step("12345 to the callback"):
        navigate(walk, "民情日记")
        with page.expect_navigation():
            walk.click(page.locator("main").get_by_role("link", name="12345", exact=True))
        with page.expect_navigation():
            walk.click(page.get_by_role("link", name="登记12345工单"))
        walk.type("#id_case_no", "202612010021")
        # The dispatch time is not filled in for you: typed as on the city's sheet.
        dispatched = timezone.localtime() - timedelta(minutes=20)
        page.locator("#id_dispatched_at").fill(dispatched.strftime("%Y-%m-%dT%H:%M"))
        walk.row.clicks += 1
        walk.row.keys += 12
        walk.select("#id_request_type", "complaint")
        walk.type("#id_text", "来电反映中心广场晚上音响太吵")
        walk.type("#id_place", "中心广场")
        walk.checkpoint("12345 new case")
        with page.expect_navigation():
            walk.click(page.locator("main form").get_by_role("button", name="保存"))
        case = HotlineCase.objects.get(case_no="202612010021")
        walk.checkpoint("12345 case")
        for form, fields in (
            ("first_contact", [("#fc_note", "已电话联系来电人")]),
            ("site_visit", [("#sv_note", "晚八点到现场，音量已调小")]),
            ("reply", [("#rp_reply_text", "已协调广场舞队调低音量并提前结束")]),
        ):
            if not page.locator(f"#step-{form}").is_visible():
                walk.click(f"button[data-bs-target='#step-{form}']")
                page.locator(f"#step-{form}.show").wait_for()
            for selector, text in fields:
                walk.type(selector, text)
            with page.expect_navigation():
                walk.click(page.locator(f"form[action='/issues/hotline/{case.pk}/{form}/'] button[type=submit]"))
        if not page.locator("#step-city_callback").is_visible():
            walk.click("button[data-bs-target='#step-city_callback']")
            page.locator("#step-city_callback.show").wait_for()
        walk.check("#cc_contacted_0")
        walk.select("#cc_solved", index=1)
        walk.select("#cc_satisfaction", index=1)
        with page.expect_navigation():
            walk.click(page.locator(f"form[action='/issues/hotline/{case.pk}/city_callback/'] button[type=submit]"))
    case.refresh_from_db()
    assert case.city_callback_at is not None and case.reply_text

    phone = page_for(users["staff1"], viewport=PHONE)
    walk.page = phone
    with walk.step("a visit on the phone"):
        phone.goto("/")
        navigate(walk, "居民走访")
        phone.goto("/residents/visits/plan/")
        walk.row.clicks += 1
        walk.checkpoint("visit plan (phone)")
        with phone.expect_navigation():
            walk.click(phone.locator("#plan").get_by_role("link", name="记录走访", exact=True).first)
        walk.checkpoint("visit form (phone)")
        walk.click(phone.locator("label[for='health-good']"))
        walk.click(phone.locator("#visit-form details summary").first)
        phone.locator("#id_fire_blankets").fill("1")
        walk.row.clicks += 1
        walk.row.keys += 2  # select the 0, type 1
        walk.check("#id_signed")
        with phone.expect_navigation():
            walk.click("#save-visit")
        phone.locator("#messages").get_by_text("走访").wait_for()
    visit = Visit.objects.latest("id")
    assert visit.recorded_by.username == "staff1" and Distribution.objects.filter(visit=visit).exists()

    with walk.step("a patrol"):
        phone.goto("/issues/patrol/")
        walk.row.clicks += 2  # 民情日记 → 巡查
        walk.click("#patrol-start")
        phone.wait_for_selector("#patrol[data-ready]", state="attached")
        walk.checkpoint("patrol (phone)")
        cards = phone.locator("article.patrol-item")
        checked = min(cards.count(), 3)
        for n in range(checked):
            walk.click(cards.nth(n).locator("button.tap-still"))
        wait_until(phone, f"document.querySelectorAll('.patrol-state.text-success').length >= {checked}")
        walk.click("#patrol-end")
        walk.click("#end-save")
        phone.wait_for_selector("#patrol-record")
    assert checked and PatrolCheck.objects.count() >= checked

    walk.page = page
    run_sweep(now=timezone.now())  # the 8:00 beat: reminders and the digest
    with walk.step("reminders"):
        page.goto("/")
        walk.click("#bell")
        page.locator("#notifications").wait_for()
        assert page.locator("#notifications > li").count() > 0
        walk.checkpoint("notifications")
        with page.expect_navigation():
            walk.click(page.get_by_role("button", name="全部标为已读"))
    assert not Notification.objects.filter(recipient=users["secretary"], read_at__isnull=True).exists()

    table = walk.table()
    print("\n" + table)
    (ARTIFACTS / "day-walk.txt").write_text(table + "\n")
    assert len(walk.rows) == 12
    assert {page: found["rules"] for page, found in walk.axe.items() if found["serious"]} == {}
