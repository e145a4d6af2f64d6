"""In Chromium on a 390×844 phone: a patrol that checks ten items and logs one new one
(taps counted and printed), and taps made while the network is down that are queued,
shown in a banner and sent once when it comes back. Screenshots land in test-artifacts/."""

from datetime import timedelta

import pytest
from django.utils import timezone

from issues import services
from issues.hotline.models import HotlineCase
from issues.models.category import IssueCategory
from issues.models.choices import IssueChannel, IssueStatus
from issues.models.issue import Issue
from issues.models.timeline import FollowUp
from issues.patrol.models import Patrol, PatrolCheck
from residents.places import Place
from tests.browser.waiting import wait_until
from tests.conftest import ARTIFACTS
from tests.factories import BuildingFactory, PatrolStopFactory

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}

TEN_ITEMS = [
    ("消防通道被私家车堵住了", None),
    ("消防通道口堆了建筑垃圾", None),
    ("楼道堆放纸箱和旧家具", "3"),
    ("单元门禁坏了关不上", "3"),
    ("楼前路灯不亮", "3"),
    ("电动车棚有人飞线充电", None),
    ("电动车棚顶棚漏雨", None),
    ("街坊路井盖松动有响声", None),
    ("街坊路边小广告贴满电线杆", None),
    ("东门外树枝压着电线", "东门外"),
]


@pytest.fixture
def route(community, secretary):
    services.ensure_default_categories(community)
    building = BuildingFactory(community=community, number="3")
    PatrolStopFactory(community=community, name="消防通道", position=0)
    PatrolStopFactory(community=community, name="", building=building, position=1)
    PatrolStopFactory(community=community, name="电动车棚", position=2)
    PatrolStopFactory(community=community, name="街坊路", position=3)
    now = timezone.now()
    # "3": building 3; None: the place is in the text, named by a stop; else the place as written.
    for text, where in TEN_ITEMS:
        place = Place(building=building) if where == "3" else Place(text=where or "")
        services.log_issue(community=community, by=secretary, now=now, text=text, place=place)
    return community


def shot(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name), full_page=False)


def test_it_checks_ten_items_and_logs_one_new_in_few_taps(page_for, staff, route):
    page = page_for(staff, viewport=PHONE)
    page.goto("/issues/patrol/")
    taps = 0
    page.click("#patrol-start")
    page.wait_for_selector("#patrol[data-ready]", state="attached")
    taps += 1
    outcomes = ["still", "solved", "worse", "still", "still", "solved", "still", "still", "solved", "still"]
    cards = page.locator("article.patrol-item")
    assert cards.count() == 10
    for n, outcome in enumerate(outcomes):
        cards.nth(n).locator(f"button.tap-{outcome}").click()
        taps += 1
        if n == 2:
            issue_id = cards.nth(n).get_attribute("data-issue")
            page.wait_for_selector(f"#item-{issue_id} .patrol-state.text-success")
            shot(page, "patrol-walk.png")
    wait_until(page, "document.querySelectorAll('.patrol-state.text-success').length === 10")

    page.locator("section.patrol-stop", has_text="电动车棚").locator("button.patrol-new").click()
    taps += 1
    page.locator("#id_text").click()
    taps += 1
    page.keyboard.type("车棚西侧插座冒烟，有焦味")
    shot(page, "patrol-new-problem.png")
    page.locator("#find-save").click()
    taps += 1
    page.wait_for_selector("#flash:not(.d-none)")
    print(f"\npatrol: {taps} taps to start, check ten items and log one new one (plus the typing)")

    checks = PatrolCheck.objects.order_by("id")
    assert [c.outcome for c in checks][:10] == outcomes
    new = Issue.objects.get(channel=IssueChannel.PATROL)
    assert (new.place_text, new.category.name) == ("电动车棚", "电动车充电")
    assert Issue.objects.filter(status=IssueStatus.RESOLVED).count() == 3
    assert FollowUp.objects.filter(note="巡查确认：仍未解决").count() == 6
    assert taps <= 14

    page.click("#patrol-end")
    assert page.locator("input[name=check_fire_lane][value=problem]").is_checked()  # as tapped
    page.locator(".chip", has_text="有问题").nth(2).click()
    page.locator("#id_summary").fill("车棚插座冒烟已通知物业")
    shot(page, "patrol-end.png")
    page.locator("#end-save").click()
    page.wait_for_selector("#patrol-record")
    shot(page, "patrol-summary.png")
    patrol = Patrol.objects.get()
    assert (patrol.checked_count, patrol.new_count) == (10, 1)
    assert (patrol.checklist["ebike"], patrol.checklist["adverts"]) == ("problem", "ok")
    assert "电动车棚" in patrol.places


def test_it_queues_taps_made_offline_and_sends_them_once_when_back(page_for, staff, route):
    page = page_for(staff, viewport=PHONE)
    page.goto("/issues/patrol/")
    page.click("#patrol-start")
    page.wait_for_selector("#patrol[data-ready]", state="attached")
    cards = page.locator("article.patrol-item")
    page.context.set_offline(True)
    cards.nth(0).locator("button.tap-still").click()
    cards.nth(1).locator("button.tap-solved").click()
    page.locator("section.patrol-stop", has_text="街坊路").locator("button.patrol-new").click()
    page.locator("#id_text").fill("街坊路东头垃圾桶倒了")
    page.locator("#find-save").click()
    page.wait_for_selector("#queue-banner:not(.d-none)")
    assert page.locator("#queue-text").inner_text().startswith("未保存，待发送 3 条")
    shot(page, "patrol-offline.png")
    assert PatrolCheck.objects.count() == 0

    # The first tap is sent twice, as after a response lost on the way back.
    page.evaluate(
        """() => {
          const key = Object.keys(localStorage).find((k) => k.startsWith('fuhai-patrol-queue-'));
          const queue = JSON.parse(localStorage.getItem(key));
          queue.push(queue[0]);
          localStorage.setItem(key, JSON.stringify(queue));
        }"""
    )
    page.context.set_offline(False)
    page.locator("#queue-retry").click()
    page.wait_for_selector("#queue-banner.d-none", state="attached", timeout=20_000)
    assert PatrolCheck.objects.count() == 3
    assert Issue.objects.filter(text="街坊路东头垃圾桶倒了", channel=IssueChannel.PATROL).count() == 1
    assert FollowUp.objects.filter(note__startswith="巡查确认").count() == 2


def test_it_keeps_the_queue_across_a_reload(page_for, staff, route):
    page = page_for(staff, viewport=PHONE)
    page.goto("/issues/patrol/")
    page.click("#patrol-start")
    page.wait_for_selector("#patrol[data-ready]", state="attached")
    page.context.set_offline(True)
    page.locator("article.patrol-item").nth(0).locator("button.tap-worse").click()
    page.wait_for_selector("#queue-banner:not(.d-none)")
    page.route("**/check/", lambda route: route.abort())  # back online, the send still fails
    page.context.set_offline(False)
    page.reload()
    page.wait_for_selector("#patrol[data-ready]", state="attached")
    page.wait_for_selector("#queue-banner:not(.d-none)")
    assert "待发送 1 条" in page.locator("#queue-text").inner_text()
    page.unroute("**/check/")
    page.locator("#queue-retry").click()
    page.wait_for_selector("#queue-banner.d-none", state="attached")
    assert PatrolCheck.objects.get().outcome == "worse"


def test_it_reorders_the_route_with_the_arrow_buttons(page_for, secretary, route):
    page = page_for(secretary, viewport=PHONE)
    page.goto("/issues/patrol/route/")
    page.locator("#route li", has_text="街坊路").locator("button[value=up]").click()
    page.wait_for_load_state()
    labels = [t.strip() for t in page.locator("#route li > span").all_inner_texts()]
    assert labels == ["消防通道", "3号楼", "街坊路", "电动车棚"]
    shot(page, "patrol-route.png")


def test_it_keeps_a_tap_answered_by_a_login_page_instead_of_dropping_it(page_for, staff, route):
    page = page_for(staff, viewport=PHONE)
    page.goto("/issues/patrol/")
    page.click("#patrol-start")
    page.wait_for_selector("#patrol[data-ready]", state="attached")
    page.route("**/check/", lambda r: r.fulfill(status=200, content_type="text/html", body="<form>登录</form>"))
    page.locator("article.patrol-item").nth(0).locator("button.tap-still").click()
    page.wait_for_selector(".patrol-state.text-danger")
    assert "待发送 1 条" in page.locator("#queue-text").inner_text()
    page.unroute("**/check/")
    page.locator("#queue-retry").click()
    page.wait_for_selector("#queue-banner.d-none", state="attached")
    assert PatrolCheck.objects.count() == 1


def start(page):
    page.goto("/issues/patrol/")
    page.click("#patrol-start")
    page.wait_for_selector("#patrol[data-ready]", state="attached")


def test_it_takes_back_a_mistaken_tap_and_records_the_new_choice(page_for, staff, route):
    page = page_for(staff, viewport=PHONE)
    start(page)
    card = page.locator("article.patrol-item").nth(0)
    card.locator("button.tap-solved").click()
    wait_until(page, "document.getElementById('checked-count').textContent === '1'")
    card.locator("button.patrol-undo-btn").click()
    page.wait_for_selector(f"#{card.get_attribute('id')} button.tap-still:not([disabled])")
    page.wait_for_timeout(400)  # the buttons' colour transition
    shot(page, "patrol-undone.png")
    assert page.locator("#checked-count").inner_text() == "0"
    card.locator("button.tap-still").click()
    wait_until(page, "document.getElementById('checked-count').textContent === '1'")
    issue = Issue.objects.get(pk=card.get_attribute("data-issue"))
    assert (PatrolCheck.objects.get().outcome, issue.status) == ("still", IssueStatus.IN_PROGRESS)
    page.reload()
    page.wait_for_selector("#patrol[data-ready]", state="attached")
    assert card.locator("button.tap-still.chosen").is_disabled()
    assert card.locator("button.patrol-undo-btn").is_visible()


def test_it_drops_a_tap_made_offline_when_it_is_taken_back_before_it_is_sent(page_for, staff, route):
    page = page_for(staff, viewport=PHONE)
    start(page)
    card = page.locator("article.patrol-item").nth(0)
    page.context.set_offline(True)
    card.locator("button.tap-worse").click()
    page.wait_for_selector("#queue-banner:not(.d-none)")
    card.locator("button.patrol-undo-btn").click()
    page.wait_for_selector("#queue-banner.d-none", state="attached")
    page.context.set_offline(False)
    page.wait_for_timeout(500)
    assert not card.locator("button.tap-worse").is_disabled()
    assert not PatrolCheck.objects.exists()


def below_the_head(page, selector):
    return page.evaluate(
        """(selector) => document.querySelector(selector).getBoundingClientRect().top
            >= document.querySelector('.patrol-head').getBoundingClientRect().bottom""",
        selector,
    )


def test_it_opens_the_new_problem_form_below_the_sticky_head(page_for, staff, route):
    page = page_for(staff, viewport=PHONE)
    page.emulate_media(reduced_motion="reduce")  # Bootstrap scrolls smoothly otherwise
    start(page)
    page.locator("section.patrol-stop", has_text="街坊路").locator("button.patrol-new").click()
    page.wait_for_timeout(300)
    shot(page, "patrol-new-problem-open.png")
    assert below_the_head(page, "#find h2")


def test_it_shows_the_label_of_a_field_focused_under_the_sticky_head(page_for, staff, route):
    page = page_for(staff, viewport=PHONE)
    page.emulate_media(reduced_motion="reduce")
    start(page)
    page.locator("section.patrol-stop", has_text="消防通道").locator("button.patrol-new").click()
    page.evaluate("window.scrollBy(0, document.getElementById('id_place').getBoundingClientRect().top - 40)")
    page.locator("#id_place").focus()
    page.wait_for_timeout(300)
    assert below_the_head(page, "label[for=id_place]")


def tap_height(locator):
    return locator.bounding_box()["height"]


def test_on_a_phone_links_are_44_px_taps_and_a_new_problem_shows_under_its_stop(
    page_for, grid_worker, secretary, route
):
    """A tester playing the grid worker on a 390 px phone: links 16 px tall (a 12345 case's number
    on home, 编辑路线, the patrol record's), 巡查 four taps away, and a new problem saved at a
    stop that went on saying 这里没有未办结事项."""
    now = timezone.now()
    PatrolStopFactory(community=route, name="北门", position=4)
    item = services.log_issue(
        community=route, by=secretary, now=now, text="12345转来：夜间施工噪音扰民", channel=IssueChannel.HOTLINE
    )
    HotlineCase.objects.create(
        issue=item,
        community=route,
        case_no="2026120600001",
        request_type="complaint",
        urgency="normal",
        dispatched_at=now,
        response_deadline=now + timedelta(hours=2),
        resolution_deadline=now + timedelta(days=5),
    )
    page = page_for(grid_worker, viewport=PHONE)
    page.goto("/")
    assert tap_height(page.locator("#home-hotline a.tap-link")) >= 44
    shot(page, "home-grid-worker.png")
    page.click("#home-patrol")
    route_link = page.locator("main a.tap-link", has_text="编辑路线")
    assert tap_height(route_link) >= 44
    page.click("#patrol-start")
    page.wait_for_selector("#patrol[data-ready]", state="attached")

    gate = page.locator('section.patrol-stop[data-place="北门"]')
    assert gate.locator(".patrol-stop-empty").is_visible()
    gate.locator("button.patrol-new").click()
    page.locator("#id_text").fill("北门岗亭玻璃碎了")
    page.locator("#find-save").click()
    gate.locator("article.patrol-item", has_text="北门岗亭玻璃碎了").wait_for()
    gate.scroll_into_view_if_needed()
    shot(page, "patrol-new-problem-listed.png")
    assert gate.locator(".patrol-stop-empty").count() == 0
    assert gate.locator(".patrol-stop-count").inner_text() == "1"
    assert "已记录：新问题" in gate.locator("article.patrol-item").inner_text()

    patrol = Patrol.objects.get()
    page.goto(f"/issues/patrol/{patrol.pk}/summary/")
    links = page.locator("main a.tap-link")
    assert links.count() == 2  # the item logged, 全部巡查
    assert all(tap_height(links.nth(n)) >= 44 for n in range(links.count()))
    page.goto("/issues/patrol/")
    assert tap_height(page.locator("main ul.list-group a.tap-link").first) >= 44  # the walk under way

    desk = page_for(grid_worker)
    desk.goto("/issues/patrol/")
    assert tap_height(desk.locator("main a.tap-link", has_text="编辑路线")) < 32


def test_on_a_phone_an_items_number_place_category_and_flag_each_keep_to_one_line(page_for, grid_worker, route):
    """On a 390 px phone a card's head line squeezed its parts side by side until each broke
    mid-word: MQ20261205- / 001, 消防安 / 全, 需升 / 级. Each part now stays whole; the line wraps
    between them."""
    item = services.log_issue(
        community=route,
        by=grid_worker,
        now=timezone.now(),
        text="5号楼2单元楼道堆放纸箱杂物，堵住消防通道",
        place=Place(text="5号楼2单元301"),
        category=IssueCategory.objects.get(community=route, name="消防安全"),
    )
    Issue.objects.filter(pk=item.pk).update(escalated=True)
    page = page_for(grid_worker, viewport=PHONE)
    start(page)
    card = page.locator(f"#item-{item.pk}")
    card.scroll_into_view_if_needed()
    shot(page, "patrol-item-head.png")
    parts = card.evaluate(
        """card => [...card.querySelector('.card-body > :first-child').children].map(el => {
            const line = parseFloat(getComputedStyle(el).lineHeight);
            return [el.textContent.trim(), el.getBoundingClientRect().height / line];
        })"""
    )
    assert [text for text, _lines in parts] == [item.code, "5号楼2单元301", "消防安全", "需升级"]
    assert [(text, lines) for text, lines in parts if lines > 1.2] == []


TAP_STYLE = """el => { const s = getComputedStyle(el);
    return [s.backgroundColor, s.borderTopColor, s.borderTopWidth, s.color, s.opacity]; }"""


def test_on_a_phone_a_refused_tap_keeps_the_buttons_colours_and_empties_the_photo_box(
    page_for, grid_worker, route, tmp_path
):
    """A tester tapped 还在 with fake.jpg: 未保存：这不是照片文件, and 还在 came back blank (Bootstrap's
    :hover, which a phone keeps on the button last tapped) with fake.jpg still in the photo box."""
    fake = tmp_path / "fake.jpg"
    fake.write_bytes(b"not a picture")
    page = page_for(grid_worker, viewport=PHONE)
    start(page)
    card = page.locator(f"#{page.locator('article.patrol-item').first.get_attribute('id')}")
    still = card.locator("button.tap-still")
    before = still.evaluate(TAP_STYLE)
    card.locator("details.patrol-extra summary").click()
    card.locator("input[name=photo]").set_input_files(str(fake))
    assert card.locator(".photo-name").inner_text() == "fake.jpg"
    still.click()
    card.locator(".patrol-state.text-danger").wait_for()
    page.wait_for_timeout(400)  # the buttons' colour transition
    shot(page, "patrol-tap-refused.png")
    assert "这不是照片文件" in card.locator(".patrol-state").inner_text()
    assert still.evaluate("el => el.matches(':hover')")  # where the finger (the mouse) still is
    assert still.evaluate(TAP_STYLE) == before
    assert not still.is_disabled()
    assert card.locator("input[name=photo]").evaluate("el => el.files.length") == 0
    assert card.locator(".photo-name").inner_text() == "拍照 / 选照片"
    assert not PatrolCheck.objects.exists()


def test_on_a_phone_a_solved_tap_on_a_12345_item_sends_the_walker_to_its_case(page_for, grid_worker, secretary, route):
    now = timezone.now()
    item = services.log_issue(
        community=route, by=secretary, now=now, text="12345转来：电动车棚夜里有人飞线充电", channel=IssueChannel.HOTLINE
    )
    case = HotlineCase.objects.create(
        issue=item,
        community=route,
        case_no="2026120600002",
        request_type="complaint",
        urgency="normal",
        dispatched_at=now,
        response_deadline=now + timedelta(hours=2),
        resolution_deadline=now + timedelta(days=5),
    )
    page = page_for(grid_worker, viewport=PHONE)
    start(page)
    card = page.locator(f"#item-{item.pk}")
    assert "12345工单" in card.locator(".patrol-item-head").inner_text()
    card.locator("button.tap-solved").click()
    link = card.locator(".patrol-state a.patrol-case-link")
    link.wait_for()
    card.scroll_into_view_if_needed()
    shot(page, "patrol-12345-solved.png")
    assert "已记录：已解决" not in card.locator(".patrol-state").inner_text()
    assert link.get_attribute("href") == f"/issues/hotline/{case.pk}/?step=first_contact"
    assert link.bounding_box()["height"] >= 44
    item.refresh_from_db()
    assert item.status == IssueStatus.PENDING
