"""Reading the office's Excel roster of residents: every row checked, nothing written.

A file without errors becomes an import job (``residents.importing``), written all or none."""

from __future__ import annotations

import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import IO

from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook

from residents import crypto
from residents.models.community import Community
from residents.models.place import Building, Room, Unit
from residents.models.resident import Gender, PopulationType, Relation, Resident

MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 20000
PHONE_RE = re.compile(r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$", re.ASCII)
#: China's country code (+86, 0086 or 86, a dash may follow) before what may be a mobile.
COUNTRY_CODE_RE = re.compile(r"^(?:\+|00)?86-?(1[0-9-]*)$", re.ASCII)
MOBILE_RE = re.compile(r"^1[0-9]{10}$", re.ASCII)


def normalise_phone(value: str) -> str:
    """A phone as it is checked and stored, here, on the resident form and on the 12345 form:
    full-width characters (an input method in 全角 mode) read as plain ones, spaces dropped, a
    mobile's dashes (138-1234-8000) and the country code before a mobile (+86 138 1234 8000,
    0086, 86) dropped; a landline keeps the dash after its area code, and anything else stays
    as typed."""
    phone = re.sub(r"\s", "", unicodedata.normalize("NFKC", value or ""))
    if (code := COUNTRY_CODE_RE.match(phone)) and MOBILE_RE.match(mobile := code[1].replace("-", "")):
        return mobile
    return phone.replace("-", "") if phone.startswith("1") else phone


#: Column headings of the template, in order; the first four are required.
COLUMNS = [
    "姓名",
    "楼号",
    "单元",
    "房间号",
    "性别",
    "出生日期",
    "身份证号",
    "电话",
    "人口类型",
    "与户主关系",
    "紧急联系人",
    "紧急联系人电话",
]
REQUIRED = COLUMNS[:4]
GENDERS = {"男": Gender.MALE, "女": Gender.FEMALE}
POPULATION_TYPES = {
    "户籍": PopulationType.REGISTERED,
    "常住非户籍": PopulationType.RESIDENT,
    "流动": PopulationType.FLOATING,
    "境外": PopulationType.FOREIGN,
}
RELATIONS = {
    "户主": Relation.HEAD,
    "配偶": Relation.SPOUSE,
    "子女": Relation.CHILD,
    "父母": Relation.PARENT,
    "孙子女": Relation.GRANDCHILD,
    "租户": Relation.TENANT,
    "其他": Relation.OTHER,
}

#: The longest value each column's field holds, read from the models so the two never drift apart.
MAX_LENGTHS = {
    "姓名": ("name", Resident._meta.get_field("name").max_length),
    "楼号": ("building", Building._meta.get_field("number").max_length),
    "单元": ("unit", Unit._meta.get_field("number").max_length),
    "房间号": ("room", Room._meta.get_field("room_no").max_length),
    "紧急联系人": ("emergency_contact", Resident._meta.get_field("emergency_contact").max_length),
}


class ImportFileError(Exception):
    """The file as a whole cannot be read (not Excel, too big, wrong columns)."""


@dataclass
class ImportReport:
    rows: list[dict] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


#: What each column takes, with an example: the template's second sheet, 填写说明. Not a row of
#: the first sheet, which is imported: an untouched template would add 王秀英 as a resident.
EXPLAINED = [
    ("姓名", "必填", "王秀英"),
    ("楼号", "必填，只写数字", "3"),
    ("单元", "必填", "2"),
    ("房间号", "必填", "501"),
    ("性别", "男 或 女；空着时按身份证号", "女"),
    ("出生日期", "如 1949-12-31；空着时按身份证号", "1949-12-31"),
    ("身份证号", "18位，选填；15位的老号码（一代证）自动转为18位", ""),
    ("电话", "手机11位或固话，选填", "13800000000"),
    ("人口类型", "、".join(POPULATION_TYPES), "户籍"),
    ("与户主关系", "、".join(RELATIONS), "户主"),
    ("紧急联系人", "选填", "李明"),
    ("紧急联系人电话", "选填", "13900000000"),
]


def template_workbook():
    """The headings on the sheet that is imported (居民), and what each column takes, with an
    example, on a second sheet (填写说明) that the import never reads."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "居民"
    sheet.append(COLUMNS)
    guide = workbook.create_sheet("填写说明")
    guide.append(["列", "填写要求", "示例"])
    for row in EXPLAINED:
        guide.append(list(row))
    return workbook


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _date(value) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _text(value).replace("/", "-").replace(".", "-")
    return date.fromisoformat(text) if text else None


def read(file: IO[bytes], *, community: Community, size: int | None = None) -> ImportReport:
    """Check every row; nothing is written."""
    if size is not None and size > MAX_BYTES:
        raise ImportFileError(_("The file is larger than 10 MB: split the roster into several files."))
    try:
        workbook = load_workbook(file, read_only=True, data_only=True)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError):
        raise ImportFileError(_("This is not an Excel file (.xlsx): download the template and fill it in.")) from None
    sheet = workbook.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header = [_text(v) for v in next(rows, ())]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise ImportFileError(
            _("The first row must hold the column headings; missing: %(cols)s.") % {"cols": "、".join(missing)}
        )
    index = {name: header.index(name) for name in COLUMNS if name in header}
    report = ImportReport()
    seen_hashes: dict[str, int] = {}
    known = set(
        Resident.objects.in_community(community).exclude(id_number_hash="").values_list("id_number_hash", flat=True)
    )
    for number, values in enumerate(rows, start=2):
        if number > MAX_ROWS + 1:
            raise ImportFileError(_("More than %(n)s rows: split the roster into several files.") % {"n": MAX_ROWS})
        cell = {name: values[i] if i < len(values) else None for name, i in index.items()}
        if not any(_text(v) for v in cell.values()):
            continue
        problems = []
        row = {"line": number}
        for name in REQUIRED:
            if not _text(cell[name]):
                problems.append(_("%(col)s is empty") % {"col": name})
        row.update(
            name=_text(cell["姓名"]),
            building=_text(cell["楼号"]).removesuffix("号楼"),
            unit=_text(cell["单元"]).removesuffix("单元"),
            room=_text(cell["房间号"]).removesuffix("室"),
        )
        gender = _text(cell.get("性别"))
        if gender and gender not in GENDERS:
            problems.append(_("gender must be 男 or 女"))
        row["gender"] = GENDERS.get(gender, "")
        try:
            row["birth_date"] = _date(cell.get("出生日期"))
        except ValueError:
            problems.append(_("date of birth is not a date (write 1949-12-31)"))
        id_number = crypto.normalise_id_number(_text(cell.get("身份证号")))
        row["id_number_hash"] = ""
        if id_number:
            if crypto.FIRST_GENERATION_RE.match(id_number):
                problems.append(
                    _("ID number has 15 digits, but characters 7 to 12 (%(digits)s) are no date of birth")
                    % {"digits": id_number[6:12]}
                )
            elif not crypto.id_number_is_valid(id_number):
                problems.append(_("ID number is not valid (check the digits and the last character)"))
            else:
                digest = crypto.lookup_hash(id_number)
                if digest in known:
                    problems.append(_("ID number is already registered in this community"))
                elif digest in seen_hashes:
                    problems.append(_("same ID number as row %(row)s") % {"row": seen_hashes[digest]})
                seen_hashes[digest] = number
                row["id_number_hash"] = digest
        row["id_number"] = id_number
        for column, key in (("电话", "phone"), ("紧急联系人电话", "emergency_phone")):
            phone = normalise_phone(_text(cell.get(column)))
            if phone and not PHONE_RE.match(phone):
                problems.append(
                    _("%(col)s is not a phone: 11 digits for a mobile, 0 and the area code for a landline")
                    % {"col": column}
                )
            row[key] = phone
        population = _text(cell.get("人口类型"))
        if population and population not in POPULATION_TYPES:
            problems.append(_("population type must be one of %(values)s") % {"values": "、".join(POPULATION_TYPES)})
        row["population_type"] = POPULATION_TYPES.get(population, PopulationType.REGISTERED)
        relation = _text(cell.get("与户主关系"))
        if relation and relation not in RELATIONS:
            problems.append(_("relation must be one of %(values)s") % {"values": "、".join(RELATIONS)})
        row["relation"] = RELATIONS.get(relation, "")
        row["emergency_contact"] = _text(cell.get("紧急联系人"))
        for column, (key, limit) in MAX_LENGTHS.items():
            if len(row[key]) > limit:
                problems.append(_("%(col)s is longer than %(n)s characters") % {"col": column, "n": limit})
        if problems:
            report.errors.append((number, "；".join(str(p) for p in problems)))
        else:
            report.rows.append(row)
    return report
