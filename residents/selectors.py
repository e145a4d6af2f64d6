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


def board_staff(community: Community) -> list:
    """The people who get tasks at the morning meeting: active members who may edit
    (not 街道 viewers), the secretary first. One query."""
    from django.db.models import Case, IntegerField, Value, When

    from residents.models import Membership, Role

    order = Case(
        When(role=Role.SECRETARY, then=Value(0)),
        When(role=Role.STAFF, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    memberships = (
        Membership.objects.filter(community=community, is_active=True, user__is_active=True)
        .exclude(role=Role.VIEWER)
        .select_related("user")
        .order_by(order, "user__username")
    )
    return [m.user for m in memberships]
