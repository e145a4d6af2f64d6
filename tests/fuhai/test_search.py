"""The top bar's search: items, residents, partners, activities, commendations and 12345 cases of one
community."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from issues.hotline.models import HotlineCase
from tests.factories import ActivityFactory, CommendationFactory, IssueFactory, PartnerFactory, ResidentFactory


def search(client, q, **extra):
    return client.get(reverse("search"), {"q": q, **extra})


def make_case(community, case_no, text="12345来电：楼下油烟扰民"):
    now = timezone.now()
    return HotlineCase.objects.create(
        issue=IssueFactory(community=community, text=text),
        community=community,
        case_no=case_no,
        request_type="complaint",
        urgency="normal",
        dispatched_at=now,
        response_deadline=now + timedelta(hours=2),
        resolution_deadline=now + timedelta(days=5),
    )


def test_it_finds_an_item_by_its_text(secretary_client, community):
    issue = IssueFactory(community=community, text="3号楼楼道灯不亮")
    assert reverse("issues:issue_detail", args=[issue.pk]) in search(secretary_client, "楼道灯").content.decode()


def test_it_finds_an_item_by_its_number(secretary_client, community):
    issue = IssueFactory(community=community, code="MQ20261201-007")
    assert reverse("issues:issue_detail", args=[issue.pk]) in search(secretary_client, "20261201-007").content.decode()


@pytest.mark.parametrize("query", ["3-2-501", "3号楼2单元501", "3-2-501室"])
def test_it_finds_an_item_by_its_room_as_typed(secretary_client, community, room, query):
    issue = IssueFactory(community=community, room=room, text="楼上漏水")
    assert reverse("issues:issue_detail", args=[issue.pk]) in search(secretary_client, query).content.decode()


@pytest.mark.parametrize(("query", "found"), [("消防通道 堆放", True), ("5号楼\u3000消防", True), ("消防 暖气", False)])
def test_it_finds_an_item_by_every_word(secretary_client, community, query, found):
    issue = IssueFactory(community=community, text="5号楼2单元楼道堆放纸箱杂物，堵住消防通道")
    page = search(secretary_client, query).content.decode()
    assert (reverse("issues:issue_detail", args=[issue.pk]) in page) == found


@pytest.mark.parametrize("query", ["王秀英", "wxy", "3-2-501", "8123"])
def test_it_finds_a_resident_by_name_initials_room_or_phone_digits(secretary_client, community, room, query):
    resident = ResidentFactory(community=community, room=room, name="王秀英", phone="13900008123")
    page = search(secretary_client, query).content.decode()
    assert reverse("residents:resident_detail", args=[resident.pk]) in page


def test_it_masks_the_residents_phone_in_the_results(secretary_client, community, room):
    ResidentFactory(community=community, room=room, name="王秀英", phone="13900008123")
    page = search(secretary_client, "王秀英").content.decode()
    assert "13900008123" not in page
    assert "139****8123" in page


def test_it_finds_a_partner_an_activity_and_a_12345_case(secretary_client, community):
    partner = PartnerFactory(community=community, name="福海物业")
    activity = ActivityFactory(community=community, title="福海宪法宣传日")
    case = make_case(community, "2026120112345")
    page = search(secretary_client, "福海").content.decode()
    assert reverse("issues:partner_detail", args=[partner.pk]) in page
    assert reverse("activities:activity_detail", args=[activity.pk]) in page
    assert reverse("issues:hotline_detail", args=[case.pk]) in search(secretary_client, "12345").content.decode()


def test_it_never_shows_another_communitys_objects(secretary_client, community, other_community):
    IssueFactory(community=other_community, text="别处的油烟扰民")
    ResidentFactory(community=other_community, name="油烟扰民者")
    PartnerFactory(community=other_community, name="油烟扰民物业")
    ActivityFactory(community=other_community, title="油烟扰民讲座")
    make_case(other_community, "油烟扰民0001")
    response = search(secretary_client, "油烟扰民")
    assert response.status_code == 200
    assert response.context["groups"] == []
    assert "没有找到" in response.content.decode()


def test_it_answers_the_drop_down_with_options_only(secretary_client, community):
    IssueFactory(community=community, text="楼道灯不亮")
    response = search(secretary_client, "楼道灯", suggest="1")
    page = response.content.decode()
    assert 'role="option"' in page
    assert "<html" not in page


def test_it_shows_an_empty_page_for_a_blank_query(secretary_client, community):
    IssueFactory(community=community)
    response = search(secretary_client, "   ")
    assert response.status_code == 200
    assert response.context["groups"] == []


def test_it_sends_an_anonymous_visitor_to_log_in(client, db):
    response = client.get(reverse("search"), {"q": "王"})
    assert response.status_code == 302
    assert reverse("login") in response.url


def test_it_shows_the_search_box_in_the_top_bar(secretary_client):
    page = secretary_client.get(reverse("home")).content.decode()
    assert 'id="top-search-input"' in page
    assert 'role="combobox"' in page


@pytest.mark.parametrize("rows", [5, 50])
def test_it_keeps_search_queries_bounded(secretary_client, community, django_assert_max_num_queries, rows):
    for n in range(rows):
        IssueFactory(community=community, text=f"福海{n}号楼道灯不亮")
        ResidentFactory(community=community, name=f"福海{n}")
        PartnerFactory(community=community, name=f"福海单位{n}")
        ActivityFactory(community=community, title=f"福海活动{n}")
        CommendationFactory(community=community, inscription=f"福海为民{n}")
        make_case(community, f"福海{n:04d}")
    with django_assert_max_num_queries(13):
        response = search(secretary_client, "福海")
    assert response.status_code == 200
    assert len(response.context["groups"]) == 6
