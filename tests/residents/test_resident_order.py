"""The residents list is in place order as people count it (2号楼 before 10号楼, 501 before
1201), people without a room last, read off the index resident_list_order through the key every
resident keeps of its room (Resident.place_key), which follows every way a room changes."""

import random
from importlib import import_module

import pytest
from django.apps import apps
from django.db import connection
from django.urls import reverse

from residents.editing.forms import PlaceChoice
from residents.editing.services import move_household
from residents.models.place import PLACE_KEY_SQL, Building, Room, Unit, place_key
from residents.models.resident import Resident
from tests.factories import BuildingFactory, ResidentFactory, RoomFactory, UnitFactory
from tests.plans import plans
from tests.residents.test_import import GOOD, import_file, workbook

LIST = reverse("residents:resident_list")
migration = import_module("residents.migrations.0012_resident_place_key")


def at(community, building, unit, room_no):
    unit = UnitFactory(building=BuildingFactory(community=community, number=building), number=unit)
    return RoomFactory(unit=unit, room_no=room_no)


def names_on_the_list(client, query=""):
    response = client.get(LIST + query)
    assert response.status_code == 200
    return [resident.name for resident in response.context["object_list"]]


def test_it_lists_buildings_and_rooms_as_people_count_them(login, staff, community):
    ten, two = at(community, "10", "1", "101"), at(community, "2", "1", "1201")
    two_low = RoomFactory(unit=two.unit, room_no="301")
    ResidentFactory(community=community, name="无房间", room=None)
    ResidentFactory(community=community, name="十号楼", room=ten)
    ResidentFactory(community=community, name="二号楼高层", room=two)
    ResidentFactory(community=community, name="二号楼乙", room=two_low)
    ResidentFactory(community=community, name="二号楼甲", room=two_low)
    # By text, "10" < "2" and "1201" < "301"; and a resident with no room came first or last by chance.
    assert names_on_the_list(login(staff)) == ["二号楼乙", "二号楼甲", "二号楼高层", "十号楼", "无房间"]


@pytest.mark.parametrize(
    ("smaller", "larger"),
    [("2", "10"), ("3", "3A"), ("3A", "4"), ("301", "1201"), ("09", "10")],
)
def test_a_key_puts_numbers_in_the_order_people_count_them(smaller, larger):
    assert place_key(smaller, "1", "1") < place_key(larger, "1", "1")
    assert place_key("1", "1", smaller) < place_key("1", "1", larger)


@pytest.mark.parametrize("number", ["3", "12", "3A", "A3", "甲", "12345678901", ""])
def test_the_sql_key_is_the_python_key(db, number):
    """The migration and make bench write keys in SQL; the application in Python."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {PLACE_KEY_SQL} FROM (SELECT %s AS number) b, (SELECT %s AS number) u, (SELECT %s AS room_no) r",
            [number, "2", number],
        )
        assert cursor.fetchone()[0] == place_key(number, "2", number)


def test_a_resident_takes_the_key_of_its_room_and_loses_it_without_one(community, room):
    resident = ResidentFactory(community=community, room=room)
    assert resident.place_key == place_key("3", "2", "501")
    resident.room = None
    resident.save()
    assert Resident.objects.get(pk=resident.pk).place_key is None


def test_a_room_saved_alone_takes_its_key_along(community, room):
    resident = ResidentFactory(community=community, room=room)
    resident.room = at(community, "7", "1", "101")
    resident.save(update_fields=["room"])
    assert Resident.objects.get(pk=resident.pk).place_key == place_key("7", "1", "101")


def test_a_household_moved_takes_its_new_rooms_key(community, room):
    resident = ResidentFactory(community=community, room=room)
    moved = move_household(room=room, to=PlaceChoice(building=room.unit.building, unit_no="1", room_no="101"))
    resident.refresh_from_db()
    assert moved == 1 and resident.place_key == place_key("3", "1", "101")


@pytest.mark.parametrize(
    ("renumber", "key"),
    [
        (lambda room: Building.objects.filter(pk=room.unit.building_id).first(), ("12", "2", "501")),
        (lambda room: Unit.objects.filter(pk=room.unit_id).first(), ("3", "12", "501")),
        (lambda room: Room.objects.filter(pk=room.pk).first(), ("3", "2", "12")),
    ],
    ids=["building", "unit", "room"],
)
def test_a_place_renumbered_in_the_admin_rekeys_its_residents(community, room, renumber, key):
    resident = ResidentFactory(community=community, room=room)
    place = renumber(room)
    if isinstance(place, Room):
        place.room_no = "12"
    else:
        place.number = "12"
    place.save()
    resident.refresh_from_db()
    assert resident.place_key == place_key(*key)


def test_a_deleted_room_leaves_its_residents_without_room_or_key(community, room):
    resident = ResidentFactory(community=community, room=room)
    room.delete()
    resident.refresh_from_db()
    assert (resident.room_id, resident.place_key) == (None, None)


def test_imported_residents_get_their_rooms_key(community):
    import_file(workbook(GOOD), community)
    assert Resident.objects.get(name=GOOD[0]).place_key == place_key("3", "2", "501")


class Editor:
    connection = connection

    @staticmethod
    def execute(sql, params=()):
        with connection.cursor() as cursor:
            cursor.execute(sql, params)


def test_the_migration_gives_every_resident_with_a_room_its_key(community, room):
    housed = ResidentFactory(community=community, room=at(community, "10", "1", "3A"))
    homeless = ResidentFactory(community=community, room=None)
    ResidentFactory(community=community, room=room)
    Resident.objects.update(place_key=None)
    migration.fill(apps, Editor())
    keys = dict(Resident.objects.values_list("pk", "place_key"))
    assert keys[housed.pk] == place_key("10", "1", "3A") and keys[homeless.pk] is None
    expected = [place_key("10", "1", "3A"), place_key("3", "2", "501")]
    assert sorted(key for key in keys.values() if key) == sorted(expected)


@pytest.fixture
def district(community, other_community):
    """Two communities of a hundred rooms and two hundred living residents each."""
    rng = random.Random(12)
    for place in (community, other_community):
        rooms = []
        for b in range(1, 11):
            unit = UnitFactory(building=BuildingFactory(community=place, number=str(b)), number="1")
            rooms += Room.objects.bulk_create(
                Room(community=place, unit=unit, room_no=f"{f}0{r}", floor_no=f) for f in range(1, 6) for r in (1, 2)
            )
        keys = {room.pk: place_key(room.unit.building.number, "1", room.room_no) for room in rooms}
        Resident.objects.bulk_create(
            Resident(community=place, room=room, place_key=keys[room.pk], name=f"居民{rng.randrange(10_000)}")
            for room in rooms
            for _ in range(2)
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE residents_resident; ANALYZE residents_room; ANALYZE residents_unit")
    return community


def test_it_reads_the_list_off_its_index_without_joining_every_room(login, staff, district):
    client = login(staff)
    found = plans(lambda: client.get(LIST), scans=False)
    listed = [plan for plan in found if "residents_room" in plan and "Limit" in plan]
    assert len(listed) == 1, found
    # Before: a hash join of every room of the district, then a sort of every living resident.
    assert "resident_list_order" in listed[0] and "Sort" not in listed[0], listed[0]
    assert names_on_the_list(client)[:2] == sorted(
        Resident.objects.filter(community=district, room__unit__building__number="1", room__room_no="101").values_list(
            "name", flat=True
        )
    )
