"""Places and people read out of typed text, for quick entry and the WeChat batch alike."""

from residents import places
from tests.factories import BuildingFactory, ResidentFactory


def test_it_resolves_many_typed_places_in_two_queries(community, room, django_assert_num_queries):
    with django_assert_num_queries(2):
        found = places.resolve_places(community, ["3-2-501", "3号楼门口", "北区车棚"])
    assert [(p.room, p.building, p.text) for p in found] == [
        (room, room.unit.building, ""),
        (None, room.unit.building, "门口"),
        (None, None, "北区车棚"),
    ]


def test_it_finds_a_building_written_in_full_width_digits_inside_a_message(community):
    building = BuildingFactory(community=community, number="3")
    place = places.find_place_in_text(community, "３号楼门口又堆了纸箱")
    assert (place.building, place.text) == (building, "门口")


def test_it_resolves_a_place_typed_in_full_width_digits(community, room):
    """The place field in 全角 mode (a tester's ３-２-５０１ and １２号楼 stayed text, linked to no room
    or building: the patrol listed them under 其他地点 and the room's search missed them)."""
    found = places.resolve_places(community, ["３－２－５０１", "３号楼门口"])
    assert [(p.room, p.building, p.text) for p in found] == [
        (room, room.unit.building, ""),
        (None, room.unit.building, "门口"),
    ]


def test_it_keeps_the_unit_written_after_a_building(community):
    """Before, "6号楼2单元电梯坏了" was placed at 6号楼: the unit was dropped, since an item has no unit."""
    building = BuildingFactory(community=community, number="6")
    texts = ["6号楼2单元电梯又坏了", "6号楼 3单元门口堆了纸箱", "6号楼楼道灯不亮"]
    found = places.find_places_in_texts(community, texts)
    assert [(label, p.building, p.text) for label, p in found] == [
        ("6号楼2单元电梯", building, "2单元电梯"),
        ("6号楼3单元门口", building, "3单元门口"),
        ("6号楼楼道", building, "楼道"),
    ]
    assert places.written_place("6号楼2单元电梯又坏了") == "6号楼2单元电梯"


def test_it_labels_a_room_the_community_does_not_have_as_written(community):
    [(label, place)] = places.find_places_in_texts(community, ["9-9-909漏水"])
    assert (label, place.room, place.text) == ("9-9-909", None, "9-9-909")


def test_it_matches_a_reporter_typed_with_a_room_in_front(community):
    resident = ResidentFactory(community=community, name="陈桂芳")
    assert places.match_reporter(community, "5-2-301 陈桂芳") == resident


def test_it_matches_a_reporter_by_group_nickname(community):
    resident = ResidentFactory(community=community, name="李桂兰", wechat_nickname="李阿姨")
    assert places.match_reporter(community, "李阿姨") == resident


def test_it_prefers_the_name_to_a_nickname(community):
    resident = ResidentFactory(community=community, name="李阿姨")
    ResidentFactory(community=community, name="李桂兰", wechat_nickname="李阿姨")
    assert places.match_residents(community, {"李阿姨"}) == {"李阿姨": resident}


def test_it_matches_nobody_of_another_community(community, other_community):
    ResidentFactory(community=other_community, name="陈桂芳")
    assert places.match_reporter(community, "陈桂芳") is None
