"""未遇: a home visit that found nobody at home is on record (who knocked, when, the note) but
is no visit: the resident stays due, and no plan, board, report or rate counts it as made."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from fuhai.board.compose import week_summary
from issues import services as task_services
from residents import selectors, services
from residents.models.care import SupplyItem, Visit, VisitOutcome
from tests.factories import SpecialStatusFactory, SupplyStockFactory, VisitFactory

NEW_VISIT = reverse("residents:visit_create")
NOTE = "家中无人，敲门未应，邻居说去女儿家了，灭火毯未送出"


def not_home_data(resident, staff, **extra):
    return {
        "residents": [resident.pk],
        "visited_on": timezone.localdate().isoformat(),
        "method": "home",
        "staff": [staff.pk],
        "notes": NOTE,
        "needs": "",
        "health_note": "",
        "fire_blankets": "0",
        "gifts": "0",
        "outcome": "not_home",
        **extra,
    }


@pytest.fixture
def due(resident):
    """苏** 11-3-1001: visited a month ago, due today (monthly)."""
    today = timezone.localdate()
    return SpecialStatusFactory(resident=resident, visit_interval_days=30, last_visited_on=today - timedelta(days=30))


def test_the_not_at_home_button_records_who_knocked_when_and_the_note(login, grid_worker, resident, due):
    response = login(grid_worker).post(f"{NEW_VISIT}?resident={resident.pk}", not_home_data(resident, grid_worker))
    assert response.status_code == 302
    visit = Visit.objects.get()
    assert visit.outcome == VisitOutcome.NOT_HOME and visit.notes == NOTE
    assert list(visit.staff.all()) == [grid_worker] and visit.visited_on == timezone.localdate()


def test_nobody_at_home_leaves_the_resident_due_as_before(login, grid_worker, resident, due):
    before = due.next_due_on
    login(grid_worker).post(f"{NEW_VISIT}?resident={resident.pk}", not_home_data(resident, grid_worker))
    due.refresh_from_db()
    assert due.next_due_on == before and due.last_visited_on == timezone.localdate() - timedelta(days=30)


def test_saving_the_visit_still_moves_the_due_date(login, grid_worker, resident, due):
    data = not_home_data(resident, grid_worker, outcome="met")
    login(grid_worker).post(f"{NEW_VISIT}?resident={resident.pk}", data)
    due.refresh_from_db()
    assert due.last_visited_on == timezone.localdate()


def test_a_form_sent_without_an_outcome_is_a_visit(login, grid_worker, resident, due):
    data = not_home_data(resident, grid_worker)
    del data["outcome"]
    login(grid_worker).post(f"{NEW_VISIT}?resident={resident.pk}", data)
    assert Visit.objects.get().outcome == VisitOutcome.MET


def test_the_form_has_the_not_at_home_button_after_the_save_button(login, grid_worker, resident):
    content = login(grid_worker).get(f"{NEW_VISIT}?resident={resident.pk}").content.decode()
    # The first submit button is the one Enter presses: it must stay the visit.
    assert 'value="met"' in content and content.index('value="met"') < content.index('value="not_home"')


def test_nobody_at_home_refuses_supplies_handed_out(login, grid_worker, resident, community, due):
    SupplyStockFactory(community=community, item=SupplyItem.FIRE_BLANKET, quantity=5)
    data = not_home_data(resident, grid_worker, fire_blankets="1")
    response = login(grid_worker).post(f"{NEW_VISIT}?resident={resident.pk}", data)
    assert response.status_code == 200 and response.context["form"].non_field_errors()
    assert not Visit.objects.exists()


def test_nobody_at_home_keeps_no_checks(login, grid_worker, resident, due):
    data = not_home_data(resident, grid_worker, home_safety="good", mental_state="good")
    login(grid_worker).post(f"{NEW_VISIT}?resident={resident.pk}", data)
    visit = Visit.objects.get()
    assert visit.home_safety == "" and visit.mental_state == ""


def test_the_service_refuses_a_hand_out_on_a_visit_that_found_nobody(community, grid_worker, resident):
    with pytest.raises(ValueError):
        services.record_visit(
            community=community,
            recorded_by=grid_worker,
            residents=[resident],
            staff=[grid_worker],
            visited_on=timezone.localdate(),
            today=timezone.localdate(),
            hand_outs=[services.HandOut(item=SupplyItem.FIRE_BLANKET)],
            outcome=VisitOutcome.NOT_HOME,
        )


def test_the_plan_keeps_the_resident_due_and_says_nobody_was_at_home(login, grid_worker, secretary, resident, due):
    due.responsible = grid_worker
    due.save()
    login(grid_worker).post(f"{NEW_VISIT}?resident={resident.pk}", not_home_data(resident, grid_worker))
    page = login(secretary).get(reverse("residents:visit_plan")).content.decode()
    row = page[page.index('id="plan"') :].split('id="done"')[0]
    # The badges' words (当天上门未遇, 未遇（家中无人）) come with the catalogue: read by their class.
    assert "王秀英" in row and "not-home" in row
    assert "not-home" in page[page.index('id="done"') :]


def test_the_residents_page_marks_the_attempt(login, grid_worker, secretary, resident, due):
    login(grid_worker).post(f"{NEW_VISIT}?resident={resident.pk}", not_home_data(resident, grid_worker))
    page = login(secretary).get(reverse("residents:resident_detail", args=[resident.pk])).content.decode()
    visits = page[page.index('id="visits"') :]
    assert "not-home" in visits and NOTE in visits


def test_the_board_does_not_show_a_linked_visit_as_visited(login, secretary, grid_worker, resident, due, community):
    now = timezone.now()
    task_services.add_task(
        community=community,
        by=secretary,
        now=now,
        title="入户走访独居老人",
        assignee=grid_worker,
        day=timezone.localdate(now),
        visits=[due],
    )
    login(grid_worker).post(f"{NEW_VISIT}?resident={resident.pk}&from=board", not_home_data(resident, grid_worker))
    board = login(secretary).get(reverse("board")).content.decode()
    assert "王** 3-2-501" in board and "visit-done" not in board


# --- figures --------------------------------------------------------------------------------


TODAY = date(2026, 11, 30)


def test_the_report_figures_do_not_count_a_visit_that_found_nobody(community, resident, grid_worker):
    SpecialStatusFactory(resident=resident, visit_interval_days=30, valid_from=TODAY - timedelta(days=100))
    VisitFactory(community=community, residents=[resident], visited_on=TODAY, outcome=VisitOutcome.NOT_HOME)
    figures = selectors.visit_report_figures(community, first=TODAY.replace(day=1), last=TODAY, today=TODAY)
    assert (figures["done"], figures["visits"]) == (0, 0)


def test_the_report_does_not_count_a_visit_that_found_nobody(community, resident):
    SpecialStatusFactory(resident=resident, visit_interval_days=30, valid_from=TODAY - timedelta(days=100))
    VisitFactory(community=community, residents=[resident], visited_on=TODAY, outcome=VisitOutcome.NOT_HOME)
    report = selectors.visit_report(
        community, first=TODAY.replace(day=1), last=TODAY, today=TODAY, month_ends=[TODAY], item="fire_blanket"
    )
    assert (report["done"], report["visits"], report["trend"]) == (0, 0, [0.0])


def test_the_week_summary_counts_only_visits_made(community, resident):
    now = timezone.now()
    VisitFactory(community=community, residents=[resident], outcome=VisitOutcome.NOT_HOME)
    VisitFactory(community=community, residents=[resident])
    assert week_summary(community, now=now)["visits_made"] == 1


def test_a_visit_after_nobody_was_at_home_counts(community, resident):
    SpecialStatusFactory(resident=resident, visit_interval_days=30, valid_from=TODAY - timedelta(days=100))
    VisitFactory(
        community=community, residents=[resident], visited_on=TODAY - timedelta(days=1), outcome=VisitOutcome.NOT_HOME
    )
    VisitFactory(community=community, residents=[resident], visited_on=TODAY)
    figures = selectors.visit_report_figures(community, first=TODAY.replace(day=1), last=TODAY, today=TODAY)
    assert (figures["done"], figures["visits"]) == (1, 1)
