"""The 锦旗 form suggests the giver among the community's residents while it is typed, and links
the one chosen, even when two residents share the name."""

import pytest
from django.urls import reverse

from activities.models import Commendation
from residents.models.resident import ResidentStatus
from tests.factories import (
    BuildingFactory,
    CommendationFactory,
    MembershipFactory,
    ResidentFactory,
    RoomFactory,
    UnitFactory,
)

SUGGEST = "activities:commendation_giver_suggest"


@pytest.fixture
def other_room(community):
    """5号楼1单元302."""
    unit = UnitFactory(building=BuildingFactory(community=community, number="5"), number="1")
    return RoomFactory(unit=unit, room_no="302", floor_no=3)


@pytest.fixture
def namesake(community, other_room):
    """A second 王秀英, in another building."""
    return ResidentFactory(community=community, name="王秀英", room=other_room, phone="13912349999")


def _suggest(client, typed: str):
    return client.get(reverse(SUGGEST), {"giver_resident_name": typed})


def _banner(**data) -> dict:
    return {"kind": "banner", "received_on": "2026-12-04", "inscription": "为民解忧", **data}


# --- the suggestions ------------------------------------------------------------------------


def test_it_suggests_residents_by_part_of_the_name_with_their_room(staff_client, wang):
    content = _suggest(staff_client, "秀英").content.decode()
    assert f'value="{wang.pk}"' in content and "王秀英" in content and "3号楼2单元501" in content


def test_it_suggests_residents_by_pinyin_initials(staff_client, wang):
    assert f'value="{wang.pk}"' in _suggest(staff_client, "wx").content.decode()


def test_it_shows_neither_phone_nor_id_number_in_the_suggestions(staff_client, wang, monkeypatch):
    monkeypatch.setenv("FIELD_ENCRYPTION_KEY", "a2V5LWZvci1mdWhhaS10ZXN0cy1vbmx5LTMyYnl0ZXM=")
    wang.set_id_number("110101195005011234")
    wang.save()
    content = _suggest(staff_client, "王秀").content.decode()
    assert "8000" not in content and "1234" not in content and "138" not in content


def test_it_suggests_nothing_for_one_character(staff_client, wang):
    assert 'name="giver"' not in _suggest(staff_client, "王").content.decode()


def test_it_suggests_at_most_eight_residents(staff_client, community):
    for i in range(10):
        ResidentFactory(community=community, name=f"王桂{i}")
    assert _suggest(staff_client, "王桂").content.decode().count('name="giver"') == 8 + 1  # and 不是以上居民


def test_it_does_not_suggest_a_resident_who_moved_out(staff_client, community):
    ResidentFactory(community=community, name="王秀英", status=ResidentStatus.MOVED_OUT)
    assert 'name="giver"' not in _suggest(staff_client, "王秀英").content.decode()


@pytest.mark.parametrize("working_in", ["community", "other_community"])
def test_it_suggests_only_residents_of_the_community_worked_in(
    client, request, staff, community, other_community, working_in
):
    MembershipFactory(community=other_community, user=staff, role="staff")
    namesakes = {c: ResidentFactory(community=c, name="王秀英") for c in (community, other_community)}
    here = request.getfixturevalue(working_in)
    client.force_login(staff)
    client.post(reverse("community_switch", args=[here.pk]))
    content = _suggest(client, "王秀英").content.decode()
    assert [f'value="{r.pk}"' in content for r in namesakes.values()] == [c == here for c in namesakes]


def test_it_does_not_suggest_our_residents_to_another_communitys_staff(client, outsider, wang):
    client.force_login(outsider)
    assert "王秀英" not in _suggest(client, "王秀英").content.decode()


@pytest.mark.parametrize("persona", ["secretary", "staff", "grid_worker"])
def test_it_suggests_givers_to_every_role_that_records_commendations(login, request, wang, persona):
    response = _suggest(login(request.getfixturevalue(persona)), "王秀")
    assert response.status_code == 200 and f'value="{wang.pk}"' in response.content.decode()


def test_it_refuses_suggestions_to_a_subdistrict_viewer(login, viewer, wang):
    assert _suggest(login(viewer), "王秀").status_code == 403


def test_it_sends_an_anonymous_visitor_to_the_login_page(client, wang):
    assert _suggest(client, "王秀").status_code == 302


@pytest.mark.parametrize("residents", [5, 50])
def test_it_suggests_givers_in_few_queries(staff_client, community, room, residents, django_assert_max_num_queries):
    for i in range(residents):
        ResidentFactory(community=community, name=f"王秀{i}", room=room)
    with django_assert_max_num_queries(4):
        assert _suggest(staff_client, "王秀").content.decode().count('name="giver"') == min(residents, 8) + 1


# --- choosing one ---------------------------------------------------------------------------


def test_it_links_the_chosen_resident_when_two_share_the_name(staff_client, wang, namesake):
    response = staff_client.post(
        reverse("activities:commendation_create"), _banner(giver_resident_name="王秀", giver=namesake.pk)
    )
    assert response.status_code == 302
    commendation = Commendation.objects.get()
    assert (commendation.giver, commendation.giver_name) == (namesake, "王秀英")


def test_it_asks_which_one_when_two_residents_share_the_typed_name_and_none_is_chosen(staff_client, wang, namesake):
    """A tester typed 侯轩 and pressed Enter: the 锦旗 was saved unlinked without a word, though
    the list offered both 侯轩. Now the form asks which one (or 都不是), keeping what was typed."""
    response = staff_client.post(reverse("activities:commendation_create"), _banner(giver_resident_name="王秀英"))
    assert response.status_code == 200 and not Commendation.objects.exists()
    content = response.content.decode()
    assert 'value="王秀英"' in content and 'id="id_giver_resident_name"' in content
    assert f'value="{wang.pk}"' in content and f'value="{namesake.pk}"' in content
    assert response.context["form"].errors["giver_resident_name"]


def test_it_asks_to_choose_when_the_list_offered_residents_and_none_was_chosen(staff_client, community, room):
    """A tester typed ll, the list offered 李立 and 林丽, and 保存 saved the 锦旗 from "ll", linked
    to nobody. Now the form asks to choose one (or 都不是) and keeps everything typed."""
    li, lin = (ResidentFactory(community=community, name=name, room=room) for name in ("李立", "林丽"))
    data = _banner(giver_resident_name="ll", note="送到居委会门口", credited_staff="")
    response = staff_client.post(reverse("activities:commendation_create"), data)
    assert response.status_code == 200 and not Commendation.objects.exists()
    assert response.context["form"].errors["giver_resident_name"]
    content = response.content.decode()
    assert 'value="ll"' in content and "为民解忧" in content and "送到居委会门口</textarea>" in content
    assert f'value="{li.pk}"' in content and f'value="{lin.pk}"' in content and 'id="giver-none"' in content


def test_it_keeps_the_name_as_typed_when_none_of_them_is_chosen(staff_client, community, room):
    ResidentFactory(community=community, name="李立", room=room)
    staff_client.post(reverse("activities:commendation_create"), _banner(giver_resident_name="ll", giver=""))
    commendation = Commendation.objects.get()
    assert (commendation.giver, commendation.giver_name) == (None, "ll")


def test_it_shows_none_of_them_chosen_when_a_banner_kept_as_typed_is_edited(staff_client, community, wang):
    """Saved unchanged, a 锦旗 kept under 王秀 (都不是 chosen) is not asked again which of the
    residents the list offers gave it."""
    banner = CommendationFactory(community=community, giver=None, giver_name="王秀")
    content = staff_client.get(reverse("activities:commendation_edit", args=[banner.pk])).content.decode()
    assert f'value="{wang.pk}" id="giver-{wang.pk}">' in content
    assert 'value="" id="giver-none" checked' in content


def test_it_refuses_another_communitys_resident_and_keeps_the_typed_name(staff_client, other_community, wang):
    theirs = ResidentFactory(community=other_community, name="王秀英")
    response = staff_client.post(
        reverse("activities:commendation_create"), _banner(giver_resident_name="王秀英", giver=theirs.pk)
    )
    content = response.content.decode()
    assert response.status_code == 200 and 'id="giver-error"' in content and 'value="王秀英"' in content
    assert not Commendation.objects.exists()


@pytest.mark.parametrize("junk", ["abc", "99999999999999999999", "-1", "1\x00"])
def test_it_refuses_a_giver_that_is_not_a_resident_id(staff_client, wang, junk):
    response = staff_client.post(
        reverse("activities:commendation_create"), _banner(giver_resident_name="王秀英", giver=junk)
    )
    assert response.status_code == 200 and 'id="giver-error"' in response.content.decode()
    assert not Commendation.objects.exists()


def test_it_keeps_a_giver_who_is_not_a_resident_as_typed(staff_client, wang):
    response = staff_client.post(
        reverse("activities:commendation_create"), _banner(giver_resident_name="3号楼王阿姨一家")
    )
    assert response.status_code == 302
    commendation = Commendation.objects.get()
    assert (commendation.giver, commendation.giver_name) == (None, "3号楼王阿姨一家")


def test_it_still_links_the_only_resident_of_the_typed_name(staff_client, wang):
    staff_client.post(reverse("activities:commendation_create"), _banner(giver_resident_name="王秀英"))
    assert Commendation.objects.get().giver == wang


def test_it_links_nobody_when_none_of_the_suggestions_is_chosen(staff_client, wang):
    staff_client.post(reverse("activities:commendation_create"), _banner(giver_resident_name="王秀英", giver=""))
    commendation = Commendation.objects.get()
    assert (commendation.giver, commendation.giver_name) == (None, "王秀英")


def test_it_shows_the_chosen_giver_again_when_the_form_is_refused(staff_client, wang, namesake):
    data = _banner(giver_resident_name="王秀英", giver=namesake.pk, received_on="2099-01-01")
    content = staff_client.post(reverse("activities:commendation_create"), data).content.decode()
    assert f'value="{namesake.pk}" id="giver-{namesake.pk}" checked' in content
    assert f'value="{wang.pk}" id="giver-{wang.pk}">' in content


def test_it_shows_the_linked_giver_chosen_when_a_banner_is_edited(staff_client, community, wang, namesake):
    banner = CommendationFactory(community=community, giver=namesake, giver_name="王秀英")
    content = staff_client.get(reverse("activities:commendation_edit", args=[banner.pk])).content.decode()
    assert f'value="{namesake.pk}" id="giver-{namesake.pk}" checked' in content


def test_it_keeps_the_linked_giver_when_a_banner_is_edited(staff_client, community, wang, namesake):
    banner = CommendationFactory(community=community, giver=namesake, giver_name="王秀英")
    data = _banner(giver_resident_name="王秀英", giver=namesake.pk, inscription="热心为民")
    assert staff_client.post(reverse("activities:commendation_edit", args=[banner.pk]), data).status_code == 302
    banner.refresh_from_db()
    assert (banner.giver, banner.inscription) == (namesake, "热心为民")


@pytest.mark.parametrize("residents", [5, 50])
def test_it_shows_the_form_with_suggestions_in_few_queries(
    staff_client, community, room, residents, django_assert_max_num_queries
):
    giver = ResidentFactory(community=community, name="王秀英", room=room)
    for i in range(residents):
        ResidentFactory(community=community, name=f"王秀英{i}", room=room)
    banner = CommendationFactory(community=community, giver=giver, giver_name="王秀英")
    with django_assert_max_num_queries(6):
        response = staff_client.get(reverse("activities:commendation_edit", args=[banner.pk]))
    assert response.content.decode().count('name="giver"') == min(residents + 1, 8) + 1
