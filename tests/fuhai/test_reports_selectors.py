"""The report's merged reads count what the separate selectors count: the 民情日记 trend as
report_issue_figures, the visits section as visit_report_figures, the activities and
commendations as their own figures (the 街道 overview still reads those)."""

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from activities import selectors as activity_selectors
from activities.models import CommendationKind, ParticipantRole
from fuhai.reports.compose import aware
from fuhai.reports.periods import month_start
from issues.models.choices import IssueStatus
from issues.selectors import report_figures
from residents import selectors as resident_selectors
from residents.models.care import SupplyItem
from tests.factories import (
    ActivityFactory,
    CommendationFactory,
    DistributionFactory,
    IssueFactory,
    ParticipationFactory,
    ResidentFactory,
    RoomFactory,
    SpecialStatusFactory,
    VisitFactory,
)

TZ = ZoneInfo("Asia/Shanghai")
MONTHS = [month_start(date(2026, 11, 1), back) for back in range(5, -1, -1)]


def windows() -> list[tuple[datetime, datetime]]:
    return [(aware(m), aware(month_start(m, -1))) for m in MONTHS]


@pytest.mark.django_db
def test_the_issue_trend_counts_each_month_as_the_figures_do(community, other_community):
    for n, first in enumerate(MONTHS):
        day = datetime(first.year, first.month, 28, 20, tzinfo=TZ)
        for _ in range(n + 1):
            IssueFactory(community=community, received_at=day, status=IssueStatus.PENDING)
        # Solved in the next month: counted there, received here.
        IssueFactory(
            community=community, received_at=day, status=IssueStatus.RESOLVED, resolved_at=day + timedelta(days=5)
        )
        IssueFactory(community=community, received_at=day, status=IssueStatus.DUPLICATE)
        IssueFactory(community=other_community, received_at=day, status=IssueStatus.PENDING)
    trend = report_figures.issue_month_trend(community, months=windows())
    expected = [
        {name: figures[name] for name in ("received", "solved")}
        for figures in (report_figures.report_issue_figures(community, start=s, end=e) for s, e in windows())
    ]
    assert trend == expected
    assert [row["received"] for row in trend] == [n + 2 for n in range(len(MONTHS))]  # duplicates left out
    assert [row["solved"] for row in trend] == [0, 1, 1, 1, 1, 1]


@pytest.mark.django_db
def test_the_visits_section_counts_as_visit_report_figures(community, secretary):
    rooms = [RoomFactory(unit__building__community=community) for _ in range(3)]
    residents = [ResidentFactory(community=community, room=room) for room in rooms]
    for resident, days in zip(residents, (7, 30, 90), strict=True):
        SpecialStatusFactory(resident=resident, valid_from=date(2025, 1, 1), visit_interval_days=days)
    VisitFactory(community=community, visited_on=date(2026, 11, 25), residents=residents[:1], recorded_by=secretary)
    VisitFactory(community=community, visited_on=date(2026, 9, 20), residents=residents[2:], recorded_by=secretary)
    VisitFactory(community=community, visited_on=date(2026, 11, 3), residents=[], recorded_by=secretary)
    DistributionFactory(
        community=community, handed_on=date(2026, 3, 1), item=SupplyItem.FIRE_BLANKET, room=rooms[0], resident=None
    )
    DistributionFactory(
        community=community, handed_on=date(2026, 11, 2), item=SupplyItem.GIFT, room=rooms[1], resident=None, quantity=3
    )
    first, last, today = date(2026, 11, 1), date(2026, 11, 30), date(2026, 12, 2)
    ends = [date.fromordinal(month_start(m, -1).toordinal() - 1) for m in MONTHS]
    report = resident_selectors.visit_report(
        community, first=first, last=last, today=today, month_ends=ends, item=SupplyItem.FIRE_BLANKET
    )
    figures = resident_selectors.visit_report_figures(community, first=first, last=last, today=today)
    assert {key: report[key] for key in figures} == figures
    assert (report["done"], report["due"], report["visits"]) == (2, 3, 2)
    assert report["trend"][-1] == figures["rate"]
    supplies = report["supplies"]
    assert (supplies["households"], supplies["covered"]) == (3, 1)
    handed = {row["item"]: (row["times"], row["pieces"]) for row in supplies["handed"]}
    assert handed == {SupplyItem.GIFT: (1, 3)}  # the fire blanket of March is not of the period


@pytest.mark.django_db
def test_the_activities_and_commendations_count_as_their_own_figures(community):
    start, end = aware(date(2026, 11, 1)), aware(date(2026, 12, 1))
    day = datetime(2026, 11, 10, 9, tzinfo=TZ)
    for n in range(3):
        activity = ActivityFactory(community=community, starts_at=day + timedelta(days=n))
        ParticipationFactory(
            activity=activity, role=ParticipantRole.VOLUNTEER, hours=Decimal("1.5"), checked_in_at=activity.starts_at
        )
    ActivityFactory(community=community, starts_at=day - timedelta(days=30))
    CommendationFactory(community=community, received_on=date(2026, 11, 3), kind=CommendationKind.LETTER)
    CommendationFactory(community=community, received_on=date(2026, 10, 3))
    platforms, kinds = activity_selectors.activity_report(
        community, start=start, end=end, first=date(2026, 11, 1), last=date(2026, 12, 1)
    )
    assert platforms == activity_selectors.activity_report_figures(community, start=start, end=end)
    assert kinds == activity_selectors.commendation_report_figures(
        community, first=date(2026, 11, 1), end=date(2026, 12, 1)
    )
    assert sum(row["activities"] for row in platforms) == 3
    assert sum(kinds.values()) == 1
