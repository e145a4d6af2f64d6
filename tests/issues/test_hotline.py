"""接诉即办: cases with city deadlines, their steps, clocks, reminders and the three rates."""

import importlib
import re
import uuid
from datetime import date, datetime, timedelta
from decimal import Decimal
from io import BytesIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from issues.hotline import reminders as hotline_reminders
from issues.hotline.models import HotlineCase, HotlineSettings
from issues.hotline.rates import hotline_month_counts, rates, rates_from_counts
from issues.hotline.views import HOTLINE_STEPS
from issues.models.choices import IssueStatus, TransitionError
from issues.models.clock import IssueClock
from issues.models.issue import Issue
from issues.models.reminder import Reminder, ReminderKind
from residents.models.community import Role
from tests.factories import MembershipFactory, PartnerFactory

TZ = ZoneInfo("Asia/Shanghai")


def at(month, day, hour=9, minute=0, year=2026):
    return datetime(year, month, day, hour, minute, tzinfo=TZ)


def test_it_sets_deadlines_by_urgency(community):
    rules = HotlineSettings.for_community(community.pk)
    dispatched = at(11, 30, 8)
    assert rules.deadlines(dispatched, "urgent") == (dispatched + timedelta(hours=2), dispatched + timedelta(hours=24))
    assert rules.deadlines(dispatched, "normal") == (dispatched + timedelta(hours=24), dispatched + timedelta(days=7))
    assert rules.deadlines(dispatched, "complex")[1] == dispatched + timedelta(days=15)


def test_it_colours_the_clock_amber_at_half_and_red_at_80_percent(make_case):
    case = make_case(urgency="urgent")  # respond within 2 hours
    start = case.dispatched_at
    assert case.clock("response", start + timedelta(minutes=59))["level"] == "success"
    assert case.clock("response", start + timedelta(minutes=60))["level"] == "warning"
    assert case.clock("response", start + timedelta(minutes=96))["level"] == "danger"


def test_it_stops_the_response_clock_at_first_contact(make_case, staff):
    case = make_case()
    contacted = case.dispatched_at + timedelta(hours=1)
    case.record_first_contact(by=staff, now=contacted, at=contacted, method="phone")
    assert case.clock("response", case.dispatched_at + timedelta(hours=3)) is None
    assert case.responded_in_time(case.dispatched_at + timedelta(hours=3)) is True


def test_reaching_the_caller_puts_a_pending_item_in_progress(make_case, staff):
    """Tester finding #8: the item stayed 待核实 through the first contact and the site visit,
    so the lists and the board showed a case being handled as one nobody had looked at."""
    case = make_case()
    assert case.issue.status == IssueStatus.PENDING
    contacted = case.dispatched_at + timedelta(hours=1)
    entry = case.record_first_contact(by=staff, now=contacted, at=contacted, method="phone")
    item = Issue.objects.get(pk=case.issue_id)
    assert item.status == IssueStatus.IN_PROGRESS
    assert (entry.kind, entry.from_status, entry.to_status) == ("call", IssueStatus.PENDING, IssueStatus.IN_PROGRESS)
    assert list(item.followups.filter(kind="state").values_list("to_status", flat=True)) == []  # one entry, not two


def test_a_site_visit_puts_a_pending_item_in_progress_and_leaves_a_waiting_one_waiting(make_case, staff, community):
    partner = PartnerFactory(community=community)
    pending = make_case()
    visited = pending.dispatched_at + timedelta(hours=2)
    pending.record_site_visit(by=staff, now=visited, at=visited, note="油烟管道已查看")
    assert Issue.objects.get(pk=pending.issue_id).status == IssueStatus.IN_PROGRESS

    waiting = make_case()
    now = waiting.dispatched_at + timedelta(hours=1)
    waiting.record_first_contact(by=staff, now=now, at=now, method="phone")
    waiting.issue.wait_for_partner(by=staff, now=now, partner=partner, promised_at=now + timedelta(days=2))
    entry = waiting.record_site_visit(by=staff, now=now, at=now, note="和物业一起看了")
    assert Issue.objects.get(pk=waiting.issue_id).status == IssueStatus.WAITING
    assert (entry.kind, entry.to_status) == ("visit", "")


def test_it_resolves_the_item_on_reply(make_case, staff):
    case = make_case()
    case.record_first_contact(by=staff, now=case.dispatched_at, at=case.dispatched_at, method="phone")
    case.record_reply(
        by=staff, now=case.dispatched_at + timedelta(days=1), result="solved", reply_text="已协调餐馆加装净化器"
    )
    case.issue.refresh_from_db()
    assert (case.issue.status, case.issue.result) == (IssueStatus.RESOLVED, "fixed")


def test_it_refuses_a_city_callback_before_the_reply(make_case, staff):
    case = make_case()
    with pytest.raises(TransitionError):
        case.record_city_callback(
            by=staff, now=case.dispatched_at, contacted=True, solved="solved", satisfaction="satisfied"
        )
    case.refresh_from_db()
    assert case.city_satisfaction == ""
    assert case.issue.followups.count() == 1


def test_it_refuses_an_extension_after_the_deadline(make_case, staff):
    case = make_case()
    deadline = case.resolution_deadline
    late = case.resolution_deadline + timedelta(hours=1)
    with pytest.raises(TransitionError):
        case.extend(by=staff, now=late, new_deadline=late + timedelta(days=3), reason="需协调产权单位")
    case.refresh_from_db()
    assert (case.resolution_deadline, case.extension_reason) == (deadline, "")
    assert case.issue.followups.count() == 1


def test_it_extends_before_the_deadline_on_the_timeline(make_case, staff):
    case = make_case()
    new = case.resolution_deadline + timedelta(days=5)
    case.extend(by=staff, now=case.dispatched_at + timedelta(days=1), new_deadline=new, reason="需协调产权单位")
    case.refresh_from_db()
    assert case.resolution_deadline == new
    assert case.issue.followups.filter(note__contains="需协调产权单位").exists()


def test_an_extension_moves_the_items_due_date_by_as_much(make_case, staff):
    """延期 moved only the case's deadline: the 民情日记, the board and the reminders went on calling
    the item overdue from the old one. The item's own date moves by the same span, so a date
    the office set a day ahead of the city's stays a day ahead."""
    case = make_case()
    Issue.objects.filter(pk=case.issue_id).update(due_at=case.resolution_deadline - timedelta(days=1))
    issue = Issue.objects.get(pk=case.issue_id)
    issue.save()  # winds its clock, as log_case's save does
    old_item_due, version = issue.due_at, issue.version
    now = case.dispatched_at + timedelta(days=1)
    case.extend(by=staff, now=now, new_deadline=case.resolution_deadline + timedelta(days=5), reason="需协调产权单位")
    issue.refresh_from_db()
    assert issue.due_at == old_item_due + timedelta(days=5)
    assert issue.version == version + 1  # an edit form open on the item sees that it changed
    assert not issue.is_overdue(old_item_due + timedelta(hours=1))
    assert issue.clock.next_reminder_at > old_item_due  # no overdue reminder at the old date


def test_an_extension_gives_an_item_without_a_due_date_the_new_deadline(make_case, staff):
    case = make_case()
    Issue.objects.filter(pk=case.issue_id).update(due_at=None)
    new = case.resolution_deadline + timedelta(days=5)
    case.extend(by=staff, now=case.dispatched_at, new_deadline=new, reason="需协调产权单位")
    assert Issue.objects.get(pk=case.issue_id).due_at == new


def test_a_redo_gives_the_item_the_new_deadline(make_case, staff):
    """重办 reopened the item with its old due date, long past: overdue the moment it came back."""
    case = make_case()
    Issue.objects.filter(pk=case.issue_id).update(due_at=case.resolution_deadline)
    case.record_first_contact(by=staff, now=case.dispatched_at, at=case.dispatched_at, method="phone")
    case.record_reply(by=staff, now=case.dispatched_at, result="partly", reply_text="已沟通")
    now, new = case.resolution_deadline + timedelta(days=2), case.resolution_deadline + timedelta(days=9)
    case.redo(by=staff, now=now, new_deadline=new, reason="市民不认可")
    issue = Issue.objects.get(pk=case.issue_id)
    assert (issue.status, issue.due_at, issue.is_overdue(now)) == (IssueStatus.IN_PROGRESS, new, False)


def test_a_redo_of_a_case_whose_item_is_still_open_moves_its_due_date(make_case, staff):
    """An item the office had not closed (the reply said 未解决, or someone reopened it) cannot be
    reopened: the redo failed with "办理中 cannot become 办理中" and nothing was recorded."""
    case = make_case()
    issue = Issue.objects.get(pk=case.issue_id)
    issue.settle(by=staff, now=case.dispatched_at, method="coordinate")
    now, new = case.dispatched_at + timedelta(days=2), case.dispatched_at + timedelta(days=9)
    case.redo(by=staff, now=now, new_deadline=new, reason="市民不认可")
    case.refresh_from_db()
    issue.refresh_from_db()
    assert (case.redo_count, case.resolution_deadline) == (1, new)
    assert (issue.status, issue.due_at) == (IssueStatus.IN_PROGRESS, new)
    assert issue.followups.filter(note__contains="市民不认可").exists()


def test_an_item_due_after_the_deadline_takes_the_new_one_even_years_ahead(make_case, staff):
    """The item's date, set after the city's, plus the extension overflowed past year 9999: a
    500 on 延期 (a tester's finding). Such a date is never right for a 12345 case; a deadline
    more than a year away is refused as a typing slip."""
    case = make_case()
    Issue.objects.filter(pk=case.issue_id).update(due_at=case.resolution_deadline + timedelta(days=10))
    now = case.dispatched_at + timedelta(days=1)
    with pytest.raises(TransitionError, match="一年"):
        case.extend(by=staff, now=now, new_deadline=datetime(9999, 12, 31, 23, tzinfo=TZ), reason="协调")
    new = case.resolution_deadline + timedelta(days=3)
    case.extend(by=staff, now=now, new_deadline=new, reason="协调")
    assert Issue.objects.get(pk=case.issue_id).due_at == new


@pytest.mark.parametrize(
    ("step", "arguments"),
    [
        ("record_first_contact", {"method": "phone"}),
        ("record_site_visit", {"note": "油烟管道已查看"}),
    ],
)
def test_a_step_cannot_be_dated_in_the_future_or_before_the_dispatch(make_case, staff, step, arguments):
    """A first contact typed as 12-07 for today's call showed 响应 ✔ and counted in the 响应率; a
    site visit before the dispatch was saved."""
    case = make_case()
    now = case.dispatched_at + timedelta(hours=2)
    for at in (now + timedelta(days=2), case.dispatched_at - timedelta(days=2)):
        with pytest.raises(TransitionError):
            getattr(case, step)(by=staff, now=now, at=at, **arguments)
    case.refresh_from_db()
    assert (case.first_contact_at, case.site_visit_at) == (None, None)
    getattr(case, step)(by=staff, now=now, at=now + timedelta(minutes=2), **arguments)  # a phone's clock runs fast


def test_a_city_callback_that_did_not_reach_the_caller_has_no_answers(make_case, staff):
    """未联系上 · 满意 was saved and counted in the 满意率."""
    case = make_case()
    case.record_first_contact(by=staff, now=case.dispatched_at, at=case.dispatched_at, method="phone")
    case.record_reply(by=staff, now=case.dispatched_at, result="solved", reply_text="已处理")
    now = case.dispatched_at + timedelta(days=1)
    with pytest.raises(TransitionError, match="未评价"):
        case.record_city_callback(by=staff, now=now, contacted=False, solved="", satisfaction="satisfied")
    with pytest.raises(TransitionError):
        case.record_city_callback(
            by=staff, now=now, contacted=True, solved="solved", satisfaction="satisfied", at=now + timedelta(days=3)
        )
    case.refresh_from_db()
    assert case.city_satisfaction == ""
    case.record_city_callback(by=staff, now=now, contacted=False, solved="", satisfaction="none")
    case.refresh_from_db()
    assert (case.city_contacted, case.city_satisfaction) == (False, "none")


def test_the_migration_gives_items_of_cases_extended_before_it_their_deadline(make_case, staff):
    """Cases extended or redone before the fix kept items due by the old deadline; the migration
    gives them the case's and wakes their clocks. The rest is left as it is."""
    from django.apps import apps

    migration = importlib.import_module("issues.migrations.0028_items_follow_extended_deadlines")
    extended, untouched, closed = make_case(), make_case(), make_case()
    old = extended.resolution_deadline
    for case in (extended, untouched, closed):
        Issue.objects.filter(pk=case.issue_id).update(due_at=old)
    Issue.objects.filter(pk=closed.issue_id).update(status=IssueStatus.CLOSED)
    new = old + timedelta(days=5)
    HotlineCase.objects.filter(pk__in=[extended.pk, closed.pk]).update(resolution_deadline=new, extension_reason="协调")
    with time_machine.travel(old + timedelta(hours=1), tick=False):
        migration.follow_deadlines(apps, None)
    due = dict(Issue.objects.values_list("pk", "due_at"))
    assert (due[extended.issue_id], due[untouched.issue_id], due[closed.issue_id]) == (new, old, old)
    assert IssueClock.objects.get(issue_id=extended.issue_id).next_reminder_at == old + timedelta(hours=1)


def test_it_returns_a_case_as_not_ours(make_case, staff):
    case = make_case()
    case.return_case(by=staff, now=case.dispatched_at, reason="属市场监管职责")
    case.issue.refresh_from_db()
    assert case.issue.status == IssueStatus.NOT_OURS


def test_it_redoes_a_case_with_a_new_deadline(make_case, staff):
    case = make_case()
    case.record_first_contact(by=staff, now=case.dispatched_at, at=case.dispatched_at, method="phone")
    case.record_reply(by=staff, now=case.dispatched_at, result="partly", reply_text="已沟通")
    case.redo(
        by=staff,
        now=case.dispatched_at + timedelta(days=2),
        new_deadline=case.dispatched_at + timedelta(days=9),
        reason="市民不认可",
    )
    case.refresh_from_db()
    case.issue.refresh_from_db()
    assert (case.redo_count, case.result, case.issue.status) == (1, "", IssueStatus.IN_PROGRESS)


def test_it_reminds_at_half_and_80_percent_of_the_response_time(make_case):
    case = make_case(urgency="urgent")
    hotline_reminders.sweep_hotline(now=case.dispatched_at + timedelta(minutes=61))
    hotline_reminders.sweep_hotline(now=case.dispatched_at + timedelta(minutes=97))
    hotline_reminders.sweep_hotline(now=case.dispatched_at + timedelta(minutes=98))
    kinds = sorted(Reminder.objects.filter(object_id=case.pk).values_list("kind", flat=True))
    assert kinds == ["hotline_response_50", "hotline_response_80"]


# --- the three rates, checked against months computed by hand ---------------------------------


def answered(make_case, staff, dispatched, *, contact_after, solved, satisfaction, returned=False):
    case = make_case(dispatched=dispatched)
    case.first_contact_at = dispatched + contact_after
    case.city_solved, case.city_satisfaction = solved, satisfaction
    case.returned_reason = "非本社区" if returned else ""
    case.save()
    return case


def test_it_computes_the_three_rates_of_a_month_by_hand(make_case, staff, community):
    # November: 5 cases count (one returned case does not).
    answered(make_case, staff, at(11, 2), contact_after=timedelta(hours=1), solved="solved", satisfaction="satisfied")
    answered(make_case, staff, at(11, 5), contact_after=timedelta(hours=30), solved="partly", satisfaction="basic")
    answered(
        make_case, staff, at(11, 9), contact_after=timedelta(hours=2), solved="unsolved", satisfaction="unsatisfied"
    )
    answered(make_case, staff, at(11, 15), contact_after=timedelta(hours=3), solved="solved", satisfaction="none")
    answered(make_case, staff, at(11, 20), contact_after=timedelta(hours=4), solved="", satisfaction="")
    answered(
        make_case,
        staff,
        at(11, 21),
        contact_after=timedelta(hours=1),
        solved="solved",
        satisfaction="satisfied",
        returned=True,
    )
    month = date(2026, 11, 1)
    cases = HotlineCase.objects.in_community(community).dispatched_in(month)
    result = rates(cases, HotlineSettings.for_community(community.pk), month, at(12, 1))
    # response: 4 of 5 within 24 h = 80.0 %
    assert (result.response.numerator, result.response.denominator, result.response.value) == (4, 5, Decimal("80.0"))
    # resolution: (2 solved + 0.5 × 1 partly) ÷ 4 answered = 62.5 %
    assert (result.resolution.numerator, result.resolution.denominator) == (Decimal("2.5"), 4)
    assert result.resolution.value == Decimal("62.5")
    # satisfaction: (1 + 0.8 × 1) ÷ 3 rated (未评价 and no answer left out) = 60.0 %
    assert result.satisfaction.value == Decimal("60.0")
    # score: 0.30 × 80 + 0.35 × 62.5 + 0.35 × 60 = 66.875 → 66.9
    assert result.score == Decimal("66.9")


def test_a_case_with_time_left_to_respond_is_not_yet_a_miss(make_case, staff, community):
    """In the month in progress a case with hours left counted as ✘: December showed 响应率 25.0 %
    (2/8) in its first days, a collapse that had not happened."""
    contacted = make_case(dispatched=at(12, 1, 8))
    contacted.record_first_contact(by=staff, now=at(12, 1, 9), at=at(12, 1, 9), method="phone")
    waiting = make_case(dispatched=at(12, 3, 8))
    late = make_case(dispatched=at(12, 1, 8))
    now = late.response_deadline + timedelta(hours=1)
    assert waiting.response_deadline > now
    month = date(2026, 12, 1)
    cases = HotlineCase.objects.in_community(community).dispatched_in(month)
    result = rates(cases, HotlineSettings.for_community(community.pk), month, now)
    assert (result.response.numerator, result.response.denominator) == (1, 2)
    windows = [(at(12, 1, 0), at(12, 31, 0) + timedelta(days=1))]
    counts = hotline_month_counts(community, months=windows, now=now)[0]
    assert rates_from_counts(counts, HotlineSettings.for_community(community.pk), month).response.denominator == 2


def test_it_gives_no_rate_for_an_empty_month(community):
    month = date(2026, 10, 1)
    result = rates(
        HotlineCase.objects.in_community(community).dispatched_in(month), HotlineSettings(), month, at(11, 1)
    )
    assert (result.response.value, result.resolution.value, result.satisfaction.value, result.score) == (
        None,
        None,
        None,
        None,
    )


def test_it_counts_a_case_in_the_month_it_was_dispatched(make_case, staff, community):
    # Dispatched 31 October 23:30 local time, answered in November: it is October's.
    answered(
        make_case,
        staff,
        at(10, 31, 23, 30),
        contact_after=timedelta(hours=3),
        solved="solved",
        satisfaction="satisfied",
    )
    october = HotlineCase.objects.in_community(community).dispatched_in(date(2026, 10, 1))
    november = HotlineCase.objects.in_community(community).dispatched_in(date(2026, 11, 1))
    assert (october.count(), november.count()) == (1, 0)


# --- pages ---------------------------------------------------------------------------------------


def post_case(client, **data):
    base = {
        "case_no": "20261130-0001",
        "dispatched_at": "2026-11-29T08:05",
        "request_type": "complaint",
        "urgency": "normal",
        "role": "main",
        "caller_name": "赵女士",
        "caller_phone": "13900001234",
        "text": "反映3号楼门口有人遛狗不拴绳",
        "place": "3号楼",
    }
    # Posted on 11-30: a dispatch a year before the day the tests run would be refused.
    with time_machine.travel(at(11, 30, 9), tick=True):
        return client.post(reverse("issues:hotline_create"), {**base, **data})


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"dispatched_at": "0206-11-29T08:05"}, "一年以前"),
        ({"resolution_deadline": "9999-12-31T23:00"}, "一年以后"),
        ({"response_deadline": "2026-12-02T08:00", "resolution_deadline": "2026-12-01T08:00"}, "先于响应时限"),
    ],
)
def test_it_refuses_a_slip_of_the_year_or_a_resolution_before_the_response(staff_client, data, message):
    """Year 0206 was saved: the item stood on the home page as 超期 664735 天."""
    response = post_case(staff_client, text="油烟扰民", **data)
    content = response.content.decode()
    assert response.status_code == 200 and message in content and "油烟扰民" in content
    assert not HotlineCase.objects.exists()


def test_it_logs_a_case_from_the_dispatch(staff_client, community):
    response = post_case(staff_client)
    case = HotlineCase.objects.get()
    assert response.url == reverse("issues:hotline_detail", args=[case.pk])
    assert (case.issue.channel, case.issue.received_at) == ("hotline", case.dispatched_at)
    assert case.resolution_deadline == case.dispatched_at + timedelta(days=7)


def test_it_refuses_a_duplicate_case_number_and_keeps_the_text(staff_client):
    post_case(staff_client)
    response = post_case(staff_client, text="第二次录入")
    assert "已登记" in response.content.decode()
    assert "第二次录入" in response.content.decode()
    assert Issue.objects.count() == 1
    assert HotlineCase.objects.count() == 1


def test_it_refuses_a_deadline_before_the_dispatch(staff_client):
    response = post_case(staff_client, resolution_deadline="2026-11-28T08:00")
    assert "晚于派单时间" in response.content.decode()
    assert not HotlineCase.objects.exists()
    assert not Issue.objects.exists()


def test_it_links_a_repeat_from_the_same_caller(staff_client):
    post_case(staff_client)
    post_case(staff_client, case_no="20261130-0002")
    first, second = HotlineCase.objects.order_by("id")
    assert second.repeat_of == first


@pytest.mark.parametrize("typed", ["139 0000 1234", "139-0000-1234", "１３９００００１２３４"])
def test_it_links_a_repeat_from_the_same_caller_however_the_number_was_typed(staff_client, typed):
    """With spaces, dashes or in 全角 mode: the number stored as the resident form stores it, so
    the repeat is found (the form refused full-width digits, and 139 0000 1234 was no repeat)."""
    post_case(staff_client)
    post_case(staff_client, case_no="20261130-0002", caller_phone=typed)
    first, second = HotlineCase.objects.order_by("id")
    assert (second.caller_phone, second.repeat_of) == ("13900001234", first)


@pytest.mark.parametrize("typed", ["+86 139 0000 1234", "+86-139-0000-1234", "0086 13900001234", "8613900001234"])
def test_it_links_a_repeat_from_the_same_mobile_after_the_country_code(staff_client, typed):
    """+86 (0086, 86) before a mobile is the same caller: the number is stored as the mobile."""
    post_case(staff_client)
    post_case(staff_client, case_no="20261130-0002", caller_phone=typed)
    first, second = HotlineCase.objects.order_by("id")
    assert (second.caller_phone, second.repeat_of) == ("13900001234", first)


def test_it_keeps_a_landline_after_the_country_code_as_typed(staff_client):
    post_case(staff_client, caller_phone="+86 010-62345678")
    assert HotlineCase.objects.get().caller_phone == "+86010-62345678"


def test_it_explains_a_refused_step_and_changes_nothing(staff_client, make_case):
    case = make_case()
    response = staff_client.post(
        reverse("issues:hotline_step", args=[case.pk, "city_callback"]),
        {"contacted": "1", "solved": "solved", "satisfaction": "satisfied"},
    )
    assert response.status_code == 400
    assert "答复后才能登记" in response.content.decode()
    case.refresh_from_db()
    assert (case.city_satisfaction, case.issue.followups.count()) == ("", 1)


def test_it_gives_404_for_another_communitys_case(client, outsider, make_case):
    case = make_case()
    client.force_login(outsider)
    assert client.get(reverse("issues:hotline_detail", args=[case.pk])).status_code == 404
    response = client.post(reverse("issues:hotline_step", args=[case.pk, "return"]), {"reason": "x"})
    assert response.status_code == 404


def test_a_read_only_member_gets_404_for_a_step_of_another_communitys_case(client, make_case, other_community):
    case = make_case()
    client.force_login(MembershipFactory(community=other_community, role=Role.VIEWER).user)
    response = client.post(reverse("issues:hotline_step", args=[case.pk, "return"]), {"reason": "x"})
    assert response.status_code == 404


@pytest.mark.parametrize("rows", [5, 50])
def test_it_keeps_the_case_list_queries_bounded(staff_client, make_case, django_assert_max_num_queries, rows):
    first = make_case(dispatched=at(11, 1, 8))
    for n in range(1, rows):  # every other case a repeat: the row names the case it repeats
        make_case(dispatched=at(11, 1 + n % 28, 8), repeat_of=first if n % 2 else None)
    # Session, user, membership; the page's ids with the count (one query); its rows.
    with django_assert_max_num_queries(5):
        response = staff_client.get(reverse("issues:hotline_list"), {"month": "2026-11"})
    assert len(response.context["page_obj"]) == min(rows, 50)
    assert response.content.decode().count("2026113000001") == 1 + rows // 2
    # A page past the end (a bookmark): the count, the empty page and the last page asked again.
    with django_assert_max_num_queries(7):
        response = staff_client.get(reverse("issues:hotline_list"), {"month": "2026-11", "page": "9"})
    assert len(response.context["page_obj"]) == min(rows, 50)


def listed_row(client, case) -> str:
    """The <tr> of ``case`` on the 12345 list of November 2026."""
    page = client.get(reverse("issues:hotline_list"), {"month": "2026-11"}).content.decode()
    return re.search(rf"<tr>\s*<td[^>]*><a [^>]*>{case.case_no}</a>.*?</tr>", page, re.S)[0]


@time_machine.travel(datetime(2026, 12, 7, 8, 30, tzinfo=TZ), tick=False)
def test_a_row_of_the_case_list_links_to_its_case(staff_client, make_case):
    case = make_case()
    row = listed_row(staff_client, case)
    assert f'<a class="card-link" href="{reverse("issues:hotline_detail", args=[case.pk])}">' in row, row


@time_machine.travel(datetime(2026, 12, 7, 8, 30, tzinfo=TZ), tick=False)
def test_a_row_of_the_case_list_reads_in_the_readers_language(staff_client, make_case, staff):
    case = replied(make_case, staff)
    case.role = "assist"
    case.save(update_fields=["role"])
    case.record_city_callback(by=staff, now=at(12, 2), contacted=True, solved="solved", satisfaction="basic")
    row = listed_row(staff_client, case)
    assert "11月30日 08:00" in row and "投诉 · 协办" in row and "已解决 基本满意" in row, row
    staff_client.cookies["django_language"] = "en"
    row = listed_row(staff_client, case)
    assert "Nov. 30, 08:00" in row and "Complaint · Assisting" in row and "Solved Basically satisfied" in row, row


@time_machine.travel(datetime(2026, 12, 7, 8, 30, tzinfo=TZ), tick=False)
def test_a_row_of_the_case_list_cuts_the_masked_text_and_names_the_owner(staff_client, make_case, staff):
    text = "王阿姨电话138-0013-8000，3号楼楼上卫生间防水层老化，漏水到楼下厨房，物业说要业主自己修，请社区协调"
    row = listed_row(staff_client, make_case(text=text))
    shown = text.replace("0013", "****")[:47] + "..."  # 50 characters with the ellipsis (Chinese: ...)
    assert f'<td class="small card-line">{shown}</td>' in row, row
    assert f'<td class="small text-nowrap card-meta">{staff.get_full_name()}</td>' in row, row
    # A mobile across the cut: masked first, so its first seven digits never show (cut first, they did).
    row = listed_row(
        staff_client,
        make_case(text="3号楼楼上卫生间防水层老化，漏水到楼下厨房，物业说要业主自己修，请社区协调，电话13800138000"),
    )
    assert "电话138****" in row and "1380013" not in row, row


@time_machine.travel(datetime(2026, 12, 7, 8, 30, tzinfo=TZ), tick=False)
def test_a_row_of_the_case_list_cuts_the_text_with_the_readers_ellipsis(staff_client, make_case):
    text = (
        "3号楼楼上卫生间防水层老化，漏水到楼下厨房，物业说要业主自己修，请社区协调，"
        "已经反映过三次了，希望尽快安排人上门查看"
    )
    case = make_case(text=text)
    assert f'<td class="small card-line">{text[:47]}...</td>' in listed_row(staff_client, case)
    staff_client.cookies["django_language"] = "en"
    assert f'<td class="small card-line">{text[:49]}…</td>' in listed_row(staff_client, case)


@pytest.mark.parametrize("rows", [5, 50])
def test_it_keeps_the_rates_page_queries_bounded(staff_client, make_case, django_assert_max_num_queries, rows):
    for n in range(rows):
        make_case(dispatched=at(11, 1 + n % 28, 8))
    with django_assert_max_num_queries(10):
        assert staff_client.get(reverse("issues:hotline_rates"), {"month": "2026-11"}).status_code == 200


@time_machine.travel(datetime(2026, 12, 7, 9, tzinfo=TZ), tick=False)
def test_the_case_page_writes_its_times_as_the_list_does(staff_client, make_case, staff):
    """12月7日 01:38 on the list, 2026-12-07 01:38 on the case page, and 已联系 12-05 22:38
    broken as 12- / 05 on a phone: one way of writing a time, the list's, kept on one line."""
    case = make_case(dispatched=at(11, 3, 8))
    case.record_first_contact(by=staff, now=at(11, 3, 9, 30), at=at(11, 3, 9, 30), method="phone")
    body = staff_client.get(reverse("issues:hotline_detail", args=[case.pk])).content.decode()
    assert "11月3日 08:00" in body and '<span class="text-nowrap">11月3日 09:30</span>' in body
    assert not re.search(r"2026-11-0\d \d\d:\d\d|11-03 09:30", body)


def test_a_step_done_after_its_deadline_says_so_instead_of_a_tick(staff_client, make_case, staff):
    """A first contact 21 hours after the response deadline showed a green 响应 ✔ on the list and
    the case page, while the 三率 marked it ✘ and the report listed it under 超时工单."""
    late, in_time = make_case(dispatched=at(11, 3, 8)), make_case(dispatched=at(11, 4, 8))
    contacted = late.response_deadline + timedelta(hours=21)
    late.record_first_contact(by=staff, now=contacted, at=contacted, method="phone")
    in_time.record_first_contact(by=staff, now=in_time.dispatched_at, at=in_time.dispatched_at, method="phone")
    badges = re.compile(r'<span class="badge[^"]*">响应 [^<]*</span>')
    listed = staff_client.get(reverse("issues:hotline_list"), {"month": "2026-11"}).content.decode()
    rows = {case.case_no: badges.findall(listed.split(case.case_no, 1)[1])[0] for case in (late, in_time)}
    assert "超时完成" in rows[late.case_no] and "text-bg-danger" in rows[late.case_no], rows
    assert rows[in_time.case_no].endswith("响应 ✔</span>"), rows
    detail = staff_client.get(reverse("issues:hotline_detail", args=[late.pk])).content.decode()
    assert badges.findall(detail) == ['<span class="badge text-bg-danger hotline-clock">响应 超时完成</span>']


def test_a_rate_of_nought_shows_as_nought_not_as_no_cases(staff_client, make_case, staff):
    """One late case: 响应率 0.0, not "—" as for a month without cases (Decimal 0 is falsy, and
    ``default`` took it for nothing)."""
    case = make_case(dispatched=at(11, 3, 8))
    late = case.response_deadline + timedelta(hours=2)
    case.record_first_contact(by=staff, now=late, at=late, method="phone")
    response = staff_client.get(reverse("issues:hotline_rates"), {"month": "2026-11"})
    assert response.context["overall"].response.value == 0
    cells = re.findall(r"<tr><td>([^<]*)</td><td>([^<]*)</td>", response.content.decode())
    assert [response for _name, response in cells] == ["0.0"], cells


def test_it_exports_the_month_with_masked_phones(staff_client, make_case):
    make_case(caller_phone="13900001234")
    response = staff_client.get(reverse("issues:hotline_export"), {"month": "2026-11"})
    row = [c.value for c in load_workbook(BytesIO(response.content)).active[2]]
    assert "139****1234" in row
    assert "13900001234" not in row


def test_it_gives_the_demo_month_the_rates_computed_by_hand(db, settings):
    """Demo October: 6 cases. Response 5/6 (one first contact after 30 h) = 83.3 %;
    resolution (3 solved + 0.5 × 2 partly) / 6 = 66.7 %; satisfaction (3 + 0.8 × 2 basic) / 6
    = 76.7 %; score 0.30 × 83.3 + 0.35 × 66.7 + 0.35 × 76.7 = 75.2."""
    from io import StringIO

    import time_machine
    from django.core.management import call_command

    from residents.models.community import Community

    settings.DEBUG = True
    with time_machine.travel(datetime(2026, 11, 29, 10, 0, tzinfo=TZ), tick=False):
        call_command("seed_demo", stdout=StringIO())
    community = Community.objects.get(name="福海佳园")
    month = date(2026, 10, 1)
    now = datetime(2026, 11, 29, 10, 0, tzinfo=TZ)
    result = rates(HotlineCase.objects.in_community(community).dispatched_in(month), HotlineSettings(), month, now)
    assert (result.response.value, result.resolution.value, result.satisfaction.value, result.score) == (
        Decimal("83.3"),
        Decimal("66.7"),
        Decimal("76.7"),
        Decimal("75.2"),
    )


def test_it_shows_the_time_left_on_the_clock(staff_client, make_case):
    from django.utils import timezone

    case = make_case(dispatched=timezone.now() - timedelta(hours=4))  # 20 h left to respond
    body = staff_client.get(reverse("issues:hotline_list"), {"month": timezone.localdate().strftime("%Y-%m")})
    badge = re.search(r'<span class="badge[^"]*clock"[^>]*>[^<]*</span>', body.content.decode())[0]
    assert re.search(r"19\D{1,8}59", badge), badge  # 19 h 59 min: a clock of minutes
    assert case.case_no in body.content.decode()


def test_the_clocks_read_as_an_office_writes_them(make_case):
    """The 12345 list wrote 剩余 3 小时，55 分钟 and 已超时 21 小时，4 分钟 (Django's timeuntil and
    timesince); an office writes 剩余3小时55分钟: no comma between the units."""
    from issues.templatetags.hotline_tags import hotline_clocks

    case = make_case(dispatched=at(11, 30, 8))  # respond by 8:00 tomorrow, resolve in 7 days
    with translation.override("en"):
        running = hotline_clocks(case, at(11, 30, 12, 5))
        late = hotline_clocks(case, at(12, 1, 8) + timedelta(hours=21, minutes=4))
    assert "Response 19\xa0h\xa055\xa0min left" in running, running
    assert "Response 21\xa0h\xa04\xa0min late" in late, late
    with translation.override("zh-hans"):
        chinese = hotline_clocks(case, at(11, 30, 12, 5))
        chinese_late = hotline_clocks(case, at(12, 1, 8) + timedelta(hours=21, minutes=4))
    assert "响应 剩余19小时55分钟" in chinese and "，" not in chinese, chinese
    assert "响应 已超时21小时4分钟" in chinese_late, chinese_late


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (-30, "0\xa0min"),
        (0, "0\xa0min"),
        (59.9, "0\xa0min"),
        (61 * 60, "1\xa0h\xa01\xa0min"),
        (120 * 60, "2\xa0h"),
        ((23 * 60 + 59) * 60, "23\xa0h\xa059\xa0min"),
        ((24 * 60 + 5) * 60, "1\xa0d"),
        (25 * 3600, "1\xa0d\xa01\xa0h"),
        (timedelta(days=9, hours=3, minutes=7).total_seconds(), "9\xa0d\xa03\xa0h"),
    ],
)
def test_a_clocks_span_is_its_two_largest_units(seconds, text):
    from issues.hotline.clock_text import span

    with translation.override("en"):
        assert span(seconds, "en") == text


def test_the_board_writes_a_clock_as_the_12345_list_does(make_case, community):
    """The board wrote 剩3小时 and the list 剩余 3 小时，55 分钟: one formatter for both."""
    from fuhai.board.compose import board_context

    case = make_case(dispatched=at(11, 30, 8))
    with translation.override("en"):
        board = board_context(community, now=at(11, 30, 12, 5))
    assert [c.board_left for c in board["hotline"] if c.pk == case.pk] == ["19\xa0h\xa055\xa0min left"]


def test_the_clocks_speak_the_language_of_each_request_not_the_first(make_case):
    """The clock's words are translated once per language (clock_text.clock_words): a page in
    English after one in Chinese is still in English."""
    from issues.templatetags.hotline_tags import hotline_clocks

    case = make_case(dispatched=at(11, 30, 8))
    now = at(11, 30, 12)
    with translation.override("zh-hans"):
        chinese = hotline_clocks(case, now)
    with translation.override("en"):
        english = hotline_clocks(case, now)
    assert "响应 " in chinese and "Response" not in chinese, chinese
    assert "Response 20\xa0h left" in english and "Resolution 6\xa0d\xa020\xa0h left" in english, english


def test_a_clock_badge_escapes_its_label():
    from issues.templatetags.hotline_tags import clock_badge

    now = at(11, 30, 12)
    clock = {"deadline": now + timedelta(hours=2), "level": "success", "late": False}
    with translation.override("en"):
        running = clock_badge(clock, '<b title="x">&</b>', now)
        done = clock_badge(None, "<i>", now, late=True)
    assert "&lt;b title=&quot;x&quot;&gt;&amp;&lt;/b&gt; 2\xa0h left" in running, running
    assert "<i>" not in done and "&lt;i&gt; done late" in done, done


def test_it_masks_numbers_typed_into_the_reply_review_and_extension_on_the_case_page(staff_client, make_case):
    """A tester's reply 已协调物业清理，联系电话13812345678 showed in full on the case page (the
    print page and the case's text were masked)."""
    case = make_case(
        result="solved",
        reply_text="已协调物业清理，联系电话13812345678",
        review_note="请回访13912345678",
        extension_reason="等13712345678答复",
    )
    content = staff_client.get(reverse("issues:hotline_detail", args=[case.pk])).content.decode()
    assert "13812345678" not in content and "138****5678" in content
    assert "13912345678" not in content and "13712345678" not in content


def step_input(name: str) -> dict:
    """A valid form for each declared step of a case dispatched on 30 November at 8:00."""
    return {
        "first_contact": {"at": "2026-11-30T09:00", "method": "phone"},
        "site_visit": {"at": "2026-11-30T09:30", "note": "餐馆油烟管道未装净化器"},
        "reply": {"result": "solved", "reply_text": "已协调餐馆加装净化器"},
        "review": {"note": "同意办结"},
        "city_callback": {"contacted": "1", "solved": "solved", "satisfaction": "satisfied"},
        "return": {"reason": "属于区城管执法职责"},
        "extend": {"new_deadline": "2026-12-14T18:00", "reason": "需协调产权单位"},
        "redo": {"new_deadline": "2026-12-14T18:00", "reason": "市民不满意"},
    }[name]


@pytest.mark.parametrize("name", HOTLINE_STEPS)
def test_it_carries_out_every_declared_step_at_its_url(staff_client, staff, make_case, name):
    case = make_case()
    if name in ("reply", "city_callback"):
        case.record_first_contact(by=staff, now=at(11, 30, 9), at=at(11, 30, 9), method="phone")
    if name == "city_callback":
        case.record_reply(by=staff, now=at(11, 30, 10), result="solved", reply_text="已协调")
    entries = case.issue.followups.count()
    with time_machine.travel(at(11, 30, 11), tick=False):
        response = staff_client.post(reverse("issues:hotline_step", args=[case.pk, name]), step_input(name))
    assert (response.status_code, response.url) == (302, reverse("issues:hotline_detail", args=[case.pk]))
    assert case.issue.followups.count() == entries + 1
    [message] = get_messages(response.wsgi_request)
    assert message.level_tag == "success"


@pytest.mark.parametrize("name", HOTLINE_STEPS)
def test_it_opens_the_steps_own_panel_when_its_form_is_empty(staff_client, make_case, name):
    case = make_case()
    response = staff_client.post(reverse("issues:hotline_step", args=[case.pk, name]), {})
    assert (response.status_code, response.context["open_panel"]) == (400, name)
    form = response.context["forms"][name]
    assert (type(form), form.is_bound, bool(form.errors)) == (HOTLINE_STEPS[name].form_class, True, True)
    assert case.issue.followups.count() == 1


@pytest.mark.parametrize("name", HOTLINE_STEPS)
def test_it_gives_404_for_every_step_of_another_communitys_case(client, outsider, make_case, name):
    case = make_case()
    client.force_login(outsider)
    assert client.post(reverse("issues:hotline_step", args=[case.pk, name]), {}).status_code == 404
    assert case.issue.followups.count() == 1


def test_it_gives_404_for_a_step_that_is_not_declared(staff_client, make_case):
    case = make_case()
    assert staff_client.post(reverse("issues:hotline_step", args=[case.pk, "approve"]), {}).status_code == 404


# --- open cases of earlier months; the city's callback closes the office's own ---------------


@time_machine.travel(datetime(2026, 12, 7, 8, 30, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False)
def test_it_lists_a_case_still_open_from_an_earlier_month(staff_client, make_case):
    november = make_case(dispatched=at(11, 29, 8))
    response = staff_client.get(reverse("issues:hotline_list"), {"month": "2026-12"})
    assert list(response.context["page_obj"]) == [november]
    assert "earlier-open" in response.content.decode()


@time_machine.travel(datetime(2026, 12, 7, 8, 30, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False)
def test_only_open_stays_on_across_months_and_turns_off(staff_client, make_case):
    """只看未办结 looked the same on and off, could not be turned off, and ← → dropped it (a
    tester's finding); the arrows had no words for a screen reader."""
    make_case(dispatched=at(12, 2, 8))
    page = staff_client.get(reverse("issues:hotline_list"), {"month": "2026-12"}).content.decode()
    assert 'class="btn btn-sm btn-outline-secondary" id="hotline-open-only" href="?month=2026-12&amp;open=1">' in page
    assert 'href="?month=2026-11" title="上个月" aria-label="上个月">←</a>' in page
    page = staff_client.get(reverse("issues:hotline_list"), {"month": "2026-12", "open": "1"}).content.decode()
    assert 'class="btn btn-sm btn-secondary" id="hotline-open-only" href="?month=2026-12">✓ 只看未办结</a>' in page
    assert 'href="?month=2026-11&amp;open=1" title="上个月"' in page
    page = staff_client.get(reverse("issues:hotline_list"), {"month": "2026-11", "open": "1"}).content.decode()
    assert 'href="?month=2026-12&amp;open=1" title="下个月"' in page


@time_machine.travel(datetime(2026, 12, 7, 8, 30, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False)
def test_it_leaves_a_closed_case_of_an_earlier_month_in_its_own_month(staff_client, make_case, staff):
    november = make_case(dispatched=at(11, 29, 8))
    november.issue.close_not_ours(by=staff, now=at(11, 29, 10), note="非本社区")
    response = staff_client.get(reverse("issues:hotline_list"), {"month": "2026-12"})
    assert list(response.context["page_obj"]) == []


def replied(make_case, staff):
    case = make_case()
    case.record_first_contact(by=staff, now=case.dispatched_at, at=case.dispatched_at, method="phone")
    case.record_reply(by=staff, now=case.dispatched_at + timedelta(days=1), result="solved", reply_text="已协调")
    return case


@pytest.mark.parametrize("satisfaction", ["satisfied", "basic"])
def test_it_closes_the_resolved_item_when_the_city_reports_satisfied(make_case, staff, satisfaction):
    case = replied(make_case, staff)
    case.record_city_callback(
        by=staff, now=case.dispatched_at + timedelta(days=2), contacted=True, solved="solved", satisfaction=satisfaction
    )
    issue = Issue.objects.get(pk=case.issue_id)
    assert (issue.status, issue.satisfaction) == (IssueStatus.CLOSED, satisfaction)


def test_it_leaves_the_office_callback_open_when_the_city_reports_unsatisfied(make_case, staff):
    case = replied(make_case, staff)
    case.record_city_callback(
        by=staff, now=case.dispatched_at + timedelta(days=2), contacted=True, solved="", satisfaction="unsatisfied"
    )
    assert Issue.objects.get(pk=case.issue_id).status == IssueStatus.RESOLVED


def test_it_marks_the_steps_already_recorded_on_the_case_page(staff_client, make_case, staff):
    case = replied(make_case, staff)
    body = staff_client.get(reverse("issues:hotline_detail", args=[case.pk])).content.decode()
    assert body.count("step-done") == 2
    assert case.finished_steps() == {"first_contact", "reply"}


def test_it_marks_no_step_of_a_new_case(staff_client, make_case):
    case = make_case()
    body = staff_client.get(reverse("issues:hotline_detail", args=[case.pk])).content.decode()
    assert "step-done" not in body


def test_it_sends_only_the_most_advanced_alert_when_one_sweep_finds_two(make_case):
    case = make_case(urgency="urgent")  # respond within 2 hours: 50 % at 60 min, 80 % at 96 min
    hotline_reminders.sweep_hotline(now=case.dispatched_at + timedelta(minutes=100))
    kinds = list(Reminder.objects.filter(object_id=case.pk).values_list("kind", flat=True))
    assert kinds == ["hotline_response_80"]


def test_it_still_sends_the_later_alert_in_a_later_sweep(make_case):
    case = make_case(urgency="urgent")
    hotline_reminders.sweep_hotline(now=case.dispatched_at + timedelta(minutes=100))
    hotline_reminders.sweep_hotline(now=case.dispatched_at + timedelta(hours=12, minutes=1))
    kinds = sorted(Reminder.objects.filter(object_id=case.pk).values_list("kind", flat=True))
    assert kinds == ["hotline_resolution_50", "hotline_response_80"]


def test_a_sweep_after_the_deadline_says_the_time_is_up_not_four_fifths(make_case, secretary):
    """A worker down overnight: the first sweep after the 2-hour response deadline sent
    "响应时限已用八成" about a case already 21 hours late."""
    case = make_case(urgency="urgent")
    hotline_reminders.sweep_hotline(now=case.dispatched_at + timedelta(hours=3))
    reminder = Reminder.objects.get(object_id=case.pk)
    assert reminder.kind == "hotline_response_over"
    with translation.override("zh-hans"):
        assert str(ReminderKind(reminder.kind).label) == "12345：响应已超时"
    assert secretary in [n.recipient for n in reminder.notifications.all()]
    # The kind's label says 12345 already, and an item without a place leaves no gap before the colon.
    assert reminder.title == f"{case.case_no}：{ReminderKind(reminder.kind).label}"


def test_the_time_is_up_alerts_follow_the_80_percent_ones(make_case):
    case = make_case(urgency="urgent")  # respond within 2 hours
    for minutes in (61, 97, 121):
        hotline_reminders.sweep_hotline(now=case.dispatched_at + timedelta(minutes=minutes))
    kinds = sorted(Reminder.objects.filter(object_id=case.pk).values_list("kind", flat=True))
    assert kinds == ["hotline_response_50", "hotline_response_80", "hotline_response_over"]


def test_a_reminder_masks_the_text_before_cutting_it(make_case):
    """Cut first, a number straddling the 80th character went out half bare (电话13800138)."""
    case = make_case(urgency="urgent")
    Issue.objects.filter(pk=case.issue_id).update(text="楼" * 70 + "电话13800138000，身份证110101199001011234")
    hotline_reminders.sweep_hotline(now=case.dispatched_at + timedelta(minutes=61))
    body = Reminder.objects.get(object_id=case.pk).body
    assert body.endswith("楼" * 70 + "电话138****8")  # 80 characters of the masked text
    assert "13800138" not in body


@pytest.mark.parametrize("name", ["issues:hotline_list", "issues:hotline_rates", "issues:hotline_export"])
@pytest.mark.parametrize("month", ["9999-12", "0-1", "2026-13", "abc"])
def test_a_month_that_is_not_one_is_answered_with_how_to_write_it(staff_client, name, month):
    """9999-12 was a 500 and 2026-13 a bare 404 (found in review and by a tester)."""
    response = staff_client.get(reverse(name), {"month": month})
    assert response.status_code == 400
    assert f"“{month}”不是月份，请写成 2026-11 这样的格式。" in response.content.decode()


def test_a_12345_item_is_done_by_the_cases_reply_not_from_the_item_page(staff_client, make_case, staff):
    """办结 on the item page (or 当场解决) closed a 12345 item before its 答复: the case left the
    open 12345 lists and the home box with the city's clock still running."""
    case = make_case(dispatched=timezone.now() - timedelta(hours=1))
    page = staff_client.get(reverse("issues:issue_detail", args=[case.issue_id])).content.decode()
    to_case = reverse("issues:hotline_detail", args=[case.pk])
    assert f'<a href="{to_case}" id="hotline-case-link">{case.case_no}</a>' in page
    assert f'href="{to_case}?step=first_contact">在工单页答复</a>' in page
    assert reverse("issues:issue_resolve", args=[case.issue_id]) not in page
    response = staff_client.post(
        reverse("issues:issue_resolve", args=[case.issue_id]), {"result": "fixed", "note": "已协调餐馆安装净化器"}
    )
    refused = response.content.decode()
    assert response.status_code == 400
    assert f"12345工单 {case.case_no}" in refused and "已协调餐馆安装净化器" in refused
    response = staff_client.post(
        reverse("issues:issue_settle", args=[case.issue_id]), {"handling_method": "on_the_spot", "note": "已处理"}
    )
    assert response.status_code == 400
    assert Issue.objects.get(pk=case.issue_id).status == IssueStatus.PENDING
    # The case page opens the step the link asks for; the reply then closes the item.
    opened = staff_client.get(to_case, {"step": "first_contact"}).content.decode()
    assert 'id="step-first_contact" class="accordion-collapse collapse show"' in opened
    case.record_first_contact(by=staff, now=timezone.now(), at=timezone.now(), method="phone")
    case.record_reply(by=staff, now=timezone.now(), result="solved", reply_text="已协调餐馆安装净化器")
    assert Issue.objects.get(pk=case.issue_id).status == IssueStatus.RESOLVED


def test_a_patrols_solved_on_a_12345_item_is_noted_for_the_reply(make_case, community, staff):
    """巡查 已解决 resolved a 12345 item before its 答复 (it dropped from 只看未办结 and the home box)."""
    from issues.patrol.models import Outcome
    from issues.patrol.services import record_check
    from tests.factories import PatrolFactory

    case = make_case(dispatched=timezone.now() - timedelta(hours=1))
    now = timezone.now()
    patrol = PatrolFactory(community=community, staff=staff, started_at=now)
    record_check(patrol, issue=case.issue, outcome=Outcome.SOLVED, by=staff, now=now, client_id=uuid.uuid4())
    issue = Issue.objects.get(pk=case.issue_id)
    assert issue.status == IssueStatus.PENDING
    assert issue.followups.last().note == f"巡查确认：已解决 （12345工单 {case.case_no}：请在工单页答复）"


def test_a_12345_item_cannot_be_due_after_the_citys_deadline(staff_client, make_case):
    """设置处理方式 took a due date after the case's 办结时限: the item's own reminders then came
    after the city's deadline."""
    case = make_case(dispatched=timezone.now() - timedelta(hours=1))
    later = timezone.localtime(case.resolution_deadline).date() + timedelta(days=3)
    response = staff_client.post(
        reverse("issues:issue_settle", args=[case.issue_id]),
        {"handling_method": "coordinate", "due_date": later.isoformat(), "note": "转物业"},
    )
    assert response.status_code == 400
    deadline = timezone.localtime(case.resolution_deadline).strftime("%Y-%m-%d %H:%M")
    assert f"须在 {deadline} 前办结" in response.content.decode()
    assert Issue.objects.get(pk=case.issue_id).status == IssueStatus.PENDING
    sooner = timezone.localtime(case.resolution_deadline).date() - timedelta(days=1)
    staff_client.post(
        reverse("issues:issue_settle", args=[case.issue_id]),
        {"handling_method": "coordinate", "due_date": sooner.isoformat(), "note": "转物业"},
    )
    assert Issue.objects.get(pk=case.issue_id).status == IssueStatus.IN_PROGRESS


def test_the_rates_table_marks_a_case_with_time_left_as_not_due_yet(staff_client, make_case):
    waiting = make_case(dispatched=timezone.now() - timedelta(hours=1))
    month = timezone.localtime(waiting.dispatched_at).strftime("%Y-%m")
    page = staff_client.get(reverse("issues:hotline_rates"), {"month": month}).content.decode()
    row = page.split(waiting.case_no, 1)[1].split("</tr>", 1)[0]
    assert "未到时限" in row and "✘" not in row


# --- found by a tester at month-end (2026-12) -------------------------------------------------


def test_the_workbook_says_not_due_yet_where_the_rates_page_does(staff_client, make_case, staff):
    """A case with 3 hours left to respond and no contact yet was 按时响应 = 否 in the workbook
    while the rates page showed 未到时限 and left it out of the 响应率: counting the 否 gave a
    lower rate than the page."""
    in_time, late, missed, waiting = (make_case(dispatched=at(12, day, 18)) for day in (1, 2, 3, 5))
    in_time.record_first_contact(by=staff, now=at(12, 1, 19), at=at(12, 1, 19), method="phone")
    contacted = late.response_deadline + timedelta(hours=2)
    late.record_first_contact(by=staff, now=contacted, at=contacted, method="phone")
    with time_machine.travel(at(12, 6, 15), tick=False):
        assert waiting.response_deadline > timezone.now() > missed.response_deadline
        workbook = staff_client.get(reverse("issues:hotline_export"), {"month": "2026-12"})
        page = staff_client.get(reverse("issues:hotline_rates"), {"month": "2026-12"})
    sheet = load_workbook(BytesIO(workbook.content)).active
    headers = [cell.value for cell in sheet[1]]
    answers = {row[0]: row[headers.index("按时响应")] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert answers == {in_time.case_no: "是", late.case_no: "否", missed.case_no: "否", waiting.case_no: "未到时限"}
    table = page.content.decode()
    cells = {case.case_no: table.split(case.case_no, 1)[1].split("</tr>", 1)[0] for case in (late, waiting)}
    assert "✘" in cells[late.case_no] and "未到时限" in cells[waiting.case_no]
    response = page.context["overall"].response
    assert (response.numerator, response.denominator) == (1, 3)  # 是 ÷ (是 + 否) in the workbook


def test_the_workbook_marks_returned_cases_which_the_rates_leave_out(staff_client, make_case):
    returned, kept = (
        make_case(dispatched=at(12, 1, 18), returned_reason="非本社区"),
        make_case(dispatched=at(12, 2, 18)),
    )
    with time_machine.travel(at(12, 6, 15), tick=False):
        workbook = staff_client.get(reverse("issues:hotline_export"), {"month": "2026-12"})
    sheet = load_workbook(BytesIO(workbook.content)).active
    headers = [cell.value for cell in sheet[1]]
    marks = {row[0]: row[headers.index("退单")] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert marks == {returned.case_no: "是", kept.case_no: None}


def test_the_workbook_leaves_the_resolution_columns_empty_until_answered(staff_client, make_case):
    """Only 按时响应 has a verdict: 办理结果 and the city's answers stay empty, as on the rates
    page, until they are given (an empty answer is not 未解决)."""
    make_case(dispatched=at(12, 5, 18))
    with time_machine.travel(at(12, 6, 15), tick=False):
        workbook = staff_client.get(reverse("issues:hotline_export"), {"month": "2026-12"})
    sheet = load_workbook(BytesIO(workbook.content)).active
    row = dict(zip([cell.value for cell in sheet[1]], [cell.value for cell in sheet[2]], strict=True))
    assert [row[name] for name in ("办理结果", "市级回访：解决情况", "市级回访：满意度")] == [None, None, None]


def test_the_workbook_says_not_due_yet_in_english_too(staff_client, make_case):
    make_case(dispatched=at(12, 5, 18))
    staff_client.cookies["django_language"] = "en"
    with time_machine.travel(at(12, 6, 15), tick=False):
        workbook = staff_client.get(reverse("issues:hotline_export"), {"month": "2026-12"})
    sheet = load_workbook(BytesIO(workbook.content)).active
    row = dict(zip([cell.value for cell in sheet[1]], [cell.value for cell in sheet[2]], strict=True))
    assert row["Responded in time"] == "not due yet"


@pytest.mark.parametrize("name", ["issues:hotline_list", "issues:hotline_rates", "issues:hotline_export"])
def test_the_first_month_there_is_is_answered_as_a_bad_month_not_a_500(staff_client, name):
    """/issues/hotline/?month=0001-01 was a 500: its ← link is a month before year 1."""
    response = staff_client.get(reverse(name), {"month": "0001-01"})
    assert response.status_code == 400
    assert "“0001-01”不是月份，请写成 2026-11 这样的格式。" in response.content.decode()


@time_machine.travel(datetime(2026, 12, 7, 8, 30, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False)
def test_the_rates_pages_month_buttons_are_named(staff_client):
    page = staff_client.get(reverse("issues:hotline_rates"), {"month": "2026-11"}).content.decode()
    assert re.search(r'<a [^>]*href="\?month=2026-10"[^>]*aria-label="上个月"[^>]*>←</a>', page), page
    assert re.search(r'<a [^>]*href="\?month=2026-12"[^>]*aria-label="下个月"[^>]*>→</a>', page), page
    assert 'title="上个月"' in page and 'title="下个月"' in page


@time_machine.travel(datetime(2026, 12, 7, 8, 30, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False)
@pytest.mark.parametrize("name", ["issues:hotline_list", "issues:hotline_rates"])
def test_there_is_no_next_month_after_this_one(staff_client, name):
    """→ from this month opened 2027年1月: this month's open cases again as 往月未办结, with 三率
    and an export for a month not begun (a tester's finding)."""
    page = staff_client.get(reverse(name), {"month": "2026-12"}).content.decode()
    assert "?month=2027-01" not in page
    assert re.search(r'<span [^>]*disabled[^>]*aria-disabled="true"[^>]*aria-label="下个月"[^>]*>→</span>', page), page
    assert "?month=2026-11" in page


def test_an_empty_month_is_named_not_called_this_month(staff_client):
    """「本月没有12345工单。」 under 12345工单 · 2020年1月 (a tester's finding): 本月 is this month."""
    page = staff_client.get(reverse("issues:hotline_list"), {"month": "2020-01"}).content.decode()
    assert "2020年1月没有12345工单。" in page and "本月" not in page.split('id="hotline-table"')[1]
    page = staff_client.get(reverse("issues:hotline_list"), {"month": "2020-01", "open": "1"}).content.decode()
    assert "2020年1月没有未办结的12345工单。" in page


def test_the_new_case_form_starts_on_the_case_number(staff_client):
    page = staff_client.get(reverse("issues:hotline_create")).content.decode()
    field = re.search(r'<input [^>]*name="case_no"[^>]*>', page).group(0)
    assert "autofocus" in field
    assert page.count("autofocus") == 1


def test_the_city_callback_asks_how_far_it_is_solved_and_a_contact_is_by_phone(staff_client, make_case):
    """The 解决情况 select was labelled 已解决 (a yes/no) and the first contact's 电话 read 联系电话."""
    case = make_case()
    page = staff_client.get(reverse("issues:hotline_detail", args=[case.pk])).content.decode()
    assert re.search(r'<label\s[^>]*for="cc_solved"[^>]*>\s*解决情况', page), page
    assert re.search(r'<option value="phone"[^>]*>电话</option>', page), page
    staff_client.cookies["django_language"] = "en"
    english = staff_client.get(reverse("issues:hotline_detail", args=[case.pk])).content.decode()
    assert re.search(r'<label\s[^>]*for="cc_solved"[^>]*>\s*Resolution', english), english
    assert re.search(r'<label\s[^>]*for="fc_method"[^>]*>\s*How', english), english


def test_the_first_contact_by_phone_reads_as_such_on_the_timeline(make_case, staff):
    case = make_case()
    with translation.override("zh-hans"):
        note = case.record_first_contact(by=staff, now=at(11, 30, 9), at=at(11, 30, 9), method="phone")
    assert "（电话）" in note.note and "联系电话" not in note.note
