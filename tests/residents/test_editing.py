"""Adding and changing residents and households in the app: checked as the import checks,
stored as the import stores, masked on every page, recorded in the access log, scoped."""

import pytest
from django.urls import reverse

from residents import crypto
from residents.models.place import Room
from residents.models.resident import AccessField, AccessLog, Resident
from tests.factories import BuildingFactory, ResidentFactory, RoomFactory
from tests.residents.conftest import ID_NUMBER

NEW = reverse("residents:resident_create")
LIST = reverse("residents:resident_list")
#: A valid number of a man born 1990-03-07 (17th digit odd).
MAN_1990 = "110105199003070017"


def edit(resident):
    return reverse("residents:resident_edit", args=[resident.pk])


def household(room):
    return reverse("residents:household_edit", args=[room.pk])


def form_data(**overrides):
    data = {
        "name": "李建国",
        "place": "3-2-501",
        "relation": "",
        "gender": "",
        "birth_date": "",
        "id_number": "",
        "new_phone": "",
        "population_type": "registered",
        "status": "living",
        "emergency_contact": "",
        "new_emergency_phone": "",
        "wechat_nickname": "",
    }
    return {**data, **overrides}


def test_it_adds_a_resident_with_the_id_number_stored_as_the_import_stores_it(login, secretary, room, community):
    response = login(secretary).post(NEW, form_data(id_number="1101 0519 9003 0700 17", new_phone="138 1234 5678"))
    resident = Resident.objects.get(name="李建国")
    assert response.status_code == 302 and response.url == reverse("residents:resident_detail", args=[resident.pk])
    assert resident.community == community and resident.room == room
    assert resident.decrypted_id_number() == MAN_1990
    assert resident.id_number_hash == crypto.lookup_hash(MAN_1990)
    assert resident.id_number_masked == "110***********0017"
    assert resident.name_initials == "ljg"
    assert resident.phone == "13812345678"


def test_it_reads_the_date_of_birth_and_gender_from_the_id_number(login, staff, room):
    login(staff).post(NEW, form_data(id_number=MAN_1990))
    resident = Resident.objects.get(name="李建国")
    assert str(resident.birth_date) == "1990-03-07" and resident.gender == "M"


def test_it_records_each_number_written_in_the_access_log(login, staff, room, community):
    login(staff).post(NEW, form_data(id_number=MAN_1990, new_phone="13812345678"))
    logs = AccessLog.objects.filter(community=community, user=staff)
    assert sorted(logs.values_list("field", flat=True)) == [AccessField.ID_NUMBER, AccessField.PHONE]
    assert {log.resident.name for log in logs} == {"李建国"}


def test_it_records_an_emergency_contacts_phone_as_that_and_not_as_the_residents_phone(login, staff, resident):
    login(staff).post(
        edit(resident), form_data(name="王秀英", emergency_contact="李明", new_emergency_phone="13900001111")
    )
    assert list(AccessLog.objects.values_list("field", flat=True)) == ["emergency_phone"]


def test_it_records_both_phones_written_at_once_apart(login, staff, room):
    login(staff).post(NEW, form_data(new_phone="13812345678", new_emergency_phone="13900001111"))
    assert sorted(AccessLog.objects.values_list("field", flat=True)) == ["emergency_phone", "phone"]


def test_the_access_log_names_the_emergency_contacts_phone(login, staff, secretary, resident):
    login(staff).post(edit(resident), form_data(name="王秀英", new_emergency_phone="13900001111"))
    content = login(secretary).get(reverse("residents:accesslog_list")).content.decode()
    assert "<td>紧急联系人电话</td>" in content


def test_it_writes_no_access_record_when_no_number_changes(login, staff, resident):
    login(staff).post(edit(resident), form_data(name="王秀英", place="3-2-501"))
    assert not AccessLog.objects.exists()


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("110105199003070016", "最后一位"),
        ("110105199002300011", "19900230"),
        ("11010519900307001", "18"),
    ],
)
def test_it_explains_a_wrong_id_number_and_keeps_what_was_typed(login, staff, room, typed, says):
    response = login(staff).post(NEW, form_data(id_number=typed, new_phone="13812345678", emergency_contact="李明"))
    content = response.content.decode()
    assert response.status_code == 400 and says in content
    assert f'value="{typed}"' in content and 'value="李建国"' in content and 'value="李明"' in content
    assert not Resident.objects.filter(name="李建国").exists()


def test_it_refuses_an_id_number_already_registered_here(login, staff, resident):
    response = login(staff).post(NEW, form_data(id_number=ID_NUMBER))
    assert response.status_code == 400 and "已登记" in response.content.decode()


def test_it_explains_a_first_generation_number_with_no_date(login, staff, room):
    response = login(staff).post(NEW, form_data(id_number="110105711323123"))
    assert response.status_code == 400 and "711323" in response.context["form"].errors["id_number"][0]


def test_it_refuses_the_first_generation_number_of_someone_registered_here(login, staff, resident):
    response = login(staff).post(NEW, form_data(id_number="110105491231002"))
    assert response.status_code == 400 and "王秀英" in response.content.decode()


def test_it_refuses_the_full_width_first_generation_number_of_someone_registered_here(login, staff, resident):
    # Typed in 全角 mode: read as the plain number, so found as already registered, not added again.
    response = login(staff).post(NEW, form_data(id_number="１１０１０５４９１２３１００２"))
    assert response.status_code == 400 and "王秀英" in response.content.decode()
    assert Resident.objects.count() == 1


def test_it_saves_a_first_generation_number_in_its_eighteen_characters(login, staff, room):
    response = login(staff).post(NEW, form_data(id_number="110105 710923 123"), follow=True)
    resident = Resident.objects.get(name="李建国")
    assert resident.decrypted_id_number() == "110105197109231238"
    assert str(resident.birth_date) == "1971-09-23" and resident.gender == "M"
    assert "110***********1238" in response.content.decode()


def test_it_says_a_first_generation_number_is_turned_into_eighteen_characters(login, staff, room):
    assert "15" in login(staff).get(NEW).context["form"].fields["id_number"].help_text


def test_it_refuses_a_birth_date_the_id_number_contradicts(login, staff, room):
    response = login(staff).post(NEW, form_data(id_number=MAN_1990, birth_date="1991-03-07"))
    # Written as the office writes a date (the ISO form read like a code beside the date box).
    assert response.status_code == 400 and "身份证号中的出生日期是 1990年3月7日" in response.content.decode()


@pytest.mark.parametrize("phone", ["12345", "1381234567", "电话"])
def test_it_refuses_a_phone_that_is_no_phone(login, staff, room, phone):
    response = login(staff).post(NEW, form_data(new_phone=phone))
    assert response.status_code == 400 and "不是电话号码" in response.content.decode()


def test_it_saves_a_phone_typed_in_full_width_digits_as_plain_ones(login, staff, room):
    # 全角 mode: the same number, so the digits a phone dials and the masking reads.
    assert login(staff).post(NEW, form_data(new_phone="１３８　１２３４　８０００")).status_code == 302
    assert Resident.objects.get(name="李建国").phone == "13812348000"


@pytest.mark.parametrize("typed", ["+86 139 0000 1234", "+86-139-0000-1234", "0086 13900001234", "8613900001234"])
def test_it_saves_a_mobile_after_the_country_code_as_the_mobile(login, staff, room, typed):
    # +86 before a mobile is the same number: stored as the 12345 form and the import store it.
    assert login(staff).post(NEW, form_data(new_phone=typed)).status_code == 302
    assert Resident.objects.get(name="李建国").phone == "13900001234"


def test_it_accepts_a_landline(login, staff, room):
    assert login(staff).post(NEW, form_data(new_phone="010-62345678")).status_code == 302
    assert Resident.objects.get(name="李建国").phone == "010-62345678"


def test_it_adds_a_new_room_in_a_known_building_as_the_import_does(login, staff, room, community):
    assert login(staff).post(NEW, form_data(place="3号楼2单元1202")).status_code == 302
    made = Room.objects.get(unit=room.unit, room_no="1202")
    assert made.floor_no == 12 and made.community == community
    assert Resident.objects.get(name="李建国").room == made


def test_it_refuses_a_building_the_community_does_not_have(login, staff, room):
    response = login(staff).post(NEW, form_data(place="33-2-501"))
    assert response.status_code == 400 and "没有33号楼" in response.content.decode()
    assert not Room.objects.filter(unit__building__number="33").exists()


def test_it_does_not_find_a_room_of_another_community(login, staff, room, other_community):
    RoomFactory(unit__building=BuildingFactory(community=other_community, number="8"), room_no="101")
    assert login(staff).post(NEW, form_data(place="8-1-101")).status_code == 400


def test_the_edit_form_shows_numbers_masked_and_keeps_them_when_left_empty(login, secretary, resident):
    client = login(secretary)
    content = client.get(edit(resident)).content.decode()
    assert ID_NUMBER not in content and "13812348000" not in content
    assert "110***********002X" in content and "138****8000" in content
    response = client.post(edit(resident), form_data(name="王秀英", place="3-2-501", gender="F", relation="head"))
    assert response.status_code == 302
    resident.refresh_from_db()
    assert resident.decrypted_id_number() == ID_NUMBER and resident.phone == "13812348000"
    assert resident.relation == "head"


def test_it_changes_a_name_and_its_initials(login, staff, resident):
    login(staff).post(edit(resident), form_data(name="单田芳", place="3-2-501"))
    resident.refresh_from_db()
    assert resident.name == "单田芳" and resident.name_initials == "stf"


def test_another_communitys_resident_is_not_found(login, outsider, resident):
    assert login(outsider).get(edit(resident)).status_code == 404
    assert login(outsider).post(edit(resident), form_data(name="改了")).status_code == 404
    assert login(outsider).get(household(resident.room)).status_code == 404
    resident.refresh_from_db()
    assert resident.name == "王秀英"


@pytest.mark.parametrize("persona", ["viewer", "grid_worker"])
def test_viewers_and_grid_workers_may_not_edit(request, login, resident, persona):
    client = login(request.getfixturevalue(persona))
    assert client.get(NEW).status_code == 403
    assert client.post(edit(resident), form_data(name="改了")).status_code == 403
    assert client.get(household(resident.room)).status_code == 403
    detail = client.get(reverse("residents:resident_detail", args=[resident.pk])).content.decode()
    assert edit(resident) not in detail and household(resident.room) not in detail
    assert NEW not in client.get(LIST).content.decode()


def test_the_list_and_detail_link_to_the_forms(login, staff, resident):
    client = login(staff)
    assert NEW in client.get(LIST).content.decode()
    detail = client.get(reverse("residents:resident_detail", args=[resident.pk])).content.decode()
    assert edit(resident) in detail and household(resident.room) in detail


def test_a_new_member_starts_in_the_households_room(login, staff, resident):
    content = login(staff).get(NEW, {"room": resident.room.pk}).content.decode()
    assert 'value="3号楼2单元501"' in content


def member_data(members, **changes):
    data = {"action": "members", "m-TOTAL_FORMS": len(members), "m-INITIAL_FORMS": len(members)}
    for i, person in enumerate(members):
        data.update({f"m-{i}-id": person.pk, f"m-{i}-relation": person.relation, f"m-{i}-status": person.status})
        data.update({f"m-{i}-{k}": v for k, v in changes.get(person.name, {}).items()})
    return data


def test_it_changes_relations_and_statuses_of_a_household(login, staff, resident, community):
    spouse = ResidentFactory(community=community, room=resident.room, name="张大爷", relation="")
    members = [resident, spouse]
    response = login(staff).post(
        household(resident.room),
        member_data(members, 王秀英={"relation": "head"}, 张大爷={"relation": "spouse", "status": "deceased"}),
    )
    assert response.status_code == 302
    spouse.refresh_from_db()
    resident.refresh_from_db()
    assert resident.relation == "head" and (spouse.relation, spouse.status) == ("spouse", "deceased")


def test_it_refuses_two_living_heads(login, staff, resident, community):
    son = ResidentFactory(community=community, room=resident.room, name="王小明", relation="child")
    response = login(staff).post(
        household(resident.room), member_data([resident, son], 王秀英={"relation": "head"}, 王小明={"relation": "head"})
    )
    assert response.status_code == 400 and "户主只能有一位" in response.content.decode()
    son.refresh_from_db()
    assert son.relation == "child"


def test_it_moves_the_living_members_of_a_household(login, staff, resident, community):
    gone = ResidentFactory(community=community, room=resident.room, name="搬走的", status="moved_out")
    response = login(staff).post(household(resident.room), {"action": "move", "place": "3-1-101"})
    assert response.status_code == 302
    resident.refresh_from_db()
    gone.refresh_from_db()
    assert resident.room.label == "3号楼1单元101" and gone.room.label == "3号楼2单元501"


def test_it_explains_a_bad_new_room_and_keeps_it(login, staff, resident):
    response = login(staff).post(household(resident.room), {"action": "move", "place": "九号楼"})
    content = response.content.decode()
    assert response.status_code == 400 and 'value="九号楼"' in content and "3-2-501" in content
