"""A special status names its category and tier as get_…_display does, without its cost."""

from django.utils import translation

from residents.models.care import RiskTier, SpecialCategory, SpecialStatus


def test_it_names_every_category_and_tier_as_django_does():
    with translation.override("zh-hans"):
        for category in SpecialCategory:
            for tier in RiskTier:
                status = SpecialStatus(category=category, tier=tier)
                assert (str(status.category_label), str(status.tier_label)) == (
                    status.get_category_display(),
                    status.get_tier_display(),
                )


def test_it_names_an_unknown_category_by_its_value():
    assert SpecialStatus(category="retired", tier="x").category_label == "retired"
