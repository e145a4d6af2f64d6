"""The volunteer hours workbook as a file: hostile text stays text, phones masked, dates are dates."""

from datetime import date
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from activities import services
from activities.models import Activity


@pytest.fixture
def workbook(staff_client, activity, wang):
    Activity.objects.filter(pk=activity.pk).update(title="-1+2\x08宪法宣传，联系13900001234")
    services.record_volunteer(activity, resident=wang, by=None, now=activity.starts_at)
    services.record_volunteer(activity, name="@SUM(1)", hours=2, by=None, now=activity.starts_at)
    return load_workbook(BytesIO(staff_client.get(reverse("activities:volunteer_hours_export")).content))


def test_it_writes_no_formula_into_the_volunteer_hours(workbook):
    cells = [c for ws in workbook.worksheets for row in ws.iter_rows() for c in row]
    assert [c.coordinate for c in cells if c.data_type == "f"] == []


def test_it_keeps_a_formula_like_volunteer_name_as_text(workbook):
    assert workbook.worksheets[0]["A2"].value == "@SUM(1)"


def test_it_removes_the_control_character_from_the_activity_title(workbook):
    assert workbook.worksheets[1]["B2"].value == "-1+2宪法宣传，联系139****1234"


def test_it_masks_the_volunteer_phone(workbook):
    assert workbook.worksheets[0]["B3"].value == "138****8000"


def test_it_writes_the_service_date_as_a_date_cell(workbook):
    cell = workbook.worksheets[1]["A2"]
    assert (cell.is_date, cell.value.date()) == (True, date(2026, 12, 4))


def test_it_names_the_volunteer_hours_file_in_chinese(staff_client):
    disposition = staff_client.get(reverse("activities:volunteer_hours_export"))["Content-Disposition"]
    assert "filename*=UTF-8''%E5%BF%97%E6%84%BF%E6%9C%8D%E5%8A%A1%E6%97%B6%E9%95%BF_" in disposition
