"""The report's period: a month, a quarter, the previous month by default (plain Python)."""

from datetime import date

import pytest

from fuhai.reports.periods import BadPeriod, Period, parse_period

TODAY = date(2026, 12, 2)


def test_it_takes_the_previous_month_by_default():
    assert parse_period(month=None, quarter=None, today=TODAY) == Period.month(date(2026, 11, 1))


def test_it_takes_the_previous_month_across_a_new_year():
    assert parse_period(month=None, quarter=None, today=date(2027, 1, 5)).key == "2026-12"


def test_it_reads_a_month():
    period = parse_period(month="2026-03", quarter=None, today=TODAY)
    assert (period.start, period.end) == (date(2026, 3, 1), date(2026, 4, 1))


def test_it_reads_a_quarter_over_a_month():
    period = parse_period(month="2026-03", quarter="2026Q4", today=TODAY)
    assert (period.start, period.end, period.is_quarter) == (date(2026, 10, 1), date(2027, 1, 1), True)


@pytest.mark.parametrize("month", ["2026-13", "2026-00", "11/2026", "abc", "1999-01", "2026-11-01"])
def test_it_refuses_a_month_it_cannot_read(month):
    with pytest.raises(BadPeriod):
        parse_period(month=month, quarter=None, today=TODAY)


@pytest.mark.parametrize(
    ("month", "quarter"), [("9999-12", None), ("9999-01", None), (None, "9999Q4"), (None, "0001Q1"), ("0001-01", None)]
)
def test_it_refuses_a_year_out_of_range_instead_of_failing(month, quarter):
    """9999-12 raised ValueError (a 500): its end, the next month, is past year 9999."""
    with pytest.raises(BadPeriod):
        parse_period(month=month, quarter=quarter, today=TODAY)


def test_it_refuses_a_month_that_has_not_started():
    with pytest.raises(BadPeriod):
        parse_period(month="2027-01", quarter=None, today=TODAY)


def test_it_counts_twelve_trend_months_ending_with_the_period():
    months = Period.month(date(2026, 11, 1)).trend_months()
    assert (months[0], months[-1], len(months)) == (date(2025, 12, 1), date(2026, 11, 1), 12)


def test_it_steps_a_quarter_back_across_a_year():
    assert Period.quarter(2026, 1).previous().key == "2025Q4"
