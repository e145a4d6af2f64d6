"""Residents as an Excel sheet: masked unless a logged, permitted export asks for full numbers."""

from __future__ import annotations

from io import BytesIO

from django.db.models import QuerySet
from openpyxl import Workbook

HEADINGS = ["姓名", "房间", "性别", "出生日期", "电话", "身份证号", "人口类型", "状态", "与户主关系"]


def residents_workbook(residents: QuerySet, *, full: bool) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "居民"
    sheet.append(HEADINGS)
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
