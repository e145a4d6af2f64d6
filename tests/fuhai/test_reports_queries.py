"""Query-count ceilings of the report pages: the same for 5 and for 50 rows a month, and the
same whether the community has a few months or years of history."""

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from activities.models import ParticipantRole
from fuhai.reports.periods import month_start
from issues.models.choices import IssueStatus
from tests.factories import (
    ActivityFactory,
    CommendationFactory,
    DistributionFactory,
    HotlineCaseFactory,
    IssueFactory,
    MembershipFactory,
    ParticipationFactory,
    ResidentFactory,
    SpecialStatusFactory,
    VisitFactory,
)

TZ = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 12, 2, 9, 0, tzinfo=TZ)
#: Session, user, memberships and the bell, then the four sections' selectors.
#: 12 measured (18 before: the figures and the categories in one query, the visits, the trend and the
#: supplies in three instead of seven, the activities and commendations in one).
REPORT_CEILING = 12
ROWS_CEILING = 7  # 5 and 6 measured


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def fill(community, user, *, per_month, months):
    """``per_month`` items, 12345 cases, visited residents, activities and commendations in
    each of the ``months`` months before December 2026."""
    for back in range(1, months + 1):
        first = month_start(date(2026, 12, 1), back)
        day = datetime(first.year, first.month, 10, 9, tzinfo=TZ)
        residents = []
        for i in range(per_month):
            issue = IssueFactory(
                community=community,
                received_at=day + timedelta(minutes=i),
                status=IssueStatus.RESOLVED,
                resolved_at=day + timedelta(days=2),
            )
            HotlineCaseFactory(
                issue=issue,
                community=community,
                case_no=f"BJ{first:%Y%m}{i:04d}",
                dispatched_at=day,
                first_contact_at=day + timedelta(hours=30 * (i % 2)),
                city_solved="solved",
                city_satisfaction="satisfied",
            )
            resident = ResidentFactory(community=community)
            SpecialStatusFactory(resident=resident, valid_from=date(2020, 1, 1))
            residents.append(resident)
            activity = ActivityFactory(community=community, starts_at=day)
            ParticipationFactory(activity=activity, role=ParticipantRole.VOLUNTEER, hours=Decimal("1.5"))
            CommendationFactory(community=community, received_on=first)
            DistributionFactory(community=community, handed_on=first, recorded_by=user, room=None, resident=resident)
        VisitFactory(community=community, visited_on=first, residents=residents, recorded_by=user)


def count_queries(client, url, params):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("rows", [5, 50])
def test_it_keeps_the_report_queries_bounded(secretary_client, community, secretary, rows):
    fill(community, secretary, per_month=rows, months=3)
    assert count_queries(secretary_client, reverse("reports:report"), {"month": "2026-11"}) <= REPORT_CEILING


def test_it_costs_the_same_queries_for_5_and_for_50_rows_a_month(client, secretary, community, other_community):
    MembershipFactory(user=secretary, community=other_community)
    fill(community, secretary, per_month=5, months=3)
    fill(other_community, secretary, per_month=50, months=3)
    client.force_login(secretary)
    url, month = reverse("reports:report"), "2026-11"
    client.get(url, {"month": month, "community": other_community.pk})  # settings rows created once
    client.get(url, {"month": month, "community": community.pk})
    few = count_queries(client, url, {"month": month, "community": community.pk})
    many = count_queries(client, url, {"month": month, "community": other_community.pk})
    assert few == many


def test_it_costs_the_same_queries_with_years_of_history(client, secretary, community, other_community):
    MembershipFactory(user=secretary, community=other_community)
    fill(community, secretary, per_month=5, months=2)
    fill(other_community, secretary, per_month=5, months=30)
    client.force_login(secretary)
    url, month = reverse("reports:report"), "2026-11"
    client.get(url, {"month": month, "community": other_community.pk})
    client.get(url, {"month": month, "community": community.pk})
    recent = count_queries(client, url, {"month": month, "community": community.pk})
    long = count_queries(client, url, {"month": month, "community": other_community.pk})
    assert recent == long


@pytest.mark.parametrize("rows", [5, 50])
def test_it_keeps_the_rows_behind_a_figure_bounded(secretary_client, community, secretary, rows):
    fill(community, secretary, per_month=rows, months=1)
    url = reverse("reports:report_issue_rows", args=["received"])
    assert count_queries(secretary_client, url, {"month": "2026-11"}) <= ROWS_CEILING


@pytest.mark.parametrize("rows", [5, 50])
def test_it_keeps_the_activity_rows_bounded(secretary_client, community, secretary, rows):
    fill(community, secretary, per_month=rows, months=1)
    url = reverse("reports:report_activity_rows")
    assert count_queries(secretary_client, url, {"month": "2026-11"}) <= ROWS_CEILING
