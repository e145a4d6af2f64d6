"""The 街道 viewer sees the people an item's text names as 王** on every list that shows that text
(the 民情日记 list, the 12345 list, search, home, a partner's items, a walk's record and the two
Excel exports), as the item page already did (issues.selectors.names.hide_names); the office
sees them in full. A tester logged a 12345 case naming its caller and read 李桂兰 in full on the
12345 list as street1."""

from datetime import datetime
from io import BytesIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from issues import services
from issues.hotline.services import log_case
from issues.models.choices import IssueChannel
from issues.models.issue import Issue
from issues.patrol.models import Outcome, PatrolCheck
from residents.places import Place
from tests.factories import BuildingFactory, PartnerFactory, PatrolFactory, ResidentFactory, RoomFactory, UnitFactory

NOW = datetime(2026, 12, 4, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))  # a Friday, 9:00
TEXT = "来电人李桂兰反映：李桂兰家楼上漏水"


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def case(community, secretary):
    return log_case(
        community=community,
        by=secretary,
        now=NOW,
        case_no="2026120400001",
        dispatched_at=NOW,
        text=TEXT,
        request_type="complaint",
        caller_name="李桂兰",
        caller_phone="13912345678",
    )


@pytest.fixture
def item(community, secretary):
    """An item 李桂兰 reported herself, owned by the secretary (home's 我的事项)."""
    return services.log_issue(
        community=community, by=secretary, now=NOW, text=TEXT, reporter_name="李桂兰", owner=secretary
    )


def page(client, url, **query) -> str:
    response = client.get(url, query)
    assert response.status_code == 200
    return response.content.decode()


def sheet_text(client, url, **query) -> str:
    response = client.get(url, query)
    assert response.status_code == 200
    book = load_workbook(BytesIO(b"".join(response.streaming_content if response.streaming else [response.content])))
    return " ".join(str(cell.value) for sheet in book for row in sheet.iter_rows() for cell in row if cell.value)


def partner_page(item) -> str:
    partner = PartnerFactory(community=item.community)
    Issue.objects.filter(pk=item.pk).update(partner=partner)
    return reverse("issues:partner_detail", args=[partner.pk])


def patrol_page(item) -> str:
    patrol = PatrolFactory(community=item.community, staff=item.created_by)
    PatrolCheck.objects.create(patrol=patrol, issue=item, outcome=Outcome.NEW, created_at=NOW)
    return reverse("issues:patrol_summary", args=[patrol.pk])


#: Each page, with what makes it show the text: the item's own pages, then the case's.
ITEM_PAGES = {
    "issue list": lambda item: (reverse("issues:issue_list"), {}),
    "issue list searched": lambda item: (reverse("issues:issue_list"), {"q": "漏水"}),
    "search": lambda item: (reverse("search"), {"q": "漏水"}),
    "search suggestions": lambda item: (reverse("search"), {"q": "漏水", "suggest": "1"}),
    "partner page": lambda item: (partner_page(item), {}),
    "patrol record": lambda item: (patrol_page(item), {}),
}
CASE_PAGES = {
    "12345 list": lambda case: (reverse("issues:hotline_list"), {}),
    "home": lambda case: (reverse("home"), {}),
    "search": lambda case: (reverse("search"), {"q": case.case_no}),
}
EXPORTS = {
    "issue log": lambda: (reverse("issues:issue_export"), {}),
    "12345 month": lambda: (reverse("issues:hotline_export"), {"month": "2026-12"}),
}


@pytest.mark.parametrize("place", ITEM_PAGES)
def test_the_street_viewer_sees_the_reporter_named_in_an_items_text_as_a_surname(login, viewer, item, place):
    url, query = ITEM_PAGES[place](item)
    content = page(login(viewer), url, **query)
    assert "李桂兰" not in content
    assert "来电人李**反映" in content


@pytest.mark.parametrize("place", ITEM_PAGES)
def test_the_office_sees_the_reporter_named_in_an_items_text_in_full(login, secretary, item, place):
    url, query = ITEM_PAGES[place](item)
    assert "来电人李桂兰反映" in page(login(secretary), url, **query)


@pytest.mark.parametrize("place", CASE_PAGES)
def test_the_street_viewer_sees_the_caller_named_in_a_cases_text_as_a_surname(login, viewer, case, place):
    url, query = CASE_PAGES[place](case)
    content = page(login(viewer), url, **query)
    assert "李桂兰" not in content
    assert "来电人李**反映" in content


@pytest.mark.parametrize("place", CASE_PAGES)
def test_the_office_sees_the_caller_named_in_a_cases_text_in_full(login, secretary, case, place):
    url, query = CASE_PAGES[place](case)
    assert "来电人李桂兰反映" in page(login(secretary), url, **query)


@pytest.mark.parametrize("export", EXPORTS)
def test_the_street_viewers_export_names_the_caller_in_the_text_as_a_surname(login, viewer, case, export):
    url, query = EXPORTS[export]()
    content = sheet_text(login(viewer), url, **query)
    assert "李桂兰" not in content
    assert "来电人李**反映" in content


@pytest.mark.parametrize("export", EXPORTS)
def test_the_offices_export_names_the_caller_in_the_text_in_full(login, secretary, case, export):
    url, query = EXPORTS[export]()
    assert "来电人李桂兰反映" in sheet_text(login(secretary), url, **query)


def test_the_street_viewers_issue_log_export_masks_a_name_in_the_result_note(login, viewer, item, secretary):
    item.resolve(by=secretary, now=NOW, result="fixed", note="已为李桂兰更换水管")
    content = sheet_text(login(viewer), reverse("issues:issue_export"))
    assert "李桂兰" not in content and "已为李**更换水管" in content


@pytest.mark.parametrize("rows", [5, 50])
def test_it_keeps_the_viewers_issue_list_queries_bounded(
    login, viewer, community, secretary, rows, django_assert_max_num_queries
):
    """The office's ceiling for the list; the names for all its rows in a fixed few queries."""
    for n in range(rows):
        log_case(
            community=community,
            by=secretary,
            now=NOW,
            case_no=f"20261204{n:05d}",
            dispatched_at=NOW,
            text=f"来电人李桂兰{n}反映漏水",
            request_type="complaint",
            caller_name=f"李桂兰{n}",
        )
    client = login(viewer)
    with django_assert_max_num_queries(12):
        content = page(client, reverse("issues:issue_list"))
    assert "李桂兰" not in content
    # Session, user, membership; the page's ids with the count; its rows, with their callers'
    # names (the office's five: a query of the callers a page was the viewer's sixth).
    with django_assert_max_num_queries(5):
        content = page(client, reverse("issues:hotline_list"))
    assert "李桂兰" not in content and content.count("来电人李**反映漏水") == min(rows, 50)
    content = page(login(secretary), reverse("issues:hotline_list"))
    assert "来电人李**" not in content and content.count("来电人李桂兰") == min(rows, 50)


#: Fifty residents, a page's rows.
NAMES = [surname + given for surname in "王李张刘陈杨赵黄周吴" for given in ("秀英", "建国", "淑珍", "志强", "丽华")]


def named_items(community, secretary, rows) -> list[Issue]:
    """``rows`` open items, each naming in its text the resident of a flat of her own who reported
    it; every other one reported again by a neighbour, every third a 12345 case from her: every
    read of hide_names, for each row."""
    unit = UnitFactory(building=BuildingFactory(community=community, number="5"), number="1")
    items = []
    for n, name in enumerate(NAMES[:rows]):
        room = RoomFactory(unit=unit, room_no=str(101 + n))
        resident = ResidentFactory(community=community, room=room, name=name)
        text = f"{name}反映：楼上漏水"
        if n % 3:
            issue = services.log_issue(
                community=community, by=secretary, now=NOW, text=text, reporter=resident, place=Place(room=room)
            )
        else:
            issue = log_case(
                community=community,
                by=secretary,
                now=NOW,
                case_no=f"20261204{n:05d}",
                dispatched_at=NOW,
                text=text,
                request_type="complaint",
                caller_name=name,
                place=Place(room=room),
            ).issue
        if n % 2:
            services.add_report(
                issue, by=secretary, now=NOW, text="又漏了", channel=IssueChannel.WECHAT, sender="赵大妈"
            )
        items.append(issue)
    return items


def partner_of(items) -> str:
    partner = PartnerFactory(community=items[0].community)
    Issue.objects.filter(pk__in=[item.pk for item in items]).update(partner=partner)
    return reverse("issues:partner_detail", args=[partner.pk])


def patrol_of(items) -> str:
    patrol = PatrolFactory(community=items[0].community, staff=items[0].created_by)
    PatrolCheck.objects.bulk_create(
        PatrolCheck(patrol=patrol, issue=item, outcome=Outcome.NEW, created_at=NOW) for item in items
    )
    return reverse("issues:patrol_summary", args=[patrol.pk])


#: The viewer's pages that show items' text: where, the ceiling, how many of the texts they show.
#: Each ceiling is the office's queries and hide_names's for all the rows: the residents of the
#: items' flats, the repeats' senders, the duplicates' people, and the callers unless the cases
#: came with their items (home, a search by case number).
VIEWER_PAGES = {
    # Session, user, membership; the community's figures, the open items' counts, the callbacks',
    # the five 12345 cases with their items, my items, logged any; tasks, visits; the names (3).
    "home": (lambda items: (reverse("home"), {}), 14, lambda rows: min((rows + 2) // 3, 5)),
    # Session, user, membership; the items, cases, residents, partners, activities and
    # commendations found; the names (4).
    "search": (lambda items: (reverse("search"), {"q": "漏水"}), 13, lambda rows: rows),
    # As above, the cases' items by their numbers (MQ20261204-…) and the cases: the names (3).
    "search by case number": (
        lambda items: (reverse("search"), {"q": "20261204"}),
        12,
        lambda rows: rows + (rows + 2) // 3,
    ),
    # Session, user, membership; the partner, its contacts, its open items, its projects; the
    # names (4).
    "partner page": (lambda items: (partner_of(items), {}), 11, lambda rows: rows),
    # Session, user, membership; the walk, its checks with their items; the names (4).
    "patrol record": (lambda items: (patrol_of(items), {}), 9, lambda rows: rows),
}


@pytest.mark.parametrize("rows", [5, 50])
@pytest.mark.parametrize("place", VIEWER_PAGES)
def test_it_keeps_the_viewers_pages_of_items_queries_bounded(
    login, viewer, community, secretary, place, rows, django_assert_max_num_queries
):
    """The residents the items' text names are 王** for the viewer, the names for all the rows
    read in a fixed few queries."""
    where, ceiling, shown = VIEWER_PAGES[place]
    url, query = where(named_items(community, secretary, rows))
    client = login(viewer)
    with django_assert_max_num_queries(ceiling):
        content = page(client, url, **query)
    assert [name for name in NAMES if name in content] == []
    assert content.count("**反映：楼上漏水") == shown(rows)


def test_the_timeline_step_forms_contact_says_choose_when_none_is_chosen(staff_client, item):
    content = page(staff_client, reverse("issues:issue_detail", args=[item.pk]))
    select = content[content.index('id="fu_partner_contact"') :]
    assert select[: select.index("</option>")].endswith(">请选择")
    assert "---------" not in select[: select.index("</select>")]
