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
from residents.masking import FLAT_IN_TEXT_RE
from tests.factories import HotlineCaseFactory, IssueFactory, TaskFactory

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
    ],
)
def test_a_flat_is_its_building_and_a_building_or_a_year_stays(typed, shown):
    assert screen_text(typed) == shown


def test_the_notice_check_reads_the_same_flats():
    assert FLAT_IN_TEXT_RE.search("请2单元401的住户联系居委会")
    assert not FLAT_IN_TEXT_RE.search("3号楼2023年外墙保温已完工")
