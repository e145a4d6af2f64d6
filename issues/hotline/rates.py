"""The three monthly rates of 12345 cases (响应率, 解决率, 满意率) and the weighted score."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from issues.hotline.models import CitySatisfaction, HotlineResult, HotlineSettings


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


def rates(cases, rules: HotlineSettings, month: date) -> MonthRates:
    """响应率 = first contact within the response deadline ÷ cases dispatched in the month;
    解决率 = (解决 + w·部分解决) ÷ cases with a callback answer on solving;
    满意率 = (满意 + w·基本满意) ÷ cases with a satisfaction answer (未评价 not counted).
    Returned cases (退单) are left out of all three."""
    cases = [c for c in cases if not c.returned_reason]
    response = Rate(Decimal(sum(1 for c in cases if c.responded_in_time())), len(cases), cases)
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
    ``issues.selectors.hotline_month_counts`` gives (the 12-month trend counts a year of cases in
    SQL rather than loading them); its Rates carry no cases."""
    response = Rate(Decimal(counts["in_time"]), counts["counted"])
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
