"""The one Excel writer every export uses: text stays text, numbers in text are masked.

Every text cell is cleaned the same way, whoever writes it:

- a value that a spreadsheet would read as a formula (``= + - @`` after leading spaces, tabs or
  line breaks) is stored as a literal string with Excel's quote prefix, never as a formula;
- control characters other than line break and tab are removed (openpyxl refuses them, and one
  ``\\x08`` in a resident's text used to turn the whole export into a 500);
- mobile and ID numbers inside text are masked through :mod:`residents.masking`, unless the sheet
  is written with ``masked=False`` (only the logged, permitted resident export does that);
- dates and datetimes become real date cells in local time, to the second, with a number format;
- a sheet title too long for Excel is shortened at a word, never two alike;
- a sheet's ``caption`` (what the file is: community, report, month) is a bold first row above
  the header row, cleaned like any text cell;
- columns are as wide as their header (10 to 40), or as given in ``widths``; a sheet written with
  ``fit=True`` has each column as wide as its longest header or value instead (same bounds).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from io import BytesIO
from urllib.parse import quote

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font

from residents.masking import mask_numbers_in_text

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# C0 controls except tab (\x09) and line feed (\x0a), DEL and C1 controls.
CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
FORMULA_START_RE = re.compile(r"^[\s]*[=+\-@]")
TITLE_FORBIDDEN_RE = re.compile(r"[\[\]:*?/\\]")
TITLE_MAX = 31
#: "(民情日记)", "（草稿）": dropped before a too-long title is cut.
TITLE_ASIDE_RE = re.compile(r"\s*[(（][^()（）]*[)）]")
TITLE_BREAK_RE = re.compile(r"[\s·_、,，]+")
MAX_CELL_CHARS = 32767
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"


@dataclass
class Sheet:
    title: str
    headers: list[str]
    rows: Iterable[Sequence]
    widths: list[int] | None = None
    masked: bool = True  # False only for the logged, permitted unmasked resident export
    #: A first row above the headers naming what the sheet is, so that a file among dozens
    #: collected from the communities says whose and which month it is.
    caption: str = ""
    #: Columns as wide as their longest value rather than their header: for short sheets whose
    #: labels sit in the rows (a report's figures), not for long lists (the rows are kept in
    #: memory to be measured).
    fit: bool = False


def clean_text(value: str, *, masked: bool = True) -> str:
    """The text as it is written into a cell: no control characters, numbers masked."""
    text = CONTROL_RE.sub("", value)
    if masked:
        text = mask_numbers_in_text(text)
    return text[:MAX_CELL_CHARS]


def looks_like_formula(text: str) -> bool:
    return bool(FORMULA_START_RE.match(text))


def _shorten(title: str, limit: int) -> str:
    """``title`` in at most ``limit`` characters, cut where a reader would: a bracketed aside
    goes first, then whole words from the end; only a single word longer than the limit (or
    Chinese, which has no spaces) is cut inside."""
    if len(title) <= limit:
        return title
    plain = TITLE_ASIDE_RE.sub("", title).strip()
    if plain and len(plain) <= limit:
        return plain
    text = plain or title
    breaks = [m.start() for m in TITLE_BREAK_RE.finditer(text[: limit + 1]) if m.start() > 0]
    return (text[: breaks[-1]] if breaks else text[:limit]).rstrip(" ·_-、,，").strip("'")


def sheet_title(title: str, taken: set[str]) -> str:
    """A title Excel accepts: no []:*?/\\, at most 31 characters, not blank, unique (Excel
    compares titles without case)."""
    base = TITLE_FORBIDDEN_RE.sub("_", CONTROL_RE.sub("", str(title))).strip().strip("'") or "Sheet"
    name, n = _shorten(base, TITLE_MAX) or "Sheet", 1
    while name.lower() in taken:
        n += 1
        suffix = f" ({n})"
        name = (_shorten(base, TITLE_MAX - len(suffix)) or "Sheet") + suffix
    taken.add(name.lower())
    return name


def _display_width(text: str) -> int:
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


WIDTH_MIN, WIDTH_MAX = 10, 40


def _value_width(value) -> int:
    if isinstance(value, datetime):
        return len(DATETIME_FORMAT)
    if isinstance(value, date):
        return len(DATE_FORMAT)
    if value is None:
        return 0
    return max((_display_width(line) for line in str(value).split("\n")), default=0)


def _fitted_widths(headers: list[str], rows: list[Sequence]) -> list[int]:
    """Each column as wide as its longest header or value, between WIDTH_MIN and WIDTH_MAX."""
    columns = max([len(headers), *(len(row) for row in rows)], default=0)
    longest = [_display_width(h) for h in headers] + [0] * (columns - len(headers))
    for row in rows:
        for index, value in enumerate(row):
            longest[index] = max(longest[index], _value_width(value))
    return [min(max(width + 2, WIDTH_MIN), WIDTH_MAX) for width in longest]


def _cell(ws, value, *, masked: bool, wrap: bool) -> WriteOnlyCell:
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        # To the second, as written: a saved now() carries microseconds, which Excel shows in
        # the formula bar and a CSV saved from the sheet writes out (08:30:12.345678).
        cell = WriteOnlyCell(ws, value=value.replace(tzinfo=None, microsecond=0))
        cell.number_format = DATETIME_FORMAT
        return cell
    if isinstance(value, date):
        cell = WriteOnlyCell(ws, value=value)
        cell.number_format = DATE_FORMAT
        return cell
    if value is None or isinstance(value, bool | int | float | Decimal):
        return WriteOnlyCell(ws, value=value)
    text = clean_text(str(value), masked=masked)
    cell = WriteOnlyCell(ws, value=text)
    if looks_like_formula(text):
        cell.data_type = "s"  # a literal string: openpyxl would otherwise write a formula
        cell.quotePrefix = True  # and Excel keeps it text when the cell is edited
    if wrap or "\n" in text:
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    return cell


def _bold(ws, value: str, *, size: int | None = None) -> WriteOnlyCell:
    cell = WriteOnlyCell(ws, value=value)
    cell.font = Font(bold=True, size=size)
    if looks_like_formula(value):
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell


def write_workbook(sheets: list[Sheet], *, title: str = "") -> bytes:
    """The workbook of these sheets, caption and header rows bold and frozen, as xlsx bytes;
    ``title``: the document's title property (what a file manager or Excel's Info shows)."""
    workbook = Workbook(write_only=True)
    workbook.properties.title = clean_text(title)[:255] or None
    taken: set[str] = set()
    for sheet in sheets:
        ws = workbook.create_sheet(sheet_title(sheet.title, taken))
        headers = [clean_text(str(h), masked=False) for h in sheet.headers]
        rows = sheet.rows
        if sheet.widths:
            widths = sheet.widths
        elif sheet.fit:
            rows = list(rows)
            widths = _fitted_widths(headers, rows)
        else:
            widths = [min(max(_display_width(h) + 2, WIDTH_MIN), WIDTH_MAX) for h in headers]
        for index, width in enumerate(widths, start=1):
            ws.column_dimensions[_column_letter(index)].width = width
        ws.freeze_panes = "A3" if sheet.caption else "A2"
        if sheet.caption:
            ws.append([_bold(ws, clean_text(sheet.caption, masked=sheet.masked), size=13)])
        ws.append([_bold(ws, h) for h in headers])
        wide = [index < len(widths) and widths[index] >= 30 for index in range(len(headers))]
        for row in rows:
            ws.append(
                [
                    _cell(ws, value, masked=sheet.masked, wrap=index < len(wide) and wide[index])
                    for index, value in enumerate(row)
                ]
            )
    if not sheets:
        workbook.create_sheet("Sheet")
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _column_letter(index: int) -> str:
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def content_disposition(filename: str, *, fallback: str = "") -> str:
    """attachment with the UTF-8 name (RFC 5987) and an ASCII fallback for old clients:
    ``fallback`` if given (a name that tells one community's file from another's), else the
    ASCII left of ``filename``."""
    wanted = fallback or filename
    ascii_name = re.sub(r"[^A-Za-z0-9._-]", "", wanted)
    if ascii_name != wanted:
        stem, dot, ext = ascii_name.rpartition(".")
        stem = stem.strip("._-") if dot else ascii_name.strip("._-")
        ascii_name = f"export-{stem}.{ext}" if dot and stem else (f"export.{ext}" if dot else "export")
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename, safe='')}"


def workbook_response(*, sheets: list[Sheet], filename: str, title: str = "", fallback: str = "") -> HttpResponse:
    """The sheets as a download named e.g. 民情日记台账_20261201.xlsx (``fallback``: the ASCII
    name for old clients; ``title``: the workbook's title property)."""
    response = HttpResponse(write_workbook(sheets, title=title), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition(filename, fallback=fallback)
    return response
