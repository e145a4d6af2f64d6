"""Places are labelled and found the way the office writes them; phones are masked."""

import pytest

from residents.masking import mask_phone
from residents.models.place import Room
from residents.models.resident import Resident, ResidentStatus
from tests.factories import ResidentFactory


def test_it_labels_a_room_as_building_unit_room(room):
    assert room.label == "3号楼2单元501"


@pytest.mark.parametrize("text", ["3-2-501", "3号楼2单元501", "3号楼2单元501室", " 3－2－501 ", "3栋2单元501"])
def test_it_finds_a_room_by_the_ways_staff_type_it(room, community, text):
    assert Room.objects.in_community(community).find_label(text) == room


def test_it_finds_no_room_of_another_community(room, other_community):
    assert Room.objects.in_community(other_community).find_label("3-2-501") is None


def test_it_returns_none_for_text_that_is_not_a_room(room, community):
    assert Room.objects.in_community(community).find_label("北区车棚") is None


def test_it_masks_a_mobile_number():
    assert mask_phone("13812348000") == "138****8000"


def test_it_masks_a_short_number_completely():
    assert mask_phone("12345") == "*****"


def test_it_stores_pinyin_initials_for_search(community):
    assert ResidentFactory(community=community, name="王秀英").name_initials == "wxy"


@pytest.mark.parametrize(
    ("name", "initials"),
    [
        ("单田芳", "stf"),
        ("曾志伟", "zzw"),
        ("解晓东", "xxd"),
        ("仇英", "qy"),
        ("区建华", "ojh"),
        ("查良镛", "zly"),
        ("覃桂兰", "qgl"),
    ],
)
def test_it_reads_a_surname_with_a_special_reading_as_a_surname(community, name, initials):
    assert ResidentFactory(community=community, name=name).name_initials == initials


def test_it_reads_the_same_character_inside_a_given_name_as_usual(community):
    assert ResidentFactory(community=community, name="王单").name_initials == "wd"


def test_it_keeps_moved_out_residents_out_of_active_lists(community):
    ResidentFactory(community=community, status=ResidentStatus.MOVED_OUT)
    living = ResidentFactory(community=community)
    assert list(Resident.objects.in_community(community).active()) == [living]
