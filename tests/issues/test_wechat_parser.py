"""The WeChat paste parser: plain Python, no database."""

import re
import time as clock
from datetime import date, datetime, time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from issues.wechat import parser
from residents.places import written_place

TODAY = date(2026, 11, 30)  # a Monday
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "wechat"


def parse(text, today=TODAY):
    return parser.parse(text, today=today)


def messages(text, today=TODAY):
    return parser.messages_only(parse(text, today))


def non_space(text):
    return re.sub(r"\s", "", text)


# --- shapes -------------------------------------------------------------------------


def test_it_reads_name_and_time_with_the_text_below():
    [m] = messages("王秀英 08:01\n3-2-501 还在漏")
    assert (m.sender, m.sent_at, m.text) == ("王秀英", datetime(2026, 11, 30, 8, 1), "3-2-501 还在漏")


def test_it_reads_bracketed_time_name_and_text_on_one_line():
    [m] = messages("[08:12] 张阿姨: 3号楼门口又有狗屎")
    assert (m.sender, m.sent_at, m.text) == ("张阿姨", datetime(2026, 11, 30, 8, 12), "3号楼门口又有狗屎")


def test_it_reads_full_width_colons():
    [m] = messages("张阿姨：3号楼门口又有狗屎")
    assert (m.sender, m.sent_at, m.text) == ("张阿姨", None, "3号楼门口又有狗屎")


def test_it_keeps_the_lines_of_a_multi_line_message_together():
    [m] = messages("陈姐 07:12\n5号楼楼道堆了好多纸箱，\n消防通道都堵了\n\n有人管管吗\n\n李叔 07:13\n收到")[:1]
    assert m.text == "5号楼楼道堆了好多纸箱，\n消防通道都堵了\n\n有人管管吗"


def test_it_does_not_take_a_sentence_with_a_colon_for_a_sender():
    found = messages("王秀英：3-2-501卫生间渗水\n注意：楼上一直没人")
    assert [(m.sender, m.text) for m in found] == [("王秀英", "3-2-501卫生间渗水\n注意：楼上一直没人")]


def test_it_reads_a_forwarded_chat_record_with_its_date():
    items = parse((FIXTURES / "forwarded.txt").read_text())
    assert [i.kind for i in items[:2]] == [parser.HEADER, parser.HEADER]
    assert [m.sent_at for m in parser.messages_only(items)] == [
        datetime(2023, 12, 6, 7, 55),
        datetime(2023, 12, 6, 8, 1),
        datetime(2023, 12, 6, 8, 10),
    ]


@pytest.mark.parametrize(
    "paste",
    [
        "王秀英 07:41\n3-2-501 卫生间顶上渗水了\n\n赵大爷 08:02\n晚上10:30了广场舞还在放",
        "王秀英 07:41\n3-2-501 卫生间顶上渗水了\n\n赵大爷 08:02\n物业电话: 打了没人接，广场舞还在放",
        "王秀英 07:41\n3-2-501 卫生间顶上渗水了\n\n赵大爷 08:02\n=SUM(A1:A9) 广场舞还在放",
    ],
)
def test_it_does_not_let_a_colon_in_a_message_turn_name_and_time_lines_into_nicknames(paste):
    """Each "name time" line also looked like "name：text" (王秀英 07 : 41), so one colon in a
    message's text tipped the whole paste into the colon mode: senders 王秀英 07 and 赵大爷 08,
    texts starting 41 and 02, and no times."""
    found = messages(paste)
    assert [(m.sender, m.sent_at) for m in found] == [
        ("王秀英", datetime(2026, 11, 30, 7, 41)),
        ("赵大爷", datetime(2026, 11, 30, 8, 2)),
    ]
    assert found[0].text == "3-2-501 卫生间顶上渗水了"
    assert found[1].text == paste.split("\n")[-1]


def test_it_reads_date_dividers_with_a_time_above_name_and_time_lines():
    found = messages("昨天 21:50\n李叔 21:50\n车棚那边漏电，孩子别靠近\n\n今天 07:30\n王大妈 07:30\n3号楼电梯又坏了")
    assert [(m.sender, m.sent_at, m.text) for m in found] == [
        ("李叔", datetime(2026, 11, 29, 21, 50), "车棚那边漏电，孩子别靠近"),
        ("王大妈", datetime(2026, 11, 30, 7, 30), "3号楼电梯又坏了"),
    ]


def test_it_reads_a_pc_copy_with_wechats_time_separators():
    """WeChat PC puts a time above a message after a pause ("07:41" today, "昨天 22:05" before):
    it is the time of the header below it, and a bare time in a message's text stays there."""
    found = parser.messages_only(parser.parse((FIXTURES / "pc_separators.txt").read_text(), today=TODAY, now=PASTED_AT))
    assert [(m.sender, m.sent_at) for m in found] == [
        ("王秀英", datetime(2026, 11, 29, 21, 40)),
        ("李阿姨", datetime(2026, 11, 29, 21, 52)),
        ("李阿姨", datetime(2026, 11, 29, 21, 53)),
        ("社区小刘", datetime(2026, 11, 29, 22, 5)),
        ("王秀英", datetime(2026, 11, 30, 7, 41)),
        ("赵大爷", datetime(2026, 11, 30, 7, 43)),
        ("王秀英", datetime(2026, 11, 30, 7, 44)),
        ("赵大爷", datetime(2026, 11, 30, 8, 2)),
    ]
    assert found[4].text == "物业说今天停水，从\n10:00\n到下午三点，漏水等来水再看"
    assert found[6].text == "15:00"


def test_it_takes_a_bare_time_separator_below_yesterdays_for_today():
    found = messages("昨天 21:50\n李叔 21:50\n车棚那边漏电\n07:41\n王秀英 07:41\n3-2-501 卫生间顶上渗水了")
    assert [m.sent_at for m in found] == [datetime(2026, 11, 29, 21, 50), datetime(2026, 11, 30, 7, 41)]


def test_it_keeps_a_bare_time_after_a_message_in_that_message():
    found = messages("王秀英 07:41\n物业说今天停水，从\n10:00\n到下午三点\n李叔 07:45\n收到")
    assert [(m.sender, m.text) for m in found] == [
        ("王秀英", "物业说今天停水，从\n10:00\n到下午三点"),
        ("李叔", "收到"),
    ]


def test_it_does_not_give_a_bare_time_in_a_message_to_the_next_sender():
    found = messages("王秀英：物业说今天停水，从\n10:00\n到下午三点\n李叔：收到")
    assert [(m.sender, m.sent_at, m.text) for m in found] == [
        ("王秀英", None, "物业说今天停水，从\n10:00\n到下午三点"),
        ("李叔", None, "收到"),
    ]


def test_it_takes_a_bare_time_answer_above_another_header_for_the_answer():
    found = messages("周阿姨 08:07\n明天几点停水？\n孙大爷 08:09\n10:00\n王秀英 08:12\n收到")
    assert [(m.sender, m.text) for m in found] == [
        ("周阿姨", "明天几点停水？"),
        ("孙大爷", "10:00"),
        ("王秀英", "收到"),
    ]


def test_it_does_not_take_a_separator_for_the_text_of_a_message_copied_without_one():
    found = messages("李阿姨 21:53\n\n22:05\n社区小刘 22:05\n收到")
    assert [(m.sender, m.text) for m in found] == [("李阿姨", ""), ("社区小刘", "收到")]


def test_it_keeps_a_nickname_ending_in_digits_before_a_text_starting_with_one():
    """张伟88：5号楼… is a nickname and its text, not a time 88:5 (a reviewer's finding)."""
    found = messages("张伟88：5号楼停水了\n王秀英：我家也停了\n李叔：3号楼电梯坏了\nLily2000：2-1-301楼上漏水")
    assert [(m.sender, m.text) for m in found] == [
        ("张伟88", "5号楼停水了"),
        ("王秀英", "我家也停了"),
        ("李叔", "3号楼电梯坏了"),
        ("Lily2000", "2-1-301楼上漏水"),
    ]


def test_it_does_not_take_a_qualified_sentence_word_for_a_nickname():
    found = messages("张阿姨：3号楼门口又有狗屎\n物业电话：打了没人接\n李叔：收到")
    assert [m.sender for m in found] == ["张阿姨", "李叔"]


def test_it_does_not_take_a_time_for_a_nickname_in_a_colon_paste():
    found = messages("张阿姨：3号楼门口又有狗屎\n晚上10:30了广场舞还在放\n李叔：收到")
    assert [m.sender for m in found] == ["张阿姨", "李叔"]
    assert found[0].text == "3号楼门口又有狗屎\n晚上10:30了广场舞还在放"


def test_it_carries_a_date_divider_to_later_times():
    found = messages("—— 2023年12月6日 ——\n张阿姨 07:55\n东门路灯不亮")
    assert found[0].sent_at == datetime(2023, 12, 6, 7, 55)


def test_it_splits_text_without_senders_one_message_per_line():
    found = messages((FIXTURES / "typed_lines.txt").read_text())
    assert [m.text for m in found] == ["3号楼门口有人遛狗不拴绳", "5-2-301楼道堆放纸箱", "东门路灯不亮"]


def test_it_says_when_nothing_was_recognised():
    assert not parser.is_structured(parse("3号楼门口有人遛狗\n东门路灯不亮"))


# --- times --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("08:12", datetime(2026, 11, 30, 8, 12)),
        ("8:05:33", datetime(2026, 11, 30, 8, 5, 33)),
        ("昨天 21:40", datetime(2026, 11, 29, 21, 40)),
        ("前天 07:00", datetime(2026, 11, 28, 7, 0)),
        ("2023年12月6日 7:55", datetime(2023, 12, 6, 7, 55)),
        ("2023年12月6日 下午3:05", datetime(2023, 12, 6, 15, 5)),
        ("12/6 07:55", datetime(2025, 12, 6, 7, 55)),
        ("11/29 07:55", datetime(2026, 11, 29, 7, 55)),
        ("11月28日 20:00", datetime(2026, 11, 28, 20, 0)),
        ("2023/12/6 07:55", datetime(2023, 12, 6, 7, 55)),
        ("星期五 10:00", datetime(2026, 11, 27, 10, 0)),
        ("周一 10:00", datetime(2026, 11, 23, 10, 0)),
    ],
)
def test_it_reads_the_times_wechat_writes(written, expected):
    [m] = messages(f"张阿姨 {written}\n东门路灯不亮")
    assert m.sent_at == expected


def test_it_does_not_take_an_impossible_date_for_a_time():
    assert parser.parse_when("2023年2月30日 08:00", TODAY) is None


@pytest.mark.parametrize(
    "written",
    ["2026-11-30 08:0{}", "2026/11/30 8:0{}", "11月30日 08:0{}", "2026年11月30日 08:0{}:00", "11/30 08:0{}"],
)
def test_it_reads_headers_written_date_first(written):
    """A tester's finding: "2026-12-06 08:00 王秀英" above each message (as chat exporters write
    it) was no header, so the whole paste became one message per line with no sender."""
    found = messages(
        f"{written.format(1)} 王秀英\n3-2-501卫生间渗水\n\n{written.format(5)} 李阿姨\n北区车棚有人飞线充电"
    )
    assert [(m.sender, m.sent_at, m.text) for m in found] == [
        ("王秀英", datetime(2026, 11, 30, 8, 1), "3-2-501卫生间渗水"),
        ("李阿姨", datetime(2026, 11, 30, 8, 5), "北区车棚有人飞线充电"),
    ]


def test_it_keeps_a_dated_line_in_a_message_of_a_name_first_paste_as_text():
    paste = "社区小刘 08:01\n温馨提醒：\n12月1日 09:00 停水\n请提前储水\n李阿姨 08:03\n收到"
    assert [(m.sender, m.text) for m in messages(paste)] == [
        ("社区小刘", "温馨提醒：\n12月1日 09:00 停水\n请提前储水"),
        ("李阿姨", "收到"),
    ]


MIXED = (
    "王秀英 21:03\n3-2-501卫生间顶上渗水了\n\n"
    "2026-12-07 21:10 李建华\n5号楼1单元楼道灯坏了\n\n"
    "[21:15] 张大爷: 北区车棚又有人飞线充电\n\n"
    "赵丽 21:20\n7号楼西边垃圾桶满了\n\n"
    "2026/2/30 21:00 周阿姨\n6号楼3单元有人在楼道里抽烟\n\n"
    "刘芳 23:30\n收到，明天一早去看\n\n"
    "2026-12-08 00:15 何奶奶\n3号楼2单元楼道堆满了纸箱"
)


def test_it_reads_date_first_headers_in_a_paste_of_name_first_ones():
    """A tester's finding: in a paste copied partly from the phone, partly from the PC, every
    "2026-12-07 21:10 李建华" was read as text of the message above: 李建华's report inside 王秀英's,
    何奶奶's inside a staff reply, and no flag on the date that does not exist."""
    found = parser.messages_only(parser.parse(MIXED, today=date(2026, 12, 8), now=datetime(2026, 12, 8, 8, 30)))
    assert [(m.sender, m.sent_at, m.bad_date, m.text) for m in found] == [
        ("王秀英", datetime(2026, 12, 7, 21, 3), "", "3-2-501卫生间顶上渗水了"),
        ("李建华", datetime(2026, 12, 7, 21, 10), "", "5号楼1单元楼道灯坏了"),
        ("张大爷", datetime(2026, 12, 7, 21, 15), "", "北区车棚又有人飞线充电"),
        ("赵丽", datetime(2026, 12, 7, 21, 20), "", "7号楼西边垃圾桶满了"),
        ("周阿姨", None, "2026/2/30", "6号楼3单元有人在楼道里抽烟"),
        ("刘芳", datetime(2026, 12, 7, 23, 30), "", "收到，明天一早去看"),
        ("何奶奶", datetime(2026, 12, 8, 0, 15), "", "3号楼2单元楼道堆满了纸箱"),
    ]


def test_it_reads_a_date_first_header_of_a_sender_of_the_paste_without_a_year():
    paste = "福海佳园小刘 08:01\n收到\n12月1日 09:00 福海佳园小刘\n明天停水\n李阿姨 08:03\n好的"
    assert [(m.sender, m.text) for m in messages(paste, today=date(2026, 12, 1))] == [
        ("福海佳园小刘", "收到"),
        ("福海佳园小刘", "明天停水"),
        ("李阿姨", "好的"),
    ]


def test_it_reads_a_name_first_header_of_a_sender_of_a_date_first_paste():
    paste = "2026-11-30 08:01 王秀英\n楼道灯坏了\n李阿姨 08:02\n门口垃圾没人清\n2026-11-30 08:05 李阿姨\n谢谢"
    assert [(m.sender, m.text) for m in messages(paste)] == [
        ("王秀英", "楼道灯坏了"),
        ("李阿姨", "门口垃圾没人清"),
        ("李阿姨", "谢谢"),
    ]


@pytest.mark.parametrize(
    "line",
    [
        "2026年12月1日 09:00 停水",  # a day to come: a notice's
        "2026-11-30 08:00 王秀英说门口有狗屎",  # more than a name after the time
        "11月30日 07:00 开会",  # no year, and no sender of the paste
    ],
)
def test_it_keeps_a_date_first_line_that_is_no_header_in_a_name_first_paste_as_text(line):
    paste = f"社区小刘 08:01\n温馨提醒：\n{line}\n请提前储水\n李阿姨 08:03\n收到"
    found = parser.messages_only(parser.parse(paste, today=TODAY, now=datetime(2026, 11, 30, 8, 30)))
    assert [(m.sender, m.text) for m in found] == [
        ("社区小刘", f"温馨提醒：\n{line}\n请提前储水"),
        ("李阿姨", "收到"),
    ]


def test_it_keeps_a_date_first_line_with_no_text_below_as_text():
    paste = "社区小刘 08:01\n通知\n2026-11-30 07:00 王秀英\n李阿姨 08:03\n收到"
    assert [(m.sender, m.text) for m in messages(paste)] == [
        ("社区小刘", "通知\n2026-11-30 07:00 王秀英"),
        ("李阿姨", "收到"),
    ]


def test_it_reads_each_message_of_the_testers_mixed_paste_under_its_sender():
    paste = (FIXTURES / "mixed_headers.txt").read_text()
    found = parser.messages_only(parser.parse(paste, today=date(2026, 12, 8), now=datetime(2026, 12, 8, 8, 30)))
    assert [m.sender for m in found] == [
        *("王秀英", "李建华", "张大爷", "赵丽", "刘桂兰", "孙师傅", "周阿姨", "陈先生", "陈先生", "王秀英"),
        *("郭老师", "马大姐", "吴建国", "刘芳", "何奶奶"),
    ]


@pytest.mark.parametrize(
    "paste",
    [
        "李阿姨 2026/11/30 07:50\n门口垃圾没人清\n孙姐 2026/2/30 21:00\n井盖松动了",
        "2026/11/30 07:50 李阿姨\n门口垃圾没人清\n2026/2/30 21:00 孙姐\n井盖松动了",
        "[2026/11/30 07:50] 李阿姨: 门口垃圾没人清\n[2026/2/30 21:00] 孙姐: 井盖松动了",
    ],
)
def test_it_reads_a_header_with_a_date_that_does_not_exist_as_a_header_with_the_date_flagged(paste):
    """A tester's finding: "2026/2/30 21:00" made no header, so 孙姐's message was silently
    taken as more of 李阿姨's."""
    assert [(m.sender, m.sent_at, m.bad_date, m.text) for m in messages(paste)] == [
        ("李阿姨", datetime(2026, 11, 30, 7, 50), "", "门口垃圾没人清"),
        ("孙姐", None, "2026/2/30", "井盖松动了"),
    ]


@pytest.mark.parametrize(
    ("written", "bad"),
    [
        ("2026/2/30 21:00", "2026/2/30"),
        ("2026年13月2日 08:00", "2026年13月2日"),
        ("2月30日", "2月30日"),
        ("2026/2/28 21:00", ""),
        ("昨天 21:00", ""),
        ("会议改到 14:00", ""),
    ],
)
def test_it_names_the_date_that_does_not_exist(written, bad):
    assert parser.impossible_date(written, TODAY) == bad


@pytest.mark.parametrize(
    "paste",
    [
        "物业通知\n12月8日 09:00 开始停水\n请大家提前储水",
        "12/8 14:00 开会\n请准时参加",
        "2026/12/8 09:00 开始停水\n请储水",
    ],
)
def test_it_reads_a_paste_without_headers_line_by_line_even_with_a_line_starting_with_a_date(paste):
    """A reviewer's finding: one line starting with a date and a time made the paste date-first,
    with 开始停水 (or 开会) as the sender of the line below and gone from the draft's text."""
    assert parser.detect_mode(paste.split("\n"), TODAY) == "colon"
    assert [(m.sender, m.sent_at, m.text) for m in messages(paste)] == [("", None, line) for line in paste.split("\n")]


@pytest.mark.parametrize("line", ["12月1日 09:00 开始停水", "12月1日 09:00 开始停水\n请大家提前储水"])
def test_it_keeps_a_dated_line_in_a_message_of_a_date_first_paste_as_text(line):
    """A reviewer's finding: the line was a message of its own, from 开始停水, with no text."""
    paste = f"2026-11-29 08:00 王秀英\n物业说\n{line}\n2026-11-29 08:05 李建国\n收到"
    assert [(m.sender, m.text) for m in messages(paste)] == [("王秀英", f"物业说\n{line}"), ("李建国", "收到")]


def test_it_reads_a_paste_of_one_date_first_message_written_with_the_year():
    paste = "2026-11-30 08:01 晨练的赵叔\n3-2-501卫生间渗水"
    assert [(m.sender, m.sent_at, m.text) for m in messages(paste)] == [
        ("晨练的赵叔", datetime(2026, 11, 30, 8, 1), "3-2-501卫生间渗水")
    ]


@pytest.mark.parametrize("below", ["", "\n请大家准时参加"])
def test_it_keeps_a_line_with_a_date_that_does_not_exist_in_a_message_as_text(below):
    """A reviewer's finding: "会议改到 6/31 14:00" was a header from 会议改到, flagged, and its
    line left 王秀英's message."""
    paste = f"王秀英 08:00\n开会时间\n会议改到 6/31 14:00{below}\n李建国 08:05\n收到"
    assert [(m.sender, m.bad_date, m.text) for m in messages(paste)] == [
        ("王秀英", "", f"开会时间\n会议改到 6/31 14:00{below}"),
        ("李建国", "", "收到"),
    ]


@pytest.mark.parametrize("header", ["孙姐 11/31 21:00", "李阿姨 2026/2/30 21:00"])
def test_it_reads_a_header_with_a_date_that_does_not_exist_like_the_others_or_of_a_sender(header):
    paste = f"李阿姨 11/30 07:50\n门口垃圾没人清\n{header}\n井盖松动了"
    found = messages(paste)
    assert [(m.sender, m.text) for m in found] == [("李阿姨", "门口垃圾没人清"), (header.split()[0], "井盖松动了")]
    assert found[1].bad_date


@pytest.mark.parametrize(
    "line",
    [
        "2026/12/7 8:00 到 12:00 停水",
        "2026/12/7 8:00 到 12:00",
        "12月7日 8:00至12:00 3号楼停水",
        "8:00-12:00 停水",
        "2026/12/7 8:00~下午3:00 停电",
        "停水时间 8点到 12:00",
        "2026/12/7 8:00 到 12点停水",
    ],
)
def test_it_keeps_a_line_with_a_time_range_in_the_message(line):
    """A tester's finding: "2026/12/7 8:00 到 12:00 停水" in a property notice was a message of its
    own from a sender "到 12" (the end's colon read as a nickname's)."""
    paste = f"物业小王 07:50\n温馨提示\n{line}\n李建国 08:05\n收到"
    assert [(m.sender, m.text) for m in messages(paste)] == [("物业小王", f"温馨提示\n{line}"), ("李建国", "收到")]


@pytest.mark.parametrize("line", ["2026/12/7 8:00 到 12:00 停水", "2026/12/7 8:00 到 12:00"])
def test_it_reads_a_time_range_alone_as_words_of_no_sender(line):
    found = messages(line)
    assert [(m.sender, m.sent_at, m.text) for m in found] == [("", None, line)]


PASTED_AT = datetime(2026, 11, 30, 8, 30)


def test_it_takes_a_time_later_than_the_paste_for_the_night_before():
    found = parser.parse("王秀英 23:10\n楼道灯坏了\n李阿姨 07:45\n门口有狗屎", today=TODAY, now=PASTED_AT)
    assert [m.sent_at for m in found] == [datetime(2026, 11, 29, 23, 10), datetime(2026, 11, 30, 7, 45)]


@pytest.mark.parametrize("shape", ["[23:10] 王秀英: 楼道灯坏了", "—— 23:10 ——\n王秀英：楼道灯坏了"])
def test_it_takes_a_time_later_than_the_paste_for_the_night_before_in_every_shape(shape):
    [m] = parser.messages_only(parser.parse(shape, today=TODAY, now=PASTED_AT))
    assert m.sent_at == datetime(2026, 11, 29, 23, 10)


@pytest.mark.parametrize("shape", ["王秀英 今天 23:10\n楼道灯坏了", "—— 2026年11月30日 ——\n王秀英 23:10\n楼道灯坏了"])
def test_it_keeps_a_dated_time_later_than_the_paste_as_written(shape):
    [m] = parser.messages_only(parser.parse(shape, today=TODAY, now=PASTED_AT))
    assert m.sent_at == datetime(2026, 11, 30, 23, 10)


def test_it_takes_a_time_a_minute_after_the_paste_for_a_phone_clock_ahead():
    [m] = parser.messages_only(parser.parse("王秀英 08:31\n楼道灯坏了", today=TODAY, now=PASTED_AT))
    assert m.sent_at == datetime(2026, 11, 30, 8, 31)


# --- system lines and chit-chat ---------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "以下为新消息",
        "—— 以上为历史消息 ——",
        '"阳光明媚" 撤回了一条消息',
        "你撤回了一条消息",
        "[图片]",
        '"王姐"邀请"李叔"加入了群聊',
    ],
)
def test_it_marks_system_lines(line):
    [item] = parse(line)
    assert item.system


def test_it_keeps_a_picture_sent_by_a_resident_as_their_message():
    [m] = messages("李阿姨 21:53\n[图片]")
    assert (m.sender, m.text, m.is_chitchat) == ("李阿姨", "[图片]", True)


@pytest.mark.parametrize(
    "text", ["谢谢", "收到", "👍", "好的", "[表情]", "好的谢谢[抱拳]", "收到，谢谢社区工作人员！", "嗯嗯"]
)
def test_it_marks_chit_chat(text):
    assert parser.is_chitchat(text)


@pytest.mark.parametrize("text", ["3号楼门口又有狗屎", "谢谢社区，楼道灯还是不亮", "请问有疫苗吗"])
def test_it_does_not_mark_a_problem_as_chit_chat(text):
    assert not parser.is_chitchat(text)


# --- samples ------------------------------------------------------------------------


def test_it_parses_the_morning_batch_into_thirty_messages():
    items = parse((FIXTURES / "morning_batch.txt").read_text())
    found = parser.messages_only(items)
    assert len(found) == 30
    assert all(m.sender and m.sent_at for m in found)
    assert sum(1 for i in items if i.system) == 3


@pytest.mark.parametrize(
    ("name", "count"),
    [
        ("bracketed.txt", 4),
        ("colon.txt", 4),
        ("forwarded.txt", 3),
        ("mac_dated.txt", 3),
        ("typed_lines.txt", 3),
        ("messy.txt", 5),
        ("pc_separators.txt", 8),
    ],
)
def test_it_finds_every_message_of_the_samples(name, count):
    assert len(messages((FIXTURES / name).read_text())) == count


# --- the invariant: never invent or drop a resident's words ----------------------------------


def reassembled(items):
    return "".join(item.header + item.text for item in items)


@pytest.mark.parametrize("name", sorted(p.name for p in FIXTURES.glob("*.txt")))
def test_it_keeps_every_character_of_the_samples_in_order(name):
    text = (FIXTURES / name).read_text()
    assert non_space(reassembled(parse(text))) == non_space(text)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=400))
def test_it_keeps_every_character_of_any_text_in_order(text):
    assert non_space(reassembled(parse(text))) == non_space(text)


BODY_CHARS = (
    "的一是在了有人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子"
    "说产种面而方后多定行学法所民得经十三之进着等前楼号单元室门狗车棚渗水漏电梯，。！？、ABCxyz 😀👍🏻"
)
bodies = st.lists(
    st.text(alphabet=BODY_CHARS, min_size=1, max_size=30).filter(lambda s: s.strip() and not parser.is_system_line(s)),
    min_size=1,
    max_size=3,
)
senders = st.sampled_from(["王秀英", "李阿姨", "晨练的赵叔", "5-2-301 陈姐", "Lily 王", "阳光明媚🌞"])
moments = st.builds(time, st.integers(0, 23), st.integers(0, 59))


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.tuples(senders, moments, bodies), min_size=1, max_size=8),
    st.sampled_from(["header", "dated", "bracket"]),
)
def test_it_returns_each_generated_message_word_for_word(chat, shape):
    blocks = []
    for sender, at, lines in chat:
        stamp = at.strftime("%H:%M")
        if shape == "header":
            blocks.append(f"{sender} {stamp}\n" + "\n".join(lines))
        elif shape == "dated":
            blocks.append(f"{TODAY:%Y-%m-%d} {stamp} {sender}\n" + "\n".join(lines))
        else:
            blocks.append(f"[{stamp}] {sender}: " + "\n".join(lines))
    found = messages("\n".join(blocks))
    expected = [(s, datetime.combine(TODAY, at), "\n".join(lines).strip()) for s, at, lines in chat]
    assert [(m.sender, m.sent_at, m.text) for m in found] == expected


# --- bad input and speed ------------------------------------------------------------


def test_it_takes_binary_junk_for_what_it_is():
    assert parser.looks_binary("PK\x03\x04\x00\x00\x08\x00binary")


def test_it_does_not_take_chinese_text_for_binary():
    assert not parser.looks_binary((FIXTURES / "morning_batch.txt").read_text())


def test_it_finds_nothing_in_an_empty_paste():
    assert parse("  \n\n ") == []


def test_it_parses_a_thousand_messages_well_under_a_second():
    text = "\n".join(f"居民{i % 40} 08:{i % 60:02d}\n{i}号楼门口又有人遛狗不拴绳，谁管管" for i in range(1000))
    started = clock.perf_counter()
    found = messages(text)
    assert len(found) == 1000
    assert clock.perf_counter() - started < 0.5


def test_it_gives_the_same_message_the_same_source_key():
    at = datetime(2026, 11, 30, 8, 12)
    assert parser.source_key(1, "张阿姨", at, "狗屎") == parser.source_key(1, "张阿姨", at, "狗屎")
    assert parser.source_key(1, "张阿姨", at, "狗屎") != parser.source_key(2, "张阿姨", at, "狗屎")


def test_it_reads_full_width_digits_as_a_place():
    assert written_place("３号楼２单元门禁坏了") == "3号楼2单元"
