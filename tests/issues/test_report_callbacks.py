"""The report's 回访 figures: a callback counts in the month it was made, whatever it answered.
A 不满意 answer sends the item back to 办理中 without closing it, and was never counted (回访满意率
could only be 100 %)."""

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

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
