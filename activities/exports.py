"""The volunteer hours workbook a 街道 asks for: totals per person and every service."""

from __future__ import annotations

from io import BytesIO

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from residents.masking import mask_phone


def _sheet(workbook, title: str, headers: list[str], widths: list[int]):
    sheet = workbook.create_sheet(title)
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[sheet.cell(row=1, column=index).column_letter].width = width
    sheet.freeze_panes = "A2"
    return sheet


def volunteer_hours_workbook(totals, services) -> bytes:
    """Sheet 1: one row per volunteer; sheet 2: one row per service. Phones are masked."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    summary = _sheet(
        workbook,
        _("Hours per volunteer"),
        [_("Full name"), _("Phone"), _("Times served"), _("Hours")],
        [14, 16, 10, 10],
    )
    for row in totals:
        summary.append([row["name"], mask_phone(row["resident__phone"] or ""), row["times"], float(row["total"] or 0)])
    detail = _sheet(
        workbook,
        _("Services"),
        [_("Date"), _("Activity"), _("Full name"), _("Task"), _("Hours")],
        [12, 30, 14, 14, 10],
    )
    for p in services:
        detail.append(
            [
                timezone.localtime(p.activity.starts_at).strftime("%Y-%m-%d"),
                p.activity.title,
                p.display_name,
                p.volunteer_role,
                float(p.hours or 0),
            ]
        )
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
