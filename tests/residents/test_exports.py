"""The residents sheet is headed in the user's language, in the words a 街道 expects."""

from io import BytesIO

from django.utils import translation
from openpyxl import load_workbook

from residents.exports import residents_workbook
from residents.models import Resident


def sheet(language):
    with translation.override(language):
        content = residents_workbook(Resident.objects.none(), full=False)
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
