"""issues.0039: a community whose 垃圾分类 still has the old default keywords loses 垃圾桶满 (a full
bin is 环境卫生) and gets 厨余垃圾; a secretary's own words are kept."""

from importlib import import_module

from django.apps import apps

from issues.models.category import IssueCategory
from issues.services import DEFAULT_CATEGORIES
from tests.factories import CommunityFactory, IssueCategoryFactory

migration = import_module("issues.migrations.0039_waste_bin_keywords")


def test_it_changes_the_default_keywords_only(community):
    IssueCategory.objects.filter(name="垃圾分类").delete()
    untouched = IssueCategoryFactory(community=community, name="垃圾分类", keywords=migration.OLD)
    own = IssueCategoryFactory(community=CommunityFactory(), name="垃圾分类", keywords="分类,垃圾桶满")

    migration.change_words(apps, None)

    untouched.refresh_from_db()
    own.refresh_from_db()
    assert untouched.keywords == dict(DEFAULT_CATEGORIES)["垃圾分类"]
    assert own.keywords == "分类,垃圾桶满"
    migration.change_back(apps, None)
    untouched.refresh_from_db()
    assert untouched.keywords == migration.OLD
