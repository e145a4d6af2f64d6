"""The residents sheet is headed in the user's language, in the words a 街道 expects."""

from datetime import date
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from residents.exports import residents_sheet
from residents.models import Resident
from residents.spreadsheet import write_workbook


def sheet(language):
    with translation.override(language):
        content = write_workbook([residents_sheet(Resident.objects.none(), full=False, full_names=False)])
    return load_workbook(BytesIO(content)).active


def test_it_heads_the_columns_in_chinese(db):
    assert next(sheet("zh-hans").iter_rows(values_only=True)) == (
        "姓名",
        "房间",
        "性别",
        "出生日期",
        "电话",
        "身份证号",
        "人口类型",
        "状态",
        "与户主关系",
    )


def test_it_names_the_sheet_in_chinese(db):
    assert sheet("zh-hans").title == "居民"


def test_it_heads_the_columns_in_english(db):
    assert next(sheet("en").iter_rows(values_only=True)) == (
        "Full name",
        "Room",
        "Gender",
        "Date of birth",
        "Phone",
        "ID number",
        "Population type",
        "Status",
        "Relation to head of household",
    )


# --- the export as a file: hostile text stays text, numbers masked, dates are dates -----------

EXPORT = reverse("residents:resident_export")


@pytest.fixture
def exported(login, grid_worker, resident):
    name = '=HYPERLINK("http://x")\x08王秀英'
    Resident.objects.filter(pk=resident.pk).update(name=name, birth_date=date(1949, 12, 31))
    return load_workbook(BytesIO(login(grid_worker).get(EXPORT).content)).active


def test_it_writes_no_formula_into_the_residents_export(exported):
    assert [c.coordinate for row in exported.iter_rows() for c in row if c.data_type == "f"] == []


def test_it_keeps_a_formula_like_name_as_text_without_the_control_character(exported):
    assert exported["A2"].value == '=HYPERLINK("http://x")王秀英'


def test_it_masks_the_phone_and_id_number_in_the_residents_export(exported):
    assert (exported["E2"].value, exported["F2"].value) == ("138****8000", "110***********002X")


def test_it_writes_the_date_of_birth_as_a_date_cell(exported):
    assert (exported["D2"].is_date, exported["D2"].value.date()) == (True, date(1949, 12, 31))
