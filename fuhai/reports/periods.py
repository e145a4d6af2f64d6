"""The period a report covers: a month (``2026-11``) or a quarter (``2026Q4``). Plain Python."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_QUARTER = re.compile(r"^(\d{4})[Qq]([1-4])$")
#: The first year a report may cover. The last is this year: a later one has not started, and
#: year 9999's next month or quarter (the period's end) is past what a date can hold.
_FIRST_YEAR = 2000


class BadPeriod(ValueError):
    """The month or quarter in the address cannot be read."""


def month_start(day: date, months_back: int = 0) -> date:
    """The first day of ``day``'s month, ``months_back`` months earlier (negative: later)."""
    index = day.year * 12 + day.month - 1 - months_back
    return date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True)
class Period:
    """[start, end) in local dates; ``key`` is how it is written in the address."""

    start: date
    end: date
    key: str
    is_quarter: bool = False

    @classmethod
    def month(cls, first: date) -> Period:
        return cls(first, month_start(first, -1), f"{first:%Y-%m}")

    @classmethod
    def quarter(cls, year: int, number: int) -> Period:
        first = date(year, 3 * number - 2, 1)
        return cls(first, month_start(first, -3), f"{year}Q{number}", is_quarter=True)

    @property
    def months(self) -> list[date]:
        """The first day of every month in the period."""
        firsts, day = [], self.start
        while day < self.end:
            firsts.append(day)
            day = month_start(day, -1)
        return firsts

    @property
    def last_day(self) -> date:
        return date.fromordinal(self.end.toordinal() - 1)

    def previous(self) -> Period:
        if self.is_quarter:
            first = month_start(self.start, 3)
            return Period.quarter(first.year, (first.month + 2) // 3)
        return Period.month(month_start(self.start, 1))

    def following(self) -> Period:
        if self.is_quarter:
            return Period.quarter(self.end.year, (self.end.month + 2) // 3)
        return Period.month(self.end)

    def trend_months(self, count: int = 12) -> list[date]:
        """The ``count`` months ending with the period's last month, oldest first."""
        last = month_start(self.last_day)
        return [month_start(last, back) for back in range(count - 1, -1, -1)]


def parse_period(*, month: str | None, quarter: str | None, today: date) -> Period:
    """``?quarter=2026Q4`` wins over ``?month=2026-11``; neither means the previous month.
    Raises BadPeriod for anything else, and for a period that has not started yet."""
    if quarter:
        found = _QUARTER.match(quarter.strip())
        if not found or not _FIRST_YEAR <= int(found[1]) <= today.year:
            raise BadPeriod(quarter)
        period = Period.quarter(int(found[1]), int(found[2]))
    elif month:
        found = _MONTH.match(month.strip())
        if not found or not 1 <= int(found[2]) <= 12 or not _FIRST_YEAR <= int(found[1]) <= today.year:
            raise BadPeriod(month)
        period = Period.month(date(int(found[1]), int(found[2]), 1))
    else:
        period = Period.month(month_start(today, 1))
    if period.start > today:
        raise BadPeriod(month or quarter)
    return period
