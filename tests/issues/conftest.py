from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from issues import services
from issues.models.category import IssueCategory
from tests.factories import PartnerContactFactory, PartnerFactory

NOW = datetime(2026, 11, 30, 8, 30, tzinfo=ZoneInfo("Asia/Shanghai"))  # a Monday, 8:30


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
