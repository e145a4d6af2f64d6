"""In Chromium: the 锦旗 form suggests the giver while it is typed and links the one chosen."""

import pytest

from activities.models import Commendation
from tests.factories import BuildingFactory, ResidentFactory, RoomFactory, UnitFactory

pytestmark = pytest.mark.browser


def _room(community, building: str, unit: str, room_no: str):
    return RoomFactory(
        unit=UnitFactory(building=BuildingFactory(community=community, number=building), number=unit), room_no=room_no
    )


def test_it_links_the_giver_chosen_among_namesakes(page_for, staff, community, other_community):
    ResidentFactory(community=community, name="王秀英", room=_room(community, "3", "2", "501"))
    chosen = ResidentFactory(community=community, name="王秀英", room=_room(community, "5", "1", "302"))
    ResidentFactory(community=other_community, name="王秀兰")
    page = page_for(staff)
    page.goto("/activities/honours/new/")
    page.locator("#id_giver_resident_name").press_sequentially("王秀")
    choices = page.locator("#giver-choices")
    choices.get_by_text("5号楼1单元302").wait_for()
    assert choices.get_by_role("radio").count() == 3  # two 王秀英 and 不是以上居民, not the other community's 王秀兰
    choices.get_by_label("王秀英 5号楼1单元302").check()
    page.fill("#id_inscription", "热心为民 办事高效")
    with page.expect_navigation():
        page.locator("main form").get_by_role("button", name="保存").click()
    commendation = Commendation.objects.get()
    assert (commendation.giver, commendation.giver_name) == (chosen, "王秀英")
