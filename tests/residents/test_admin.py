"""The operator's admin changes a resident through the app's resident form: numbers are
write-only and shown masked, a new phone or ID number is checked as the app and the import check
it, and what is written is in the access record. A visit's health note is not shown at all: it is
read on the resident's page, with a reason, as the app reads it."""

import pytest
from django.urls import reverse

from residents.models.resident import AccessField, AccessLog
from tests.factories import ResidentFactory, UserFactory, VisitFactory

from .conftest import ID_NUMBER


@pytest.fixture
def operator_client(client, db):
    client.force_login(UserFactory(username="operator", is_staff=True, is_superuser=True))
    return client


def change(client, resident, **typed):
    data = {
        "community": resident.community_id,
        "name": resident.name,
        "place": "3-2-501",
        "population_type": resident.population_type,
        "status": resident.status,
        **typed,
    }
    return client.post(reverse("admin:residents_resident_change", args=[resident.pk]), data)


def test_it_shows_a_residents_numbers_masked_on_the_change_page(operator_client, resident):
    resident.emergency_phone = "13912345678"
    resident.save()
    body = operator_client.get(reverse("admin:residents_resident_change", args=[resident.pk])).content.decode()
    assert "13812348000" not in body and "13912345678" not in body and ID_NUMBER not in body
    assert "138****8000" in body and "139****5678" in body and "110***********002X" in body


def test_it_shows_only_masked_id_numbers_in_the_list(operator_client, resident):
    body = operator_client.get(reverse("admin:residents_resident_changelist")).content.decode()
    assert "110***********002X" in body and ID_NUMBER not in body and "13812348000" not in body


def test_it_keeps_the_stored_numbers_when_their_boxes_are_left_empty(operator_client, resident):
    response = change(operator_client, resident, wechat_nickname="王阿姨")
    assert response.status_code == 302
    resident.refresh_from_db()
    assert (resident.phone, resident.decrypted_id_number(), resident.wechat_nickname) == (
        "13812348000",
        ID_NUMBER,
        "王阿姨",
    )


def test_it_refuses_a_phone_that_is_not_a_phone(operator_client, resident):
    response = change(operator_client, resident, new_phone="12345")
    assert "不是电话号码" in response.content.decode()
    resident.refresh_from_db()
    assert resident.phone == "13812348000"


def test_it_stores_a_phone_as_the_app_does_and_records_the_writing(operator_client, resident):
    assert change(operator_client, resident, new_phone="+86 139-1234-5678").status_code == 302
    resident.refresh_from_db()
    assert resident.phone == "13912345678"
    assert AccessLog.objects.filter(resident=resident, field=AccessField.PHONE).count() == 1


def test_it_refuses_an_id_number_already_registered_in_the_community(operator_client, resident, community):
    twin = ResidentFactory(community=community, name="李建国")
    twin.set_id_number("110105194912310011")
    twin.save()
    response = change(operator_client, resident, id_number="110105194912310011")
    assert "这个身份证号已登记在本社区（李建国）" in response.content.decode()
    resident.refresh_from_db()
    assert resident.decrypted_id_number() == ID_NUMBER


def test_it_refuses_an_id_number_against_the_date_of_birth(operator_client, resident):
    response = change(operator_client, resident, id_number="110105194912310011", birth_date="1950-01-01")
    assert "身份证号中的出生日期是" in response.content.decode()
    resident.refresh_from_db()
    assert resident.decrypted_id_number() == ID_NUMBER


def test_it_stores_a_first_generation_number_in_its_eighteen_characters(operator_client, resident):
    assert change(operator_client, resident, id_number="110105710923123").status_code == 302
    resident.refresh_from_db()
    assert resident.decrypted_id_number() == "110105197109231238"
    assert resident.id_number_masked == "110***********1238"


def test_it_says_a_first_generation_number_has_no_date(operator_client, resident):
    response = change(operator_client, resident, id_number="110105711323123")
    assert "711323" in response.content.decode()
    resident.refresh_from_db()
    assert resident.decrypted_id_number() == ID_NUMBER


def test_it_does_not_show_a_visits_health_note(operator_client, resident, community):
    visit = VisitFactory(community=community, residents=[resident], health_note="高血压，近期头晕", health="problem")
    pages = [
        reverse("admin:residents_visit_changelist"),
        reverse("admin:residents_visit_change", args=[visit.pk]),
    ]
    for page in pages:
        body = operator_client.get(page).content.decode()
        assert "高血压" not in body and 'name="health_note"' not in body
        assert 'name="health"' not in body  # the health check, as the app shows it only to some roles


def test_it_adds_a_resident_in_the_community_chosen_with_the_room_typed(operator_client, community, room):
    data = {
        "community": community.pk,
        "name": "李建国",
        "place": "3号楼2单元501",
        "population_type": "registered",
        "status": "living",
        "new_phone": "139 1234 5678",
    }
    assert operator_client.post(reverse("admin:residents_resident_add"), data).status_code == 302
    added = community.residents.get(name="李建国")
    assert (added.room, added.phone) == (room, "13912345678")


def test_it_finds_the_room_typed_only_in_the_community_chosen(operator_client, room, other_community):
    data = {
        "community": other_community.pk,
        "name": "李建国",
        "place": "3号楼2单元501",
        "population_type": "registered",
        "status": "living",
    }
    body = operator_client.post(reverse("admin:residents_resident_add"), data).content.decode()
    assert "本社区没有3号楼" in body and 'value="李建国"' in body
    assert not other_community.residents.exists()


def test_it_shows_a_residents_community_without_a_box_to_change_it(operator_client, resident):
    body = operator_client.get(reverse("admin:residents_resident_change", args=[resident.pk])).content.decode()
    assert 'name="community"' not in body and "福海佳园" in body


def test_it_does_not_move_a_resident_to_another_community(operator_client, resident, community, other_community):
    """The app has no move between communities: who leaves is marked moved out, and the other
    community registers her. Her visits, statuses and room would stay behind in the old one."""
    response = change(operator_client, resident, community=other_community.pk, place="", wechat_nickname="王阿姨")
    assert response.status_code == 302
    resident.refresh_from_db()
    assert (resident.community, resident.wechat_nickname) == (community, "王阿姨")
