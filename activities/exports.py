"""The volunteer hours workbook a 街道 asks for: totals per person and every service."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from residents.masking import mask_name, mask_phone
from residents.spreadsheet import Sheet


def volunteer_hours_sheets(totals, services, *, full_names: bool = True) -> list[Sheet]:
    """Sheet 1: one row per volunteer; sheet 2: one row per service. Phones are masked; without
    ``full_names`` (the 街道 viewer) volunteers are 王**."""
    summary = Sheet(
        title=_("Hours per volunteer"),
        headers=[_("Full name"), _("Phone"), _("Times served"), _("Hours")],
        rows=(
            [
                row["name"] if full_names else mask_name(row["name"]),
                mask_phone(row["resident__phone"] or ""),
                row["times"],
                float(row["total"] or 0),
            ]
            for row in totals
        ),
        widths=[14, 16, 10, 10],
    )
    detail = Sheet(
        title=_("Services"),
        headers=[_("Date"), _("Activity"), _("Full name"), _("Task"), _("Hours")],
        rows=(
            [
                timezone.localtime(p.activity.starts_at).date(),
                p.activity.title,
                p.display_name if full_names else mask_name(p.display_name),
                p.volunteer_role,
                float(p.hours or 0),
            ]
            for p in services
        ),
        widths=[12, 30, 14, 14, 10],
    )
    return [summary, detail]
