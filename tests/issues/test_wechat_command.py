"""python manage.py parse_wechat FILE --json: the parser and suggestions without the browser."""

import json
from datetime import datetime
from io import StringIO
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import CommandError, call_command

from issues.models.issue import Issue
from tests.factories import BuildingFactory, RoomFactory, UnitFactory

MORNING = Path(__file__).resolve().parents[1] / "fixtures" / "wechat" / "morning_batch.txt"


def run(*args):
    out = StringIO()
    call_command("parse_wechat", *args, stdout=out)
    return out.getvalue()


def parsed(*args):
    return json.loads(run(str(MORNING), "--json", "--today", "2026-11-30", *args))


@pytest.fixture
def office(categories, community):
    unit = UnitFactory(building=BuildingFactory(community=community, number="3"), number="2")
    RoomFactory(unit=unit, room_no="501")
    return community


def test_it_prints_one_object_per_message_and_system_line(db):
    rows = parsed()
    assert len([r for r in rows if not r["system"]]) == 30
    assert len([r for r in rows if r["system"]]) == 3


def test_it_prints_a_date_that_does_not_exist_as_written(db, tmp_path):
    path = tmp_path / "paste.txt"
    path.write_text("孙姐 2026/2/30 21:00\n井盖松动了\n李阿姨 2026/11/30 07:50\n收到", encoding="utf-8")
    rows = json.loads(run(str(path), "--json", "--today", "2026-11-30"))
    assert [(r["sender"], r["sent_at"], r["bad_date"]) for r in rows] == [
        ("孙姐", None, "2026/2/30"),
        ("李阿姨", "2026-11-30T07:50:00+08:00", None),
    ]


def test_it_prints_sender_time_and_text_as_received(db):
    first = next(r for r in parsed() if not r["system"])
    assert (first["sender"], first["sent_at"], first["text"]) == (
        "王秀英",
        "2026-11-29T21:40:00+08:00",
        "3-2-501卫生间顶上又渗水了，楼上一直没人",
    )


def test_it_prints_the_suggestions_of_the_community(office):
    first = next(r for r in parsed() if not r["system"])
    assert (first["category"], first["place"], first["is_issue"]) == ("漏水", "3号楼2单元501", True)


def test_it_marks_chit_chat_as_no_issue(db):
    thanks = next(r for r in parsed() if r["text"] == "谢谢")
    assert (thanks["is_chitchat"], thanks["is_issue"]) == (True, False)


def test_it_names_the_open_item_a_message_repeats(office, log):
    item = log("北区车棚晚上有人飞线充电，太危险")
    row = next(r for r in parsed() if r["text"].startswith("北区车棚晚上"))
    assert row["duplicate_of"] == item.code


def test_it_refuses_a_bad_date_with_one_sentence(db):
    with pytest.raises(CommandError, match="not a date"):
        run(str(MORNING), "--today", "30.11.2026")
    assert not Issue.objects.exists()


def test_it_refuses_a_binary_file(db, tmp_path):
    junk = tmp_path / "junk.bin"
    junk.write_bytes(b"PK\x03\x04\x00\x00\x00\x00" * 20)
    with pytest.raises(CommandError, match="does not look like text"):
        run(str(junk))
    assert not Issue.objects.exists()


def test_it_prints_a_json_array(db):
    assert isinstance(json.loads(run(str(MORNING), "--json")), list)


def test_it_says_on_stderr_when_nothing_is_looked_up_without_a_community(db, community, other_community):
    err = StringIO()
    call_command("parse_wechat", str(MORNING), "--json", stdout=StringIO(), stderr=err)
    assert "No --community given" in err.getvalue()


def test_it_prints_a_neighbours_same_here_with_the_line_it_agrees_with(db):
    rows = parsed()
    agreement = next(r for r in rows if r["text"].startswith("同意楼上"))
    assert (agreement["reading"], agreement["same_as_line"]) == ("agrees", 32)


def test_it_reads_as_the_page_does_with_a_community(office):
    rows = parsed("--community", office.name)
    assert next(r for r in rows if r["sender"] == "社区小刘")["reading"] == "office"


def test_it_reads_a_bare_time_later_than_now_as_the_night_before(db, tmp_path):
    night = tmp_path / "night.txt"
    night.write_text("王秀英 23:10\n3号楼楼道灯不亮\n", encoding="utf-8")
    with time_machine.travel(datetime(2026, 12, 2, 8, 30, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False):
        rows = json.loads(run(str(night), "--json"))
    assert rows[0]["sent_at"].startswith("2026-12-01T23:10")
