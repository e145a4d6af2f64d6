"""Which open items may be the same problem (issues.similar): never one known to be elsewhere (in
another building); a place as written (北区车棚) is a place. Checked
for one text (the SQL statement of the item page and quick entry) and for a batch (in Python)."""

import pytest

from issues import services
from issues.similar import Probe, similar_open_items
from residents.places import Place
from tests.factories import BuildingFactory, RoomFactory, UnitFactory

LEAK = "卫生间顶上渗水，楼上没人在家"


@pytest.fixture
def leak(categories):
    return categories["漏水"]


def room_at(community, building: str, unit: str, room_no: str):
    building = BuildingFactory(community=community, number=building)
    return RoomFactory(unit=UnitFactory(building=building, number=unit), room_no=room_no, floor_no=int(room_no[0]))


def at(room) -> Place:
    return Place(room=room, building=room.unit.building)


def found_for(community, room, category, text="3-2-501 卫生间顶上渗水", place_text=""):
    """The items found for the text at ``room``: as one text (SQL) and in a batch (Python)."""
    one = services.find_similar(
        community, text=text, room=room, building=room and room.unit.building, category=category, place_text=place_text
    )
    probe = Probe(
        text,
        room_id=room and room.pk,
        building_id=room and room.unit.building_id,
        category_id=category.pk,
        place_text=place_text,
    )
    batch, _ = similar_open_items(community, [probe, Probe("无关")], limit=5)
    return [(i.pk, i.same_place) for i in one], [(m.issue_id, m.same_place) for m in batch]


def test_it_never_offers_an_item_in_another_building(log, community, room, leak):
    """A tester's finding: 3-2-501's leak was offered MQ…-002, the leak at 7号楼1单元502."""
    log(LEAK, place=at(room_at(community, "7", "1", "502")), category=leak)
    assert found_for(community, room, leak) == ([], [])


def test_it_still_offers_a_room_of_another_unit_of_the_same_building(log, community, room, leak):
    """停水 or a burst riser reported from two units of one building is one problem."""
    other_unit = RoomFactory(unit=UnitFactory(building=room.unit.building, number="1"), room_no="601", floor_no=6)
    issue = log("楼上漏水", place=at(other_unit), category=leak)
    assert found_for(community, room, leak) == ([(issue.pk, True)], [(issue.pk, True)])


def test_it_still_offers_the_flat_above_in_the_same_unit(log, community, room, leak):
    above = RoomFactory(unit=room.unit, room_no="601", floor_no=6)
    issue = log("601家里水管漏水", place=at(above), category=leak)
    assert found_for(community, room, leak) == ([(issue.pk, True)], [(issue.pk, True)])


def test_it_still_offers_an_item_of_the_same_building_with_no_room(log, community, room, leak):
    issue = log(LEAK, place=Place(building=room.unit.building), category=leak)
    assert found_for(community, room, leak) == ([(issue.pk, True)], [(issue.pk, True)])


def test_it_takes_a_place_as_written_for_the_same_place(log, community, categories):
    charging = categories["电动车充电"]
    issue = log("北区车棚有人从楼上飞线给电动车充电", place=Place(text="北区车棚"), category=charging)
    found = found_for(community, None, charging, text="北区车棚又有人飞线充电了", place_text="北区车棚")
    assert found == ([(issue.pk, True)], [(issue.pk, True)])
