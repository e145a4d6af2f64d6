"""Reads of the activities app that the project pages (home, morning board, reports) use."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import Count, DecimalField, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from activities.models import SERVED_AT_ACTIVITY, Activity, Commendation, CommendationKind, Participation, text_query
from residents.models.community import Community


def todays_activities(community: Community, *, now: datetime) -> QuerySet[Activity]:
    """Activities that run at some point of ``now``'s local day, with their counts."""
    start = timezone.make_aware(datetime.combine(timezone.localdate(now), time.min))
    return (
        Activity.objects.in_community(community)
        .overlapping(start, start + timedelta(days=1))
        .with_counts()
        .select_related("organiser")
        .order_by("starts_at")
    )


def month_start(day: date, months_back: int = 0) -> date:
    index = day.year * 12 + day.month - 1 - months_back
    return date(index // 12, index % 12 + 1, 1)


def commendations_per_month(community: Community, *, now: datetime, months: int = 12) -> list[tuple[date, int]]:
    """(first day of the month, count) for the last ``months`` months up to ``now``'s, oldest
    first; months without a commendation are there with 0. One query."""
    this_month = month_start(timezone.localdate(now))
    first = month_start(this_month, months - 1)
    counts = dict(
        Commendation.objects.in_community(community)
        .filter(received_on__gte=first, received_on__lt=month_start(this_month, -1))
        .annotate(month=TruncMonth("received_on"))
        .values_list("month")
        .annotate(n=Count("id"))
        .values_list("month", "n")
    )
    return [(m, counts.get(m, 0)) for m in (month_start(this_month, back) for back in range(months - 1, -1, -1))]


WEEK_FIGURES = ("activities", "commendations")


def week_figure_columns(community: Community, *, weeks: list[tuple[datetime, datetime]]) -> dict[str, Coalesce]:
    """Activities held (started) and commendations received in each [start, end) window, as
    scalar subqueries ("activities_0", …) that a one-row query on the community selects (the
    board's summary reads them with the items' figures)."""
    columns = {}
    for n, (start, end) in enumerate(weeks):
        held = Activity.objects.in_community(community).filter(starts_at__gte=start, starts_at__lt=end)
        received = Commendation.objects.in_community(community).between(
            timezone.localdate(start), timezone.localdate(end - timedelta(microseconds=1)) + timedelta(days=1)
        )
        columns |= {f"activities_{n}": held.count_column(), f"commendations_{n}": received.count_column()}
    return columns


def week_figures_from(row: dict, weeks: int) -> list[dict[str, int]]:
    return [{name: row[f"{name}_{n}"] for name in WEEK_FIGURES} for n in range(weeks)]


def week_figures(community: Community, *, weeks: list[tuple[datetime, datetime]]) -> list[dict[str, int]]:
    """week_figure_columns' figures of each window. One query for all windows."""
    row = Community.objects.filter(pk=community.pk).values(**week_figure_columns(community, weeks=weeks)).get()
    return week_figures_from(row, len(weeks))


def activity_report_figures(community: Community, *, start: datetime, end: datetime) -> list[dict]:
    """Per platform, activities started in [start, end): how many, participants signed in,
    volunteers who served and their hours (one planned ahead and not there is not counted). One query."""
    return list(
        Activity.objects.in_community(community)
        .filter(starts_at__gte=start, starts_at__lt=end)
        .values("platform")
        .annotate(
            activities=Count("id", distinct=True),
            participants=Count("participations", filter=Q(participations__checked_in_at__isnull=False)),
            volunteers=Count("participations", filter=SERVED_AT_ACTIVITY),
            hours=Coalesce(Sum("participations__hours", filter=SERVED_AT_ACTIVITY), Decimal(0)),
        )
        .order_by("platform")
    )


def activity_report(
    community: Community, *, start: datetime, end: datetime, first: date, last: date
) -> tuple[list[dict], dict[str, int]]:
    """What activity_report_figures (activities started in [start, end)) and
    commendation_report_figures (received in [first, last)) give, in one query: the two
    grouped counts joined by UNION ALL, each row tagged with its source."""
    platforms = (
        Activity.objects.in_community(community)
        .filter(starts_at__gte=start, starts_at__lt=end)
        .order_by()
        .values("platform")
        .annotate(
            source=Value("platform"),
            activities=Count("id", distinct=True),
            participants=Count("participations", filter=Q(participations__checked_in_at__isnull=False)),
            volunteers=Count("participations", filter=SERVED_AT_ACTIVITY),
            hours=Coalesce(Sum("participations__hours", filter=SERVED_AT_ACTIVITY), Decimal(0)),
        )
        .values_list("source", "platform", "activities", "participants", "volunteers", "hours")
    )
    kinds = (
        commendations_between(community, first=first, end=last)
        .order_by()
        .values("kind")
        .annotate(
            source=Value("commendation"),
            n=Count("id"),
            none=Value(0),
            nobody=Value(0),
            no_hours=Value(Decimal(0), output_field=DecimalField()),
        )
        .values_list("source", "kind", "n", "none", "nobody", "no_hours")
    )
    rows, commendations = [], {}
    for source, key, n, participants, volunteers, hours in platforms.union(kinds, all=True):
        if source == "commendation":
            commendations[key] = n
        else:
            rows.append(
                {
                    "platform": key,
                    "activities": n,
                    "participants": participants,
                    "volunteers": volunteers,
                    "hours": hours,
                }
            )
    rows.sort(key=lambda row: row["platform"])
    return rows, commendations


def activities_between(community: Community, *, start: datetime, end: datetime) -> QuerySet[Activity]:
    """Activities started in [start, end) with their counts, the volunteers who served
    (served_count) and their hours."""
    return (
        Activity.objects.in_community(community)
        .filter(starts_at__gte=start, starts_at__lt=end)
        .with_counts()
        .annotate(
            served_count=Count("participations", filter=SERVED_AT_ACTIVITY),
            hours=Sum("participations__hours", filter=SERVED_AT_ACTIVITY),
        )
        .order_by("starts_at", "id")
    )


def commendations_between(community: Community, *, first: date, end: date) -> QuerySet[Commendation]:
    """Commendations received on ``first`` up to (not including) ``end``."""
    return Commendation.objects.in_community(community).between(first, end).order_by("received_on", "id")


def commendation_report_figures(community: Community, *, first: date, end: date) -> dict[str, int]:
    """Commendations received in [first, end) per kind. One query."""
    return dict(
        commendations_between(community, first=first, end=end)
        .order_by()
        .values_list("kind")
        .annotate(n=Count("id"))
        .values_list("kind", "n")
    )


def participations_between(community: Community, *, start: datetime, end: datetime) -> QuerySet[Participation]:
    """Everyone signed up, signed in or volunteering at the activities started in [start, end),
    with their activity. One query."""
    return (
        Participation.objects.filter(
            activity__community=community, activity__starts_at__gte=start, activity__starts_at__lt=end
        )
        .select_related("activity", "resident")
        .order_by("activity__starts_at", "activity_id", "id")
    )


def search_activities(community: Community, query: str, *, limit: int) -> list[Activity]:
    """Activities whose name contains ``query``, the latest first (for the top bar's search)."""
    found = Activity.objects.filter(community=community, title__icontains=query)
    return list(found.order_by("-starts_at")[:limit])


def search_commendations(community: Community, query: str, *, limit: int) -> list[Commendation]:
    """Commendations whose inscription, giver or note contains ``query``, or of the kind it names
    (锦旗, 感谢信), the latest first (for the top bar's search). One query on the community's
    (community, received_on) index. A phone or ID number finds none: its text shows it masked, and
    a search by the number would tell whose banner it is (text_query)."""
    found = text_query(query)
    kinds = [kind for kind, label in CommendationKind.choices if query.casefold() in str(label).casefold()]
    if kinds:
        found |= Q(kind__in=kinds)
    commendations = Commendation.objects.filter(community=community).filter(found).select_related("giver")
    return list(commendations.order_by("-received_on", "-id")[:limit])
