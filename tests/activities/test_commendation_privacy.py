"""A 锦旗's giver and inscription are free text: a phone typed into the giver is refused, numbers
typed anywhere are shown masked (wall of honour, item page, report rows, search), a search by the
number finds nothing, and the 街道 viewer sees the giver's person as 王**, not the whole giver."""

import pytest
from django.urls import reverse

from activities.models import Commendation
from tests.factories import CommendationFactory, IssueFactory, ResidentFactory

PHONE = "13800138000"
MASKED = "138****8000"
WALL = reverse("activities:commendation_list")


@pytest.fixture
def with_phone(community):
    """Recorded before the giver field refused numbers."""
    return CommendationFactory(community=community, giver_name=f"李先生 {PHONE}", inscription=f"谢谢张阿姨{PHONE}")


def _banner(**data) -> dict:
    return {"kind": "banner", "received_on": "2026-12-04", "inscription": "为民解忧", **data}


@pytest.mark.parametrize("typed", [f"李先生 {PHONE}", "李先生138-0013-8000", "王阿姨110101199003071234"])
def test_it_refuses_a_phone_or_id_number_in_the_giver_and_keeps_the_input(staff_client, typed):
    response = staff_client.post(reverse("activities:commendation_create"), _banner(giver_resident_name=typed))
    assert response.status_code == 200
    assert response.context["form"].errors["giver_resident_name"]
    assert response.context["form"]["giver_resident_name"].value() == typed
    assert not Commendation.objects.exists()


def test_it_takes_a_giver_with_a_building_and_room(staff_client):
    response = staff_client.post(
        reverse("activities:commendation_create"), _banner(giver_resident_name="3号楼2单元501王阿姨")
    )
    assert response.status_code == 302
    assert Commendation.objects.get().giver_name == "3号楼2单元501王阿姨"


@pytest.mark.parametrize("persona", ["staff", "viewer"])
def test_it_masks_numbers_of_giver_and_inscription_on_the_wall(client, request, with_phone, persona):
    client.force_login(request.getfixturevalue(persona))
    page = client.get(WALL).content.decode()
    assert PHONE not in page
    assert f"谢谢张阿姨{MASKED}" in page


def test_it_masks_numbers_on_the_item_page(client, viewer, community):
    item = IssueFactory(community=community)
    CommendationFactory(community=community, issue=item, giver_name=f"李先生 {PHONE}", inscription=f"谢谢{PHONE}")
    client.force_login(viewer)
    page = client.get(reverse("issues:issue_detail", args=[item.pk])).content.decode()
    assert PHONE not in page and f"谢谢{MASKED}" in page


def test_it_masks_numbers_in_the_report_rows(client, viewer, with_phone):
    client.force_login(viewer)
    month = with_phone.received_on.strftime("%Y-%m")
    page = client.get(reverse("reports:report_activity_rows"), {"month": month}).content.decode()
    assert PHONE not in page and f"谢谢张阿姨{MASKED}" in page


@pytest.mark.parametrize("query", [PHONE, "138 0013 8000", "００１３８０００"])
def test_it_finds_no_commendation_by_the_phone_in_its_text(client, request, with_phone, viewer, query):
    client.force_login(viewer)
    response = client.get(reverse("search"), {"q": query})
    assert with_phone.get_absolute_url() not in response.content.decode()


def test_it_finds_no_commendation_by_the_phone_on_the_wall(staff_client, with_phone):
    response = staff_client.get(WALL, {"q": PHONE})
    assert list(response.context["object_list"]) == []


@pytest.mark.parametrize("persona", ["staff", "viewer"])
def test_it_shows_a_commendation_found_by_its_words_with_the_number_masked(client, request, with_phone, persona):
    client.force_login(request.getfixturevalue(persona))
    page = client.get(reverse("search"), {"q": "谢谢张阿姨"}).content.decode()
    assert with_phone.get_absolute_url() in page
    assert PHONE not in page and MASKED in page


@pytest.mark.parametrize(
    ("giver", "shown", "hidden"),
    [
        ("7号楼李先生", "7号楼李**", "李先生"),
        ("3号楼王阿姨一家", "3号楼王**一家", "王阿姨"),
        ("3号楼全体居民", "3号楼全体居民", None),
    ],
)
def test_it_shows_the_viewer_the_giver_with_the_person_masked(client, viewer, community, giver, shown, hidden):
    CommendationFactory(community=community, giver_name=giver)
    client.force_login(viewer)
    page = client.get(WALL).content.decode()
    assert shown in page
    assert hidden is None or hidden not in page


def test_it_shows_the_office_the_giver_as_typed(staff_client, community):
    CommendationFactory(community=community, giver_name="7号楼李先生")
    assert "7号楼李先生" in staff_client.get(WALL).content.decode()


def test_it_masks_the_givers_name_in_the_inscription_for_the_viewer(client, viewer, community, room):
    giver = ResidentFactory(community=community, name="李秀英", room=room)
    CommendationFactory(community=community, giver=giver, giver_name="李秀英", inscription="李秀英感谢社区暖心帮扶")
    client.force_login(viewer)
    page = client.get(WALL).content.decode()
    assert "李秀英" not in page and "李**感谢社区暖心帮扶" in page


def test_it_shows_the_viewer_the_giver_with_the_person_masked_in_search(client, viewer, community):
    commendation = CommendationFactory(community=community, giver_name="7号楼李先生", inscription="热心为民")
    client.force_login(viewer)
    page = client.get(reverse("search"), {"q": "热心为民"}).content.decode()
    assert commendation.get_absolute_url() in page
    assert "7号楼李**" in page and "李先生" not in page


@pytest.mark.parametrize("rows", [5, 50])
def test_it_shows_the_viewer_the_wall_in_few_queries(client, viewer, community, rows, django_assert_max_num_queries):
    for n in range(rows):
        CommendationFactory(community=community, giver_name=f"{n}号楼李先生", inscription=f"谢谢{PHONE}")
    client.force_login(viewer)
    with django_assert_max_num_queries(8):
        assert client.get(WALL).status_code == 200
