"""What the screen link and 投屏模式 leave as typed. A room after a public place (居委会201室, the
office's own) is no resident's flat: it read as 某户. A resident whose two-character name is also
a word (高兴) starred the word (大家很高兴 → 大家很高**): it is left as typed only where no name can
stand, right after 很, 非常 or 最; anywhere else over-masking is the safe side of a shared screen."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from fuhai.board.compose import screen_text
from issues.models.task import BoardToken
from tests.factories import IssueFactory, ResidentFactory, TaskFactory

MONDAY = datetime(2026, 11, 30, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(MONDAY, tick=False):
        yield


def screen_link(client, community, secretary) -> str:
    token = BoardToken.create_link(community=community, label="会议室电视", by=secretary, now=MONDAY)[1]
    return client.get(reverse("board_tv", args=[token])).text


@pytest.mark.parametrize(
    "typed",
    [
        "本周六在居委会201室开展义诊",
        "文明实践站102室",
        "物业办公室101室交费",
        "社区活动室201室",
        "党群服务中心2楼203室",
        "卫生站105室",
        "居委会二楼二〇一室",
        "会议室 301室",
        "居委会的201室",
    ],
)
def test_a_room_after_a_public_place_is_left_as_typed(typed):
    assert screen_text(typed) == typed


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        ("楼上501室漏水", "楼上某户漏水"),
        ("3-2-501", "3号楼"),
        ("3号楼501", "3号楼"),
        # 物业 and 社区 alone are who did it as often as where: the room is a household's.
        ("通知物业501室漏水", "通知物业某户漏水"),
        ("社区501室走访", "社区某户走访"),
        # A building with its room is a flat after any place; so is a room listed after the office's.
        ("居委会旁3-2-501", "居委会旁3号楼"),
        ("物业办公室去3号楼2单元501", "物业办公室去3号楼"),
        ("居委会201室和501室", "居委会某户"),
        ("居委会：501室", "居委会：某户"),
        ("在居委会201室开会，3号楼2单元501室漏水", "在居委会201室开会，3号楼漏水"),
    ],
)
def test_a_residents_flat_is_still_reduced_after_a_public_place_or_none(typed, shown):
    assert screen_text(typed) == shown


def test_the_screen_shows_the_offices_room_and_not_the_flat(client, community, secretary):
    IssueFactory(
        community=community,
        text="请到居委会201室领取灭火毯，楼上3-2-501漏水",
        received_at=MONDAY - timedelta(hours=1),
    )
    text = screen_link(client, community, secretary)
    assert "请到居委会201室领取灭火毯，楼上3号楼漏水" in text


# --- a two-character name that is also a word ---------------------------------------------


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        ("大家很高兴", "大家很高兴"),
        ("楼道照明以后非常安全", "楼道照明以后非常安全"),
        ("参加活动的居民最高兴", "参加活动的居民最高兴"),
        # Anywhere else the word reads as the name: masked (the safe side).
        ("大家都高兴", "大家都高**"),
        ("注意安全", "注意安**"),
        ("联系金花了解情况", "联系金**了解情况"),
        ("高兴说楼上漏水", "高**说楼上漏水"),
        # 很 may end a sentence typed without a comma: the name after it is still masked.
        ("狗凶得很金花都不敢出门", "狗凶得很金**都不敢出门"),
        # 很高 leaves 兴华, a resident too, to be masked.
        ("大家很高兴华来了", "大家很高兴**来了"),
    ],
)
def test_a_two_character_name_is_left_as_a_word_only_after_a_degree_adverb(typed, shown):
    assert screen_text(typed, ["高兴", "安全", "金花", "兴华"]) == shown


def test_a_longer_name_is_masked_after_a_degree_adverb_too():
    assert screen_text("大家很高兴华来了", ["高兴华", "高兴"]) == "大家很高**来了"


def test_the_screen_masks_a_resident_named_like_a_word_but_where_the_word_is_meant(client, community, secretary):
    ResidentFactory(community=community, name="高兴")
    TaskFactory(community=community, assignee=secretary, title="联系高兴了解情况，上次走访她很高兴")
    text = screen_link(client, community, secretary)
    assert "联系高**了解情况，上次走访她很高兴" in text
