"""issues.0038: a community whose 设施损坏 still has the old default keywords gets 外墙, 瓷砖, 墙皮,
脱落 (a tile fallen off an outer wall was read as 证件办理); a secretary's own words are kept."""

from importlib import import_module

from django.apps import apps

from issues.models.category import IssueCategory
from issues.services import DEFAULT_CATEGORIES
from tests.factories import CommunityFactory, IssueCategoryFactory

migration = import_module("issues.migrations.0038_facility_keywords")


def test_it_adds_the_words_to_the_default_keywords_only(community):
    IssueCategory.objects.filter(name="设施损坏").delete()
    untouched = IssueCategoryFactory(community=community, name="设施损坏", keywords=migration.OLD)
    own = IssueCategoryFactory(community=CommunityFactory(), name="设施损坏", keywords="坏了,路灯,电子门禁")

    migration.add_words(apps, None)

    untouched.refresh_from_db()
    own.refresh_from_db()
    assert untouched.keywords == dict(DEFAULT_CATEGORIES)["设施损坏"]
    assert own.keywords == "坏了,路灯,电子门禁"
    migration.remove_words(apps, None)
    untouched.refresh_from_db()
    assert untouched.keywords == migration.OLD
