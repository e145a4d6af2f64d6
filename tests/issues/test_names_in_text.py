"""The 街道 viewer sees a resident as 王** wherever one is named, and that includes names typed
into free text: an item's text, its timeline notes (a callback's too), its result note and a
12345 case's step notes. The names masked are those the system knows belong to the item: its
reporter and sender, the senders of its repeat reports, its 12345 caller, and the residents of
its room and of its reporter's household. The office keeps full names.

Also the item page's label-value pairs in Chinese, with a full-width colon."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from issues import services
from issues.hotline.services import log_case
from residents.masking import mask_numbers_in_text
from residents.places import Place
from tests.factories import ResidentFactory

NOW = datetime(2026, 12, 4, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))  # a Friday, 9:00


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def ding(community, room):
    """丁怡凤 lives alone in 3-2-501 (孤寡); 周志明, her nephew, is her emergency contact."""
    return ResidentFactory(community=community, room=room, name="丁怡凤", emergency_contact="周志明")


@pytest.fixture
def item(community, secretary, room, ding):
    """Posted to the WeChat group by 李建国 about 3-2-501; the office called 丁怡凤 and her nephew."""
    issue = services.log_issue(
        community=community,
        by=secretary,
        now=NOW,
        text="501丁怡凤家漏水到楼下，李建国说的",
        sender="李建国",
        place=Place(room=room),
    )
    services.add_followup(
        issue, by=secretary, now=NOW, kind="call", note="已联系丁怡凤（电话13912345678），侄子周志明下午到"
    )
    issue.resolve(by=secretary, now=NOW, result="fixed", note="物业已为丁怡凤更换水管")
    return issue


@pytest.fixture
def case(community, secretary):
    """A 12345 case from 赵丽华, who is on no roll; the steps name her."""
    case = log_case(
        community=community,
        by=secretary,
        now=NOW,
        case_no="2026120400001",
        dispatched_at=NOW,
        text="楼下餐馆油烟扰民",
        request_type="complaint",
        caller_name="赵丽华",
        caller_phone="13912345678",
    )
    case.record_first_contact(by=secretary, now=NOW, at=NOW, method="phone", note="已电话联系赵丽华")
    case.record_reply(by=secretary, now=NOW, result="solved", reply_text="已与赵丽华沟通，餐馆加装净化器")
    return case


ITEM_PAGES = {
    "item page": lambda item: reverse("issues:issue_detail", args=[item.pk]),
    "item print": lambda item: reverse("issues:issue_print", args=[item.pk]),
    "diary": lambda item: reverse("issues:issue_diary"),
}
CEILINGS = {"item page": 10, "item print": 10, "diary": 8}
CASE_PAGES = {
    "case page": lambda case: reverse("issues:hotline_detail", args=[case.pk]),
    "case print": lambda case: reverse("issues:hotline_print", args=[case.pk]),
    "case item page": lambda case: reverse("issues:issue_detail", args=[case.issue_id]),
}


def page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_it_masks_the_names_given_inside_text_with_the_numbers():
    text = "已联系丁怡凤（电话13912345678），侄子周志明下午到"
    assert mask_numbers_in_text(text, ["丁怡凤", "周志明"]) == "已联系丁**（电话139****5678），侄子周**下午到"


def test_it_masks_the_longer_of_two_names_that_begin_alike_whole():
    assert mask_numbers_in_text("王秀英和王秀说", ["王秀", "王秀英"]) == "王**和王**说"


def test_it_masks_no_one_character_name_inside_text():
    assert mask_numbers_in_text("王师傅来修王**家的灯", ["王", ""]) == "王师傅来修王**家的灯"


def test_it_leaves_text_without_names_given_as_it_was():
    assert mask_numbers_in_text("已联系丁怡凤") == "已联系丁怡凤"


@pytest.mark.parametrize("place", ITEM_PAGES)
@pytest.mark.parametrize("name", ["丁怡凤", "周志明", "李建国"])
def test_the_street_viewer_sees_names_in_an_items_text_and_notes_as_surnames(login, viewer, item, place, name):
    content = page(login(viewer), ITEM_PAGES[place](item))
    assert name not in content
    assert f"{name[0]}**" in content


@pytest.mark.parametrize("place", CASE_PAGES)
def test_the_street_viewer_sees_the_caller_named_in_a_step_note_as_a_surname(login, viewer, case, place):
    content = page(login(viewer), CASE_PAGES[place](case))
    assert "赵丽华" not in content
    assert "赵**" in content


def test_the_street_viewer_sees_a_resident_named_in_a_callback_note_as_a_surname(login, viewer, item, secretary):
    item.callback(by=secretary, now=NOW, satisfaction="satisfied", method="phone", note="丁怡凤表示满意")
    content = page(login(viewer), reverse("issues:issue_detail", args=[item.pk]))
    assert "丁怡凤" not in content and "丁**表示满意" in content


def test_the_street_viewer_sees_the_sender_of_a_repeat_report_as_a_surname(login, viewer, item, secretary):
    services.add_report(item, by=secretary, now=NOW, text="孙美兰：楼下又漏水了", channel="wechat", sender="孙美兰")
    content = page(login(viewer), reverse("issues:issue_detail", args=[item.pk]))
    assert "孙美兰" not in content and "孙**：楼下又漏水了" in content


def test_the_street_viewer_sees_the_reporter_of_a_merged_duplicate_as_a_surname(
    login, viewer, item, secretary, community
):
    again = services.log_issue(
        community=community, by=secretary, now=NOW, text="钱国强说楼下又漏水了", reporter_name="钱国强"
    )
    again.merge_into(item, by=secretary, now=NOW)
    content = page(login(viewer), reverse("issues:issue_detail", args=[item.pk]))
    assert "钱国强" not in content and "钱**说楼下又漏水了" in content


def test_the_street_viewer_sees_the_reporters_household_named_as_surnames(
    login, viewer, community, secretary, room, ding
):
    """The item is about the stairway, not the room; its reporter lives with 丁怡凤."""
    reporter = ResidentFactory(community=community, room=room, name="周建华")
    issue = services.log_issue(
        community=community, by=secretary, now=NOW, text="周建华说楼道灯坏了，丁怡凤摔了一跤", reporter=reporter
    )
    content = page(login(viewer), reverse("issues:issue_detail", args=[issue.pk]))
    assert "周建华" not in content and "丁怡凤" not in content
    assert "周**说楼道灯坏了，丁**摔了一跤" in content


@pytest.mark.parametrize("role", ["secretary", "staff", "grid_worker"])
@pytest.mark.parametrize("place", ITEM_PAGES)
def test_the_office_sees_names_in_an_items_notes_in_full(request, login, item, role, place):
    content = page(login(request.getfixturevalue(role)), ITEM_PAGES[place](item))
    assert "已联系丁怡凤" in content and "侄子周志明" in content and "物业已为丁怡凤更换水管" in content


@pytest.mark.parametrize("place", CASE_PAGES)
def test_the_office_sees_the_caller_named_in_a_step_note_in_full(staff_client, case, place):
    assert "赵丽华" in page(staff_client, CASE_PAGES[place](case))


def test_the_office_still_sees_numbers_in_a_note_masked(staff_client, item):
    content = page(staff_client, reverse("issues:issue_detail", args=[item.pk]))
    assert "13912345678" not in content and "139****5678" in content


@pytest.mark.parametrize("place", ITEM_PAGES)
@pytest.mark.parametrize("rows", [5, 50])
def test_it_keeps_the_viewers_item_pages_queries_bounded(
    login, viewer, community, secretary, room, item, place, rows, django_assert_max_num_queries
):
    for n in range(rows):
        ResidentFactory(community=community, room=room, name=f"丁{n}号")
        services.add_followup(item, by=secretary, now=NOW, kind="note", note=f"第{n}次跟进")
        services.log_issue(community=community, by=secretary, now=NOW, text=f"第{n}件事", place=Place(room=room))
    client = login(viewer)
    with django_assert_max_num_queries(CEILINGS[place]):  # the office's ceilings for these pages
        assert client.get(ITEM_PAGES[place](item)).status_code == 200


@pytest.mark.parametrize("rows", [5, 50])
def test_it_keeps_the_viewers_case_print_queries_bounded(
    login, viewer, secretary, case, rows, django_assert_max_num_queries
):
    for n in range(rows):
        services.add_followup(case.issue, by=secretary, now=NOW, kind="note", note=f"第{n}次跟进")
    client = login(viewer)
    with django_assert_max_num_queries(10):
        assert client.get(reverse("issues:hotline_print", args=[case.pk])).status_code == 200


def test_it_writes_a_result_with_its_note_with_a_full_width_colon_in_chinese(staff_client, item):
    content = page(staff_client, reverse("issues:issue_detail", args=[item.pk]))
    assert "已解决：物业已为丁怡凤更换水管" in content
    assert "来源：微信群" in content
    assert "已解决: " not in content and "来源: " not in content


def test_it_writes_a_result_with_its_note_with_a_colon_in_english(staff_client, item):
    staff_client.cookies["django_language"] = "en"
    content = page(staff_client, reverse("issues:issue_detail", args=[item.pk]))
    assert "Solved: 物业已为丁怡凤更换水管" in content
    assert "Source: WeChat group" in content
