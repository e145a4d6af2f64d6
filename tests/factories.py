"""Factories for every model the tests build. One place, so tests read as sentences."""

from datetime import date

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone as _tz

from issues.hotline.models import HotlineCase, HotlineSettings
from issues.models.category import IssueCategory
from issues.models.choices import IssueChannel
from issues.models.issue import Issue
from issues.models.partner import Partner, PartnerContact, PartnerKind
from residents.models.care import RiskTier, SpecialCategory, SpecialStatus
from residents.models.community import Community, Membership, Role
from residents.models.place import Building, Room, Unit, Zone
from residents.models.resident import Resident


class CommunityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Community

    name = factory.Sequence(lambda n: f"测试社区{n}")
    subdistrict = "福海街道"
    district = "朝阳区"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Sequence(lambda n: f"工作人员{n}")
    password = factory.django.Password("pw-for-tests")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    community = factory.SubFactory(CommunityFactory)
    role = Role.STAFF


class ZoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Zone

    community = factory.SubFactory(CommunityFactory)
    name = factory.Sequence(lambda n: f"区{n}")


class BuildingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Building

    community = factory.SubFactory(CommunityFactory)
    number = factory.Sequence(lambda n: str(n + 1))


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    building = factory.SubFactory(BuildingFactory)
    number = "1"


class RoomFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Room

    unit = factory.SubFactory(UnitFactory)
    floor_no = 5
    room_no = factory.Sequence(lambda n: f"5{n % 100:02d}")
    community = factory.LazyAttribute(lambda o: o.unit.building.community)


class ResidentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Resident

    community = factory.SubFactory(CommunityFactory)
    name = factory.Sequence(lambda n: f"居民{n}")
    phone = "13812348000"
    birth_date = date(1950, 5, 1)


class SpecialStatusFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SpecialStatus

    resident = factory.SubFactory(ResidentFactory)
    community = factory.LazyAttribute(lambda o: o.resident.community)
    category = SpecialCategory.LIVING_ALONE
    tier = RiskTier.HIGH
    visit_interval_days = 7
    valid_from = date(2024, 1, 1)


class PartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partner

    community = factory.SubFactory(CommunityFactory)
    kind = PartnerKind.PROPERTY
    name = factory.Sequence(lambda n: f"物业公司{n}")


class PartnerContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PartnerContact

    partner = factory.SubFactory(PartnerFactory)
    name = factory.Sequence(lambda n: f"对接人{n}")
    phone = "13900001111"


# --- issues ---------------------------------------------------------------------


class IssueCategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IssueCategory

    community = factory.SubFactory(CommunityFactory)
    name = factory.Sequence(lambda n: f"分类{n}")


class IssueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Issue

    community = factory.SubFactory(CommunityFactory)
    code = factory.Sequence(lambda n: f"MQ20261129-{n:03d}")
    received_at = factory.LazyFunction(_tz.now)
    text = factory.Sequence(lambda n: f"第{n}号问题：楼道里堆了杂物")
    due_at = factory.LazyAttribute(lambda o: o.received_at + _tz.timedelta(days=7))


class HotlineCaseFactory(factory.django.DjangoModelFactory):
    """A 12345 case with its item (channel 12345, received at the dispatch) and the deadlines
    its community's rules give; pass ``issue=`` for an item made otherwise (services.log_issue)."""

    class Meta:
        model = HotlineCase

    class Params:
        deadlines = factory.LazyAttribute(
            lambda o: HotlineSettings.for_community(o.community.pk).deadlines(o.dispatched_at, o.urgency)
        )

    community = factory.SubFactory(CommunityFactory)
    issue = factory.SubFactory(
        IssueFactory,
        community=factory.SelfAttribute("..community"),
        received_at=factory.SelfAttribute("..dispatched_at"),
        channel=IssueChannel.HOTLINE,
    )
    case_no = factory.Sequence(lambda n: f"2026113001{n:03d}")
    request_type = "complaint"
    urgency = "normal"
    dispatched_at = factory.LazyFunction(_tz.now)
    response_deadline = factory.LazyAttribute(lambda o: o.deadlines[0])
    resolution_deadline = factory.LazyAttribute(lambda o: o.deadlines[1])


# --- activities -------------------------------------------------------------------


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "activities.Activity"

    community = factory.SubFactory(CommunityFactory)
    title = factory.Sequence(lambda n: f"宪法宣传活动{n}")
    platform = "policy"
    starts_at = factory.LazyFunction(lambda: _tz.now() + _tz.timedelta(days=1))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + _tz.timedelta(hours=2))


class ParticipationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "activities.Participation"

    activity = factory.SubFactory(ActivityFactory)
    resident = factory.SubFactory(ResidentFactory, community=factory.SelfAttribute("..activity.community"))
    name = factory.LazyAttribute(lambda o: o.resident.name if o.resident else "来访居民")


class CommendationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "activities.Commendation"

    community = factory.SubFactory(CommunityFactory)
    received_on = factory.LazyFunction(lambda: _tz.localdate())
    giver_name = factory.Sequence(lambda n: f"3号楼住户{n}")
    inscription = "为民解忧 情系百姓"


class NoticeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "activities.Notice"

    community = factory.SubFactory(CommunityFactory)
    title = factory.Sequence(lambda n: f"温馨提醒{n}")
    text = "近期流感高发，请大家勤洗手、常通风。"


# --- morning meeting ----------------------------------------------------------------


class TaskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "issues.Task"

    community = factory.SubFactory(CommunityFactory)
    title = factory.Sequence(lambda n: f"入户走访{n % 12 + 1}号楼独居老人")
    day = factory.LazyFunction(_tz.localdate)
    created_at = factory.LazyFunction(_tz.now)
    next_reminder_at = factory.LazyAttribute(lambda o: _task_day_end(o.day))


def _task_day_end(day):
    from issues.models.task import task_day_end

    return task_day_end(day)


# --- patrol ---------------------------------------------------------------------------


class PatrolStopFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "issues.PatrolStop"

    community = factory.SubFactory(CommunityFactory)
    position = factory.Sequence(lambda n: n)
    name = factory.Sequence(lambda n: f"巡查点{n}")


class PatrolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "issues.Patrol"

    community = factory.SubFactory(CommunityFactory)
    staff = factory.SubFactory(UserFactory)
    started_at = factory.LazyFunction(_tz.now)


# --- visits and supplies ----------------------------------------------------------------


class VisitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "residents.Visit"

    community = factory.SubFactory(CommunityFactory)
    visited_on = factory.LazyFunction(_tz.localdate)
    recorded_by = factory.SubFactory(UserFactory)

    @factory.post_generation
    def residents(self, create, extracted, **kwargs):
        if create and extracted:
            self.residents.set(extracted)


class SupplyStockFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "residents.SupplyStock"

    community = factory.SubFactory(CommunityFactory)
    item = "fire_blanket"
    quantity = 10


class DistributionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "residents.Distribution"

    community = factory.SubFactory(CommunityFactory)
    item = "fire_blanket"
    room = factory.SubFactory(RoomFactory, unit__building__community=factory.SelfAttribute("...community"))
    handed_on = factory.LazyFunction(_tz.localdate)
    recorded_by = factory.SubFactory(UserFactory)
