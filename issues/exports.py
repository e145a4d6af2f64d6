"""The Excel 台账 of the 民情日记, in the columns a 街道 expects."""

from __future__ import annotations

from io import BytesIO

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from residents.masking import mask_numbers_in_text


def issues_workbook(issues) -> bytes:
    """One row per item; phone and ID numbers inside the text are masked."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Issue log")
    headers = [
        _("Number"),
        _("Received at"),
        _("Source"),
        _("Reporter"),
        _("Place"),
        _("Content"),
        _("Category"),
        _("Handling method"),
        _("Contact person"),
        _("Due"),
        _("Status"),
        _("Result"),
        _("Callback"),
    ]
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for issue in issues:
        contact = issue.partner_contact or issue.partner
        callbacks = getattr(issue, "callbacks", [])
        callback = ""
        if issue.satisfaction:
            callback = issue.get_satisfaction_display()
            if callbacks:
                callback += f"（{timezone.localtime(callbacks[-1].created_at):%Y-%m-%d}）"
        sheet.append(
            [
                issue.code,
                timezone.localtime(issue.received_at).strftime("%Y-%m-%d %H:%M"),
                issue.get_channel_display(),
                issue.reporter_display,
                issue.place_label,
                mask_numbers_in_text(issue.text),
                str(issue.category or ""),
                issue.get_handling_method_display(),
                str(contact or ""),
                timezone.localtime(issue.due_at).strftime("%Y-%m-%d") if issue.due_at else "",
                issue.get_status_display(),
                " ".join(p for p in (issue.get_result_display(), mask_numbers_in_text(issue.result_note)) if p),
                callback,
            ]
        )
    widths = [16, 17, 10, 10, 18, 50, 10, 14, 20, 12, 14, 30, 16]
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[sheet.cell(row=1, column=index).column_letter].width = width
    for row in sheet.iter_rows(min_row=2, min_col=6, max_col=6):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
