"""The one read layer for people: staff, names, the resident search."""

from residents import selectors
from residents.models.community import Role
from residents.models.resident import Resident
from tests.factories import MembershipFactory, ResidentFactory, UserFactory


def test_it_lists_the_staff_who_may_edit(community, secretary, staff, grid_worker, viewer):
    assert set(selectors.staff_of(community)) == {secretary, staff, grid_worker}


def test_it_keeps_a_viewer_here_who_is_staff_elsewhere_out(community, other_community, viewer):
    MembershipFactory(user=viewer, community=other_community, role=Role.STAFF)
    assert viewer not in selectors.staff_of(community)


def test_it_keeps_staff_here_who_view_another_community(community, other_community, staff):
    MembershipFactory(user=staff, community=other_community, role=Role.VIEWER)
    assert list(selectors.staff_of(community)) == [staff]


def test_it_leaves_out_a_deactivated_account(community, staff):
    staff.is_active = False
    staff.save()
    assert list(selectors.staff_of(community)) == []


def test_it_leaves_out_an_ended_membership(community, staff):
    staff.memberships.update(is_active=False)
    assert list(selectors.staff_of(community)) == []


def test_it_lists_only_the_secretaries_when_asked(community, secretary, staff):
    assert list(selectors.staff_of(community, role=Role.SECRETARY)) == [secretary]


def test_it_puts_the_secretary_first_on_the_board(community, other_community, staff, secretary):
    MembershipFactory(user=staff, community=other_community, role=Role.SECRETARY)
    assert selectors.board_staff(community) == [secretary, staff]


def test_it_names_a_person_by_full_name():
    assert selectors.display_name(UserFactory.build(first_name="晓红", last_name="李", username="lxh")) == "晓红 李"


def test_it_names_a_person_without_a_full_name_by_username():
    assert selectors.display_name(UserFactory.build(first_name="", username="lxh")) == "lxh"


def test_it_finds_a_resident_by_the_building_and_room_alone(community, room):
    wang = ResidentFactory(community=community, room=room, name="王秀英")
    ResidentFactory(community=community, name="李建国")
    assert list(selectors.search_residents(Resident.objects.all(), "3-501")) == [wang]


def test_it_finds_the_residents_of_a_building_or_of_one_of_its_units(community, room):
    """A tester typed 5号楼 and 5号楼2单元 in the 锦旗 giver box and was offered nobody."""
    wang = ResidentFactory(community=community, room=room, name="王秀英")  # 3号楼2单元501
    ResidentFactory(community=community, name="李建国")
    assert list(selectors.search_residents(Resident.objects.all(), "3号楼")) == [wang]
    assert list(selectors.search_residents(Resident.objects.all(), "3号楼2单元")) == [wang]
    assert list(selectors.search_residents(Resident.objects.all(), "3号楼1单元")) == []


def test_it_finds_a_resident_by_the_last_four_digits_of_the_phone(community):
    wang = ResidentFactory(community=community, name="王秀英", phone="13812348000")
    ResidentFactory(community=community, name="李建国", phone="13900001111")
    assert list(selectors.search_residents(Resident.objects.all(), "8000")) == [wang]
    # Typed in 全角 mode, against the plain digits every phone is stored with.
    assert list(selectors.search_residents(Resident.objects.all(), "８０００")) == [wang]


def test_it_filters_nothing_on_a_blank_search(community):
    residents = ResidentFactory.create_batch(2, community=community)
    assert set(selectors.search_residents(Resident.objects.all(), "  ")) == set(residents)


def test_it_finds_a_resident_whose_surname_has_a_special_reading_by_initials(community):
    shan = ResidentFactory(community=community, name="单田芳")
    assert list(selectors.search_residents(Resident.objects.all(), "stf")) == [shan]
