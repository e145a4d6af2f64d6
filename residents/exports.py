"""Residents as an Excel sheet: masked unless a logged, permitted export asks for full numbers."""

from __future__ import annotations

from io import BytesIO

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from openpyxl import Workbook

# "Room" and "Phone" have a context: elsewhere the UI words them 房屋 and 联系电话, the sheet 房间 and 电话.
HEADINGS = [
    _("Full name"),
    pgettext_lazy("residents export", "Room"),
    _("Gender"),
    _("Date of birth"),
    pgettext_lazy("residents export", "Phone"),
    _("ID number"),
    _("Population type"),
    _("Status"),
    _("Relation to head of household"),
]


def residents_workbook(residents: QuerySet, *, full: bool) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = str(_("Residents"))
    sheet.append([str(heading) for heading in HEADINGS])
    for r in residents.iterator(chunk_size=500):
        sheet.append(
            [
                r.name,
                r.room.label if r.room else "",
                r.get_gender_display(),
                r.birth_date,
                r.phone if full else r.masked_phone,
                r.decrypted_id_number() if full else r.id_number_masked,
                r.get_population_type_display(),
                r.get_status_display(),
                r.get_relation_display(),
            ]
        )
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
