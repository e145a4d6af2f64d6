"""Sign-up, sign-in, volunteers, the resident search and the drafted 活动简报."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import translation

from activities import services
from activities.models import ActivitySettings, AlreadyCheckedIn, HoursRounding, Notice, Participation
from tests.factories import ParticipationFactory, PartnerFactory, ResidentFactory


def test_it_signs_a_resident_up(activity, wang, staff, now):
    participation = services.sign_up(activity, resident=wang, by=staff, now=now)
    assert participation.signed_up_at == now
    assert participation.checked_in_at is None


def test_it_keeps_the_first_sign_up_when_signed_up_twice(activity, wang, staff, now):
    services.sign_up(activity, resident=wang, by=staff, now=now)
    services.sign_up(activity, resident=wang, by=staff, now=now + timedelta(hours=1))
    assert Participation.objects.get().signed_up_at == now


def test_it_refuses_a_sign_up_over_capacity(activity, community, staff, now):
    activity.capacity = 1
    activity.save()
    services.sign_up(activity, resident=ResidentFactory(community=community), by=staff, now=now)
    with pytest.raises(services.OverCapacity):
        services.sign_up(activity, resident=ResidentFactory(community=community), by=staff, now=now)
    assert Participation.objects.count() == 1


def test_it_signs_up_over_capacity_when_the_organiser_allows_it(activity, community, secretary, now):
    activity.capacity = 1
    activity.save()
    services.sign_up(activity, resident=ResidentFactory(community=community), by=secretary, now=now)
    services.sign_up(
        activity, resident=ResidentFactory(community=community), by=secretary, now=now, allow_over_capacity=True
    )
    assert Participation.objects.filter(signed_up_at__isnull=False).count() == 2


def test_it_signs_in_a_signed_up_resident_on_the_same_row(activity, wang, staff, now):
    services.sign_up(activity, resident=wang, by=staff, now=now - timedelta(days=2))
    services.check_in(activity, resident=wang, by=staff, now=now)
    participation = Participation.objects.get()
    assert (participation.signed_up_at, participation.checked_in_at) == (now - timedelta(days=2), now)


def test_it_signs_in_a_walk_in_by_name(activity, staff, now):
    participation = services.check_in(activity, name=" 赵 大爷 ", by=staff, now=now)
    assert (participation.resident, participation.name, participation.checked_in_at) == (None, "赵 大爷", now)


def test_it_refuses_a_walk_in_signed_in_twice(activity, staff, now):
    services.check_in(activity, name="赵大爷", by=staff, now=now)
    with pytest.raises(AlreadyCheckedIn):
        services.check_in(activity, name="赵大爷", by=staff, now=now)
    assert Participation.objects.count() == 1


def test_it_gives_a_volunteer_the_activitys_length_rounded_down_to_the_half_hour(activity, staff, now):
    activity.ends_at = activity.starts_at + timedelta(hours=1, minutes=50)
    activity.save()
    volunteer = services.record_volunteer(activity, name="刘芳", volunteer_role="签到", by=staff, now=now)
    assert volunteer.hours == Decimal("1.50")


def test_it_rounds_typed_hours_by_the_communitys_rule(activity, community, staff, now):
    ActivitySettings.objects.create(community=community, hours_rounding=HoursRounding.HOUR_DOWN)
    volunteer = services.record_volunteer(activity, name="刘芳", hours=Decimal("2.9"), by=staff, now=now)
    assert volunteer.hours == Decimal("2.00")


def test_it_turns_a_participant_into_a_volunteer_without_a_second_row(activity, wang, staff, now):
    services.check_in(activity, resident=wang, by=staff, now=now)
    services.record_volunteer(activity, resident=wang, volunteer_role="摄影", by=staff, now=now)
    participation = Participation.objects.get()
    assert (participation.role, participation.volunteer_role) == ("volunteer", "摄影")


@pytest.mark.parametrize("query", ["秀英", "wxy", "WXY", "501", "3-2-501", "3号楼2单元501"])
def test_it_finds_a_resident_by_name_initials_or_room(community, wang, query):
    ResidentFactory(community=community, name="李建国")
    assert list(services.find_residents(community, query)) == [wang]


def test_it_finds_a_resident_at_the_desk_by_the_last_four_digits_of_the_phone(community, wang):
    ResidentFactory(community=community, name="李建国", phone="13900001111")
    assert list(services.find_residents(community, "8000")) == [wang]


def test_it_does_not_find_residents_of_another_community(other_community, wang):
    assert list(services.find_residents(other_community, "王秀英")) == []


def test_it_drafts_the_write_up_with_counts_and_partners_but_no_resident_names(activity, wang, staff, now):
    activity.partners.add(PartnerFactory(community=activity.community, name="福海社区警务站"))
    services.check_in(activity, resident=wang, by=staff, now=now)
    services.check_in(activity, name="赵大爷", by=staff, now=now)
    services.record_volunteer(activity, name="刘芳", by=staff, now=now)
    with translation.override("en"):
        text = services.draft_briefing(activity, community_name="福海佳园")
    assert "宪法宣传活动" in text and "福海社区警务站" in text and "新时代文明实践站" in text
    assert "2 residents took part." in text and "1 volunteers served, 1.5 hours in all." in text
    assert "王秀英" not in text and "赵大爷" not in text


def test_it_creates_the_notice_templates_once(community):
    services.ensure_notice_templates(community)
    services.ensure_notice_templates(community)
    templates = Notice.objects.in_community(community).templates()
    assert templates.count() == len(services.DEFAULT_NOTICE_TEMPLATES)
    assert all("福海佳园社区居委会" in n.text for n in templates)


def test_it_counts_a_volunteer_as_present(activity, staff, now):
    ParticipationFactory(activity=activity)
    services.record_volunteer(activity, name="刘芳", by=staff, now=now)
    assert Participation.objects.filter(checked_in_at=now).count() == 1
