"""In Chromium: the sign-in desk on a phone, the month calendar, the wall of honour, copying a notice."""

import time
from datetime import timedelta
from io import BytesIO
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image, ImageDraw, ImageFont

from activities import services
from activities.models import Participation
from tests.browser.waiting import FOCUSED_ON_WALK_IN, wait_until
from tests.conftest import ARTIFACTS
from tests.factories import (
    ActivityFactory,
    BuildingFactory,
    CommendationFactory,
    MembershipFactory,
    NoticeFactory,
    ResidentFactory,
    RoomFactory,
    UnitFactory,
)

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
CJK_FONT = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
NAMES = [
    "王秀英", "李建国", "张桂兰", "刘淑珍", "陈志明", "杨玉梅", "赵德胜", "黄丽华", "周文斌", "吴美玲",
    "徐国庆", "孙凤霞", "马金山", "朱红梅", "胡永强", "郭秀芳", "何玉兰", "高振华",
]  # fmt: skip
WALK_INS = ["路过的钱大爷", "新搬来的小冯"]


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def residents(community):
    unit = UnitFactory(building=BuildingFactory(community=community, number="3"), number="2")
    people = []
    for i, name in enumerate(NAMES):
        room = RoomFactory(unit=unit, room_no=f"{i // 4 + 1}0{i % 4 + 1}", floor_no=i // 4 + 1)
        people.append(ResidentFactory(community=community, name=name, room=room))
    return people


@pytest.fixture
def today_activity(community, secretary):
    starts = timezone.now().replace(second=0, microsecond=0) + timedelta(minutes=10)
    return ActivityFactory(
        community=community,
        title="宪法宣传活动",
        starts_at=starts,
        ends_at=starts + timedelta(hours=1, minutes=30),
        organiser=secretary,
        capacity=30,
    )


def _query_for(i: int, resident) -> str:
    """Rotate the three ways the desk finds people: name, pinyin initials, room."""
    return [resident.name, resident.name_initials, resident.room.label.replace("号楼", "-").replace("单元", "-")][i % 3]


def test_it_checks_in_twenty_people_on_a_phone(page_for, staff, today_activity, residents):
    for resident in residents[:10]:
        services.sign_up(today_activity, resident=resident, by=staff, now=timezone.now())
    page = page_for(staff, viewport=PHONE)
    page.goto(f"/activities/{today_activity.pk}/checkin/")
    page.evaluate("window.__marker = 1")
    search = page.locator("#checkin-q")
    started = time.monotonic()
    for i, resident in enumerate(residents):
        query = _query_for(i, resident)
        search.fill(query)
        page.locator(f'#attendees[data-query="{query}"]').wait_for()
        row = page.locator(f"#attendee-{resident.pk}")
        row.get_by_role("button", name="签到").click()
        row.locator(".checked-in").wait_for()
    for name in WALK_INS:
        page.fill("#id_name", name)
        page.get_by_role("button", name="签到", exact=True).last.click()
        page.locator("#walkin-result").get_by_text(f"{name}已签到").wait_for()
        wait_until(page, FOCUSED_ON_WALK_IN)  # settled: the search below is typed where meant
    page.locator('#headcount [data-present="20"]').wait_for()
    elapsed = time.monotonic() - started
    print(f"\nsign-in desk: 20 people (18 found by name/initials/room, 2 walk-ins) in {elapsed:.1f} s on 390x844")
    assert page.evaluate("window.__marker") == 1, "the page reloaded"
    assert Participation.objects.filter(activity=today_activity, checked_in_at__isnull=False).count() == 20
    search.fill("wxy")
    page.locator('#attendees[data-query="wxy"]').wait_for()
    assert page.locator(f"#attendee-{residents[0].pk} .checked-in").is_visible()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "activities-checkin-phone.png"), full_page=True)


def test_it_warns_on_the_phone_when_someone_signs_in_twice(page_for, staff, today_activity, residents):
    services.check_in(today_activity, resident=residents[0], by=staff, now=timezone.now())
    page = page_for(staff, viewport=PHONE)
    page.goto(f"/activities/{today_activity.pk}/checkin/")
    page.fill("#id_name", "路过的钱大爷")
    page.get_by_role("button", name="签到", exact=True).last.click()
    page.locator("#walkin-result").get_by_text("已签到").wait_for()
    page.fill("#id_name", "路过的钱大爷")
    page.get_by_role("button", name="签到", exact=True).last.click()
    page.locator("#walkin-result").get_by_text("不重复计数").wait_for()
    assert page.locator('#headcount [data-present="2"]').count() == 1


def _month_activities(community, secretary):
    today = timezone.localdate()
    first = today.replace(day=1)
    plan = [
        (2, 9, 30, "宪法宣传活动", "policy"),
        (2, 14, 0, "反诈骗知识讲座", "policy"),
        (5, 9, 0, "冬季消防安全演练", "science"),
        (9, 15, 0, "书法兴趣班", "culture"),
        (12, 9, 30, "义诊进社区", "health"),
        (16, 10, 0, "垃圾分类志愿服务", "volunteer"),
        (20, 19, 0, "亲子阅读会", "education"),
        (23, 9, 30, "学习二十届全会精神宣讲", "theory"),
        (27, 10, 0, "节日联欢会排练", "festival"),
        (today.day, 10, 0, "今日：老年人智能手机课", "education"),
    ]
    tz = timezone.get_current_timezone()
    for day, hour, minute, title, platform in plan:
        starts = timezone.datetime(first.year, first.month, day, hour, minute, tzinfo=tz)
        ActivityFactory(
            community=community,
            title=title,
            platform=platform,
            starts_at=starts,
            ends_at=starts + timedelta(hours=2),
            organiser=secretary,
        )


def test_it_shows_the_month_calendar(page_for, secretary, community):
    _month_activities(community, secretary)
    page = page_for(secretary)
    page.goto("/activities/calendar/")
    assert page.locator("#calendar .cal-event").count() == 10
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "activities-calendar.png"), full_page=True)
    phone = page_for(secretary, viewport=PHONE)
    phone.goto("/activities/calendar/")
    assert phone.locator("#calendar-list a").count() == 10
    phone.screenshot(path=str(ARTIFACTS / "activities-calendar-phone.png"), full_page=True)


def _banner_photo(text: str, colour: str) -> ContentFile:
    image = Image.new("RGB", (480, 640), colour)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(str(CJK_FONT), 64) if CJK_FONT.exists() else ImageFont.load_default()
    for i, char in enumerate(text.replace(" ", "")[:8]):
        draw.text((200, 60 + i * 68), char, fill="#f5d061", font=font)
    buffer = BytesIO()
    image.save(buffer, "JPEG")
    return ContentFile(buffer.getvalue(), name="banner.jpg")


def test_it_shows_the_wall_of_honour(page_for, secretary, community):
    worker = MembershipFactory(community=community, user__first_name="李晓红").user
    today = timezone.localdate()
    records = [
        (0, "banner", "为民解忧 情系百姓", "3号楼王阿姨一家", worker, "#b3261e"),
        (9, "letter", "感谢社区帮忙修好了楼道灯", "5号楼住户", None, None),
        (35, "banner", "热心服务 真情为民", "李建国", None, "#9c1c16"),
        (70, "hotline", "12345回访表扬：处理及时", "12345市民热线", worker, None),
        (130, "banner", "社区是我家 温暖你我他", "北区居民代表", None, "#c0392b"),
    ]
    for days_ago, kind, inscription, giver, staff_user, colour in records:
        commendation = CommendationFactory(
            community=community,
            kind=kind,
            received_on=today - timedelta(days=days_ago),
            inscription=inscription,
            giver_name=giver,
            credited_staff=staff_user,
        )
        if colour:
            commendation.photo.save("banner.jpg", _banner_photo(inscription, colour))
            commendation.photo_content_type = "image/jpeg"
            commendation.save()
    page = page_for(secretary)
    page.goto("/activities/honours/")
    assert page.locator("#honours .card").count() == 5
    wait_until(page, "[...document.images].every(i => i.complete && i.naturalWidth > 0)")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "activities-wall-of-honour.png"), full_page=True)


def test_it_copies_a_notice_for_the_group_with_one_click(page_for, staff, community):
    notice = NoticeFactory(community=community, title="流感季节温馨提醒", text="近期流感高发，请大家勤洗手、常通风。")
    page = page_for(staff)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto("/activities/notices/")
    card = page.locator(f"#notice-{notice.pk}")
    card.get_by_role("button", name="一键复制发群").click()
    card.get_by_role("button", name="已复制").wait_for()
    assert page.evaluate("navigator.clipboard.readText()") == "近期流感高发，请大家勤洗手、常通风。"


def test_it_starts_the_calendar_on_monday(page_for, secretary):
    page = page_for(secretary)
    today = timezone.localdate()
    page.goto(f"/activities/calendar/{today.year}/{today.month}/")
    assert page.locator("#calendar thead th").first.inner_text() == "周一"


def test_it_records_a_volunteer_and_a_photo_and_drafts_the_write_up(
    page_for, staff, today_activity, residents, tmp_path
):
    services.check_in(today_activity, resident=residents[1], by=staff, now=timezone.now())
    page = page_for(staff)
    page.goto(f"/activities/{today_activity.pk}/")
    page.fill("#id_name", "王秀英")
    page.fill("#id_volunteer_role", "签到")
    page.get_by_role("button", name="登记志愿者").click()
    page.locator("#volunteers").get_by_text("王秀英").wait_for()
    fake = tmp_path / "sign-in-sheet.jpg"
    fake.write_bytes(b"not a photo at all")
    page.set_input_files("#id_photos", str(fake))
    page.fill("#id_caption", "签到表")
    page.get_by_role("button", name="上传").click()
    page.locator("#photos").get_by_text("这不是照片").wait_for()
    assert page.input_value("#id_caption") == "签到表"
    photo = tmp_path / "event.jpg"
    photo.write_bytes(_banner_photo("宪法宣传", "#2f6fce").read())
    page.set_input_files("#id_photos", str(photo))
    page.get_by_role("button", name="上传").click()
    page.locator("#photos img").wait_for()
    wait_until(page, "[...document.images].every(i => i.complete && i.naturalWidth > 0)")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "activities-detail.png"), full_page=True)
    page.get_by_role("link", name="活动简报").click()
    text = page.input_value("#summary-text")
    assert "宪法宣传活动" in text and "1名居民参加" in text and "1名志愿者" in text
    page.screenshot(path=str(ARTIFACTS / "activities-write-up.png"), full_page=True)
