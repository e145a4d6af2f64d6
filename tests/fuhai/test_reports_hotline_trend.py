"""The report's 12345 figures are counted in SQL (a year of cases is thousands of rows): each
month's rates must be those rates() gives on the month's cases themselves, and the cases that
missed a deadline those the rule picks by hand."""

import random
from datetime import date, timedelta

import pytest

from fuhai.reports.compose import aware
from fuhai.reports.periods import month_start
from issues.hotline import rates as hotline_rates
from issues.hotline.models import CitySatisfaction, HotlineResult, HotlineSettings
from issues.hotline.rates import rates, rates_from_counts
from tests.factories import HotlineCaseFactory

MONTHS = [month_start(date(2026, 11, 1), back) for back in range(2, -1, -1)]
#: Mid-November: some November cases are still within their deadlines, some past them.
NOW = aware(date(2026, 11, 20))


def missed_by_hand(case) -> bool:
    late_response = (case.first_contact_at or NOW) > case.response_deadline
    late_reply = (case.replied_at or NOW) > case.resolution_deadline
    return (late_response or late_reply) and not case.returned_reason


@pytest.fixture
def cases(community, other_community):
    rng = random.Random(12345)
    made = []
    for n in range(60):
        place = community if n % 5 else other_community
        month = rng.choice(MONTHS)
        dispatched = aware(month) + timedelta(days=rng.randrange(28), hours=rng.randrange(24))
        made.append(
            HotlineCaseFactory(
                community=place,
                case_no=f"BJ{n:03d}",
                dispatched_at=dispatched,
                first_contact_at=rng.choice([None, dispatched + timedelta(hours=rng.randrange(48))]),
                replied_at=rng.choice([None, dispatched + timedelta(days=rng.randrange(20))]),
                city_solved=rng.choice(["", *HotlineResult.values]),
                city_satisfaction=rng.choice(["", *CitySatisfaction.values]),
                returned_reason=rng.choice(["", "", "", "非本辖区"]),
            )
        )
    return made


def test_it_counts_each_months_rates_as_rates_does_on_its_cases(community, cases):
    rules = HotlineSettings.for_community(community.pk)
    windows = [(aware(m), aware(month_start(m, -1))) for m in MONTHS]
    counts = hotline_rates.hotline_month_counts(community, months=windows, now=NOW)
    for month, (start, end), count in zip(MONTHS, windows, counts, strict=True):
        own = [c for c in cases if c.community_id == community.pk and start <= c.dispatched_at < end]
        by_hand, counted = rates(own, rules, month, NOW), rates_from_counts(count, rules, month)
        for which in ("response", "resolution", "satisfaction"):
            assert getattr(counted, which).value == getattr(by_hand, which).value, (month, which)
            assert getattr(counted, which).denominator == getattr(by_hand, which).denominator, (month, which)
        assert counted.score == by_hand.score
        assert count["dispatched"] == len(own)
        assert count["missed"] == sum(1 for c in own if missed_by_hand(c)), month
    assert sum(c["counted"] for c in counts) > 0
    assert sum(c["answered"] for c in counts) > 0


def test_it_lists_the_cases_that_missed_a_deadline_oldest_first_up_to_a_limit(community, cases):
    start, end = aware(MONTHS[0]), aware(month_start(MONTHS[-1], -1))
    own = sorted(
        (c for c in cases if c.community_id == community.pk and missed_by_hand(c)),
        key=lambda c: (c.dispatched_at, c.pk),
    )
    assert len(own) > 5
    listed = hotline_rates.hotline_missed_cases(community, start=start, end=end, now=NOW)
    assert [row["case"].case_no for row in listed] == [c.case_no for c in own]
    for row in listed:
        case = row["case"]
        assert row["late_response"] == ((case.first_contact_at or NOW) > case.response_deadline)
        assert row["late_reply"] == ((case.replied_at or NOW) > case.resolution_deadline)
        assert row["late_response"] or row["late_reply"]
    first = hotline_rates.hotline_missed_cases(community, start=start, end=end, now=NOW, limit=5)
    assert [row["case"].case_no for row in first] == [c.case_no for c in own[:5]]
