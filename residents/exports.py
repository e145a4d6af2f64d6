"""Residents as an Excel sheet: masked unless a logged, permitted export asks for full numbers."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from residents.masking import mask_name
from residents.spreadsheet import Sheet

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
WIDTHS = [12, 14, 6, 12, 16, 22, 12, 10, 14]


def residents_sheet(residents: QuerySet, *, full: bool, full_names: bool) -> Sheet:
    """One row per resident. ``full`` writes whole phone and ID numbers: only for the logged,
    permitted export (the writer then leaves the numbers in the cells unmasked). Without
    ``full_names`` (the 街道 viewer) residents are 王**."""
    rows = (
        [
            r.name if full_names else mask_name(r.name),
            r.room.label if r.room else "",
            r.get_gender_display(),
            r.birth_date,
            r.phone if full else r.masked_phone,
            r.decrypted_id_number() if full else r.id_number_masked,
            r.get_population_type_display(),
            r.get_status_display(),
            r.get_relation_display(),
        ]
        for r in residents.iterator(chunk_size=500)
    )
    return Sheet(
        title=str(_("Residents")), headers=[str(h) for h in HEADINGS], rows=rows, widths=WIDTHS, masked=not full
    )
