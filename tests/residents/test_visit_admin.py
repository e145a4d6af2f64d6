"""The operator's admin keeps a visit inside its community: its staff and recorder are people
with a membership there, its room and residents are the community's, and the community of a
recorded visit is not changed (its residents, room and staff would stay in the old one)."""

import pytest
from django.contrib.admin.models import LogEntry
from django.urls import reverse
from django.utils import translation

from residents.models.care import Visit
from tests.factories import MembershipFactory, ResidentFactory, RoomFactory, UserFactory, VisitFactory


@pytest.fixture
def operator_client(client, db):
    client.force_login(UserFactory(username="operator", is_staff=True, is_superuser=True))
    return client


@pytest.fixture
def visit(community, room, resident, staff):
    visit = VisitFactory(community=community, room=room, residents=[resident], recorded_by=staff, notes="一切正常")
    visit.staff.set([staff])
    return visit


def typed(community, room, resident, *, staff, recorded_by, **more):
    return {
        "community": community.pk,
        "room": room.pk,
        "residents": str(resident.pk),
        "staff": [user.pk for user in staff],
        "visited_on": "2025-03-04",
        "method": "home",
        "outcome": "met",
        "recorded_by": recorded_by.pk,
        "notes": "老人精神不错",
        **more,
    }


def test_it_offers_as_staff_and_recorder_only_the_visits_community_members(operator_client, visit, staff, outsider):
    response = operator_client.get(reverse("admin:residents_visit_change", args=[visit.pk]))
    form = response.context["adminform"].form
    for name in ("staff", "recorded_by"):
        offered = set(form.fields[name].queryset)
        assert staff in offered and outsider not in offered and form.fields[name].queryset.count() == 1


def test_it_offers_a_former_member_who_made_an_old_visit(operator_client, visit, staff, community):
    staff.memberships.update(is_active=False)
    form = operator_client.get(reverse("admin:residents_visit_change", args=[visit.pk])).context["adminform"].form
    assert staff in form.fields["staff"].queryset and staff in form.fields["recorded_by"].queryset


def test_it_refuses_another_communitys_staff_on_a_visit_changed(operator_client, visit, room, resident, outsider):
    data = typed(visit.community, room, resident, staff=[outsider], recorded_by=outsider)
    response = operator_client.post(reverse("admin:residents_visit_change", args=[visit.pk]), data)
    assert response.status_code == 200 and "老人精神不错" in response.content.decode()
    visit.refresh_from_db()
    assert list(visit.staff.all()) != [outsider] and visit.recorded_by != outsider and visit.notes == "一切正常"


def test_it_refuses_another_communitys_staff_on_a_visit_added(operator_client, community, room, resident, outsider):
    data = typed(community, room, resident, staff=[outsider], recorded_by=outsider)
    response = operator_client.post(reverse("admin:residents_visit_add"), data)
    assert response.status_code == 200 and not Visit.objects.exists()
    errors = response.context["adminform"].form.errors
    for name in ("staff", "recorded_by"):
        assert "outsider" in errors[name][0] and "福海佳园" in errors[name][0]
    assert "老人精神不错" in response.content.decode()


def test_it_adds_a_visit_made_by_the_communitys_staff(operator_client, community, room, resident, staff):
    data = typed(community, room, resident, staff=[staff], recorded_by=staff)
    assert operator_client.post(reverse("admin:residents_visit_add"), data).status_code == 302
    visit = Visit.objects.get()
    assert (visit.community, list(visit.staff.all()), list(visit.residents.all())) == (community, [staff], [resident])


def test_it_refuses_another_communitys_room_and_residents(operator_client, community, room, staff, other_community):
    elsewhere = RoomFactory(unit__building__community=other_community)
    stranger = ResidentFactory(community=other_community, room=elsewhere, name="赵大妈")
    data = typed(community, elsewhere, stranger, staff=[staff], recorded_by=staff)
    errors = operator_client.post(reverse("admin:residents_visit_add"), data).context["adminform"].form.errors
    assert "福海佳园" in errors["room"][0] and "赵大妈" in errors["residents"][0]
    assert not Visit.objects.exists()


def test_it_does_not_move_a_recorded_visit_to_another_community(
    operator_client, visit, room, resident, staff, other_community
):
    MembershipFactory(community=other_community, user=staff)
    data = typed(other_community, room, resident, staff=[staff], recorded_by=staff)
    response = operator_client.post(reverse("admin:residents_visit_change", args=[visit.pk]), data)
    assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.community != other_community and visit.notes == "老人精神不错"


def test_its_history_names_the_fields_changed_in_chinese(operator_client, visit, room, resident, staff):
    data = typed(visit.community, room, resident, staff=[staff], recorded_by=staff, needs="需要灭火毯")
    operator_client.post(reverse("admin:residents_visit_change", args=[visit.pk]), data)
    entry = LogEntry.objects.get(object_id=str(visit.pk))
    with translation.override("zh-hans"):
        message = entry.get_change_message()
    assert "备注" in message and "发现的需求" in message and "Notes" not in message, message
