"""Special populations: due dates move with visits, the roster and plan sort overdue first."""

import re
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from residents import selectors, services
from residents.models.care import (
    Distribution,
    RiskTier,
    SpecialCategory,
    SpecialStatus,
    SupplyStock,
    Visit,
    VisitCadence,
)
from tests.factories import (
    MembershipFactory,
    ResidentFactory,
    RoomFactory,
    SpecialStatusFactory,
    SupplyStockFactory,
    VisitFactory,
)

TODAY = date(2026, 11, 30)
ROSTER = reverse("residents:specialstatus_list")
NEW_VISIT = reverse("residents:visit_create")


def member(user):
    return user.memberships.get()


def record(community, user, residents, visited_on=TODAY, **kwargs):
    return services.record_visit(
        community=community,
        recorded_by=user,
        residents=residents,
        staff=[user],
        visited_on=visited_on,
        today=TODAY,
        **kwargs,
    )


def test_it_is_due_from_its_start_before_the_first_visit(resident):
    assert SpecialStatusFactory(resident=resident, valid_from=TODAY).next_due_on == TODAY


def test_it_uses_the_communitys_interval_for_the_tier(resident, community):
    VisitCadence.objects.create(community=community, key_days=14)
    status = SpecialStatusFactory(resident=resident, tier=RiskTier.KEY, visit_interval_days=None)
    assert status.visit_interval_days == 14


def test_it_falls_back_to_the_default_interval_for_the_tier(resident):
    status = SpecialStatusFactory(resident=resident, tier=RiskTier.GENERAL, visit_interval_days=None)
    assert status.visit_interval_days == 90


def test_it_moves_the_next_due_date_when_a_visit_is_recorded(resident, community, staff):
    status = SpecialStatusFactory(resident=resident, visit_interval_days=7)
    record(community, staff, [resident], visited_on=TODAY - timedelta(days=1))
    status.refresh_from_db()
    assert status.next_due_on == TODAY + timedelta(days=6)


def test_it_keeps_the_later_visit_when_an_older_one_is_entered(resident, community, staff):
    status = SpecialStatusFactory(resident=resident, visit_interval_days=7)
    record(community, staff, [resident], visited_on=TODAY)
    record(community, staff, [resident], visited_on=TODAY - timedelta(days=5))
    status.refresh_from_db()
    assert status.last_visited_on == TODAY


def test_it_refuses_a_visit_in_the_future(resident, community, staff):
    status = SpecialStatusFactory(resident=resident, valid_from=TODAY)
    with pytest.raises(ValueError):
        record(community, staff, [resident], visited_on=TODAY + timedelta(days=1))
    status.refresh_from_db()
    assert not Visit.objects.exists() and (status.last_visited_on, status.next_due_on) == (None, TODAY)


def test_it_takes_handed_out_blankets_off_the_stock(resident, community, staff):
    SupplyStockFactory(community=community, quantity=3)
    record(community, staff, [resident], room=resident.room, hand_outs=[services.HandOut("fire_blanket", 1)])
    assert SupplyStock.objects.get().quantity == 2


def test_it_records_nothing_when_the_stock_is_short(resident, community, staff):
    SupplyStockFactory(community=community, quantity=0)
    with pytest.raises(services.SupplyError):
        record(community, staff, [resident], hand_outs=[services.HandOut("fire_blanket", 1)])
    assert not Visit.objects.exists() and not Distribution.objects.exists()


# --- the visit form ---------------------------------------------------------------


def visit_data(resident, staff, **extra):
    return {
        "residents": [resident.pk],
        "visited_on": timezone.localdate().isoformat(),
        "method": "home",
        "staff": [staff.pk],
        "health": "good",
        "home_safety": "problem",
        "notes": "燃气灶软管老化",
        "needs": "",
        "health_note": "",
        "fire_blankets": "0",
        "gifts": "0",
        **extra,
    }


@pytest.mark.parametrize("persona", ["secretary", "staff", "grid_worker"])
def test_it_records_a_visit_from_the_form(request, login, resident, persona):
    user = request.getfixturevalue(persona)
    login(user).post(f"{NEW_VISIT}?resident={resident.pk}", visit_data(resident, user))
    assert Visit.objects.get().home_safety == "problem"


def test_it_refuses_visit_notes_over_2000_characters_and_keeps_them(login, resident, staff):
    notes = "记" * 2001
    response = login(staff).post(f"{NEW_VISIT}?resident={resident.pk}", visit_data(resident, staff, notes=notes))
    assert response.status_code == 200 and response.context["form"].errors["notes"]
    assert notes in response.content.decode()
    assert not Visit.objects.exists()


def test_it_forbids_a_viewer_to_record_a_visit(login, viewer, resident, staff):
    response = login(viewer).post(f"{NEW_VISIT}?resident={resident.pk}", visit_data(resident, staff))
    assert response.status_code == 403


def test_it_hides_our_resident_from_another_communitys_visit_form(login, outsider, resident):
    assert login(outsider).get(f"{NEW_VISIT}?resident={resident.pk}").status_code == 404


def test_it_offers_every_living_resident_of_the_room(login, staff, resident, community):
    ResidentFactory(community=community, room=resident.room, name="张大爷")
    assert "张大爷" in login(staff).get(f"{NEW_VISIT}?place=3-2-501").content.decode()


def test_it_keeps_what_was_typed_when_the_date_is_in_the_future(login, staff, resident):
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = login(staff).post(
        f"{NEW_VISIT}?resident={resident.pk}", visit_data(resident, staff, visited_on=tomorrow)
    )
    content = response.content.decode()
    assert "燃气灶软管老化" in content and not Visit.objects.exists()


def test_it_says_when_the_stock_is_short_and_keeps_the_form(login, staff, resident):
    response = login(staff).post(f"{NEW_VISIT}?resident={resident.pk}", visit_data(resident, staff, fire_blankets="1"))
    assert "燃气灶软管老化" in response.content.decode() and not Visit.objects.exists()


def test_it_hides_past_health_notes_from_grid_workers(login, grid_worker, resident, community):
    VisitFactory(community=community, residents=[resident], health_note="血压偏高")
    response = login(grid_worker).get(reverse("residents:resident_detail", args=[resident.pk]))
    assert response.status_code == 200 and "王秀英" in response.content.decode()
    assert (
        "血压偏高"
        not in login(grid_worker).get(reverse("residents:resident_detail", args=[resident.pk])).content.decode()
    )


# --- roster ----------------------------------------------------------------------------


def test_it_lists_overdue_residents_first(community, staff):
    later = SpecialStatusFactory(resident__community=community, valid_from=TODAY)
    overdue = SpecialStatusFactory(resident__community=community, valid_from=TODAY - timedelta(days=20))
    rows = list(selectors.roster(community, today=TODAY))
    assert [r.pk for r in rows] == [overdue.resident_id, later.resident_id]


def test_it_lists_a_resident_with_two_statuses_once(community, resident):
    SpecialStatusFactory(resident=resident, category=SpecialCategory.LIVING_ALONE)
    SpecialStatusFactory(resident=resident, category=SpecialCategory.ADVANCED_AGE)
    assert len(selectors.roster(community, today=TODAY)) == 1


def test_it_leaves_expired_statuses_off_the_roster(community, resident):
    SpecialStatusFactory(resident=resident, valid_to=TODAY - timedelta(days=1))
    assert not selectors.roster(community, today=TODAY).exists()


def test_it_filters_the_roster_by_category(login, staff, community):
    SpecialStatusFactory(
        resident__community=community, resident__name="独居老人", category=SpecialCategory.LIVING_ALONE
    )
    SpecialStatusFactory(resident__community=community, resident__name="空巢老人", category=SpecialCategory.EMPTY_NEST)
    content = login(staff).get(ROSTER, {"category": "alone"}).content.decode()
    assert "独居老人" in content and "空巢老人" not in content


def test_it_filters_the_roster_by_responsible_staff(login, staff, secretary, community):
    SpecialStatusFactory(resident__community=community, resident__name="小李管的", responsible=staff)
    SpecialStatusFactory(resident__community=community, resident__name="书记管的", responsible=secretary)
    content = login(staff).get(ROSTER, {"responsible": staff.pk}).content.decode()
    assert "小李管的" in content and "书记管的" not in content


def test_it_leaves_sensitive_only_residents_off_a_grid_workers_roster(login, grid_worker, community):
    SpecialStatusFactory(resident__community=community, resident__name="低保户", category=SpecialCategory.MIN_LIVING)
    SpecialStatusFactory(
        resident__community=community, resident__name="独居老人", category=SpecialCategory.LIVING_ALONE
    )
    response = login(grid_worker).get(ROSTER)
    assert response.status_code == 200 and "独居老人" in response.content.decode()
    assert "低保户" not in login(grid_worker).get(ROSTER).content.decode()


def test_it_refuses_a_sensitive_category_filter_from_a_grid_worker(login, grid_worker, community):
    SpecialStatusFactory(resident__community=community, resident__name="低保户", category=SpecialCategory.MIN_LIVING)
    SpecialStatusFactory(resident=SpecialStatus.objects.get().resident, category=SpecialCategory.LIVING_ALONE)
    assert "低保户" not in login(grid_worker).get(ROSTER, {"category": "dibao"}).content.decode()
    response = login(grid_worker).get(ROSTER, {"category": "dibao"})
    assert response.status_code == 200 and 'id="roster-rows"' in response.content.decode()
    assert response.context["filter"].form.errors.as_data()["category"][0].code == "invalid_choice"


def test_it_keeps_our_roster_from_another_community(login, outsider, community, other_community):
    SpecialStatusFactory(resident__community=community, resident__name="独居老人")
    SpecialStatusFactory(resident__community=other_community, resident__name="他们的空巢老人")
    response = login(outsider).get(ROSTER)
    assert response.status_code == 200 and "他们的空巢老人" in response.content.decode()
    assert "独居老人" not in login(outsider).get(ROSTER).content.decode()


def test_the_roster_says_how_many_days_a_visit_is_overdue(login, staff, community):
    """It said 应访日期 3月7日 · 已超期 8 月，4 周: "8 月" after a date reads as August."""
    today = timezone.localdate()
    SpecialStatusFactory(
        resident__community=community,
        resident__name="独居老人",
        valid_from=today - timedelta(days=400),
        last_visited_on=today - timedelta(days=279),
        visit_interval_days=7,
    )
    page = login(staff).get(ROSTER).content.decode()
    due = page[page.index("独居老人") :]
    assert "已超期 272 天" in due[: due.index("</div>", due.index("应访日期"))], due[:800]
    assert "月，" not in page


def _roster_row(page: str, name: str) -> str:
    """The row's text from the name to its 记录走访 button, which ends it."""
    row = page[page.index(name) :]
    return row[: row.index("记录走访")]


def test_the_roster_says_never_visited_instead_of_days_late_from_the_start(login, staff, community):
    """Never visited, the due date is the day the status began: 应访日期 2月1日 · 已超期 272 天
    counted from it, where the board says 从未走访."""
    today = timezone.localdate()
    SpecialStatusFactory(
        resident__community=community, resident__name="没人去过", valid_from=today - timedelta(days=272)
    )
    row = _roster_row(login(staff).get(ROSTER).content.decode(), "没人去过")
    assert "从未走访" in row and "已超期" not in row and "应访日期" not in row, row
    assert "text-danger" in row


def test_the_roster_leaves_a_new_status_never_visited_unflagged_within_its_interval(login, staff, community):
    SpecialStatusFactory(
        resident__community=community,
        resident__name="昨天登记",
        valid_from=timezone.localdate() - timedelta(days=1),
        visit_interval_days=7,
    )
    response = login(staff).get(ROSTER)
    row = _roster_row(response.content.decode(), "昨天登记")
    assert "从未走访" in row and "text-danger" not in row
    assert not response.context["object_list"][0].visit_late


@pytest.mark.parametrize(
    ("began", "visited", "listed"),
    [
        (8, None, True),  # never visited, began more than its 7 days ago: late
        (7, None, False),  # never visited, its first week ends today: due, not late
        (1, None, False),
        (400, 8, True),  # visited 8 days ago, every 7 days: due yesterday
        (400, 7, False),  # due today
    ],
)
def test_overdue_only_is_a_visit_missing_for_longer_than_the_interval(login, staff, community, began, visited, listed):
    today = timezone.localdate()
    SpecialStatusFactory(
        resident__community=community,
        resident__name="被筛的人",
        valid_from=today - timedelta(days=began),
        last_visited_on=today - timedelta(days=visited) if visited else None,
        visit_interval_days=7,
    )
    page = login(staff).get(ROSTER, {"overdue": "true"}).content.decode()
    assert ("被筛的人" in page) is listed


def test_the_overdue_queryset_agrees_with_the_status_at_the_edges(resident):
    never = SpecialStatusFactory(resident=resident, valid_from=TODAY - timedelta(days=30), visit_interval_days=7)
    visited = SpecialStatusFactory(
        resident=resident,
        category=SpecialCategory.ADVANCED_AGE,
        valid_from=TODAY - timedelta(days=300),
        last_visited_on=TODAY - timedelta(days=20),
        visit_interval_days=14,
    )
    # The last day each is not late: the start or the last visit, plus the interval.
    for status, last_in_time in ((never, TODAY - timedelta(days=23)), (visited, TODAY - timedelta(days=6))):
        for day in (last_in_time - timedelta(days=1), last_in_time, last_in_time + timedelta(days=1)):
            in_sql = SpecialStatus.objects.filter(pk=status.pk).overdue(day).exists()
            assert in_sql == status.is_overdue(day) == (day > last_in_time), (status, day)


def test_overdue_only_reads_the_statuses_the_row_shows(login, grid_worker, community):
    """A grid worker's row shows no 低保 status: that one being overdue does not list the row."""
    today = timezone.localdate()
    resident = SpecialStatusFactory(
        resident__community=community,
        resident__name="只看独居",
        valid_from=today - timedelta(days=1),
        category=SpecialCategory.LIVING_ALONE,
    ).resident
    SpecialStatusFactory(resident=resident, category=SpecialCategory.MIN_LIVING, valid_from=today - timedelta(days=90))
    client = login(grid_worker)
    assert "只看独居" in client.get(ROSTER).content.decode()
    assert "只看独居" not in client.get(ROSTER, {"overdue": "true"}).content.decode()


@pytest.mark.parametrize("rows", [5, 50])
def test_it_shows_the_roster_in_a_fixed_number_of_queries(login, staff, community, django_assert_max_num_queries, rows):
    for _ in range(rows):
        room = RoomFactory(unit__building__community=community)
        SpecialStatusFactory(resident__community=community, resident__room=room, responsible=staff)
    client = login(staff)
    with django_assert_max_num_queries(10):
        assert client.get(ROSTER).status_code == 200


# --- plan, figures, coverage -------------------------------------------------------------


def test_it_plans_the_visits_due_by_the_day(login, staff, community):
    SpecialStatusFactory(resident__community=community, resident__name="该走访了", responsible=staff)
    SpecialStatusFactory(
        resident__community=community, resident__name="还早", valid_from=timezone.localdate() + timedelta(days=3)
    )
    content = login(staff).get(reverse("residents:visit_plan")).content.decode()
    assert "该走访了" in content and "还早" not in content


def test_the_plan_groups_the_visits_by_staff_in_pinyin_order(login, staff, community):
    """By code point 张's residents came before 李's, and 陈's last."""
    for name in ("张伟", "陈静", "李娜"):
        worker = MembershipFactory(community=community, user__first_name=name).user
        SpecialStatusFactory(resident__community=community, resident__name=f"{name}负责的", responsible=worker)
    content = login(staff).get(reverse("residents:visit_plan")).content.decode()
    groups = ["陈静负责的", "李娜负责的", "张伟负责的"]
    assert sorted(reversed(groups), key=content.index) == groups


def test_the_plan_says_never_visited_instead_of_the_day_the_status_began(login, staff, community):
    today = timezone.localdate()
    SpecialStatusFactory(
        resident__community=community, resident__name="没人去过", valid_from=today - timedelta(days=272)
    )
    SpecialStatusFactory(
        resident__community=community,
        resident__name="上周去过",
        valid_from=today - timedelta(days=400),
        last_visited_on=today - timedelta(days=9),
        visit_interval_days=7,
    )
    page = login(staff).get(reverse("residents:visit_plan")).content.decode()
    never, visited = (page[page.index(name) :].split("</li>")[0] for name in ("没人去过", "上周去过"))
    assert "从未走访" in never and "应访" not in never and "text-danger" in never
    assert "从未走访" not in visited and "应访日期" in visited and "text-danger" in visited
    # Never visited first: the day the status began is the earliest due date.
    assert page.index("没人去过") < page.index("上周去过")


def test_it_hides_the_plan_of_our_community_from_an_outsider(login, outsider, community, other_community):
    SpecialStatusFactory(resident__community=community, resident__name="该走访了")
    SpecialStatusFactory(resident__community=other_community, resident__name="他们该走访的")
    response = login(outsider).get(reverse("residents:visit_plan"))
    assert response.status_code == 200 and "他们该走访的" in response.content.decode()
    assert "该走访了" not in login(outsider).get(reverse("residents:visit_plan")).content.decode()


@pytest.mark.parametrize("rows", [5, 50])
def test_it_shows_the_plan_in_a_fixed_number_of_queries(login, staff, community, django_assert_max_num_queries, rows):
    for _ in range(rows):
        SpecialStatusFactory(
            resident__community=community, resident__room=RoomFactory(unit__building__community=community)
        )
        VisitFactory(community=community, residents=[ResidentFactory(community=community)])
    client = login(staff)
    with django_assert_max_num_queries(10):
        assert client.get(reverse("residents:visit_plan")).status_code == 200


def test_it_lists_special_households_without_a_fire_blanket(community, resident, staff):
    SpecialStatusFactory(resident=resident)
    found = selectors.special_households_without(community, item="fire_blanket", today=TODAY, membership=member(staff))
    assert list(found) == [resident.room]


@pytest.mark.parametrize(("role", "listed"), [("staff", True), ("viewer", False), ("grid_worker", False)])
def test_it_lists_a_household_special_only_for_low_income_to_the_roles_that_may_know(
    request, login, community, resident, role, listed
):
    """street1 saw 8号楼2单元302 范德轩 in the households without a blanket, though the roster and his
    page hide his only status, 低保: the two pages side by side said why he was on the list."""
    SpecialStatusFactory(resident=resident, category=SpecialCategory.MIN_LIVING)
    page = login(request.getfixturevalue(role)).get(reverse("residents:supply_list")).text
    assert (resident.name in page) is listed


def household(community, *categories):
    resident = ResidentFactory(community=community, room=RoomFactory(unit__building__community=community))
    for category in categories:
        SpecialStatusFactory(resident=resident, category=category)
    return resident.room


HIDDEN_NOTE = re.compile(r'id="hidden-without-blanket">\D*(\d+)')


def test_it_tells_the_street_viewer_how_many_households_without_a_blanket_it_does_not_list(login, community, viewer):
    """The report said 灭火毯覆盖率 0.0% (0/39) and its link listed 28 households to the 街道 viewer
    (39 to the secretary), with no word of the 11 special only through a sensitive category."""
    household(community, SpecialCategory.MIN_LIVING)
    household(community, SpecialCategory.DISABILITY)
    household(community, SpecialCategory.LIVING_ALONE)
    household(community, SpecialCategory.LIVING_ALONE, SpecialCategory.MIN_LIVING)  # listed: not hidden
    page = login(viewer).get(reverse("residents:supply_list")).content.decode()
    assert HIDDEN_NOTE.findall(page) == ["2"], page


def test_the_listed_and_the_hidden_households_add_up_to_the_secretarys_list(community, viewer, secretary):
    household(community, SpecialCategory.MIN_LIVING)
    household(community, SpecialCategory.DEMENTIA, SpecialCategory.EMPTY_NEST)
    household(community, SpecialCategory.ADVANCED_AGE)
    arguments = {"item": "fire_blanket", "today": timezone.localdate()}
    listed = selectors.special_households_without(community, membership=member(viewer), **arguments).count()
    hidden = selectors.hidden_households_without(community, membership=member(viewer), **arguments)
    everyone = selectors.special_households_without(community, membership=member(secretary), **arguments).count()
    assert (listed, hidden, everyone) == (2, 1, 3)


def test_a_special_resident_without_a_room_does_not_hide_the_hidden_households(community, viewer):
    """A visible special status of a resident with no room put a NULL into the NOT IN of the
    households the viewer sees, and the count of those not shown fell to 0."""
    household(community, SpecialCategory.MIN_LIVING)
    roomless = ResidentFactory(community=community, room=None)
    SpecialStatusFactory(resident=roomless, category=SpecialCategory.LIVING_ALONE)
    arguments = {"item": "fire_blanket", "today": timezone.localdate()}
    assert selectors.hidden_households_without(community, membership=member(viewer), **arguments) == 1


def test_the_secretary_is_told_of_no_hidden_household(login, community, secretary):
    household(community, SpecialCategory.MIN_LIVING)
    page = login(secretary).get(reverse("residents:supply_list")).content.decode()
    assert "hidden-without-blanket" not in page


def test_it_drops_a_household_once_it_has_a_fire_blanket(community, resident, staff):
    SpecialStatusFactory(resident=resident)
    SupplyStockFactory(community=community)
    services.hand_out_supplies(
        community=community, recorded_by=staff, item="fire_blanket", quantity=1, handed_on=TODAY, room=resident.room
    )
    found = selectors.special_households_without(community, item="fire_blanket", today=TODAY, membership=member(staff))
    assert not found.exists()


def test_it_records_a_hand_out_from_the_form(login, staff, resident, community):
    SupplyStockFactory(community=community, item="smoke_alarm", quantity=5)
    data = {"item": "smoke_alarm", "quantity": "2", "room": "3-2-501", "handed_on": timezone.localdate().isoformat()}
    login(staff).post(reverse("residents:distribution_create"), data)
    assert SupplyStock.objects.get().quantity == 3


def test_it_says_which_room_is_unknown_on_a_hand_out(login, staff, community):
    data = {"item": "smoke_alarm", "quantity": "2", "room": "9-9-999", "handed_on": timezone.localdate().isoformat()}
    response = login(staff).post(reverse("residents:distribution_create"), data)
    assert response.status_code == 200 and "9-9-999" in response.content.decode()


def test_it_keeps_our_supplies_from_another_community(login, outsider, community, resident, other_community):
    SpecialStatusFactory(resident=resident)
    theirs = RoomFactory(
        unit__building__community=other_community, unit__building__number="8", unit__number="1", room_no="101"
    )
    SpecialStatusFactory(resident__community=other_community, resident__room=theirs)
    response = login(outsider).get(reverse("residents:supply_list"))
    assert response.status_code == 200 and "8号楼1单元101" in response.content.decode()
    assert "3号楼2单元501" not in login(outsider).get(reverse("residents:supply_list")).content.decode()


@pytest.mark.parametrize("rows", [5, 50])
def test_it_shows_supplies_in_a_fixed_number_of_queries(login, staff, community, django_assert_max_num_queries, rows):
    for _ in range(rows):
        room = RoomFactory(unit__building__community=community)
        SpecialStatusFactory(resident__community=community, resident__room=room)
    client = login(staff)
    with django_assert_max_num_queries(10):
        assert client.get(reverse("residents:supply_list")).status_code == 200


def status_data(**extra):
    return {"category": "alone", "tier": "high", "visit_interval_days": "", "valid_from": TODAY.isoformat(), **extra}


def test_it_adds_a_special_status_with_the_default_interval(login, staff, resident):
    login(staff).post(reverse("residents:specialstatus_create", args=[resident.pk]), status_data())
    assert SpecialStatus.objects.get(resident=resident).visit_interval_days == 7


def test_it_refuses_a_status_note_over_500_characters(login, staff, resident):
    url = reverse("residents:specialstatus_create", args=[resident.pk])
    response = login(staff).post(url, status_data(note="注" * 501))
    assert response.status_code == 200 and response.context["form"].errors["note"]
    assert not SpecialStatus.objects.exists()


def test_it_refuses_a_sensitive_category_from_a_grid_worker(login, grid_worker, resident):
    login(grid_worker).post(
        reverse("residents:specialstatus_create", args=[resident.pk]), status_data(category="dibao")
    )
    assert not SpecialStatus.objects.exists()


def test_it_hides_our_resident_from_another_communitys_status_form(login, outsider, resident):
    url = reverse("residents:specialstatus_create", args=[resident.pk])
    assert login(outsider).post(url, status_data()).status_code == 404
