"""The 街道 overview: the headline figures of every community a user is a member of, one row
each, with red flags. Figures only, nothing personal."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.utils import timezone

from activities import selectors as activity_selectors
from fuhai.models import SubdistrictSettings
from fuhai.reports.compose import aware, received_before
from fuhai.reports.periods import Period
from issues import selectors as issue_selectors
from issues.hotline import rates as hotline_rates
from issues.hotline.rates import rates_from_counts
from issues.selectors import report_figures
from residents import selectors as resident_selectors
from residents.models.community import Community, Role
from residents.models.resident import pinyin_key

#: The columns the overview may be sorted by (``?sort=visit_rate``, ``?sort=-overdue``).
SORT_KEYS = (
    "name",
    "received",
    "solved",
    "open",
    "overdue",
    "hotline",
    "missed",
    "score",
    "visit_rate",
    "activities",
    "hours",
    "commendations",
    "oldest_days",
)

#: An item open longer than this (in days) at the period's end flags its community.
OLDEST_FLAG_DAYS = 30


@dataclass
class CommunityRow:
    community: Community
    received: int
    solved: int
    open: int
    overdue: int
    hotline: int
    missed: int
    score: Decimal | None
    visit_rate: Decimal | None
    threshold: int
    activities: int
    hours: Decimal
    commendations: int
    oldest_days: int | None = None
    flags: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.community.name


def _row(
    community: Community, *, period: Period, now: datetime, threshold: int, oldest: datetime | None
) -> CommunityRow:
    end = min(aware(period.end), now)
    as_of = min(period.last_day, timezone.localdate(now))
    issues = report_figures.report_issue_figures(community, start=aware(period.start), end=end)
    window = [(aware(period.start), aware(period.end))]
    cases = hotline_rates.hotline_month_counts(community, months=window, now=now)[0]
    score = rates_from_counts(cases, issue_selectors.hotline_rules(community), period.start).score
    visits = resident_selectors.visit_report_figures(
        community, first=period.start, last=period.last_day, today=timezone.localdate(now)
    )
    visit_rate = None if visits["rate"] is None else (Decimal(str(visits["rate"])) * 100).quantize(Decimal("0.1"))
    platforms = activity_selectors.activity_report_figures(community, start=aware(period.start), end=end)
    commendations = activity_selectors.commendation_report_figures(
        community, first=period.start, end=received_before(period, timezone.localdate(now))
    )
    row = CommunityRow(
        community=community,
        received=issues["received"],
        solved=issues["solved"],
        open=issues["open_at_end"],
        overdue=issues["overdue_at_end"],
        hotline=cases["counted"],
        missed=cases["missed"],
        score=score,
        visit_rate=visit_rate,
        threshold=threshold,
        activities=sum(p["activities"] for p in platforms),
        hours=sum((p["hours"] for p in platforms), Decimal(0)),
        commendations=sum(commendations.values()),
        oldest_days=None if oldest is None else (as_of - timezone.localdate(oldest)).days,
    )
    row.flags = [
        name
        for name, raised in (
            ("overdue", row.overdue > 0),
            ("missed", row.missed > 0),
            ("visit_rate", row.visit_rate is not None and row.visit_rate < threshold),
            ("oldest_days", row.oldest_days is not None and row.oldest_days > OLDEST_FLAG_DAYS),
        )
        if raised
    ]
    return row


def street_rows(
    communities: list[Community], *, period: Period, now: datetime, sort: str = "name"
) -> list[CommunityRow]:
    """One row per community, sorted by ``sort`` (a SORT_KEYS name, ``-`` for descending;
    names by pinyin; empty figures sort last). A fixed number of queries per community, whatever its rows;
    ``oldest_days``: how long the oldest item open at the period's end (or now) had been open by its
    last day (or today), in days."""
    thresholds = SubdistrictSettings.thresholds({c.subdistrict for c in communities})
    oldest = report_figures.oldest_open_received(communities, end=min(aware(period.end), now))
    rows = [
        _row(c, period=period, now=now, threshold=thresholds[c.subdistrict], oldest=oldest.get(c.pk))
        for c in communities
    ]
    key = sort.lstrip("-")
    if key not in SORT_KEYS:
        key, sort = "name", "name"
    present = [row for row in rows if getattr(row, key) is not None]
    missing = [row for row in rows if getattr(row, key) is None]
    value = (lambda row: pinyin_key(row.name)) if key == "name" else (lambda row: getattr(row, key))
    present.sort(key=value, reverse=sort.startswith("-"))
    return present + missing


def lands_on_overview(memberships: list) -> bool:
    """A 街道 user (read-only in two or more communities) starts from the overview, not from
    one community's home page."""
    return len(memberships) >= 2 and all(membership.role == Role.VIEWER for membership in memberships)
