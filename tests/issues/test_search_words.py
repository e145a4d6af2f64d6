"""The 民情日记 list's search reads words: every word must be found, and a word that is a room
finds that room's items; through issues_search_page (the words alone) and through the filter
(beside another filter), the same items."""

import pytest
from django.urls import reverse

from issues.filters import search_issues
from issues.models.issue import Issue
from issues.search import room_pattern, search_words, served_by_index
from tests.factories import BuildingFactory, IssueFactory, RoomFactory, UnitFactory

LIST = reverse("issues:issue_list")
BLOCKED = "5号楼2单元楼道堆放纸箱杂物，堵住消防通道"


def listed(client, q, **filters) -> list[str]:
    response = client.get(LIST, {"q": q, **filters})
    assert response.status_code == 200
    return [issue.text for issue in response.context["object_list"]]


@pytest.fixture
def rooms(community, room):
    """3号楼2单元501 (the ``room`` fixture), and rooms whose labels contain it: 13号楼2单元501 and
    3号楼2单元5012."""
    thirteen = UnitFactory(building=BuildingFactory(community=community, number="13"), number="2")
    return {
        "3-2-501": room,
        "13-2-501": RoomFactory(unit=thirteen, room_no="501"),
        "3-2-5012": RoomFactory(unit=room.unit, room_no="5012"),
    }


@pytest.fixture
def room_items(community, rooms):
    for label, room in rooms.items():
        IssueFactory(community=community, room=room, building=room.unit.building, text=f"{label}楼上漏水")
    IssueFactory(community=community, text="3-2-501的邻居反映噪音")
    IssueFactory(community=community, text="7-1-502门口堆物")


def test_it_splits_words_on_ascii_and_ideographic_spaces():
    assert search_words(" 消防通道 堆放\u3000\u30005号楼\t消防 堆放 ") == ["消防通道", "堆放", "5号楼", "消防"]


@pytest.mark.parametrize("word", ["3-2-501", "3号楼2单元501", "3-2-501室", "3－2－501", "3栋2单元501"])
def test_it_reads_a_room_written_in_any_of_its_forms(word):
    assert room_pattern(word) == "(^|[^0-9A-Z])(3号楼2单元501|3-2-501)($|[^0-9A-Z])"


@pytest.mark.parametrize("word", ["3号楼", "501", "20261201-007", "消防通道", "3-2"])
def test_it_takes_other_words_as_text(word):
    assert room_pattern(word) is None


def test_it_leaves_words_of_one_character_to_a_scan():
    assert not served_by_index(["楼", "水"])
    assert served_by_index(["楼", "漏水"])


@pytest.mark.parametrize("q", ["3-2-501", "3号楼2单元501", "3-2-501室"])
@pytest.mark.parametrize("filters", [{}, {"channel": "wechat"}])
def test_it_finds_a_rooms_items_by_the_room_as_typed(staff_client, room_items, q, filters):
    """Alone (issues_search_page) and beside another filter (search_issues): the room's item and
    the text that names it, not 13号楼2单元501's or 3号楼2单元5012's."""
    assert sorted(listed(staff_client, q, **filters)) == sorted(["3-2-501楼上漏水", "3-2-501的邻居反映噪音"])


def test_it_finds_a_room_written_as_7_1_502(staff_client, community):
    unit = UnitFactory(building=BuildingFactory(community=community, number="7"), number="1")
    room = RoomFactory(unit=unit, room_no="502")
    IssueFactory(community=community, room=room, building=unit.building, text="楼道灯不亮")
    assert listed(staff_client, "7-1-502") == ["楼道灯不亮"]


@pytest.mark.parametrize("q", ["消防通道 堆放", "5号楼 消防", "堆放\u3000消防通道", "消防 堆放 5号楼 杂物"])
@pytest.mark.parametrize("filters", [{}, {"channel": "wechat"}])
def test_it_finds_the_items_that_contain_every_word(staff_client, community, q, filters):
    IssueFactory(community=community, text=BLOCKED)
    IssueFactory(community=community, text="5号楼门口堆放自行车")
    IssueFactory(community=community, text="消防通道被车挡住")
    assert listed(staff_client, q, **filters) == [BLOCKED]


@pytest.mark.parametrize("q", ["消防 没有这个词", "消防通道 暖气", "5号楼 漏", "3-2-501 消防"])
@pytest.mark.parametrize("filters", [{}, {"channel": "wechat"}])
def test_it_finds_nothing_when_one_word_matches_nothing(staff_client, community, room, q, filters):
    IssueFactory(community=community, text=BLOCKED)
    IssueFactory(community=community, room=room, text="楼上漏水")
    assert listed(staff_client, q, **filters) == []


def test_it_finds_a_room_and_a_word_together(staff_client, community, rooms):
    IssueFactory(community=community, room=rooms["3-2-501"], text="卫生间漏水")
    IssueFactory(community=community, room=rooms["3-2-501"], text="楼道堆物")
    IssueFactory(community=community, room=rooms["13-2-501"], text="卫生间漏水")
    assert listed(staff_client, "3-2-501 漏水") == ["卫生间漏水"]


def test_it_needs_one_character_words_too(staff_client, community):
    IssueFactory(community=community, text="5号楼楼上漏水")
    IssueFactory(community=community, text="5号楼门口堆物")
    assert listed(staff_client, "5号楼 漏") == ["5号楼楼上漏水"]
    assert listed(staff_client, "楼 漏") == ["5号楼楼上漏水"]


def test_it_never_finds_another_communitys_items_by_two_words(staff_client, community, other_community):
    IssueFactory(community=other_community, text=BLOCKED)
    assert listed(staff_client, "消防通道 堆放") == []


def test_the_filter_finds_what_the_words_find(community, room_items):
    found = search_issues(Issue.objects.in_community(community), "3-2-501\u3000漏水")
    assert [issue.text for issue in found] == ["3-2-501楼上漏水"]


@pytest.mark.parametrize(
    ("written", "q"), [("３号楼２单元漏水", "3号楼"), ("3号楼2单元漏水", "３号楼"), ("ＡＢ座门禁坏了", "ab座")]
)
@pytest.mark.parametrize("filters", [{}, {"channel": "wechat"}])
def test_digits_and_letters_typed_in_full_width_find_and_are_found(staff_client, community, written, q, filters):
    """An input method left in 全角 mode: ３号楼 written in an item or typed into the search finds
    the same items as 3号楼 (a tester's ３-２-５０１ item was found by neither 3号楼 nor 3-2-501)."""
    IssueFactory(community=community, text=written)
    IssueFactory(community=community, text="5号楼漏水")
    assert listed(staff_client, q, **filters) == [written]


def test_a_room_typed_in_full_width_finds_the_rooms_items(staff_client, room_items):
    assert sorted(listed(staff_client, "３－２－５０１")) == sorted(["3-2-501楼上漏水", "3-2-501的邻居反映噪音"])


def test_the_top_bars_search_reads_full_width_digits_too(staff_client, community):
    IssueFactory(community=community, text="3号楼2单元漏水")
    response = staff_client.get(reverse("search"), {"q": "３号楼２单元"})
    assert response.status_code == 200
    assert "3号楼2单元漏水" in response.content.decode()


def test_search_words_read_full_width_digits_letters_and_hyphens_as_plain():
    assert search_words("３－２－５０１\u3000ＷＩ－ＦＩ ｗｉｆｉ") == ["3-2-501", "WI-FI", "wifi"]
