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


def test_the_rosters_filter_bar_fits_a_pc(page_for, staff, roster):
    """On a PC the roster's filters were squeezed into one row: the 楼 select showed only its
    arrow, 只看已超期 and the 筛选 button broke over two lines, the search box sat lower than
    the selects."""
    page = page_for(staff, viewport={"width": 1366, "height": 900})
    page.goto("/residents/roster/?building=" + str(roster.room.unit.building_id))
    building = page.locator("#id_building")
    assert building.evaluate("select => select.selectedOptions[0].textContent") == "3号楼"
    # The chosen building's name fits between the select's padding (the arrow sits in the right one).
    room = building.evaluate(
        """select => { const style = getComputedStyle(select);
                       const context = document.createElement('canvas').getContext('2d');
                       context.font = style.font;
                       const free = select.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
                       return free - context.measureText(select.selectedOptions[0].textContent).width; }"""
    )
    assert room >= 0, room
    lines = page.evaluate(
        """() => [...document.querySelectorAll('#roster-filter label.form-check-label, #roster-filter button')]
            .filter(element => element.offsetParent !== null)
            .map(element => { const range = document.createRange(); range.selectNodeContents(element);
                              const tops = new Set([...range.getClientRects()].map(rect => Math.round(rect.top)));
                              return [element.textContent.trim(), tops.size]; })"""
    )
    assert ["只看已超期", 1] in lines and ["筛选", 1] in lines, lines
    search, category = page.locator("#id_q").bounding_box(), page.locator("#id_category").bounding_box()
    assert abs(search["y"] + search["height"] - category["y"] - category["height"]) < 2
    page.screenshot(path=str(ARTIFACTS / "residents-roster-pc.png"), full_page=True)


def test_the_visit_plans_day_buttons_stay_together_on_a_phone(page_for, staff, roster):
    """On a phone 前一天 stood beside the title and 后一天 under it; each row's button said 登记
    where the roster says 记录走访 for the same step."""
    page = page_for(staff, viewport=PHONE)
    page.goto("/residents/visits/plan/")
    tops = {
        name: round(page.get_by_role("link", name=name, exact=True).first.bounding_box()["y"])
        for name in ("前一天", "后一天", "记录走访")
    }
    assert len(set(tops.values())) == 1, tops
    title = page.get_by_role("heading", level=1).bounding_box()
    assert title["y"] + title["height"] <= tops["前一天"], (title, tops)
    rows = page.locator("#plan .list-group-item")
    assert rows.count() == 4
    assert [rows.nth(n).get_by_role("link", name="记录走访").count() for n in range(4)] == [1] * 4
    page.screenshot(path=str(ARTIFACTS / "residents-visit-plan-phone.png"))


def test_the_residents_search_takes_the_cursor_on_a_pc_but_not_on_a_phone(page_for, staff, roster):
    """`autofocus` opened a phone's keyboard over the list the moment the page opened."""
    phone = page_for(staff, viewport=PHONE)
    phone.goto("/residents/")
    assert phone.get_by_role("searchbox").count() == 1
    assert phone.evaluate("document.activeElement.id") != "id_q"
    pc = page_for(staff)
    pc.goto("/residents/")
    pc.wait_for_function("document.activeElement && document.activeElement.id === 'id_q'")
    pc.keyboard.type("王秀")
    assert pc.locator("#id_q").input_value() == "王秀"
