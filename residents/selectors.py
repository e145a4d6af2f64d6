"""Reads of the residents app that other apps and the project pages use."""

from django.db.models import Count, Q

from residents.models import Community, Resident, ResidentStatus, SpecialStatus


def community_counts(community: Community) -> dict[str, int]:
    """Headline figures for the home page: one query each, whatever the size."""
    residents = Resident.objects.in_community(community).aggregate(
        living=Count("id", filter=Q(status=ResidentStatus.LIVING)),
        total=Count("id"),
    )
    special = (
        SpecialStatus.objects.in_community(community)
        .filter(resident__status=ResidentStatus.LIVING)
        .values("resident")
        .distinct()
        .count()
    )
    return {"living": residents["living"], "total": residents["total"], "special": special}
