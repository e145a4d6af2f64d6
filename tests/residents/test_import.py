"""The Excel roster import: every row checked, all rows or none, a report in Chinese."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import Workbook

from residents import importer
from residents.models.place import Room
from residents.models.resident import Resident
from tests.residents.conftest import ID_NUMBER

HEADER = ["姓名", "楼号", "单元", "房间号", "性别", "出生日期", "身份证号", "电话"]
IMPORT = reverse("residents:resident_import")


def workbook(*rows, header=HEADER) -> bytes:
    book = Workbook()
    book.active.append(header)
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


GOOD = ["王秀英", "3", "2", "501", "女", "1949-12-31", ID_NUMBER, "13812348000"]
OTHER = ["李建国", "3", "2", "502", "男", "1950-01-01", "", "13900001111"]


def read(content, community):
    return importer.read(io.BytesIO(content), community=community)


def test_it_imports_every_row_of_a_good_file(community):
    report = read(workbook(GOOD, OTHER), community)
    importer.save(report, community=community)
    assert sorted(Resident.objects.values_list("name", flat=True)) == ["李建国", "王秀英"]


def test_it_creates_a_missing_room(community):
    importer.save(read(workbook(GOOD), community), community=community)
    assert Room.objects.in_community(community).find_label("3-2-501") is not None


def test_it_stores_the_imported_id_number_encrypted(community):
    importer.save(read(workbook(GOOD), community), community=community)
    assert Resident.objects.in_community(community).with_id_number(ID_NUMBER).get().id_number_encrypted


def test_it_reports_an_id_number_with_a_wrong_check_character(community):
    report = read(workbook([*GOOD[:6], ID_NUMBER[:-1] + "1", GOOD[7]]), community)
    assert report.errors[0][0] == 2 and "身份证号" in report.errors[0][1]


def test_it_reports_a_bad_phone(community):
    report = read(workbook([*GOOD[:7], "12345"]), community)
    assert "电话" in report.errors[0][1]


def test_it_reports_a_duplicate_id_number_within_the_file(community):
    report = read(workbook(GOOD, [*OTHER[:6], ID_NUMBER, OTHER[7]]), community)
    assert report.errors == [(3, "与第2行身份证号相同")]


def test_it_reports_an_id_number_already_registered(community, resident):
    assert "已登记" in read(workbook(GOOD), community).errors[0][1]


def test_it_refuses_a_file_with_wrong_columns(community):
    with pytest.raises(importer.ImportFileError):
        read(workbook(GOOD, header=["name", "building"]), community)
    assert not Resident.objects.exists()


def test_it_refuses_a_file_that_is_not_excel(community):
    with pytest.raises(importer.ImportFileError):
        read(b"not a spreadsheet", community)
    assert not Resident.objects.exists()


def test_it_refuses_a_file_over_ten_megabytes(community):
    with pytest.raises(importer.ImportFileError):
        importer.read(io.BytesIO(b""), community=community, size=20 * 1024 * 1024)
    assert not Resident.objects.exists()


def test_it_imports_nothing_when_one_row_is_bad_from_the_web(login, staff, community):
    upload = SimpleUploadedFile("r.xlsx", workbook(OTHER, [*GOOD[:7], "12345"]))
    response = login(staff).post(IMPORT, {"file": upload})
    assert "电话" in response.content.decode() and not Resident.objects.exists()


def test_it_imports_a_good_file_from_the_web(login, staff, community):
    login(staff).post(IMPORT, {"file": SimpleUploadedFile("r.xlsx", workbook(GOOD, OTHER))})
    assert Resident.objects.in_community(community).count() == 2


def test_it_only_checks_on_a_dry_run_from_the_web(login, staff, community):
    login(staff).post(IMPORT, {"file": SimpleUploadedFile("r.xlsx", workbook(GOOD)), "dry_run": "on"})
    assert not Resident.objects.exists()


def test_it_forbids_the_import_to_a_viewer(login, viewer):
    assert login(viewer).post(IMPORT, {"file": SimpleUploadedFile("r.xlsx", workbook(GOOD))}).status_code == 403


def test_it_imports_into_the_users_own_community_only(login, outsider, community, other_community):
    login(outsider).post(IMPORT, {"file": SimpleUploadedFile("r.xlsx", workbook(GOOD))})
    assert not Resident.objects.in_community(community).exists()


def test_it_serves_the_template_with_the_headings(login, staff):
    response = login(staff).get(reverse("residents:resident_import_template"))
    assert response.status_code == 200 and response.content[:2] == b"PK"


def test_it_imports_with_the_command(tmp_path, community):
    path = tmp_path / "roster.xlsx"
    path.write_bytes(workbook(GOOD, OTHER))
    call_command("import_residents", str(path), stdout=io.StringIO())
    assert Resident.objects.count() == 2


def test_it_saves_nothing_on_a_dry_run_of_the_command(tmp_path, community):
    path = tmp_path / "roster.xlsx"
    path.write_bytes(workbook(GOOD))
    call_command("import_residents", str(path), "--dry-run", stdout=io.StringIO())
    assert not Resident.objects.exists()


def test_it_fails_the_command_on_a_bad_row(tmp_path, community):
    path = tmp_path / "roster.xlsx"
    path.write_bytes(workbook([*GOOD[:7], "12345"]))
    with pytest.raises(CommandError):
        call_command("import_residents", str(path), stdout=io.StringIO(), stderr=io.StringIO())
