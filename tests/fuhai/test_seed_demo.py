"""seed_demo builds 福海佳园 once, whatever how often it runs, and never by accident in production."""

from datetime import datetime, timedelta
from io import StringIO

import pytest
import time_machine
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.utils import timezone

from issues.hotline.models import HotlineCase
from issues.models.issue import Issue
from issues.models.partner import Partner
from issues.patrol.models import PatrolStop
from issues.patrol.services import group_by_stop
from residents.models.care import SpecialStatus, SupplyItem, SupplyStock
from residents.models.community import Community
from residents.models.resident import Resident
from residents.selectors import visit_report_figures


@pytest.fixture
def seeded(db, settings):
    settings.DEBUG = True
    call_command("seed_demo", verbosity=0, stdout=StringIO())


def test_it_builds_the_demo_community(seeded):
    community = Community.objects.get(name="福海佳园")
    assert 200 <= Resident.objects.in_community(community).count() <= 1000
    assert SpecialStatus.objects.in_community(community).exists()
    assert Partner.objects.in_community(community).filter(kind="police").exists()
    assert {z.name for z in community.zones.all()} == {"南区", "北区"}


@pytest.mark.parametrize("username", ["secretary", "staff1", "grid1"])
def test_it_creates_the_demo_logins(seeded, username):
    assert authenticate(username=username, password="fuhai2024") is not None


def test_it_is_idempotent(seeded):
    counts = (Resident.objects.count(), Partner.objects.count(), SpecialStatus.objects.count())
    call_command("seed_demo", verbosity=0, stdout=StringIO())
    assert (Resident.objects.count(), Partner.objects.count(), SpecialStatus.objects.count()) == counts


def test_it_refuses_to_run_with_debug_off(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG is off"):
        call_command("seed_demo")
    assert not Community.objects.exists()


def test_it_runs_with_debug_off_when_forced(db, settings):
    settings.DEBUG = False
    call_command("seed_demo", force=True, stdout=StringIO())
    assert Community.objects.filter(name="福海佳园").exists()


def test_it_stocks_fire_blankets_for_the_first_visits(seeded):
    community = Community.objects.get(name="福海佳园")
    assert SupplyStock.objects.get(community=community, item=SupplyItem.FIRE_BLANKET).quantity > 0


def test_it_puts_every_open_demo_item_with_a_place_under_a_stop_of_the_patrol_route(seeded):
    community = Community.objects.get(name="福海佳园")
    stops = list(PatrolStop.objects.in_community(community))
    items = [
        issue
        for issue in Issue.objects.in_community(community).open().select_related("room__unit__building", "building")
        if issue.room_id or issue.building_id or issue.place_text
    ]
    *_, (no_stop, elsewhere) = group_by_stop(stops, items)
    assert (no_stop, elsewhere, len(items) > 3) == (None, [], True)


def test_it_keeps_one_route_when_run_twice(seeded):
    stops = PatrolStop.objects.count()
    call_command("seed_demo", verbosity=0, stdout=StringIO())
    assert PatrolStop.objects.count() == stops


def test_it_seeds_visits_so_the_monthly_visit_rate_is_neither_0_nor_100_per_cent(seeded):
    community = Community.objects.get(name="福海佳园")
    today = timezone.localdate()
    last_month_end = today.replace(day=1) - timedelta(days=1)
    last_month = visit_report_figures(community, first=last_month_end.replace(day=1), last=last_month_end, today=today)
    assert 0 < last_month["rate"] < 1 and last_month["visits"] > 0
    this_month = visit_report_figures(community, first=today.replace(day=1), last=today, today=today)
    assert 0 < this_month["rate"] < 1


@pytest.mark.parametrize("moment", ["2026-12-03T01:16+08:00", "2026-12-01T09:00+08:00", "2026-12-28T15:00+08:00"])
def test_it_seeds_last_months_12345_cases_called_back_whatever_the_day(db, settings, moment):
    """On the 3rd of December, after Beijing's midnight, "35 days ago" is in October: the demo's
    last month had no 12345 case and its three rates showed only dashes (CI found it at 17:16 UTC)."""
    settings.DEBUG = True
    with time_machine.travel(datetime.fromisoformat(moment), tick=False):
        call_command("seed_demo", verbosity=0, stdout=StringIO())
        today = timezone.localdate()
    last_month_start = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    cases = HotlineCase.objects.filter(
        dispatched_at__date__gte=last_month_start, dispatched_at__date__lt=today.replace(day=1)
    )
    # the six from its 3rd all called back (on the 1st and 2nd, this month's two days back are in it too)
    assert cases.filter(dispatched_at__day__lte=5).exclude(city_solved="").count() == 6


@pytest.mark.parametrize("moment", ["2026-12-06T08:05+08:00", "2026-12-06T23:50+08:00"])
def test_it_writes_nothing_that_happens_after_now(db, settings, moment):
    """At 08:05 the demo had a 12345 item 已办结 at 10:03 the same day: counted open in the
    report, shown closed in its list."""
    settings.DEBUG = True
    with time_machine.travel(datetime.fromisoformat(moment), tick=False):
        call_command("seed_demo", verbosity=0, stdout=StringIO())
        now = timezone.now()
    assert not Issue.objects.filter(resolved_at__gt=now).exists()
    assert not Issue.objects.filter(closed_at__gt=now).exists()
    assert not HotlineCase.objects.filter(replied_at__gt=now).exists()
    assert not HotlineCase.objects.filter(first_contact_at__gt=now).exists()
