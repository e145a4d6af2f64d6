"""The same person added twice to one household is the register's commonest error: one visit
plan would then show two 王秀英 at 3-2-501. Someone of that name already living in the room is
asked about; two people of one name in a household are rare but real, so it can be said."""

import datetime

from django.urls import reverse

from residents.models.resident import Resident, ResidentStatus
from tests.factories import ResidentFactory
from tests.residents.test_editing import form_data

NEW = reverse("residents:resident_create")


def test_a_second_resident_of_the_same_name_in_the_room_is_asked_about_and_kept_as_typed(login, secretary, resident):
    resident.birth_date = datetime.date(1948, 3, 7)
    resident.save()
    response = login(secretary).post(
        NEW, form_data(name="王秀英", place="3-2-501", new_phone="13900001111", wechat_nickname="秀英")
    )
    assert response.status_code == 400
    assert Resident.objects.filter(name="王秀英").count() == 1
    errors = response.context["form"].errors["name"]
    assert "王秀英（1948年3月7日）已住在3号楼2单元501" in errors[0]
    html = response.content.decode()
    # Her record opens in a new tab, so what was typed here stays (tester: no way to her record).
    record = reverse("residents:resident_detail", args=[resident.pk])
    assert f'<a href="{record}" target="_blank" rel="noopener">打开那条记录</a>' in html
    assert 'type="checkbox" name="same_name"' in html
    assert 'value="秀英"' in html and 'value="13900001111"' in html


def test_saying_it_is_another_person_saves_the_second(login, secretary, resident):
    response = login(secretary).post(NEW, form_data(name="王秀英", place="3-2-501", same_name="on"))
    assert response.status_code == 302
    assert Resident.objects.filter(name="王秀英", room=resident.room).count() == 2


def test_the_box_is_not_shown_while_nobody_of_that_name_lives_there(login, secretary, resident):
    page = login(secretary).get(NEW).content.decode()
    assert 'type="hidden" name="same_name"' in page and 'type="checkbox" name="same_name"' not in page
    response = login(secretary).post(NEW, form_data(name="王秀英", place="3-2-502"))
    assert response.status_code == 302


def test_someone_who_moved_out_is_not_in_the_way(login, secretary, resident):
    resident.status = ResidentStatus.MOVED_OUT
    resident.save()
    response = login(secretary).post(NEW, form_data(name="王秀英", place="3-2-501"))
    assert response.status_code == 302


def test_moving_someone_into_a_room_where_their_name_lives_asks_too(login, secretary, resident, community):
    other = ResidentFactory(community=community, room=None, name="王秀英")
    response = login(secretary).post(
        reverse("residents:resident_edit", args=[other.pk]), form_data(name="王秀英", place="3-2-501")
    )
    assert response.status_code == 400 and "name" in response.context["form"].errors


def test_an_edit_that_keeps_name_and_room_does_not_ask_again(login, secretary, resident, community):
    twin = ResidentFactory(community=community, room=resident.room, name="王秀英")
    response = login(secretary).post(
        reverse("residents:resident_edit", args=[twin.pk]),
        form_data(name="王秀英", place="3-2-501", new_phone="13900002222"),
    )
    assert response.status_code == 302
    twin.refresh_from_db()
    assert twin.phone == "13900002222"
