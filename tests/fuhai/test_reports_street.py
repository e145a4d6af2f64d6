"""The 街道 overview: one row per community of the user, red flags, sorting, Excel, the
street user's landing page, strict scoping and no personal data."""

import html
import re
from datetime import date, datetime, timedelta
from decimal import Decimal
from io import BytesIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from activities.models import ParticipantRole
from fuhai.models import SubdistrictSettings
from issues.hotline.models import HotlineCase
from issues.models.choices import IssueStatus
from residents.models.community import Role
from tests.factories import (
    ActivityFactory,
    CommendationFactory,
    CommunityFactory,
    IssueFactory,
    MembershipFactory,
    ParticipationFactory,
    ResidentFactory,
    SpecialStatusFactory,
    UserFactory,
    VisitFactory,
)

TZ = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 12, 2, 9, 0, tzinfo=TZ)
URL = reverse("reports:street")
STREET_CEILING = 40  # session, user, memberships, thresholds; then 10 per community


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def street(db):
    """street1: a viewer of two communities of 福海街道."""
    first = CommunityFactory(name="福海东里", subdistrict="福海街道")
    second = CommunityFactory(name="福海西里", subdistrict="福海街道")
    user = MembershipFactory(community=first, role=Role.VIEWER, user__username="street1").user
    MembershipFactory(community=second, role=Role.VIEWER, user=user)
    return user, first, second


@pytest.fixture
def street_client(client, street):
    client.force_login(street[0])
    return client


def received(community, n, **fields):
    for i in range(n):
        IssueFactory(
            community=community, received_at=datetime(2026, 11, 10, 9, tzinfo=TZ) + timedelta(minutes=i), **fields
        )


def test_it_lands_a_street_user_on_the_overview(street_client):
    response = street_client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"] == URL


def test_it_leaves_a_one_community_user_on_the_home_page(secretary_client):
    assert secretary_client.get(reverse("home")).status_code == 200


def test_it_leaves_staff_of_two_communities_on_the_home_page(client, secretary, other_community):
    MembershipFactory(community=other_community, user=secretary, role=Role.STAFF)
    client.force_login(secretary)
    assert client.get(reverse("home")).status_code == 200


def test_it_shows_one_row_per_community_of_the_user(street_client, street, other_community):
    rows = street_client.get(URL, {"month": "2026-11"}).context["rows"]
    assert [row.community for row in rows] == [street[1], street[2]]  # 福海东里, 福海西里 by name


def test_it_leaves_out_a_community_the_user_is_not_a_member_of(street_client, other_community):
    received(other_community, 3)
    page = street_client.get(URL, {"month": "2026-11"}).content.decode()
    assert other_community.name not in page


def test_it_opens_each_communitys_report_from_its_row(street_client, street):
    page = street_client.get(URL, {"month": "2026-11"}).content.decode()
    assert f"month=2026-11&amp;community={street[1].pk}" in page


def test_it_flags_a_community_with_items_overdue_at_the_end_of_the_month(street_client, street):
    received(street[1], 1, due_at=datetime(2026, 11, 20, tzinfo=TZ), status=IssueStatus.IN_PROGRESS)
    rows = {row.community: row for row in street_client.get(URL, {"month": "2026-11"}).context["rows"]}
    assert rows[street[1]].flags == ["overdue"]
    assert rows[street[2]].flags == []


def test_it_flags_a_visit_rate_under_the_subdistricts_threshold(street_client, street, secretary):
    SubdistrictSettings.objects.create(name="福海街道", visit_rate_threshold=60)
    visited, missed = ResidentFactory(community=street[1]), ResidentFactory(community=street[1])
    for resident in (visited, missed):
        SpecialStatusFactory(resident=resident)
    VisitFactory(community=street[1], visited_on=date(2026, 11, 29), residents=[visited], recorded_by=secretary)
    row = next(r for r in street_client.get(URL, {"month": "2026-11"}).context["rows"] if r.community == street[1])
    assert (row.visit_rate, row.threshold, row.flags) == (50, 60, ["visit_rate"])


def test_it_does_not_flag_a_visit_rate_at_the_threshold(street_client, street, secretary):
    SubdistrictSettings.objects.create(name="福海街道", visit_rate_threshold=50)
    visited, missed = ResidentFactory(community=street[1]), ResidentFactory(community=street[1])
    for resident in (visited, missed):
        SpecialStatusFactory(resident=resident)
    VisitFactory(community=street[1], visited_on=date(2026, 11, 29), residents=[visited], recorded_by=secretary)
    row = next(r for r in street_client.get(URL, {"month": "2026-11"}).context["rows"] if r.community == street[1])
    assert row.flags == []


def test_it_sorts_by_a_column_descending(street_client, street):
    received(street[1], 3)
    received(street[2], 1)
    rows = street_client.get(URL, {"month": "2026-11", "sort": "-received"}).context["rows"]
    assert [row.received for row in rows] == [3, 1]


def test_it_puts_the_worst_communities_first_on_a_first_click(street_client, street):
    """Sorting 超时工单 put the communities with none at the top: with dozens of communities the
    worst were a second click away."""
    page = street_client.get(URL, {"month": "2026-11"}).content.decode()
    links = {key: sign for sign, key in re.findall(r'sort=(-?)([a-z_]+)" class="text-reset', page)}
    assert {key: links[key] for key in ("overdue", "missed", "open", "score", "visit_rate", "name")} == {
        "overdue": "-",
        "missed": "-",
        "open": "-",
        "score": "",
        "visit_rate": "",
        "name": "-",  # sorted by name now: the click turns it round
    }


def test_it_sorts_by_volunteer_hours(street_client, street):
    activity = ActivityFactory(community=street[2], starts_at=datetime(2026, 11, 10, 9, tzinfo=TZ))
    ParticipationFactory(
        activity=activity, role=ParticipantRole.VOLUNTEER, hours=Decimal("2.5"), checked_in_at=activity.starts_at
    )
    page = street_client.get(URL, {"month": "2026-11", "sort": "-hours"})
    assert [row.hours for row in page.context["rows"]] == [Decimal("2.5"), 0]
    assert "sort=hours" in page.content.decode()


def test_it_sorts_by_commendations(street_client, street):
    CommendationFactory(community=street[2], received_on=date(2026, 11, 9))
    page = street_client.get(URL, {"month": "2026-11", "sort": "-commendations"})
    assert [row.commendations for row in page.context["rows"]] == [1, 0]
    assert "sort=commendations" in page.content.decode()


def test_it_sorts_by_name_when_the_column_is_unknown(street_client, street):
    rows = street_client.get(URL, {"month": "2026-11", "sort": "password"}).context["rows"]
    assert [row.name for row in rows] == ["福海东里", "福海西里"]


@pytest.mark.parametrize(
    ("sort", "expected"), [("name", ["安贞", "北苑", "朝阳"]), ("-name", ["朝阳", "北苑", "安贞"])]
)
def test_it_sorts_community_names_by_pinyin_not_by_code_point(db, client, sort, expected):
    # Code points would give 北苑 (U+5317), 安贞 (U+5B89), 朝阳 (U+671D).
    user = UserFactory(username="street2")
    for name in ("朝阳", "北苑", "安贞"):
        MembershipFactory(community=CommunityFactory(name=name, subdistrict="福海街道"), role=Role.VIEWER, user=user)
    client.force_login(user)
    rows = client.get(URL, {"month": "2026-11", "sort": sort}).context["rows"]
    assert [row.name for row in rows] == expected


def test_it_shows_no_personal_data(street_client, street):
    resident = ResidentFactory(community=street[1], name="张三丰", phone="13912345678")
    received(street[1], 1, reporter=resident, reporter_name="张三丰", text="张三丰反映楼道堆物")
    page = street_client.get(URL, {"month": "2026-11"}).content.decode()
    assert "张三丰" not in page
    assert "1391234" not in page


def test_it_offers_a_month_picker_that_keeps_the_sort(street_client, street):
    """Last year's October is one pick away, not twelve clicks on ‹ 上一期."""
    page = street_client.get(URL, {"month": "2026-10", "sort": "-overdue"}).content.decode()
    form = re.search(r'<form[^>]*id="street-month"[^>]*>(.*?)</form>', page, re.S)
    assert form, "no month picker"
    assert re.search(r'<label[^>]*for="street-month-input"', form.group(1))
    assert 'type="month"' in form.group(1) and 'value="2026-10"' in form.group(1)
    assert 'name="sort" value="-overdue"' in form.group(1)


def test_it_explains_a_bad_month(street_client):
    assert street_client.get(URL, {"month": "2026/11"}).status_code == 400


@pytest.mark.parametrize("params", [{"month": "9999-12"}, {"quarter": "9999Q4"}])
@pytest.mark.parametrize("url", [URL, reverse("reports:street_export")])
def test_it_explains_a_year_out_of_range_from_the_month_picker(street_client, url, params):
    """The picker's 9999-12 was a 500 (ValueError: year 10000 is out of range)."""
    assert street_client.get(url, params).status_code == 400


def test_it_exports_the_overview_as_a_workbook(street_client, street):
    received(street[1], 2)
    response = street_client.get(reverse("reports:street_export"), {"month": "2026-11"})
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(min_row=3, values_only=True))
    assert [(row[0], row[1]) for row in rows] == [("福海东里", 2), ("福海西里", 0)]


@pytest.mark.parametrize("rows", [5, 50])
def test_it_keeps_the_overview_queries_bounded(street_client, street, rows):
    for community in street[1:]:
        received(community, rows, due_at=datetime(2026, 11, 20, tzinfo=TZ), status=IssueStatus.IN_PROGRESS)
        for _ in range(rows // 5):
            SpecialStatusFactory(resident=ResidentFactory(community=community))
    with CaptureQueriesContext(connection) as queries:
        assert street_client.get(URL, {"month": "2026-11"}).status_code == 200
    assert len(queries) <= STREET_CEILING


def figure_links(page: str) -> dict[str, list[str]]:
    """The overview's figure links: address → the accessible names of the links to it."""
    links: dict[str, list[str]] = {}
    for href, name in re.findall(r'<a href="([^"]+)" aria-label="([^"]+)"', page):
        links.setdefault(html.unescape(href), []).append(html.unescape(name))
    return links


def test_it_opens_the_items_behind_each_figure_of_a_community(street_client, street):
    received(street[2], 3, due_at=datetime(2026, 11, 20, tzinfo=TZ), status=IssueStatus.IN_PROGRESS)
    links = figure_links(street_client.get(URL, {"month": "2026-11"}).content.decode())
    query = f"?month=2026-11&community={street[2].pk}"
    for figure in ("received", "open_at_end", "overdue_at_end"):
        [name, *_longest_open] = links[reverse("reports:report_issue_rows", args=[figure]) + query]
        assert name.startswith("福海西里") and "3" in name, name
    [overdue] = links[reverse("reports:report_issue_rows", args=["overdue_at_end"]) + query]
    assert "期末超期" in overdue


def test_it_opens_the_reports_sections_and_the_activity_rows_of_a_community(street_client, street):
    activity = ActivityFactory(community=street[2], starts_at=datetime(2026, 11, 10, 9, tzinfo=TZ))
    ParticipationFactory(
        activity=activity, role=ParticipantRole.VOLUNTEER, hours=Decimal("2.5"), checked_in_at=activity.starts_at
    )
    CommendationFactory(community=street[2], received_on=date(2026, 11, 9))
    links = figure_links(street_client.get(URL, {"month": "2026-11"}).content.decode())
    query = f"?month=2026-11&community={street[2].pk}"
    activities = reverse("reports:report_activity_rows") + query
    assert {activities, activities + "#commendations"} <= set(links)
    assert any("2.5" in name for name in links[activities])


def test_it_opens_the_12345_section_of_the_communitys_report(street_client, street):
    dispatched = datetime(2026, 11, 3, 9, tzinfo=TZ)
    HotlineCase.objects.create(
        issue=IssueFactory(community=street[2], received_at=dispatched),
        community=street[2],
        case_no="BJ002",
        request_type="complaint",
        dispatched_at=dispatched,
        response_deadline=dispatched + timedelta(days=1),
        resolution_deadline=dispatched + timedelta(days=7),
    )
    links = figure_links(street_client.get(URL, {"month": "2026-11"}).content.decode())
    report = f"{reverse('reports:report')}?month=2026-11&community={street[2].pk}"
    assert all(name.startswith("福海西里") for name in links[report + "#hotline"])  # 12345 cases (and no score yet)
    assert [name.startswith("福海西里") for name in links[report + "#missed-h"]] == [True]


def test_it_links_no_figure_that_is_zero(street_client, street):
    links = figure_links(street_client.get(URL, {"month": "2026-11"}).content.decode())
    assert links == {}


def test_it_opens_a_second_communitys_items_from_its_row(street_client, street):
    received(street[2], 2)
    page = street_client.get(
        reverse("reports:report_issue_rows", args=["received"]), {"month": "2026-11", "community": street[2].pk}
    )
    assert page.status_code == 200
    assert {row.community for row in page.context["rows"]} == {street[2]}


@pytest.mark.parametrize(
    "url", [reverse("reports:report_issue_rows", args=["overdue_at_end"]), reverse("reports:report_activity_rows")]
)
def test_it_answers_404_for_the_figures_of_a_community_the_user_is_not_a_member_of(street_client, other_community, url):
    received(other_community, 1)
    assert street_client.get(url, {"month": "2026-11", "community": other_community.pk}).status_code == 404


def oldest_row(client, community, **params):
    rows = client.get(URL, {"month": "2026-11", **params}).context["rows"]
    return next(row for row in rows if row.community == community)


def test_it_counts_the_days_the_oldest_open_item_had_been_open_at_the_end_of_a_past_month(street_client, street):
    IssueFactory(community=street[1], received_at=datetime(2026, 10, 15, 18, tzinfo=TZ))
    IssueFactory(community=street[1], received_at=datetime(2026, 11, 25, 9, tzinfo=TZ))
    assert oldest_row(street_client, street[1]).oldest_days == 46  # 15 October to 30 November


def test_it_counts_an_item_settled_after_the_month_as_open_at_its_end(street_client, street):
    IssueFactory(community=street[1], received_at=datetime(2026, 10, 15, 18, tzinfo=TZ))
    IssueFactory(
        community=street[1],
        received_at=datetime(2026, 8, 1, 9, tzinfo=TZ),
        status=IssueStatus.RESOLVED,
        resolved_at=datetime(2026, 12, 1, 10, tzinfo=TZ),
    )
    assert oldest_row(street_client, street[1]).oldest_days == 121  # 1 August to 30 November


def test_it_leaves_out_items_settled_before_the_end_and_duplicates(street_client, street):
    IssueFactory(community=street[1], received_at=datetime(2026, 10, 15, 18, tzinfo=TZ))
    IssueFactory(
        community=street[1],
        received_at=datetime(2026, 8, 1, 9, tzinfo=TZ),
        status=IssueStatus.CLOSED,
        resolved_at=datetime(2026, 9, 1, 9, tzinfo=TZ),
        closed_at=datetime(2026, 9, 2, 9, tzinfo=TZ),
    )
    IssueFactory(community=street[1], received_at=datetime(2026, 7, 1, 9, tzinfo=TZ), status=IssueStatus.DUPLICATE)
    assert oldest_row(street_client, street[1]).oldest_days == 46


def test_it_counts_the_days_to_today_in_the_current_month(street_client, street):
    IssueFactory(community=street[1], received_at=datetime(2026, 10, 15, 18, tzinfo=TZ))
    IssueFactory(
        community=street[1],
        received_at=datetime(2026, 8, 1, 9, tzinfo=TZ),
        status=IssueStatus.RESOLVED,
        resolved_at=datetime(2026, 12, 1, 10, tzinfo=TZ),
    )
    assert oldest_row(street_client, street[1], month="2026-12").oldest_days == 48  # 15 October to 2 December


def test_it_shows_a_dash_for_a_community_with_no_open_item(street_client, street):
    page = street_client.get(URL, {"month": "2026-11"})
    assert [row.oldest_days for row in page.context["rows"]] == [None, None]


def test_it_opens_the_open_items_from_the_longest_open_column(street_client, street):
    IssueFactory(community=street[1], received_at=datetime(2026, 10, 15, 18, tzinfo=TZ))
    links = figure_links(street_client.get(URL, {"month": "2026-11"}).content.decode())
    [count, longest] = links[
        reverse("reports:report_issue_rows", args=["open_at_end"]) + f"?month=2026-11&community={street[1].pk}"
    ]
    assert count.startswith("福海东里") and "1" in count
    assert longest.startswith("福海东里") and "46" in longest


def test_it_sorts_the_longest_open_first_on_a_first_click(street_client, street, other_community):
    IssueFactory(community=street[2], received_at=datetime(2026, 10, 15, 18, tzinfo=TZ))
    third = CommunityFactory(name="福海南里", subdistrict="福海街道")
    MembershipFactory(community=third, role=Role.VIEWER, user=street[0])
    IssueFactory(community=third, received_at=datetime(2026, 11, 25, 9, tzinfo=TZ))
    page = street_client.get(URL, {"month": "2026-11", "sort": "-oldest_days"})
    assert [row.oldest_days for row in page.context["rows"]] == [46, 5, None]
    assert 'sort=oldest_days" class="text-reset' in page.content.decode()  # the second click turns it round
    first_click = street_client.get(URL, {"month": "2026-11"}).content.decode()
    assert 'sort=-oldest_days" class="text-reset' in first_click


@pytest.mark.parametrize(("received_on", "flags"), [(date(2026, 10, 31), []), (date(2026, 10, 30), ["oldest_days"])])
def test_it_flags_an_item_open_more_than_30_days(street_client, street, received_on, flags):
    # Due after the month's end, so the item is not overdue as well.
    IssueFactory(
        community=street[1],
        received_at=datetime.combine(received_on, datetime.min.time(), tzinfo=TZ),
        due_at=datetime(2026, 12, 31, tzinfo=TZ),
    )
    row = oldest_row(street_client, street[1])
    assert (row.oldest_days, row.flags) == ((date(2026, 11, 30) - received_on).days, flags)


def test_it_exports_the_longest_open_column(street_client, street):
    IssueFactory(community=street[1], received_at=datetime(2026, 10, 15, 18, tzinfo=TZ))
    response = street_client.get(reverse("reports:street_export"), {"month": "2026-11"})
    sheet = load_workbook(BytesIO(response.content)).active
    headers = [cell.value for cell in sheet[2]]  # under the title row
    column = headers.index("最久未办（天）") if "最久未办（天）" in headers else headers.index("Longest open (days)")
    assert [row[column] for row in sheet.iter_rows(min_row=3, values_only=True)] == [46, "—"]


@pytest.mark.parametrize("rows", [5, 50])
def test_it_keeps_the_overview_queries_bounded_with_old_open_items(street_client, street, rows):
    for community in street[1:]:
        for n in range(rows):
            received_at = datetime(2024, 1, 1, tzinfo=TZ) + timedelta(days=n * 7)
            IssueFactory(community=community, received_at=received_at)
            IssueFactory(
                community=community,
                received_at=received_at,
                status=IssueStatus.RESOLVED,
                resolved_at=datetime(2026, 12, 1, 10, tzinfo=TZ),
            )
    with CaptureQueriesContext(connection) as queries:
        assert street_client.get(URL, {"month": "2026-11"}).status_code == 200
    assert len(queries) <= STREET_CEILING
