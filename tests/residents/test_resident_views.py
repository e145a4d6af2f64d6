"""Resident pages: scoped, searchable, masked; a full number only through the logged reveal."""

import re

import pytest
from django.urls import reverse

from residents.models.care import SpecialCategory
from residents.models.resident import AccessLog, AppendOnlyError
from tests.factories import BuildingFactory, ResidentFactory, RoomFactory, SpecialStatusFactory
from tests.residents.conftest import ID_NUMBER

LIST = reverse("residents:resident_list")


def detail(resident):
    return reverse("residents:resident_detail", args=[resident.pk])


def reveal(resident, field="id_number"):
    return reverse("residents:resident_reveal", args=[resident.pk, field])


@pytest.mark.parametrize("persona", ["secretary", "staff", "grid_worker", "viewer"])
def test_it_shows_a_resident_to_every_member(request, login, resident, persona):
    response = login(request.getfixturevalue(persona)).get(detail(resident))
    assert response.status_code == 200


def test_it_hides_a_resident_from_another_community(login, resident, outsider):
    assert login(outsider).get(detail(resident)).status_code == 404


def test_it_leaves_other_communities_out_of_the_list(login, resident, outsider, other_community):
    ResidentFactory(community=other_community, name="赵桂兰")
    response = login(outsider).get(LIST)
    assert response.status_code == 200 and "赵桂兰" in response.content.decode()
    assert "王秀英" not in response.content.decode()


@pytest.mark.parametrize("q", ["王秀", "wxy", "501", "3-2-501", "3号楼2单元501"])
def test_it_finds_a_resident_by_name_initials_or_room(login, staff, resident, q):
    assert "王秀英" in login(staff).get(LIST, {"q": q}).content.decode()


def test_it_filters_by_building(login, staff, resident, community):
    ResidentFactory(community=community, name="李四", room=RoomFactory(unit__building__community=community))
    content = login(staff).get(LIST, {"building": resident.room.unit.building_id}).content.decode()
    assert "王秀英" in content and "李四" not in content


def test_it_offers_the_buildings_in_the_order_people_count_them(login, staff, community):
    """The filter listed 1号楼, 10号楼, 11号楼, 2号楼 (found by a tester)."""
    for number in ("10", "2", "11", "1"):
        BuildingFactory(community=community, number=number)
    page = login(staff).get(LIST).content.decode()
    select = page[page.index('<select name="building"') :]
    select = select[: select.index("</select>")]
    assert re.findall(r">(\d+)号楼<", select) == ["1", "2", "10", "11"]


def test_a_filters_empty_choice_reads_all_not_dashes(login, secretary):
    """Every filter's first choice read --------- (found by a tester)."""
    page = login(secretary).get(reverse("residents:specialstatus_list")).content.decode()
    for name in ("category", "tier", "building", "responsible"):
        select = page[page.index(f'<select name="{name}"') :]
        assert select[: select.index("</option>")].endswith('<option value="" selected>全部'), name
    assert "---------" not in page


def test_a_filter_not_understood_is_named_by_its_label_once(login, secretary, resident):
    page = login(secretary).get(reverse("residents:specialstatus_list"), {"building": "abc"}).content.decode()
    errors = page[page.index('id="filter-errors"') :]
    assert "<li>楼：不在可选的选项中（可能已删除），请重新选择。</li>" in errors[: errors.index("</ul>")]
    assert page.count("请重新选择") == 1 and "共 0 人" not in page


def test_the_residents_status_filter_offers_each_status_once(login, staff):
    """在住 was offered twice (the blank choice means it) and 死亡 read bluntly: 已故."""
    page = login(staff).get(LIST).content.decode()
    select = page[page.index('<select name="status"') :].split("</select>")[0]
    assert select.count("在住") == 1 and "已故" in select and "死亡" not in select and "迁出" in select


def test_the_resident_lists_filter_not_understood_is_said(login, staff, resident):
    """The residents list said its filter's error only under the select, and 共 0 人 over a
    list withheld; now the alert the other lists have."""
    page = login(staff).get(LIST, {"status": "gone"}).content.decode()
    errors = page[page.index('id="filter-errors"') :]
    assert "<li>状态：不在可选的选项中（可能已删除），请重新选择。</li>" in errors[: errors.index("</ul>")]
    assert 'aria-invalid="true" aria-describedby="filter-errors"' in page
    assert "共 0 人" not in page


def test_the_rosters_folded_filters_say_what_is_set_and_open_on_a_mistake(login, secretary, resident):
    """On a phone the roster's filters fold under 筛选条件: it counts those set, and a filter not
    understood opens them next to the alert; 清除 empties them, as on the 民情日记 list."""
    roster = reverse("residents:specialstatus_list")
    client = login(secretary)
    page = client.get(roster, {"q": "王", "tier": "key", "overdue": "true"}).content.decode()
    assert 'id="filters-toggle">筛选条件 <span class="badge text-bg-primary">2</span></button>' in page
    assert 'class="collapse d-lg-contents" id="more-filters"' in page
    assert f'<a class="btn btn-link" href="{roster}">清除</a>' in page
    page = client.get(roster, {"building": "abc"}).content.decode()
    assert 'class="collapse d-lg-contents show" id="more-filters"' in page
    assert 'aria-expanded="true" id="filters-toggle"' in page


def test_it_keeps_moved_out_residents_off_the_list(login, staff, community):
    ResidentFactory(community=community, name="搬走的", status="moved_out")
    ResidentFactory(community=community, name="还住着的")
    response = login(staff).get(LIST)
    assert response.status_code == 200 and "还住着的" in response.content.decode()
    assert "搬走的" not in response.content.decode()


def test_it_lists_moved_out_residents_when_asked(login, staff, community):
    ResidentFactory(community=community, name="搬走的", status="moved_out")
    assert "搬走的" in login(staff).get(LIST, {"status": "moved_out"}).content.decode()


def test_it_masks_phones_in_the_list(login, staff, resident):
    content = login(staff).get(LIST).content.decode()
    assert "138****8000" in content and "13812348000" not in content


def test_it_shows_no_full_number_on_the_detail_page(login, secretary, resident):
    content = login(secretary).get(detail(resident)).content.decode()
    assert ID_NUMBER not in content and "13812348000" not in content and "110***********002X" in content


def test_it_shows_the_household_of_the_room(login, staff, resident, community):
    ResidentFactory(community=community, room=resident.room, name="张大爷", relation="spouse")
    assert "张大爷" in login(staff).get(detail(resident)).content.decode()


def test_it_reveals_the_id_number_with_a_reason(login, staff, resident):
    response = login(staff).post(reveal(resident), {"reason": "办理高龄津贴"})
    assert ID_NUMBER in response.content.decode()


def test_it_records_who_revealed_whose_number_and_why(login, staff, resident):
    login(staff).post(reveal(resident), {"reason": "办理高龄津贴"})
    log = AccessLog.objects.get()
    assert (log.user, log.resident, log.field, log.reason) == (staff, resident, "id_number", "办理高龄津贴")


def test_it_refuses_a_reveal_without_a_reason(login, staff, resident):
    response = login(staff).post(reveal(resident), {"reason": " "})
    assert ID_NUMBER not in response.content.decode() and not AccessLog.objects.exists()
    assert response.status_code == 200 and 'class="reveal-form"' in response.content.decode()
    assert "王秀英" in response.content.decode()


def test_it_shows_nothing_on_a_get_of_the_reveal(login, staff, resident):
    response = login(staff).get(reveal(resident))
    assert ID_NUMBER not in response.content.decode() and not AccessLog.objects.exists()
    assert response.status_code == 200 and 'class="reveal-form"' in response.content.decode()
    assert "王秀英" in response.content.decode()


def test_it_reveals_a_phone_with_a_reason(login, secretary, resident):
    response = login(secretary).post(reveal(resident, "phone"), {"reason": "联系家属"})
    assert "13812348000" in response.content.decode()


@pytest.mark.parametrize("persona", ["grid_worker", "viewer"])
def test_it_forbids_the_reveal_to_roles_without_the_permission(request, login, resident, persona):
    response = login(request.getfixturevalue(persona)).post(reveal(resident), {"reason": "想看看号码"})
    assert response.status_code == 403 and not AccessLog.objects.exists()


def test_it_hides_the_reveal_from_another_community(login, outsider, resident):
    assert login(outsider).post(reveal(resident), {"reason": "想看看号码"}).status_code == 404


def test_it_shows_the_access_records_to_the_secretary(login, secretary, staff, resident):
    AccessLog.objects.create(
        community=resident.community, user=staff, resident=resident, field="id_number", reason="办理高龄津贴"
    )
    assert "办理高龄津贴" in login(secretary).get(reverse("residents:accesslog_list")).content.decode()


@pytest.mark.parametrize("persona", ["staff", "grid_worker", "viewer"])
def test_it_keeps_the_access_records_from_other_roles(request, login, persona, community):
    response = login(request.getfixturevalue(persona)).get(reverse("residents:accesslog_list"))
    assert response.status_code == 403


def test_it_keeps_our_access_records_from_another_community(login, outsider, staff, resident, other_community):
    AccessLog.objects.create(
        community=resident.community, user=staff, resident=resident, field="phone", reason="联系家属"
    )
    theirs = ResidentFactory(community=other_community)
    AccessLog.objects.create(community=other_community, user=outsider, resident=theirs, field="phone", reason="办低保")
    response = login(outsider).get(reverse("residents:accesslog_list"))
    assert response.status_code == 200 and "办低保" in response.content.decode()
    assert "联系家属" not in login(outsider).get(reverse("residents:accesslog_list")).content.decode()


def test_it_refuses_to_change_an_access_record(staff, resident):
    log = AccessLog.objects.create(
        community=resident.community, user=staff, resident=resident, field="phone", reason="联系家属"
    )
    log.reason = "别的"
    with pytest.raises(AppendOnlyError):
        log.save()
    log.refresh_from_db()
    assert log.reason == "联系家属" and AccessLog.objects.count() == 1


def test_it_refuses_to_delete_an_access_record(staff, resident):
    log = AccessLog.objects.create(
        community=resident.community, user=staff, resident=resident, field="phone", reason="联系家属"
    )
    with pytest.raises(AppendOnlyError):
        log.delete()
    assert AccessLog.objects.filter(pk=log.pk, reason="联系家属").exists()


def test_it_hides_sensitive_statuses_from_grid_workers(login, grid_worker, resident):
    SpecialStatusFactory(resident=resident, category=SpecialCategory.MIN_LIVING)
    response = login(grid_worker).get(detail(resident))
    assert response.status_code == 200 and "王秀英" in response.content.decode()
    assert "低保" not in login(grid_worker).get(detail(resident)).content.decode()


def test_it_shows_sensitive_statuses_to_social_workers(login, staff, resident):
    SpecialStatusFactory(resident=resident, category=SpecialCategory.MIN_LIVING)
    assert "低保" in login(staff).get(detail(resident)).content.decode()


@pytest.mark.parametrize("rows", [5, 50])
def test_it_lists_residents_in_a_fixed_number_of_queries(login, staff, community, django_assert_max_num_queries, rows):
    for _ in range(rows):
        ResidentFactory(community=community, room=RoomFactory(unit__building__community=community))
    client = login(staff)
    with django_assert_max_num_queries(9):
        assert client.get(LIST).status_code == 200


@pytest.mark.parametrize("rows", [5, 50])
def test_it_lists_access_records_in_a_fixed_number_of_queries(
    login, secretary, resident, django_assert_max_num_queries, rows
):
    for _ in range(rows):
        AccessLog.objects.create(
            community=resident.community, user=secretary, resident=resident, field="phone", reason="联系家属"
        )
    client = login(secretary)
    with django_assert_max_num_queries(9):
        assert client.get(reverse("residents:accesslog_list")).status_code == 200


def test_it_refuses_a_bulk_update_of_access_records_in_the_database(staff, resident):
    from django.db import DatabaseError, transaction

    AccessLog.objects.create(
        community=resident.community, user=staff, resident=resident, field="phone", reason="联系家属"
    )
    with pytest.raises(DatabaseError), transaction.atomic():
        AccessLog.objects.update(reason="改过了")
    assert list(AccessLog.objects.values_list("reason", flat=True)) == ["联系家属"]


def export_rows(response):
    from io import BytesIO

    from openpyxl import load_workbook

    return list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))


EXPORT = reverse("residents:resident_export")


def test_it_exports_residents_masked(login, grid_worker, resident):
    rows = export_rows(login(grid_worker).get(EXPORT))
    assert rows[1][4:6] == ("138****8000", "110***********002X")


def test_it_exports_full_numbers_to_the_secretary_by_post_with_a_reason(login, secretary, resident):
    rows = export_rows(login(secretary).post(EXPORT, {"reason": "上报街道民政科"}))
    assert rows[1][4:6] == ("13812348000", ID_NUMBER)


def test_it_logs_an_unmasked_export_with_the_number_of_people(login, secretary, resident):
    ResidentFactory(community=resident.community, room=resident.room, name="李建国")
    login(secretary).post(EXPORT, {"reason": "上报街道民政科"})
    log = AccessLog.objects.get()
    assert (log.field, log.reason, log.people, log.user) == ("export", "上报街道民政科", 2, secretary)


def test_it_counts_only_the_filtered_people_in_the_export_log(login, secretary, resident):
    ResidentFactory(community=resident.community, room=resident.room, name="李建国")
    login(secretary).post(f"{EXPORT}?q=王秀英", {"reason": "上报街道民政科"})
    assert AccessLog.objects.get().people == 1


def test_it_refuses_an_unmasked_export_without_a_reason(login, secretary, resident):
    response = login(secretary).post(EXPORT, {"reason": "  "})
    assert response.status_code == 302 and not AccessLog.objects.exists()
    assert response.url.startswith(LIST)


def test_it_forbids_an_unmasked_export_to_a_grid_worker(login, grid_worker, resident):
    assert login(grid_worker).post(EXPORT, {"reason": "上报街道民政科"}).status_code == 403


def test_it_forbids_an_unmasked_export_to_staff_who_may_reveal_one_number(login, staff, resident):
    response = login(staff).post(EXPORT, {"reason": "上报街道民政科"})
    assert response.status_code == 403 and not AccessLog.objects.exists()


def test_it_answers_the_masked_export_to_the_old_unmasking_address(login, secretary, resident):
    rows = export_rows(login(secretary).get(EXPORT, {"full": "1", "reason": "上报街道民政科"}))
    assert rows[1][4:6] == ("138****8000", "110***********002X")


def test_it_logs_nothing_for_the_old_unmasking_address(login, secretary, resident):
    login(secretary).get(EXPORT, {"full": "1", "reason": "上报街道民政科"})
    assert not AccessLog.objects.exists()


def test_it_allows_five_unmasked_exports_an_hour(login, secretary, resident):
    client = login(secretary)
    answers = [client.post(EXPORT, {"reason": f"上报街道民政科{n}"}) for n in range(6)]
    assert [a.status_code for a in answers] == [200] * 5 + [302]


def test_it_logs_no_sixth_unmasked_export_within_the_hour(login, secretary, resident):
    client = login(secretary)
    for n in range(6):
        client.post(EXPORT, {"reason": f"上报街道民政科{n}"})
    assert AccessLog.objects.count() == 5


def test_it_allows_an_unmasked_export_again_after_an_hour(login, secretary, resident, time_machine):
    client = login(secretary)
    time_machine.move_to("2026-12-01 09:00 +08:00")
    for n in range(5):
        client.post(EXPORT, {"reason": f"上报街道民政科{n}"})
    time_machine.move_to("2026-12-01 10:01 +08:00")
    assert client.post(EXPORT, {"reason": "上报街道民政科"}).status_code == 200


def test_it_offers_the_unmasked_export_to_the_secretary_as_a_post_form(login, secretary, resident):
    html = login(secretary).get(LIST).content.decode()
    assert '<form method="post" action="/residents/export.xlsx' in html and 'name="reason"' in html


def test_it_offers_no_unmasked_export_to_staff(login, staff, resident):
    assert 'id="unmasked-export"' not in login(staff).get(LIST).content.decode()


def test_it_names_the_residents_export_in_chinese_with_the_date(login, grid_worker, resident, time_machine):
    time_machine.move_to("2026-12-01 09:00 +08:00")
    disposition = login(grid_worker).get(EXPORT)["Content-Disposition"]
    assert "filename*=UTF-8''%E5%B1%85%E6%B0%91%E4%BF%A1%E6%81%AF_20261201.xlsx" in disposition


def test_it_exports_none_of_our_residents_to_another_community(login, outsider, resident):
    assert len(export_rows(login(outsider).get(EXPORT))) == 1


def test_it_shows_how_many_people_an_unmasked_export_contained(login, secretary, resident):
    client = login(secretary)
    client.post(EXPORT, {"reason": "上报街道民政科"})
    assert "共 1 人" in client.get(reverse("residents:accesslog_list")).content.decode()


def test_it_shows_which_item_a_revealed_number_was_read_from(login, secretary, resident):
    AccessLog.objects.create(
        community=resident.community, user=secretary, field="phone", reason="回电", subject="MQ20261201-001"
    )
    assert "MQ20261201-001" in login(secretary).get(reverse("residents:accesslog_list")).content.decode()
