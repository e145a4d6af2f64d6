"""Reads of the issues app that other apps and the project pages use."""

from issues.models import Partner
from residents.models import Community


def partner_count(community: Community) -> int:
    return Partner.objects.in_community(community).filter(is_active=True).count()
