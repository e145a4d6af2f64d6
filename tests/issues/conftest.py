from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from issues import services
from issues.models.category import IssueCategory
from issues.models.choices import IssueChannel
from tests.factories import HotlineCaseFactory, PartnerContactFactory, PartnerFactory

NOW = datetime(2026, 11, 30, 8, 30, tzinfo=ZoneInfo("Asia/Shanghai"))  # a Monday, 8:30
DISPATCHED = NOW.replace(minute=0)  # make_case's default: the city's dispatch at 8:00


@pytest.fixture
def now():
    return NOW


@pytest.fixture
def categories(community):
    services.ensure_default_categories(community)
    return {c.name: c for c in IssueCategory.objects.in_community(community)}


@pytest.fixture
def police(community):
    return PartnerContactFactory(
        partner=PartnerFactory(community=community, kind="police", name="福海社区警务站"), name="刘警官"
    )


@pytest.fixture
def log(community, secretary, now):
    """log(text, **kwargs): a new item logged by the secretary at 8:30."""

    def make(text="3号楼门口有人遛狗不拴绳", **kwargs):
        kwargs.setdefault("community", community)
        kwargs.setdefault("by", secretary)
        kwargs.setdefault("now", now)
        return services.log_issue(text=text, **kwargs)

    return make


@pytest.fixture
def make_case(community, staff, log):
    """make_case(dispatched=8:00, urgency="normal", text=..., **fields): a 12345 case for the staff
    member, its deadlines by the community's rules, numbered 2026113000001, …002 in order."""
    counter = iter(range(1, 1000))

    def make(dispatched=None, urgency="normal", text="12345来电：楼下餐馆油烟扰民", **fields):
        dispatched = dispatched or DISPATCHED
        issue = log(text, now=dispatched, owner=staff, channel=IssueChannel.HOTLINE)  # as log_case logs it
        return HotlineCaseFactory(
            issue=issue,
            community=community,
            case_no=f"2026113000{next(counter):03d}",
            urgency=urgency,
            dispatched_at=dispatched,
            **fields,
        )

    return make
