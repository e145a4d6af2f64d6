"""Dates as the office writes them — month and day this year, with the year otherwise — for the
`short_date` filter (fuhai.templatetags.fuhai_dates) and for the lists that write many a page."""

from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache

from django.utils import formats
from django.utils.dateformat import DateFormat, re_escaped, re_formatchars

# style: (format for this year, format for another year), named in fuhai/formats/<language>/.
SHORT_FORMATS = {
    "date": ("MONTH_DAY_FORMAT", "DATE_FORMAT"),
    "time": ("MONTH_DAY_TIME_FORMAT", "DATETIME_FORMAT"),
    "weekday": ("MONTH_DAY_WEEKDAY_FORMAT", "WEEKDAY_DATE_FORMAT"),
}


#: A date format split into DateFormat's letters (True) and its literal text (False, unescaped).
Pieces = tuple[tuple[str, bool], ...]


@lru_cache(maxsize=16)
def short_formats(style: str, language: str) -> tuple[Pieces, Pieces]:
    """The formats of ``style`` in ``language`` (the active one, here only the cache's key),
    looked up and split once per process, as dateformat.format splits them: looking a format
    up and splitting it again for every date was half of a date's time (measured), and a list
    writes one a row."""
    return tuple(
        tuple(
            (piece, True) if i % 2 else (re_escaped.sub(r"\1", piece), False)
            for i, piece in enumerate(re_formatchars.split(formats.get_format(name, language)))
            if piece
        )
        for name in SHORT_FORMATS[style]
    )


def short_date_in(value: date | datetime, style: str, language: str, this_year: int) -> str:
    """:func:`short_date` of a local ``value`` with the language and this year given: a list of
    many rows asks for them once a page (the 12345 list), not once a date (half its time)."""
    this_year_pieces, other_year_pieces = short_formats(style, language)
    shown = DateFormat(value)
    pieces = this_year_pieces if value.year == this_year else other_year_pieces
    return "".join(str(getattr(shown, piece)()) if letter else piece for piece, letter in pieces)
