"""The secretary's review of the access records grows by every reveal, for years: it is read off
the index accesslog_comm_created (the community's newest records, cut at the page) and counted
only up to the cap, as the 民情日记 is; its days are filtered on the time itself."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from residents.models.resident import AccessLog
from tests.factories import ResidentFactory
from tests.plans import plans

LIST = reverse("residents:accesslog_list")
BEIJING = ZoneInfo("Asia/Shanghai")


def record(resident, user, reason: str, at: datetime | None = None) -> AccessLog:
    if at is None:
        return AccessLog.objects.create(
            community=resident.community, user=user, resident=resident, field="phone", reason=reason
        )
    with time_machine.travel(at, tick=False):
        return AccessLog.objects.create(
            community=resident.community, user=user, resident=resident, field="phone", reason=reason
        )


@pytest.fixture
def twelve(resident, staff, outsider, other_community):
    """Twelve reveals of ours, and some next door that must not be counted or shown."""
    for n in range(12):
        record(resident, staff, f"联系家属{n:02d}")
    neighbour = ResidentFactory(community=other_community)
    for n in range(4):
        record(neighbour, outsider, f"隔壁{n}")


@pytest.fixture
def small_cap(monkeypatch):
    monkeypatch.setattr("residents.views.AccessLogListView.count_cap", 5)
    monkeypatch.setattr("residents.views.AccessLogListView.paginate_by", 3)


def counts(queries) -> list[str]:
    return [q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"] and "residents_accesslog" in q["sql"]]


def test_it_counts_the_records_only_up_to_the_cap_and_says_so(login, secretary, twelve, small_cap):
    client = login(secretary)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(LIST)
    (count,) = counts(queries)
    assert "LIMIT 6" in count  # reads at most cap + 1 records
    page = response.content.decode()
    assert "5+ 条" in page and "共 12 条" not in page
    assert page.count("联系家属") == 3 and "联系家属11" in page and "隔壁" not in page
    client.cookies["django_language"] = "en"
    assert "5+ records" in client.get(LIST).content.decode()


def test_it_pages_on_past_the_cap_and_counts_all_for_the_last_page(login, secretary, twelve, small_cap):
    client = login(secretary)
    # Page 3 reaches past the cap: the cap moves with it, so the page is whole and a next is offered.
    third = client.get(LIST, {"page": 3}).content.decode()
    assert "联系家属05" in third and "联系家属03" in third and "?page=4" in third
    last = client.get(LIST, {"page": "last"})
    assert last.context["paginator"].count == 12 and not last.context["paginator"].capped
    assert "联系家属00" in last.content.decode()


def test_it_counts_exactly_below_the_cap(login, secretary, twelve):
    response = login(secretary).get(LIST)
    assert response.context["paginator"].count == 12 and "共 12 条" in response.content.decode()


def test_a_page_past_the_last_shows_the_last(login, secretary, twelve, small_cap):
    """It answered 404 (未找到) to a bookmark of a page the list no longer has."""
    response = login(secretary).get(LIST, {"page": 9})
    assert response.status_code == 200
    assert response.context["page_obj"].number == 4 and not response.context["page_obj"].has_next()
    assert "联系家属00" in response.content.decode()


@pytest.mark.parametrize("page", ["abc", "0", "-2", "１"])
def test_a_page_that_is_not_a_number_shows_the_first(login, secretary, twelve, small_cap, page):
    response = login(secretary).get(LIST, {"page": page})
    assert response.status_code == 200 and response.context["page_obj"].number == 1
    assert "联系家属11" in response.content.decode()


def test_it_filters_by_days_of_beijing_time(login, secretary, resident, staff):
    record(resident, staff, "前一天深夜", datetime(2026, 11, 30, 23, 59, tzinfo=BEIJING))
    record(resident, staff, "当天零点", datetime(2026, 12, 1, 0, 0, tzinfo=BEIJING))
    record(resident, staff, "当天深夜", datetime(2026, 12, 2, 23, 59, 59, tzinfo=BEIJING))
    record(resident, staff, "后一天零点", datetime(2026, 12, 3, 0, 0, tzinfo=BEIJING))
    page = login(secretary).get(LIST, {"created_min": "2026-12-01", "created_max": "2026-12-02"})
    shown = page.content.decode()
    assert "当天零点" in shown and "当天深夜" in shown
    assert "前一天深夜" not in shown and "后一天零点" not in shown
    assert page.context["paginator"].count == 2


def test_it_reads_the_newest_records_off_the_communitys_index(login, secretary, twelve):
    """The page's rows: an index scan that stops at the page, no sort of the community's records;
    the days' filter a range on the same index, not a date computed per row."""
    client = login(secretary)
    for params in [{}, {"created_min": "2026-01-01", "created_max": "2026-12-31"}]:
        found = plans(lambda params=params: client.get(LIST, params), scans=False)
        (rows,) = [plan for plan in found if "residents_accesslog" in plan and "Aggregate" not in plan.split("\n")[0]]
        assert "accesslog_comm_created" in rows and "Sort" not in rows, rows
        (count,) = [plan for plan in found if "residents_accesslog" in plan and "Aggregate" in plan.split("\n")[0]]
        assert "accesslog_comm_created" in count, count
