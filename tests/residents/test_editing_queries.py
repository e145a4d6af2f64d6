"""Query ceilings of the resident and household forms: the same for 5 and for 50 rows (people
in the room, buildings and rooms in the community)."""

import pytest
from django.urls import reverse

from tests.factories import ResidentFactory, RoomFactory

#: Session, user, memberships, the bell; then the resident (or room) and, on the household
#: page, its members.
FORM_CEILING = 6  # 5 measured (household page 6)
#: As FORM_CEILING, plus the checks of a save: the place, the ID number's twin, the write and
#: the access records.
SAVE_CEILING = 12  # 11 measured, a new room included


def fill(community, room, rows):
    for i in range(rows):
        ResidentFactory(community=community, room=room, name=f"住户{i}", phone="13800000000")
        RoomFactory(unit=room.unit, room_no=f"{600 + i}", floor_no=6)


@pytest.mark.parametrize("rows", [5, 50])
def test_it_keeps_the_resident_forms_bounded(staff_client, community, resident, rows, django_assert_max_num_queries):
    fill(community, resident.room, rows)
    with django_assert_max_num_queries(FORM_CEILING):
        assert staff_client.get(reverse("residents:resident_create"), {"room": resident.room.pk}).status_code == 200
    with django_assert_max_num_queries(FORM_CEILING):
        assert staff_client.get(reverse("residents:resident_edit", args=[resident.pk])).status_code == 200


@pytest.mark.parametrize("rows", [5, 50])
def test_it_keeps_a_save_bounded(staff_client, community, resident, rows, django_assert_max_num_queries):
    fill(community, resident.room, rows)
    data = {
        "name": "王秀英",
        "place": "3-2-601",
        "gender": "M",
        "id_number": "110105199003070017",
        "new_phone": "13912345678",
        "population_type": "registered",
        "status": "living",
    }
    with django_assert_max_num_queries(SAVE_CEILING):
        response = staff_client.post(reverse("residents:resident_edit", args=[resident.pk]), data)
    assert response.status_code == 302


@pytest.mark.parametrize("rows", [5, 50])
def test_it_keeps_the_household_page_bounded(staff_client, community, resident, rows, django_assert_max_num_queries):
    fill(community, resident.room, rows)
    with django_assert_max_num_queries(FORM_CEILING):
        response = staff_client.get(reverse("residents:household_edit", args=[resident.room.pk]))
    assert response.status_code == 200 and response.content.decode().count('name="m-') > rows
