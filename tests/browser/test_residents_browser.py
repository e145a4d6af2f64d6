"""In Chromium on a phone: from the roster to a recorded visit in well under a minute."""

import time
from datetime import timedelta

import pytest
from django.utils import timezone

from residents.models.care import SpecialStatus, Visit
from tests.conftest import ARTIFACTS
from tests.factories import BuildingFactory, ResidentFactory, RoomFactory, SpecialStatusFactory, UnitFactory

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def roster(community, staff):
    unit = UnitFactory(building=BuildingFactory(community=community, number="3"), number="2")
    room = RoomFactory(unit=unit, room_no="501", floor_no=5)
    wang = ResidentFactory(community=community, room=room, name="王秀英")
    ResidentFactory(community=community, room=room, name="李建国")
    SpecialStatusFactory(resident=wang, responsible=staff, valid_from=timezone.localdate() - timedelta(days=9))
    for i, name in enumerate(["张桂兰", "刘淑珍", "陈志明"]):
        other = ResidentFactory(community=community, name=name, room=RoomFactory(unit=unit, room_no=f"10{i + 1}"))
        SpecialStatusFactory(resident=other, responsible=staff, tier="key", valid_from=timezone.localdate())
    return wang


def test_it_records_a_visit_on_a_phone_in_under_a_minute(page_for, staff, roster):
    page = page_for(staff, viewport=PHONE)
    page.goto("/residents/roster/")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "residents-roster-phone.png"), full_page=True)
    started = time.monotonic()
    page.locator("#roster-rows .list-group-item").first.get_by_role("link", name="记录走访").click()
    page.get_by_text("正常", exact=True).first.click()
    page.locator("label[for=home_safety-problem]").click()
    page.get_by_label("备注", exact=True).fill("燃气灶软管老化，已提醒更换")
    page.screenshot(path=str(ARTIFACTS / "residents-visit-form-phone.png"), full_page=True)
    page.get_by_role("button", name="保存走访").click()
    page.wait_for_url("**/residents/visits/plan/")
    elapsed = time.monotonic() - started
    print(f"visit recorded in {elapsed:.1f} s")
    assert elapsed < 60
    visit = Visit.objects.get()
    assert (list(visit.residents.all()), visit.home_safety) == ([roster], "problem")
    assert SpecialStatus.objects.get(resident=roster).next_due_on > timezone.localdate()
