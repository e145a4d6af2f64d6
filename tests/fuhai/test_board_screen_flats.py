"""The screen link and 投屏模式 show buildings only: a visit or an item linked to a room is its
building there. A flat typed into free text — an item's text, a typed place, a task's title, a
12345 case's place — was shown as written (楼上3-2-501漏水 on the meeting room's screen names the
household); it is reduced to its building, or to 某户 when none is written."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from fuhai.board.compose import screen_text
from issues.models.task import BoardToken
from residents.masking import FLAT_IN_TEXT_RE, names_a_flat
from tests.factories import CommunityFactory, HotlineCaseFactory, IssueFactory, ResidentFactory, TaskFactory

MONDAY = datetime(2026, 11, 30, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
FLATS = ["3-2-501", "2单元401", "5号楼1201室", "7号楼1单元302", "3号楼2单元501"]


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(MONDAY, tick=False):
        yield


@pytest.fixture
def typed(community, secretary):
    IssueFactory(
        community=community,
        text="楼上3-2-501漏水，2单元401也说墙湿了",
        place_text="南区5号楼1201室",
        received_at=MONDAY - timedelta(hours=1),
    )
    TaskFactory(community=community, assignee=secretary, title="入户走访7号楼1单元302送灭火毯")
    HotlineCaseFactory(
        community=community,
        dispatched_at=MONDAY - timedelta(hours=2),
        issue__place_text="3号楼2单元501",
        issue__text="反映楼道堆物",
    )


@pytest.mark.parametrize("mode", ["link", "screen"])
def test_the_screen_shows_no_flat_typed_into_free_text(client, secretary_client, community, secretary, typed, mode):
    if mode == "link":
        token = BoardToken.create_link(community=community, label="会议室电视", by=secretary, now=MONDAY)[1]
        text = client.get(reverse("board_tv", args=[token])).text
    else:
        secretary_client.post(reverse("board_screen"), {"screen": "on"})
        text = secretary_client.get(reverse("board")).text
    assert [flat for flat in FLATS if flat in text] == []
    assert "楼上3号楼漏水，某户也说墙湿了" in text
    assert "南区5号楼" in text and "入户走访7号楼送灭火毯" in text and "反映楼道堆物" in text


def test_the_working_board_keeps_the_flats_as_typed(secretary_client, typed):
    text = secretary_client.get(reverse("board")).text
    assert [flat for flat in FLATS if flat in text] == FLATS


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        ("3号楼2单元501室楼上漏水", "3号楼楼上漏水"),
        ("3－2－501", "3号楼"),
        ("南区3栋501", "南区3号楼"),
        ("3号楼停水", "3号楼停水"),
        ("3号楼2单元楼道灯坏了", "3号楼2单元楼道灯坏了"),
        ("1号楼2023年修过", "1号楼2023年修过"),
        ("3号楼200元", "3号楼200元"),
        ("2026-12-06开会", "2026-12-06开会"),
        ("电话13812345678", "电话138****5678"),
        # As people write them too (review): building-room, # for 号楼, a unit in Chinese
        # numerals, a floor, a room alone, and the flats listed after the first.
        ("楼上3-501漏水", "楼上3号楼漏水"),
        ("3号楼2-501漏水", "3号楼漏水"),
        ("3#楼501漏水", "3号楼漏水"),
        ("3#2-501", "3号楼"),
        ("3号楼二单元501漏水", "3号楼漏水"),
        ("3号楼2单元5层501", "3号楼"),
        ("楼上501室漏水", "楼上某户漏水"),
        ("3号楼2单元501、502都漏水", "3号楼都漏水"),
        ("3号楼2单元501和601", "3号楼"),
        # What a number after a building counts, a landline, a case number: not flats.
        ("5号楼100多人参加", "5号楼100多人参加"),
        ("3号楼 2024 年翻修", "3号楼 2024 年翻修"),
        ("3号楼120位老人", "3号楼120位老人"),
        ("3号楼2单元501，1000元", "3号楼，1000元"),
        ("电话010-6212-3456", "电话010-6212-3456"),
        ("第1-2-300期", "第1-2-300期"),
        ("MQ20261207-005", "MQ20261207-005"),
        # Second review: other dashes, a floor, 的, numerals written out; 110-120 is no flat.
        ("3–2–501漏水", "3号楼漏水"),
        ("3号楼2单元5楼501", "3号楼"),
        ("3号楼的501", "3号楼"),
        ("3号楼二单元五零一", "3号楼"),
        ("110-120急救", "110-120急救"),
    ],
)
def test_a_flat_is_its_building_and_a_building_or_a_year_stays(typed, shown):
    assert screen_text(typed) == shown


def test_a_room_of_the_office_is_no_flat_in_a_notice():
    """The notice check reads the flats with a building or a unit, not 居委会201室 or 1-100号."""
    assert not names_a_flat("本周六在居委会201室开展义诊")
    assert not names_a_flat("请带好1-100号的排号单")
    assert names_a_flat("三号楼二单元五零一")


def test_the_notice_check_reads_the_same_flats():
    assert FLAT_IN_TEXT_RE.search("请2单元401的住户联系居委会")
    assert not FLAT_IN_TEXT_RE.search("3号楼2023年外墙保温已完工")
    assert not FLAT_IN_TEXT_RE.search("2单元100多户已签字")
    assert not FLAT_IN_TEXT_RE.search("请3单元 1200 户居民注意")


# --- what the board says after a change, on the screen (review, tester) ------------------


def screen_on(client):
    client.post(reverse("board_screen"), {"screen": "on"})


def test_a_task_given_on_the_screen_is_said_as_the_screen_shows_it(secretary_client):
    screen_on(secretary_client)
    response = secretary_client.post(
        reverse("board_task_add"), {"text": "楼上3-2-501漏水去看看"}, HTTP_HX_REQUEST="true"
    )
    assert "楼上3号楼漏水去看看" in response.text and "3-2-501" not in response.text
    followed = secretary_client.post(reverse("board_task_add"), {"text": "去8号楼2单元602了解狗叫"}, follow=True)
    assert "去8号楼了解狗叫" in followed.text and "602" not in followed.text


def test_a_task_moved_on_the_screen_is_said_as_the_screen_shows_it(secretary_client, community, secretary):
    task = TaskFactory(community=community, assignee=secretary, title="入户走访7号楼1单元302送灭火毯")
    screen_on(secretary_client)
    response = secretary_client.post(
        reverse("board_task_move", args=[task.pk]), {"status": "done", "version": task.version}, HTTP_HX_REQUEST="true"
    )
    assert "入户走访7号楼送灭火毯" in response.text and "1单元302" not in response.text


def test_the_screens_page_stays_masked_when_the_mode_is_left_in_another_tab(secretary_client, community, secretary):
    task = TaskFactory(community=community, assignee=secretary, title="入户走访7号楼1单元302送灭火毯")
    screen_on(secretary_client)
    secretary_client.post(reverse("board_screen"), {"screen": "off"})  # in the other tab
    response = secretary_client.post(
        reverse("board_task_move", args=[task.pk]),
        {"status": "doing", "version": task.version},
        HTTP_HX_REQUEST="true",
        HTTP_HX_CURRENT_URL="http://testserver/board/?screen=1",
    )
    assert "1单元302" not in response.text


def test_a_bookmarked_screen_address_keeps_the_board_masked_after_a_task_is_given(secretary_client):
    """/board/?screen=1 opened from a bookmark on the meeting room's PC: the task's POST carries
    no ?screen=1 and the redirect after it drew the working board (tester)."""
    assert 'value="off"' in secretary_client.get(reverse("board") + "?screen=1").text
    followed = secretary_client.post(reverse("board_task_add"), {"text": "楼上3-2-501漏水去看看"}, follow=True)
    assert "3-2-501" not in followed.text and 'value="off"' in followed.text


# --- names typed into the texts (tester) --------------------------------------------------


@pytest.mark.parametrize("mode", ["link", "screen"])
def test_a_residents_name_typed_into_a_task_or_an_item_is_masked_on_the_screen(
    client, secretary_client, community, secretary, mode
):
    ResidentFactory(community=community, name="王秀英")
    ResidentFactory(community=CommunityFactory(), name="赵大海")  # another community's resident
    TaskFactory(community=community, assignee=secretary, title="上门看王秀英家漏水")
    IssueFactory(community=community, text="王秀英说楼上又漏水，赵大海也来问", received_at=MONDAY - timedelta(hours=1))
    if mode == "link":
        token = BoardToken.create_link(community=community, label="会议室电视", by=secretary, now=MONDAY)[1]
        text = client.get(reverse("board_tv", args=[token])).text
    else:
        screen_on(secretary_client)
        text = secretary_client.get(reverse("board")).text
        given = secretary_client.post(reverse("board_task_add"), {"text": "再去王秀英家看看"}, HTTP_HX_REQUEST="true")
        assert "再去王**家看看" in given.text and "王秀英" not in given.text
    assert "王秀英" not in text
    assert "上门看王**家漏水" in text and "王**说楼上又漏水" in text
    assert "赵大海也来问" in text  # not a resident here: nothing to say it is a name


def test_the_working_board_keeps_the_names_as_typed(secretary_client, community, secretary):
    ResidentFactory(community=community, name="王秀英")
    TaskFactory(community=community, assignee=secretary, title="上门看王秀英家漏水")
    assert "上门看王秀英家漏水" in secretary_client.get(reverse("board")).text


def test_the_screen_mode_button_says_what_it_does_to_a_screen_reader(secretary_client):
    """Its title is read by a mouse's hover only (review)."""
    text = secretary_client.get(reverse("board")).text
    assert 'aria-describedby="screen-mode-says"' in text
    said = "用于共享屏幕：只显示楼号，不显示姓名和门牌号"
    assert f'<span id="screen-mode-says" class="visually-hidden">{said}</span>' in text


def test_the_viewer_reads_the_board_as_the_screen_shows_it(login, viewer, community, secretary):
    """The 街道 viewer sees residents as 王** everywhere else; on /board/ an item's text named them
    in full, with the flat."""
    ResidentFactory(community=community, name="王秀英")
    TaskFactory(community=community, assignee=secretary, title="上门看3-2-501王秀英家漏水")
    IssueFactory(community=community, text="王秀英说楼上又漏水", received_at=MONDAY - timedelta(hours=1))
    text = login(viewer).get(reverse("board")).text
    assert "王秀英" not in text and "3-2-501" not in text
    assert "上门看3号楼王**家漏水" in text and "王**说楼上又漏水" in text
    # Still the viewer's page: 周中总结 and 首页, not the switch the screen has.
    assert reverse("board_summary") in text and reverse("home") in text
    assert 'name="screen"' not in text


def test_the_screen_masks_the_people_an_item_names_itself_on_the_roll_or_not(client, community, secretary):
    """A phone-in reporter or a WeChat sender who is no resident on the roll, a 12345 caller, a
    name of another shape (阿依古丽·买买提): masked as hide_names masks them for the viewer (review)."""
    ResidentFactory(community=community, name="阿依古丽·买买提")
    IssueFactory(
        community=community,
        reporter_name="张建国",
        text="张建国反映楼道堆物，阿依古丽·买买提也说了",
        received_at=MONDAY - timedelta(hours=1),
    )
    IssueFactory(
        community=community, sender="北区老李", text="北区老李：车棚飞线", received_at=MONDAY - timedelta(hours=2)
    )
    token = BoardToken.create_link(community=community, label="会议室电视", by=secretary, now=MONDAY)[1]
    text = client.get(reverse("board_tv", args=[token])).text
    assert "张建国" not in text and "阿依古丽·买买提" not in text and "北区老李" not in text
    assert "张**反映楼道堆物" in text


def test_a_refused_task_on_the_screen_names_nobody(secretary_client, community):
    ResidentFactory(community=community, name="王秀英")
    screen_on(secretary_client)
    response = secretary_client.post(reverse("board_task_add"), {"text": "@王秀英 去看看"}, HTTP_HX_REQUEST="true")
    assert "王**" in response.text and "“王秀英”" not in response.text


def test_the_viewer_keeps_the_boards_own_layout_and_links(login, viewer, community, secretary):
    """Only the viewer's words are the screen's: the columns still scroll (no board-public), the
    item codes link to pages the viewer may read, a visit is no link to record it (second review)."""
    item = IssueFactory(community=community, text="楼道灯不亮", received_at=MONDAY - timedelta(hours=1))
    text = login(viewer).get(reverse("board")).text
    assert "board-public" not in text
    assert reverse("issues:issue_detail", args=[item.pk]) in text
    assert "visits/new/" not in text
