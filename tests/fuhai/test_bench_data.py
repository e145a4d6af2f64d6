"""`make bench` generates its district in SQL (scripts/bench_data.py). These tests run that generator
at a tiny scale and check that its rows are rows the app itself would have written, so the bench
cannot silently measure data the app would never see: the item opens, the search finds it, and
saving any generated row through the model changes nothing the app computes."""

import importlib.util
import re
import sys
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Value
from django.db.models.functions import Concat
from django.urls import reverse
from django.utils import timezone

from issues.hotline.models import HotlineCase
from issues.models.issue import Issue
from issues.models.task import Task
from issues.models.timeline import FollowUp
from residents.models.care import SpecialStatus, Visit
from residents.models.community import Community
from residents.models.resident import Resident

SPEC = importlib.util.spec_from_file_location(
    "bench_data", Path(__file__).resolve().parents[2] / "scripts" / "bench_data.py"
)
bench_data = importlib.util.module_from_spec(SPEC)
sys.modules.setdefault("bench_data", bench_data)  # dataclasses look their module up there
SPEC.loader.exec_module(bench_data)

pytestmark = pytest.mark.django_db


@pytest.fixture
def bench():
    return bench_data.make_community(1, 120, now=timezone.now())


def test_it_makes_items_over_twelve_months_with_their_timeline_people_and_tasks(bench):
    items = Issue.objects.filter(community=bench.community)
    assert items.count() == 120
    statuses = set(items.values_list("status", flat=True))
    assert {"closed", "in_progress"} <= statuses
    oldest = min(items.values_list("received_at", flat=True))
    assert timezone.now() - oldest > timezone.timedelta(days=200)
    assert FollowUp.objects.filter(issue__community=bench.community).count() >= 120
    assert Resident.objects.filter(community=bench.community).count() == 2 * 20 * 3 * 10 * 2
    assert SpecialStatus.objects.filter(community=bench.community).exists()
    assert Visit.objects.filter(community=bench.community, residents__isnull=False, staff__isnull=False).exists()
    assert Task.objects.filter(community=bench.community, day=timezone.localdate()).exists()
    assert HotlineCase.objects.filter(community=bench.community).count() == items.filter(channel="hotline").count()


def test_it_dates_tasks_and_visits_by_the_offices_day_before_eight_in_the_morning():
    """At 05:38 in Beijing it is still yesterday in UTC, the database session's zone: the day's
    tasks (and the visits due) are dated by the office's calendar (a CI run at 05:38 found none today)."""
    early = datetime(2026, 12, 2, 5, 38, tzinfo=ZoneInfo("Asia/Shanghai"))
    made = bench_data.make_community(2, 30, now=early)
    days = Task.objects.filter(community=made.community).values_list("day", flat=True)
    assert max(days) == date(2026, 12, 2)


def test_a_generated_item_opens_on_its_detail_page_and_is_found_by_search(bench, client):
    item = Issue.objects.filter(community=bench.community, room__isnull=False, status="closed").first()
    client.force_login(bench.secretary)
    detail = client.get(reverse("issues:issue_detail", args=[item.pk]))
    assert detail.status_code == 200
    assert item.code in detail.content.decode()
    problem = next(p for p in bench_data.PROBLEMS if p in item.text)
    for q in (problem[:2], problem[:3], item.room.label):
        found = client.get(reverse("issues:issue_list"), {"q": q})
        assert found.status_code == 200
        assert item.code in found.content.decode(), q


def test_saving_a_generated_row_through_the_model_changes_nothing_it_computes(bench):
    """search_text (the search indexes are built over it) and pinyin initials as the models make them."""
    for item in Issue.objects.filter(community=bench.community).select_related("room__unit__building", "building"):
        stored = item.search_text
        item.save()
        item.refresh_from_db()
        assert item.search_text == stored
    for resident in Resident.objects.filter(community=bench.community)[:50]:
        stored = resident.name_initials
        resident.save()
        resident.refresh_from_db()
        assert resident.name_initials == stored


def test_the_same_index_makes_the_same_community_anywhere():
    """P9 compares a community in the district with the same community alone: same rows, other ids."""
    now = timezone.now()
    first = bench_data.make_community(3, 40, now=now, password_hash="x")
    get_user_model().objects.filter(username__startswith="b3_").update(username=Concat(Value("old"), "username"))
    Community.objects.filter(pk=first.community.pk).update(name="old")
    again = bench_data.make_community(3, 40, now=now, password_hash="x")

    def rows(bc):
        return list(Issue.objects.filter(community=bc.community).order_by("code").values_list("code", "text", "status"))

    assert rows(first) == rows(again)
    assert first.community.pk != again.community.pk


def test_indexes_dropped_for_the_load_come_back_as_the_migrations_made_them():
    def definitions():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = ANY(%s) ORDER BY 1",
                [list(bench_data.BULK_TABLES)],
            )
            # Rebuilt from its own definition an index reads back with casts written another way.
            return [(name, re.sub(r"::[a-z ]+(\[\])?|[() ]", "", definition)) for name, definition in cursor.fetchall()]

    before = definitions()
    with bench_data.deferred_indexes():
        assert len(definitions()) < len(before)
        bench_data.make_community(2, 30, now=timezone.now(), password_hash="x")
    assert definitions() == before
