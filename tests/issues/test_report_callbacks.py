"""The report's 回访 figures: a callback counts in the month it was made, whatever it answered.
A 不满意 answer sends the item back to 办理中 without closing it, and was never counted (回访满意率
could only be 100 %). Nor does it take the item out of the 已解决 of the month it was solved."""

from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from issues import services
from issues.models.choices import CallbackMethod, IssueResult, IssueStatus, Satisfaction
from issues.selectors import report_figures
from tests.factories import IssueFactory

TZ = ZoneInfo("Asia/Shanghai")
URL = reverse("reports:report")


def at(month, day, hour=9):
    return datetime(2026, month, day, hour, tzinfo=TZ)


def solve(issue, by, day):
    issue.resolve(by=by, now=day, result=IssueResult.FIXED, note="修好了")


def call_back(issue, by, day, answer):
    issue.callback(by=by, now=day, satisfaction=answer, method=CallbackMethod.PHONE, note="回访")


@pytest.fixture
def callbacks(community, secretary):
    """Three items called back in November (one 不满意), one called back 不满意 in October and
    again 满意 in November."""
    items = {
        name: IssueFactory(community=community, received_at=at(month, 1), status=IssueStatus.IN_PROGRESS)
        for name, month in (("unhappy", 11), ("happy", 11), ("twice", 10))
    }
    solve(items["unhappy"], secretary, at(11, 3))
    call_back(items["unhappy"], secretary, at(11, 5), Satisfaction.UNSATISFIED)
    solve(items["happy"], secretary, at(11, 3))
    call_back(items["happy"], secretary, at(11, 6), Satisfaction.SATISFIED)
    solve(items["twice"], secretary, at(10, 20))
    call_back(items["twice"], secretary, at(10, 25), Satisfaction.UNSATISFIED)
    solve(items["twice"], secretary, at(11, 10))
    call_back(items["twice"], secretary, at(11, 12), Satisfaction.BASIC)
    return items


def figures(community, month, following):
    start, end = at(month, 1, 0), at(following, 1, 0)
    whole = report_figures.report_issue_figures(community, start=start, end=end)
    assert whole == report_figures.report_issue_figures_from_items(community, start=start, end=end)
    return whole


@time_machine.travel(at(12, 2), tick=False)
def test_an_unsatisfied_callback_counts_in_its_month(community, callbacks):
    items = callbacks
    assert items["unhappy"].status == IssueStatus.IN_PROGRESS
    november = figures(community, 11, 12)
    assert (november["callbacks"], november["satisfied"], november["basic"], november["unsatisfied"]) == (3, 1, 1, 1)
    # October's 不满意 stays October's after the item's later 基本满意 answer
    october = figures(community, 10, 11)
    assert (october["callbacks"], october["satisfied"], october["basic"], october["unsatisfied"]) == (1, 0, 0, 1)


@time_machine.travel(at(12, 2), tick=False)
def test_the_page_and_the_rows_show_the_unsatisfied_callback(secretary_client, callbacks):
    issues = secretary_client.get(URL, {"month": "2026-11"}).context["issues"]
    assert (issues["unsatisfied"], issues["satisfied_rate"]) == (1, Decimal("66.7"))
    url = reverse("reports:report_issue_rows", args=["unsatisfied"])
    rows = list(secretary_client.get(url, {"month": "2026-11"}).context["rows"])
    assert rows == [callbacks["unhappy"]]
    url = reverse("reports:report_issue_rows", args=["callbacks"])
    rows = list(secretary_client.get(url, {"month": "2026-11"}).context["rows"])
    assert set(rows) == {callbacks["unhappy"], callbacks["happy"], callbacks["twice"]}


@time_machine.travel(at(11, 20), tick=False)
def test_the_month_so_far_counts_it_too(community, callbacks):
    """The month so far is counted from the items, not the roll-up."""
    so_far = report_figures.report_issue_figures(community, start=at(11, 1, 0), end=at(11, 20))
    assert (so_far["callbacks"], so_far["unsatisfied"]) == (3, 1)


@time_machine.travel(at(12, 5), tick=False)
def test_an_item_sent_back_stays_solved_in_the_month_it_was_solved(community, secretary, secretary_client):
    """Solved in November and called back 不满意 in November or in December (back to 办理中, its
    solved time cleared): still one of November's 已解决, on time, its days to solve kept, in
    the trend and the rows; solved again in December, it is not counted a second time. It
    left November's 已解决 (3 became 1), though the office did solve it then."""
    items = {
        name: IssueFactory(
            community=community, received_at=at(11, 1), due_at=at(11, 10), status=IssueStatus.IN_PROGRESS
        )
        for name in ("same_month", "next_month", "kept")
    }
    for item in items.values():
        solve(item, secretary, at(11, 3))
    call_back(items["same_month"], secretary, at(11, 5), Satisfaction.UNSATISFIED)
    call_back(items["next_month"], secretary, at(12, 2), Satisfaction.UNSATISFIED)
    solve(items["same_month"], secretary, at(12, 4))
    assert items["next_month"].status == IssueStatus.IN_PROGRESS and items["next_month"].resolved_at is None

    november = figures(community, 11, 12)
    assert (november["solved"], november["solved_on_time"], november["average_days"]) == (3, 3, 2.0)
    assert november["unsatisfied"] == 1
    december = report_figures.report_issue_figures(community, start=at(12, 1, 0), end=at(12, 5))
    assert (december["solved"], december["unsatisfied"], december["open_at_end"]) == (0, 1, 1)
    trend = report_figures.issue_month_trend(
        community, months=[(at(11, 1, 0), at(12, 1, 0)), (at(12, 1, 0), at(12, 5))]
    )
    assert trend == [{"received": 3, "solved": 3}, {"received": 0, "solved": 0}]
    url = reverse("reports:report_issue_rows", args=["solved"])
    response = secretary_client.get(url, {"month": "2026-11"})
    assert response.status_code == 200, response
    assert set(response.context["rows"]) == set(items.values())


@time_machine.travel(at(12, 2), tick=False)
def test_a_solving_taken_back_is_not_counted(community, secretary):
    """撤销 of 已办结 takes the solving back: it was a mistake, not a solving of the month. An item
    solved before keeps that first solving."""
    once = IssueFactory(community=community, received_at=at(11, 1), status=IssueStatus.IN_PROGRESS)
    solve(once, secretary, at(11, 3))
    services.undo_close(once, by=secretary, now=at(11, 3) + timedelta(seconds=5), note="撤销")
    before = IssueFactory(community=community, received_at=at(10, 1), status=IssueStatus.IN_PROGRESS)
    solve(before, secretary, at(10, 20))
    call_back(before, secretary, at(10, 25), Satisfaction.UNSATISFIED)
    solve(before, secretary, at(11, 4))
    services.undo_close(before, by=secretary, now=at(11, 4) + timedelta(seconds=5), note="撤销")
    once.refresh_from_db()
    before.refresh_from_db()
    assert (once.first_resolved_at, before.first_resolved_at) == (None, at(10, 20))
    assert figures(community, 11, 12)["solved"] == 0
    assert figures(community, 10, 11)["solved"] == 1
