"""The Excel roster import: every row checked, all rows or none, a report in Chinese.

The web tests run the Celery task eagerly (``eager``); tests/residents/test_import_worker.py
runs it in a real worker."""

import io
from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError
from openpyxl import Workbook, load_workbook

from fuhai.celery import app
from residents import crypto, importer, tasks
from residents.importing import services
from residents.importing.models import ImportJob, JobStatus
from residents.importing.writer import run_job
from residents.models.place import Building, Room, Unit
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


def import_file(content, community) -> ImportJob:
    """Check a file and write it as the worker does."""
    job = services.create_job(community=community, by=None, file_name="r.xlsx", report=read(content, community))
    return run_job(job_id=job.pk, now=timezone.now())


@pytest.fixture
def eager(monkeypatch):
    """The Celery task runs in the test, when the upload's transaction commits."""
    monkeypatch.setitem(app.conf, "task_always_eager", True)


def test_it_imports_every_row_of_a_good_file(community):
    job = import_file(workbook(GOOD, OTHER), community)
    assert sorted(Resident.objects.values_list("name", flat=True)) == ["李建国", "王秀英"]
    assert (job.status, job.done, job.total, job.report["residents"]) == (JobStatus.DONE, 2, 2, 2)


def test_it_creates_a_missing_room(community):
    import_file(workbook(GOOD), community)
    room = Room.objects.in_community(community).find_label("3-2-501")
    assert (room.floor_no, room.community) == (5, community)


def test_it_puts_people_of_one_room_into_one_household(community):
    job = import_file(workbook(GOOD, [*OTHER[:3], "501", *OTHER[4:]]), community)
    assert (Room.objects.count(), Resident.objects.filter(room__room_no="501").count()) == (1, 2)
    assert job.report["households"] == 1


def test_it_finds_existing_places_instead_of_adding_them(community, room):
    job = import_file(workbook(GOOD, ["张三", "3", "2", "601", "男"]), community)
    assert (Building.objects.count(), Unit.objects.count(), Room.objects.count()) == (1, 1, 2)
    assert Resident.objects.get(name="王秀英").room == room
    assert (job.report["buildings"], job.report["units"], job.report["rooms"]) == (0, 0, 1)


def test_it_stores_the_imported_id_number_encrypted(community):
    import_file(workbook(GOOD), community)
    resident = Resident.objects.in_community(community).with_id_number(ID_NUMBER).get()
    typed = Resident()
    typed.set_id_number(ID_NUMBER)
    assert ID_NUMBER not in resident.id_number_encrypted
    assert crypto.decrypt(resident.id_number_encrypted) == ID_NUMBER
    assert (resident.id_number_hash, resident.id_number_masked) == (typed.id_number_hash, typed.id_number_masked)


def test_it_never_keeps_the_clear_id_number_in_the_job(community):
    job = services.create_job(community=community, by=None, file_name="r.xlsx", report=read(workbook(GOOD), community))
    assert ID_NUMBER not in str(ImportJob.objects.get(pk=job.pk).payload)
    assert not ImportJob.objects.get(pk=run_job(job_id=job.pk, now=timezone.now()).pk).payload


def test_it_gives_imported_residents_their_pinyin_initials(community):
    import_file(workbook(["单田芳", "3", "2", "501"]), community)
    assert Resident.objects.get().name_initials == "stf"


def test_it_reports_an_id_number_with_a_wrong_check_character(community):
    report = read(workbook([*GOOD[:6], ID_NUMBER[:-1] + "1", GOOD[7]]), community)
    assert report.errors[0][0] == 2 and "身份证号" in report.errors[0][1]


@pytest.mark.parametrize("cell", ["110105710923123", 110105710923123], ids=["text", "number"])
def test_it_imports_a_first_generation_number_in_its_eighteen_characters(community, cell):
    import_file(workbook([*GOOD[:5], "", cell]), community)
    resident = Resident.objects.get()
    assert resident.decrypted_id_number() == "110105197109231238"
    assert resident.id_number_masked == "110***********1238"
    assert resident.id_number_hash == crypto.lookup_hash("110105197109231238")


def test_it_reports_a_first_generation_number_with_no_date(community):
    report = read(workbook(GOOD, [*OTHER[:6], "110105711323123"]), community)
    assert [line for line, _ in report.errors] == [3] and "711323" in report.errors[0][1]


def test_it_reports_the_first_generation_number_of_someone_registered(community, resident):
    report = read(workbook([*GOOD[:6], "110105491231002"]), community)
    assert "已登记" in report.errors[0][1]


def test_it_reports_one_person_written_with_both_forms_of_the_number(community):
    report = read(workbook(GOOD, [*OTHER[:6], "110105491231002"]), community)
    assert report.errors == [(3, "与第2行身份证号相同")]


def test_it_reports_a_bad_phone(community):
    report = read(workbook([*GOOD[:7], "12345"]), community)
    # What a phone should look like, not only that it is wrong (a tester could not tell).
    assert report.errors == [(2, "电话格式不对：手机号是以1开头的11位数字，固话以0开头、先写区号（如 010-12345678）")]


def test_it_reads_numbers_typed_in_full_width_digits_as_plain_ones(community):
    report = read(workbook([*GOOD[:6], "１１０１０５４９１２３１００２", "０１０－６２３４５６７８"]), community)
    assert report.errors == []
    assert report.rows[0]["id_number"] == ID_NUMBER and report.rows[0]["phone"] == "010-62345678"


def test_it_reads_a_mobile_after_the_country_code_as_the_mobile(community):
    typed = ["+86 139 0000 1234", "+86-139-0000-1234", "0086 13900001234", "8613900001234"]
    rows = ([f"王{n}", "3", "2", "501", "", "", "", phone] for n, phone in enumerate(typed))
    report = read(workbook(*rows), community)
    assert report.errors == []
    assert [row["phone"] for row in report.rows] == ["13900001234"] * 4


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("010-62345678", "010-62345678"),  # a landline keeps its dash
        ("+86 010-62345678", "+86010-62345678"),  # only a mobile loses the country code
        ("86 1390000123", "861390000123"),  # ten digits after 86: no mobile, left as typed
        ("+86 139 0000 1234 5", "+86139000012345"),  # twelve digits after +86: left as typed
    ],
)
def test_it_drops_the_country_code_only_before_a_mobile(typed, stored):
    assert importer.normalise_phone(typed) == stored


def test_it_reports_a_value_longer_than_its_field_instead_of_failing_the_write(community):
    report = read(workbook(["王" * 51, "3", "2", "501"], ["李四", "3", "2", "5" * 21]), community)
    assert report.errors == [(2, "姓名超过50个字"), (3, "房间号超过20个字")]


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


def test_it_imports_nothing_when_one_row_is_bad_from_the_web(login, staff, community, eager):
    upload = SimpleUploadedFile("r.xlsx", workbook(OTHER, [*GOOD[:7], "12345"]))
    response = login(staff).post(IMPORT, {"file": upload})
    assert "电话" in response.content.decode() and not Resident.objects.exists()
    assert not ImportJob.objects.exists() and not Room.objects.exists()


def test_it_imports_a_good_file_from_the_web_in_the_background(
    login, staff, community, eager, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = login(staff).post(IMPORT, {"file": SimpleUploadedFile("名单.xlsx", workbook(GOOD, OTHER))})
    job = ImportJob.objects.get()
    assert response.url == reverse("residents:import_job", args=[job.pk])
    assert (job.status, job.created_by, job.file_name) == (JobStatus.DONE, staff, "名单.xlsx")
    assert Resident.objects.in_community(community).count() == 2


def test_it_keeps_the_job_waiting_when_the_broker_is_down(
    login, staff, community, monkeypatch, django_capture_on_commit_callbacks
):
    def broker_down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(tasks.import_residents, "delay", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        response = login(staff).post(IMPORT, {"file": SimpleUploadedFile("r.xlsx", workbook(GOOD))})
    job = ImportJob.objects.get()
    assert response.status_code == 302 and job.status == JobStatus.QUEUED


def test_it_writes_nothing_before_the_upload_is_committed(login, staff, community, eager):
    login(staff).post(IMPORT, {"file": SimpleUploadedFile("r.xlsx", workbook(GOOD))})
    assert ImportJob.objects.get().status == JobStatus.QUEUED and not Resident.objects.exists()


def test_it_only_checks_on_a_dry_run_from_the_web(login, staff, community, eager):
    login(staff).post(IMPORT, {"file": SimpleUploadedFile("r.xlsx", workbook(GOOD)), "dry_run": "on"})
    assert not Resident.objects.exists() and not ImportJob.objects.exists()


def test_it_refuses_a_file_without_rows_from_the_web(login, staff, community):
    response = login(staff).post(IMPORT, {"file": SimpleUploadedFile("r.xlsx", workbook())})
    assert "没有居民" in response.content.decode() and not ImportJob.objects.exists()


def test_it_forbids_the_import_to_a_viewer(login, viewer):
    assert login(viewer).post(IMPORT, {"file": SimpleUploadedFile("r.xlsx", workbook(GOOD))}).status_code == 403


def test_it_imports_into_the_users_own_community_only(
    login, outsider, community, other_community, eager, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        login(outsider).post(IMPORT, {"file": SimpleUploadedFile("r.xlsx", workbook(GOOD))})
    assert not Resident.objects.in_community(community).exists()
    assert Resident.objects.in_community(other_community).count() == 1
    assert ImportJob.objects.get().community == other_community


def test_it_serves_the_template_with_the_headings(login, staff):
    response = login(staff).get(reverse("residents:resident_import_template"))
    assert response.status_code == 200 and response.content[:2] == b"PK"
    assert f"filename*=UTF-8''{quote('居民导入模板.xlsx')}" in response["Content-Disposition"]


def test_an_untouched_template_imports_nobody(login, staff, community):
    """Its example row was on the imported sheet: uploaded as it came, it said 1 row without
    error and would have added 王秀英 of 3-2-501 (found by a tester). The example is on 填写说明."""
    template = login(staff).get(reverse("residents:resident_import_template")).content
    book = load_workbook(io.BytesIO(template))
    assert book.sheetnames == ["居民", "填写说明"]
    assert [cell.value for cell in book["居民"][1]] == importer.COLUMNS and book["居民"].max_row == 1
    assert [row[0] for row in book["填写说明"].iter_rows(min_row=2, values_only=True)] == importer.COLUMNS
    response = login(staff).post(IMPORT, {"file": SimpleUploadedFile("模板.xlsx", template)})
    assert "没有居民" in response.content.decode() and not ImportJob.objects.exists()


def test_it_imports_with_the_command(tmp_path, community):
    path = tmp_path / "roster.xlsx"
    path.write_bytes(workbook(GOOD, OTHER))
    stderr = io.StringIO()
    call_command("import_residents", str(path), stdout=io.StringIO(), stderr=stderr)
    assert Resident.objects.count() == 2
    assert "[##############################] 2/2" in stderr.getvalue()
    job = ImportJob.objects.get()
    assert (job.status, job.created_by, job.report["residents"]) == (JobStatus.DONE, None, 2)


def test_it_saves_nothing_on_a_dry_run_of_the_command(tmp_path, community):
    path = tmp_path / "roster.xlsx"
    path.write_bytes(workbook(GOOD))
    call_command("import_residents", str(path), "--dry-run", stdout=io.StringIO())
    assert not Resident.objects.exists()


def test_it_fails_the_command_on_a_bad_row(tmp_path, community):
    path = tmp_path / "roster.xlsx"
    path.write_bytes(workbook([*GOOD[:7], "12345"]))
    stderr = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_residents", str(path), stdout=io.StringIO(), stderr=stderr)
    assert "第2行" in stderr.getvalue() and not ImportJob.objects.exists()
