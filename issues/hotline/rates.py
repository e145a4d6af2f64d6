"""The three monthly rates of 12345 cases (响应率, 解决率, 满意率) and the weighted score."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.contrib.postgres.fields import ArrayField
from django.db import connection
from django.db.models import Case, Count, DateTimeField, F, Func, IntegerField, Q, Value, When

from issues.hotline.models import CitySatisfaction, HotlineCase, HotlineResult, HotlineSettings
from residents.models.community import Community


@dataclass
class Rate:
    numerator: Decimal
    denominator: int
    cases: list = field(default_factory=list)

    @property
    def value(self) -> Decimal | None:
        if not self.denominator:
            return None
        return (self.numerator / self.denominator * 100).quantize(Decimal("0.1"))


@dataclass
class MonthRates:
    month: date
    response: Rate
    resolution: Rate
    satisfaction: Rate
    score: Decimal | None


def rates(cases, rules: HotlineSettings, month: date, now: datetime) -> MonthRates:
    """响应率 = first contact within the response deadline ÷ cases dispatched in the month whose
    response is decided by ``now`` (contacted, or the deadline passed: in the month in progress a
    case with hours left is not yet a miss);
    解决率 = (解决 + w·部分解决) ÷ cases with a callback answer on solving;
    满意率 = (满意 + w·基本满意) ÷ cases with a satisfaction answer (未评价 not counted).
    Returned cases (退单) are left out of all three."""
    cases = [c for c in cases if not c.returned_reason]
    verdicts = [(c, c.responded_in_time(now)) for c in cases]
    decided = [c for c, in_time in verdicts if in_time is not None]
    response = Rate(Decimal(sum(1 for _c, in_time in verdicts if in_time)), len(decided), decided)
    solved_cases = [c for c in cases if c.city_solved]
    solved = sum(
        Decimal(1) if c.city_solved == HotlineResult.SOLVED else rules.partly_weight
        for c in solved_cases
        if c.city_solved in {HotlineResult.SOLVED, HotlineResult.PARTLY}
    )
    resolution = Rate(Decimal(solved), len(solved_cases), solved_cases)
    rated = [c for c in cases if c.city_satisfaction and c.city_satisfaction != CitySatisfaction.NONE]
    satisfied = sum(
        Decimal(1) if c.city_satisfaction == CitySatisfaction.SATISFIED else rules.basic_weight
        for c in rated
        if c.city_satisfaction in {CitySatisfaction.SATISFIED, CitySatisfaction.BASIC}
    )
    satisfaction = Rate(Decimal(satisfied), len(rated), rated)
    return _with_score(month, response, resolution, satisfaction, rules)


def rates_from_counts(counts: dict[str, int], rules: HotlineSettings, month: date) -> MonthRates:
    """The same rates as ``rates`` from the counts of the month's cases that
    ``hotline_month_counts`` gives (the 12-month trend counts a year of cases in
    SQL rather than loading them); its Rates carry no cases."""
    response = Rate(Decimal(counts["in_time"]), counts["response_decided"])
    resolution = Rate(Decimal(counts["solved"]) + rules.partly_weight * counts["partly"], counts["answered"])
    satisfaction = Rate(Decimal(counts["satisfied"]) + rules.basic_weight * counts["basic"], counts["rated"])
    return _with_score(month, response, resolution, satisfaction, rules)


def _with_score(month: date, response: Rate, resolution: Rate, satisfaction: Rate, rules) -> MonthRates:
    score = None
    parts = [(response.value, rules.response_share), (resolution.value, rules.resolution_share)]
    parts.append((satisfaction.value, rules.satisfaction_share))
    if all(value is not None for value, _ in parts):
        score = (sum(value * share for value, share in parts) / 100).quantize(Decimal("0.1"))
    return MonthRates(month=month, response=response, resolution=resolution, satisfaction=satisfaction, score=score)


# --- what the monthly report reads of a year of cases ------------------------------------


#: What rates() and the report's missed deadlines read of a case.
HOTLINE_RATE_FIELDS = (
    "community_id",
    "case_no",
    "dispatched_at",
    "response_deadline",
    "resolution_deadline",
    "first_contact_at",
    "replied_at",
    "returned_reason",
    "city_solved",
    "city_satisfaction",
)


class WidthBucket(Func):
    """PostgreSQL's ``width_bucket(value, thresholds)``: 1 for the first [threshold, next) window,
    2 for the second…, found by a binary search of the sorted thresholds."""

    function = "width_bucket"
    output_field = IntegerField()


def _window_bounds(months: list[tuple[datetime, datetime]]) -> list[datetime]:
    """The thresholds of consecutive [start, end) windows (each starts where the last ended)."""
    starts = [start for start, _end in months]
    if any(end != following for (_start, end), following in zip(months, starts[1:], strict=False)):
        raise ValueError("the windows must follow one another")
    return [*starts, months[-1][1]]


def missed_deadline(now: datetime) -> Q:
    """Cases first contacted after the response deadline or replied after the resolution
    deadline, or not yet with that deadline passed at ``now``; returned cases (退单) left out."""
    late_response = Q(first_contact_at__gt=F("response_deadline")) | Q(
        first_contact_at__isnull=True, response_deadline__lt=now
    )
    late_reply = Q(replied_at__gt=F("resolution_deadline")) | Q(replied_at__isnull=True, resolution_deadline__lt=now)
    return Q(returned_reason="") & (late_response | late_reply)


def hotline_month_counts(
    community: Community, *, months: list[tuple[datetime, datetime]], now: datetime
) -> list[dict[str, int]]:
    """For each [start, end) window (consecutive windows), the counts of its dispatched cases
    that rates_from_counts needs (returned cases left out, as rates() leaves them), with every
    case dispatched and those that missed a deadline by ``now``. One query over the windows'
    cases, grouped by window."""
    counted = Q(returned_reason="")
    kinds = {
        "dispatched": Q(),
        "missed": missed_deadline(now),
        "counted": counted,
        "response_decided": counted & (Q(first_contact_at__isnull=False) | Q(response_deadline__lte=now)),
        "in_time": counted & Q(first_contact_at__isnull=False, first_contact_at__lte=F("response_deadline")),
        "answered": counted & ~Q(city_solved=""),
        "solved": counted & Q(city_solved=HotlineResult.SOLVED),
        "partly": counted & Q(city_solved=HotlineResult.PARTLY),
        "rated": counted & ~Q(city_satisfaction="") & ~Q(city_satisfaction=CitySatisfaction.NONE),
        "satisfied": counted & Q(city_satisfaction=CitySatisfaction.SATISFIED),
        "basic": counted & Q(city_satisfaction=CitySatisfaction.BASIC),
    }
    bounds = _window_bounds(months)
    if connection.vendor == "postgresql":
        window = WidthBucket(F("dispatched_at"), Value(bounds, output_field=ArrayField(DateTimeField())))
    else:  # SQLite (`make run`): no arrays; the same window numbers
        whens = [When(dispatched_at__lt=stop, then=Value(n)) for n, stop in enumerate(bounds[1:], start=1)]
        window = Case(*whens, output_field=IntegerField())
    rows = (
        HotlineCase.objects.in_community(community)
        .filter(dispatched_at__gte=bounds[0], dispatched_at__lt=bounds[-1])
        .order_by()
        .annotate(window=window)
        .values("window")
        .annotate(**{kind: Count("id", filter=f or None) for kind, f in kinds.items()})
    )
    counts = [dict.fromkeys(kinds, 0) for _ in months]
    for row in rows:
        counts[row["window"] - 1] = {kind: row[kind] for kind in kinds}
    return counts


def hotline_missed_cases(
    community: Community, *, start: datetime, end: datetime, now: datetime, limit: int | None = None
) -> list[dict]:
    """The cases dispatched in [start, end) that missed a deadline by ``now`` (the first
    ``limit`` of them, oldest first), each with which deadline it missed. One query."""
    cases = (
        HotlineCase.objects.in_community(community)
        .filter(missed_deadline(now), dispatched_at__gte=start, dispatched_at__lt=end)
        .only(*HOTLINE_RATE_FIELDS)
        .order_by("dispatched_at", "id")
    )
    return [
        {
            "case": case,
            "late_response": (case.first_contact_at or now) > case.response_deadline,
            "late_reply": (case.replied_at or now) > case.resolution_deadline,
        }
        for case in (cases[:limit] if limit is not None else cases)
    ]
