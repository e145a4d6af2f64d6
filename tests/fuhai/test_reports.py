"""The monthly report of a community: its figures checked by hand, the rows behind them, the
definitions on the page, bad input and strict scoping."""

from datetime import date, datetime, timedelta
from decimal import Decimal
from io import BytesIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from activities.models import ParticipantRole
from fuhai.reports.compose import MISSED_SHOWN
from issues.hotline.models import HotlineCase, HotlineSettings
from issues.models.choices import IssueChannel, IssueStatus
from residents.models.care import SpecialCategory
from residents.models.community import Role
from tests.factories import (
    ActivityFactory,
    CommendationFactory,
    IssueCategoryFactory,
    IssueFactory,
    MembershipFactory,
    ParticipationFactory,
    ResidentFactory,
    SpecialStatusFactory,
    VisitFactory,
)

TZ = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 12, 2, 9, 0, tzinfo=TZ)
URL = reverse("reports:report")


def at(month, day, hour=9, year=2026):
    return datetime(year, month, day, hour, tzinfo=TZ)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def november(community):
    """Five items around November 2026, each written down with why it counts (or not)."""
    noise = IssueCategoryFactory(community=community, name="噪音")
    # received 11-03, solved 11-05 before its due 11-10: received, solved, on time; 2 days
    IssueFactory(
        community=community,
        received_at=at(11, 3),
        channel=IssueChannel.WECHAT,
        category=noise,
        status=IssueStatus.CLOSED,
        resolved_at=at(11, 5),
        closed_at=at(11, 6),
        satisfaction="satisfied",
    )
    # received 11-10, solved 11-20 after its due 11-12: received, solved late; 10 days; repeated
    IssueFactory(
        community=community,
        received_at=at(11, 10),
        due_at=at(11, 12),
        channel=IssueChannel.PHONE,
        category=noise,
        status=IssueStatus.RESOLVED,
        resolved_at=at(11, 20),
        report_count=2,
    )
    # received 11-25, still open and past due: received, open and overdue at the month's end
    IssueFactory(
        community=community,
        received_at=at(11, 25),
        due_at=at(11, 28),
        channel=IssueChannel.WECHAT,
        status=IssueStatus.IN_PROGRESS,
        escalated=True,
    )
    # received in October, solved 11-02 on time (due 11-04): solved (on time) but not received; 3 days
    IssueFactory(
        community=community,
        received_at=at(10, 30),
        due_at=at(11, 4),
        status=IssueStatus.RESOLVED,
        resolved_at=at(11, 2),
    )
    # a duplicate received in November: not received
    IssueFactory(community=community, received_at=at(11, 11), status=IssueStatus.DUPLICATE)
    return noise


def test_it_shows_the_previous_month_by_default(secretary_client, community):
    response = secretary_client.get(URL)
    assert response.status_code == 200
    assert response.context["period"].key == "2026-11"
    assert "福海佳园" in response.content.decode()


def test_it_says_the_roster_behind_a_past_months_visit_figures_is_todays(secretary_client):
    """未按期探访 16 for November opened today's roster (15 overdue, 共 28 人) without saying so."""
    past = secretary_client.get(URL, {"month": "2026-11"}).content.decode()
    current = secretary_client.get(URL, {"month": "2026-12"}).content.decode()
    assert 'id="visits-today"' in past and 'id="visits-today"' not in current


def test_it_counts_the_issues_of_the_month_by_hand(secretary_client, november):
    issues = secretary_client.get(URL, {"month": "2026-11"}).context["issues"]
    # received: 3 (the October item and the duplicate are not); by channel: 2 WeChat, 1 phone
    assert issues["received"] == 3
    assert dict((channel.value, n) for channel, n in issues["by_channel"])["wechat"] == 2
    # solved: 3 (11-05, 11-20 and the October item's 11-02); on time: 2 → 66.7 %
    assert (issues["solved"], issues["solved_on_time"], issues["on_time_rate"]) == (3, 2, Decimal("66.7"))
    # average days: (2 + 10 + 3) ÷ 3 = 5.0
    assert issues["average_days"] == 5.0
    # open and overdue at the end: the 11-25 item; repeats 1, escalated 1, one callback satisfied
    assert (issues["open_at_end"], issues["overdue_at_end"], issues["repeats"], issues["escalated"]) == (1, 1, 1, 1)
    assert (issues["callbacks"], issues["satisfied"], issues["satisfied_rate"]) == (1, 1, Decimal("100.0"))


def test_it_lists_the_items_behind_a_figure(secretary_client, november):
    url = reverse("reports:report_issue_rows", args=["solved_on_time"])
    rows = list(secretary_client.get(url, {"month": "2026-11"}).context["rows"])
    assert [issue.resolved_at for issue in rows] == [at(11, 2), at(11, 5)]


def test_it_narrows_the_received_items_to_a_channel(secretary_client, november):
    url = reverse("reports:report_issue_rows", args=["received"])
    rows = list(secretary_client.get(url, {"month": "2026-11", "channel": "phone"}).context["rows"])
    assert [issue.channel for issue in rows] == [IssueChannel.PHONE]


def test_it_narrows_the_received_items_to_a_category(secretary_client, november):
    url = reverse("reports:report_issue_rows", args=["received"])
    rows = list(secretary_client.get(url, {"month": "2026-11", "category": november.pk}).context["rows"])
    assert len(rows) == 2
    assert all(issue.category_id == november.pk for issue in rows)


def test_it_gives_404_for_an_unknown_figure(secretary_client):
    url = reverse("reports:report_issue_rows", args=["everything"])
    assert secretary_client.get(url, {"month": "2026-11"}).status_code == 404


def test_it_gives_404_for_an_unknown_channel(secretary_client):
    url = reverse("reports:report_issue_rows", args=["received"])
    assert secretary_client.get(url, {"month": "2026-11", "channel": "fax"}).status_code == 404


def test_it_computes_the_monthly_visit_rate_by_hand(secretary_client, community, secretary):
    # Three residents living alone visited every 7 days, one of them also 80+ (30 days):
    # A visited 11-28 (within 7 days of 11-30): done; B visited 11-20: not done; C never: not done.
    # D, 80+ only (30 days), visited 11-05: done. Due 4, done 2 → 50.0 %; living alone 1 of 3.
    a, b, c, d = (ResidentFactory(community=community) for _ in range(4))
    for resident in (a, b, c):
        SpecialStatusFactory(resident=resident, category=SpecialCategory.LIVING_ALONE, visit_interval_days=7)
    SpecialStatusFactory(resident=d, category=SpecialCategory.ADVANCED_AGE, visit_interval_days=30)
    VisitFactory(community=community, visited_on=date(2026, 11, 28), residents=[a], recorded_by=secretary)
    VisitFactory(community=community, visited_on=date(2026, 11, 20), residents=[b], recorded_by=secretary)
    VisitFactory(community=community, visited_on=date(2026, 11, 5), residents=[d], recorded_by=secretary)
    visits = secretary_client.get(URL, {"month": "2026-11"}).context["visits"]
    assert (visits["due"], visits["done"], visits["percent"], visits["overdue"]) == (4, 2, Decimal("50.0"), 2)
    alone = next(row for row in visits["by_category"] if row["category"] == SpecialCategory.LIVING_ALONE)
    assert (alone["due"], alone["done"], alone["percent"]) == (3, 1, Decimal("33.3"))
    assert visits["visits"] == 3


def test_it_counts_volunteer_hours_by_platform_by_hand(secretary_client, community):
    # Two policy activities in November (2 + 1.5 volunteer hours, 3 residents and the 2 volunteers
    # signed in), one in December. 已签到 is the 3 residents: the volunteers have their column.
    first = ActivityFactory(community=community, platform="policy", starts_at=at(11, 3))
    second = ActivityFactory(community=community, platform="policy", starts_at=at(11, 17))
    later = ActivityFactory(community=community, platform="policy", starts_at=at(12, 1))
    ParticipationFactory(
        activity=first, role=ParticipantRole.VOLUNTEER, hours=Decimal("2"), checked_in_at=first.starts_at
    )
    ParticipationFactory(
        activity=second, role=ParticipantRole.VOLUNTEER, hours=Decimal("1.5"), checked_in_at=second.starts_at
    )
    for activity in (first, first, second, later):
        ParticipationFactory(activity=activity, checked_in_at=activity.starts_at)
    CommendationFactory(community=community, received_on=date(2026, 11, 9))
    response = secretary_client.get(URL, {"month": "2026-11"})
    activities = response.context["activities"]
    assert activities["totals"] == {"activities": 2, "participants": 3, "volunteers": 2, "hours": Decimal("3.5")}
    assert activities["commendation_total"] == 1
    # hours as every other page writes them: 3.5, not 3.50
    page = response.content.decode()
    assert '<td class="text-end">3.5</td>' in page and "3.50" not in page
    rows = secretary_client.get(reverse("reports:report_activity_rows"), {"month": "2026-11"})
    assert [(a.signed_in, a.served_count) for a in rows.context["activities"]] == [(2, 1), (1, 1)]
    assert '<td class="text-end">1.5</td>' in rows.content.decode() and "1.50" not in rows.content.decode()
    book = load_workbook(BytesIO(secretary_client.get(reverse("reports:report_export"), {"month": "2026-11"}).content))
    [total] = [row for row in book["活动与表扬"].iter_rows(values_only=True) if row[0] == "合计"]
    assert total[1:4] == (2, 3, 2)


def test_it_lists_the_12345_cases_that_missed_a_deadline(secretary_client, community, secretary):
    from issues import services

    def case(no, dispatched, contact_after):
        issue = services.log_issue(community=community, by=secretary, now=dispatched, text="12345来电：油烟扰民")
        response, resolution = HotlineSettings.for_community(community.pk).deadlines(dispatched, "normal")
        return HotlineCase.objects.create(
            issue=issue,
            community=community,
            case_no=no,
            request_type="complaint",
            dispatched_at=dispatched,
            response_deadline=response,
            resolution_deadline=resolution,
            first_contact_at=dispatched + contact_after,
            replied_at=dispatched + timedelta(days=2),
        )

    case("BJ001", at(11, 3), timedelta(hours=2))
    case("BJ002", at(11, 4), timedelta(hours=30))
    hotline = secretary_client.get(URL, {"month": "2026-11"}).context["hotline"]
    assert [row["case"].case_no for row in hotline["missed"]] == ["BJ002"]
    assert hotline["rates"].response.value == Decimal("50.0")


def test_it_lists_the_first_50_missed_cases_and_the_workbook_all_of_them(secretary_client, community):
    """A busy month's hundreds of missed cases would make the page a long list: it shows the
    first MISSED_SHOWN, says how many there are, and the workbook lists every one."""
    issues = [IssueFactory(community=community, received_at=at(11, 3)) for _ in range(MISSED_SHOWN + 2)]
    HotlineCase.objects.bulk_create(
        HotlineCase(
            issue=issue,
            community=community,
            case_no=f"BJ{n:03d}",
            request_type="complaint",
            dispatched_at=at(11, 3) + timedelta(minutes=n),
            response_deadline=at(11, 4),
            resolution_deadline=at(11, 10),
        )
        for n, issue in enumerate(issues)
    )
    response = secretary_client.get(URL, {"month": "2026-11"})
    hotline = response.context["hotline"]
    assert hotline["missed_count"] == MISSED_SHOWN + 2 == hotline["count"]
    assert [row["case"].case_no for row in hotline["missed"]] == [f"BJ{n:03d}" for n in range(MISSED_SHOWN)]
    assert f"仅列出前 {MISSED_SHOWN} 件（共 {MISSED_SHOWN + 2} 件）。" in response.content.decode()
    book = load_workbook(BytesIO(secretary_client.get(reverse("reports:report_export"), {"month": "2026-11"}).content))
    numbers = [row[0] for row in book["12345热线"].iter_rows(values_only=True) if str(row[0]).startswith("BJ")]
    assert numbers == [f"BJ{n:03d}" for n in range(MISSED_SHOWN + 2)]


def test_it_reads_a_quarter(secretary_client, november):
    response = secretary_client.get(URL, {"quarter": "2026Q4"})
    assert response.status_code == 200
    assert response.context["issues"]["received"] == 4  # the October item as well


def test_it_explains_a_month_it_cannot_read(secretary_client):
    response = secretary_client.get(URL, {"month": "2026-13"})
    assert response.status_code == 400
    assert "2026-13" in response.content.decode()


@pytest.mark.parametrize(
    ("url", "params"),
    [
        (URL, {"month": "9999-12"}),
        (URL, {"quarter": "9999Q4"}),
        (URL, {"quarter": "0001Q1"}),
        (reverse("reports:report_export"), {"month": "9999-12"}),
        (reverse("reports:report_records"), {"month": "9999-12"}),
        (reverse("reports:report_issue_rows", args=["received"]), {"month": "9999-12"}),
        (reverse("reports:report_activity_rows"), {"quarter": "9999Q4"}),
    ],
)
def test_it_explains_a_year_out_of_range_as_any_bad_month(secretary_client, url, params):
    """/reports/?month=9999-12 was a 500 (ValueError: year 10000 is out of range)."""
    response = secretary_client.get(url, params)
    assert response.status_code == 400
    assert f"“{params.get('month') or params['quarter']}”不是可以出报表的月份或季度" in response.content.decode()


def test_it_explains_that_a_future_month_has_no_report(secretary_client):
    assert secretary_client.get(URL, {"month": "2027-02"}).status_code == 400


def test_it_draws_the_charts_with_the_numbers_below(secretary_client, november):
    page = secretary_client.get(URL, {"month": "2026-11"}).content.decode()
    assert page.count('<svg class="report-chart"') == 4
    assert page.count("report-trend") == 3


def test_it_writes_the_definition_of_every_rate(client, secretary):
    client.force_login(secretary)
    page = client.get(URL, {"month": "2026-11"}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    for term in ("Response rate", "Resolution rate", "Satisfaction rate", "Monthly visit rate", "Solved on time rate"):
        assert f"<dt>{term}</dt>" in page


def test_it_lets_the_street_viewer_read_the_report(client, viewer):
    client.force_login(viewer)
    assert client.get(URL).status_code == 200


def test_it_hides_sensitive_categories_from_the_street_viewer(client, community, viewer):
    SpecialStatusFactory(resident=ResidentFactory(community=community), category=SpecialCategory.MIN_LIVING)
    client.force_login(viewer)
    visits = client.get(URL).context["visits"]
    assert visits["due"] == 1
    assert visits["by_category"] == []


def test_it_shows_sensitive_categories_to_the_secretary(secretary_client, community):
    SpecialStatusFactory(resident=ResidentFactory(community=community), category=SpecialCategory.MIN_LIVING)
    visits = secretary_client.get(URL).context["visits"]
    assert [row["category"] for row in visits["by_category"]] == [SpecialCategory.MIN_LIVING]


def test_it_opens_the_report_of_another_of_the_users_communities(client, secretary, other_community):
    MembershipFactory(user=secretary, community=other_community, role=Role.VIEWER)
    client.force_login(secretary)
    response = client.get(URL, {"community": other_community.pk})
    assert response.context["report_community"] == other_community


def test_it_gives_404_for_a_community_the_user_is_not_a_member_of(secretary_client, other_community):
    assert secretary_client.get(URL, {"community": other_community.pk}).status_code == 404


def test_it_gives_404_for_the_rows_of_a_community_the_user_is_not_a_member_of(secretary_client, other_community):
    url = reverse("reports:report_issue_rows", args=["received"])
    assert secretary_client.get(url, {"community": other_community.pk}).status_code == 404


def test_it_counts_nothing_of_another_community(client, outsider, november):
    client.force_login(outsider)
    assert client.get(URL, {"month": "2026-11"}).context["issues"]["received"] == 0


def test_it_asks_an_anonymous_visitor_to_log_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_it_lists_the_activities_and_commendations_of_the_month(secretary_client, community):
    ActivityFactory(community=community, title="重阳敬老", starts_at=at(11, 3))
    ActivityFactory(community=community, title="十二月活动", starts_at=at(12, 1))
    CommendationFactory(community=community, received_on=date(2026, 11, 9), inscription="为民解忧")
    response = secretary_client.get(reverse("reports:report_activity_rows"), {"month": "2026-11"})
    assert [a.title for a in response.context["activities"]] == ["重阳敬老"]
    assert [c.inscription for c in response.context["commendations"]] == ["为民解忧"]


def test_it_marks_reports_in_the_main_menu(secretary_client):
    response = secretary_client.get(URL)
    assert response.context["nav"] == "reports"
    assert f'href="{URL}" aria-current="page"' in response.content.decode()


def test_it_links_the_report_to_the_overview_for_a_user_of_two_communities(client, secretary, other_community):
    MembershipFactory(user=secretary, community=other_community, role=Role.VIEWER)
    client.force_login(secretary)
    assert reverse("reports:street") in client.get(URL).content.decode()


def test_it_does_not_offer_the_overview_to_a_user_of_one_community(secretary_client):
    assert reverse("reports:street") not in secretary_client.get(URL).content.decode()
