"""Turn text pasted from a WeChat group into messages.

Plain Python (no Django, no outside service), so it can be tested and scripted on its own. It
never invents or drops a resident's words: each line of the paste is either part of exactly one
message's text, a header (the "name time" line, a date divider, a forwarded-record title), or a
system line; see ``Message.header`` and ``test_wechat_parser``. What the office makes of the
messages (categories, places, repeats, the draft items) is ``reading`` and ``drafts``.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from issues.wechat.when import (
    CALENDAR,
    FROM_RE,
    FULL_DATE_RE,
    HM,
    UNTIL_RE,
    WEEKDAY,
    WHEN,
    impossible_date,
    parse_when,
)

MAX_PASTE_CHARS = 100_000
MAX_MESSAGES = 500
#: A time without a date at most this much later than the paste is a phone clock running ahead
#: (a message sent seconds ago can show the next minute), not a message of the day before.
CLOCK_SLACK = timedelta(minutes=5)

# --- lines --------------------------------------------------------------------------

_DASHES = "-—–─=·•* \t\u3000"
_SYSTEM_PHRASES = ("以下为新消息", "以上为历史消息", "以下是新消息", "以上是历史消息", "查看更多消息")
_SYSTEM_RE = re.compile(
    r'^(?:"?[^"]{1,30}"?\s*撤回了一条消息|.{1,40} recalled a message'
    r'|.{1,60}加入了群聊|.{1,60}移出了群聊|"?[^"]{1,30}"?\s*修改群名为“.*”'
    r'|(?:"[^"]{1,30}"|我|你)\s*拍了拍.{0,40}|你已添加了.{1,40}，现在可以开始聊天了。?)$'
)
_MEDIA = (
    r"\[(?:图片|表情|动画表情|视频|语音|文件|链接|位置|名片|小程序|聊天记录"
    r"|语音通话|视频通话|红包|转账|Photo|Sticker|Image|Video)\]"
)
_MEDIA_ONLY_RE = re.compile(rf"^(?:{_MEDIA}\s*)+$")
_FORWARD_TITLE_RE = re.compile(r"^(?:\[聊天记录\]|.{0,40}的聊天记录|聊天记录)$")
_NAME = r"[^\s:：\[\]【】][^:：\[\]【】]{0,39}?"
_HEADER_RE = re.compile(rf"^(?P<name>{_NAME})\s+(?P<when>{WHEN})$")
#: "2026-12-06 08:00:12 王秀英", as chat exporters and some copies write a header: a calendar date
#: is needed, a time alone before words ("10:00 开会") being a line of text.
_DATED_HEADER_RE = re.compile(rf"^(?P<when>{CALENDAR}(?:\s*{WEEKDAY})?\s*{HM})\s+(?P<name>{_NAME})$")
_BRACKET_RE = re.compile(
    rf"^[\[【(（]?\s*(?P<when>{WHEN})\s*[\]】)）]?\s*(?P<name>{_NAME})\s*[:：]\s?(?P<text>.*)$", re.S
)
_COLON_RE = re.compile(
    r"^(?P<name>[^\s:：，。！？,.!?、\[【(（][^:：，。！？,.!?、]{0,19}?)\s*[:：]\s?(?P<text>.*)$", re.S
)
#: Words before a colon that start a sentence, not a nickname ("注意：明天停水").
_NOT_NAMES = frozenset(
    {"注意", "提醒", "通知", "时间", "地点", "地址", "电话", "备注", "问题", "原因", "内容", "建议"}
    | {"要求", "另外", "补充", "附", "PS", "ps", "回复", "答复", "情况", "结果"}
)
_PLACE_NAME_RE = re.compile(r"^[0-9]+(?:号楼|号|栋|幢|单元)?(?:[-－][0-9]+)*$")
#: "物业电话：…", "联系地址：…": a sentence's word before the colon, however it is qualified.
_NOT_NAME_ENDINGS = tuple(word for word in _NOT_NAMES if len(word) > 1 and not word.isascii())
#: The first colon of the line is a clock time's ("晚上10:30了", "李叔 21:50"), not a nickname's: not 张伟88：5号楼….
_TIME_COLON_RE = re.compile(r"^[^:：]*(?<!\d)(?:[01]?\d|2[0-3])[:：][0-5]\d(?!\d)")


def _trim(line: str) -> str:
    return line.strip(_DASHES)


def is_system_line(line: str) -> bool:
    core = _trim(line)
    return bool(core) and (core in _SYSTEM_PHRASES or bool(_SYSTEM_RE.match(core)))


def _sent(name: str, when: str, today: date, ref: date | None):
    """(sender, day, time, impossible date) of a header, or None when ``when`` is no moment. A
    date that does not exist ("2026/2/30 21:00") still makes the line a header, with no day or
    time and the date as written: merged into the message above, a second resident's words
    would be logged as the first one's."""
    found = parse_when(when, today, ref)
    if found is not None:
        return name.strip(), *found, ""
    bad = impossible_date(when, today)
    return (name.strip(), None, None, bad) if bad else None


def _header(line: str, today: date, ref: date | None = None):
    """(sender, day, time, impossible date) when ``line`` is a "name time" line with the text below it."""
    m = _HEADER_RE.match(line.strip())
    if not m or parse_when(m["name"], today) is not None or FROM_RE.search(m["name"]):
        return None  # "停水 8点到 12:00": the end of a time range, no sender's
    return _sent(m["name"], m["when"], today, ref)


def _dated_match(line: str, today: date):
    """The "date time name" match of ``line``, unless its "name" is a moment or the rest of a time
    range ("2026/12/7 8:00 到 12点停水" is a notice's hours)."""
    m = _DATED_HEADER_RE.match(line.strip())
    if not m or parse_when(m["name"], today) is not None or UNTIL_RE.match(m["name"]):
        return None
    return m


def _dated_header(line: str, today: date, ref: date | None = None):
    """As ``_header`` for a "date time name" line: "2026-12-06 08:00 王秀英", "12月6日 08:00 王秀英"."""
    m = _dated_match(line, today)
    return _sent(m["name"], m["when"], today, ref) if m else None


#: The header lines of each kind of paste: "name time" (mode "header") or "date time name" ("dated").
_HEADERS = {"header": _header, "dated": _dated_header}


def _bracketed(line: str, today: date, ref: date | None = None):
    """(sender, day, time, impossible date, offset of the text) for "[08:12] 张阿姨: text" and
    "08:12 张阿姨：text"; not "2026/12/7 8:00 到 12:00 停水", a time range whose end's colon is no
    nickname's."""
    m = _BRACKET_RE.match(line.lstrip())
    if not m or UNTIL_RE.match(line.lstrip(), m.end("when")):
        return None
    found = _sent(m["name"], m["when"], today, ref)
    if found is None:
        return None
    return *found, len(line) - len(line.lstrip()) + m.start("text")


def _colon(line: str, today: date):
    """(sender, offset of the text) for "张阿姨：text" with a plausible nickname before the colon."""
    m = _COLON_RE.match(line.lstrip())
    if not m:
        return None
    name = m["name"].strip()
    if (
        name in _NOT_NAMES
        or name.endswith(_NOT_NAME_ENDINGS)
        or _PLACE_NAME_RE.match(name)
        or m["text"].startswith("//")
        or parse_when(name, today) is not None
        or re.search(HM, name)
        or _TIME_COLON_RE.search(line)
    ):
        return None
    return name, len(line) - len(line.lstrip()) + m.start("text")


# --- messages -----------------------------------------------------------------------

MESSAGE, SYSTEM, HEADER = "message", "system", "header"


@dataclass
class Message:
    """One item of a paste: a resident's message, a system line or a header line.

    ``header`` keeps what was consumed to find sender and time, as written; ``text`` is the
    message itself, as written (outer blank lines trimmed)."""

    kind: str = MESSAGE
    sender: str = ""
    sent_at: datetime | None = None
    text: str = ""
    header: str = ""
    line: int = 0
    has_date: bool = False
    #: The header's date as written when no such day exists ("2026/2/30"): sent_at is then None.
    bad_date: str = ""
    _lines: list[str] = field(default_factory=list, repr=False)

    @property
    def system(self) -> bool:
        return self.kind != MESSAGE

    @property
    def is_chitchat(self) -> bool:
        return self.kind == MESSAGE and is_chitchat(self.text)


def _when(day: date | None, at: time | None, context_day: date, latest: datetime | None) -> datetime | None:
    """The moment of a message. A time without any date that is later than ``latest`` (the
    moment of the paste) was sent the day before: "23:10" pasted at 08:30 is last night's."""
    if at is None:
        return None
    when = datetime.combine(day or context_day, at)
    if day is None and latest is not None and when > latest + CLOCK_SLACK:
        return when - timedelta(days=1)
    return when


def _time_above(line: str, mode: str, today: date, ref: date) -> tuple[bool, time | None]:
    """Whether ``line`` is what WeChat puts a time separator above (a message's header, also a
    "name：text" line in a paste of "name time" lines, a system line, another divider), and the
    header's own time when it has one."""
    header = _HEADERS.get(mode)
    found = (header(line, today, ref) if header else None) or _bracketed(line, today, ref)
    if found:
        return True, found[2]
    core = _trim(line)
    opens = (
        _colon(line, today) is not None
        or is_system_line(line)
        or bool(_MEDIA_ONLY_RE.match(core))
        or bool(_FORWARD_TITLE_RE.match(core))
    )
    return opens, None


def _is_separator(at: time | None, below: str | None, mode: str, today: date, ref: date) -> bool:
    """A lone time or day is WeChat's separator when it stands above a header, with the header's
    own time if that has one (the separator shows the time of the message below it). Otherwise it
    is a line of the message above it: "10:00" answering "几点停水？"."""
    if below is None:
        return False
    if parse_when(_trim(below), today) is not None:
        # A day may stand above a separator ("2023年12月6日" above "07:55"); a time never does.
        return at is None
    opens, header_at = _time_above(below, mode, today, ref)
    if not opens:
        return False
    return at is None or header_at is None or (at.hour, at.minute) == (header_at.hour, header_at.minute)


def detect_mode(lines: list[str], today: date, now: datetime | None = None) -> str:
    """ "header" when the paste has "name time" lines with the text below (PC/Mac copy,
    forwarded records); "dated" when it has "date time name" lines instead (chat exporters);
    "colon" when it is "name：text" lines. Only in the first mode is a line like "会议改到 14:00"
    a header, only in the second "12月6日 08:00 停水", only in the third is "注意：…" read as a
    nickname. A header line counts only as a header, and a colon inside a time or after a known
    word ("物业电话：") makes no nickname, so a message's own colon cannot tip the paste over. A
    paste is date-first only with two such headers (``_dated_headers``), or one written with the
    year, text below and not after the paste: a notice's "12月8日 09:00 开始停水" is no sender."""
    named = colons = 0
    for line in lines:
        if _header(line, today):
            named += 1
        elif _colon(line, today) and not _bracketed(line, today) and not _dated_header(line, today):
            colons += 1
    dated_lines = _dated_headers(lines, _below(lines), today)
    dated = len(dated_lines)
    if dated == 1:
        [index] = dated_lines
        dated = 1 if _stands_alone(lines[index], _dated_header(lines[index], today), today, now) else 0
    if max(named, dated) < max(colons, 1):
        return "colon"
    return "header" if named >= dated else "dated"


#: A name as a header gives it alone on its line: 2-4 Chinese characters, or a nickname with a
#: Latin letter or a digit in it ("Lily2000", "张伟88"); not a phrase like "开会通知请大家准时".
_SHORT_NAME_RE = re.compile(r"^(?:[\u4e00-\u9fff]{2,4}|(?=\S*[A-Za-z0-9])[\w\u4e00-\u9fff·._-]{2,16})$")


def _below(lines: list[str]) -> list[str | None]:
    """The next non-blank line after each line (None after the last one)."""
    below: list[str | None] = [None] * len(lines)
    for index in range(len(lines) - 2, -1, -1):
        below[index] = lines[index + 1] if lines[index + 1].strip() else below[index + 1]
    return below


def _shape(when: str) -> str:
    """How a moment is written, its numbers aside: "2026-12-06 08:00" and "2026-12-7 9:05" are
    one shape, "12月7日 09:00" another."""
    return re.sub(r"\d+", "9", re.sub(r"\s+", " ", when.strip()))


def _dated_headers(lines: list[str], below: list[str | None], today: date) -> set[int]:
    """The "date time name" lines that are headers of a date-first paste: a line whose name is
    the sender of another header of the paste, or one with text below written in the shape of the
    paste's other such lines (an exporter writes every header alike). "12月7日 09:00 开始停水"
    in a message of a "2026-12-06 08:00 王秀英" paste is text: its name heads no other message,
    and it has no text below or is written otherwise."""
    found = {}
    for index, line in enumerate(lines):
        m = _dated_match(line, today)
        if m and _sent(m["name"], m["when"], today, None):
            found[index] = (m["name"].strip(), _shape(m["when"]))
    if not found:
        return set()
    names = Counter(name for name, _shape_ in found.values())
    names.update({head[0] for line in lines if (head := _bracketed(line, today))})
    texted = {index for index in found if _is_text(below[index], today)}
    shapes = Counter(found[index][1] for index in texted)
    main = shapes.most_common(1)[0][0] if shapes else None
    return {index for index, (name, shape) in found.items() if names[name] >= 2 or (index in texted and shape == main)}


def _stands_alone(line: str, found, today: date, now: datetime | None) -> bool:
    """Whether a "date time name" line is a header without another header of its order in the
    paste to back it: a full date (with the year), and a moment not after the paste ("2026年12月8日
    09:00 开始停水" in a notice is a day to come). A date that does not exist is let through: the
    draft flags it."""
    if not found or not FULL_DATE_RE.match(line.strip()):
        return False
    _name, day, at, _bad = found
    latest = now + CLOCK_SLACK if now is not None else datetime.combine(today, time.max)
    return day is None or datetime.combine(day, at) <= latest


def _bad_date_stands(line: str, below: str | None, shapes: set[str], senders: set[str], today: date) -> bool:
    """Whether a "name time" line whose date does not exist is still a header: a short name alone
    with text below, and the date written with its year, or in the shape of the paste's other
    headers, or the name a sender of another header ("孙姐 2026/2/30 21:00" over "井盖松动了").
    "会议改到 6/31 14:00" in a message is a line of it."""
    m = _HEADER_RE.match(line.strip())
    name = m["name"].strip()
    if not _SHORT_NAME_RE.match(name) or not _is_text(below, today):
        return False
    return bool(FULL_DATE_RE.match(m["when"].strip())) or _shape(m["when"]) in shapes or name in senders


def _is_text(line: str | None, today: date) -> bool:
    """Whether ``line`` is words of a message: no header, divider or system line."""
    return (
        line is not None
        and not _header(line, today)
        and not _dated_header(line, today)
        and not _bracketed(line, today)
        and parse_when(_trim(line), today) is None
        and not is_system_line(line)
    )


def _mixed_headers(lines: list[str], below: list[str | None], mode: str, today: date, now: datetime | None):
    """The lines that are headers in the other order than the paste's ``mode`` (the secretary pastes
    from her phone and from the PC into one box): a date-first line in a "name time" paste when its
    name is a sender of another header of the paste, or when it is a full date (with the year), a
    time and a short name alone on the line, with text below and a moment not after the paste; a
    "name time" line in a date-first paste only when its name is such a sender. "12月1日 09:00 停水"
    or "2026年12月1日 09:00 停水" inside a notice stays its text: no year, or a day to come."""
    if mode not in _HEADERS:
        return set()
    other = "dated" if mode == "header" else "header"
    senders, candidates = set(), []
    for index, line in enumerate(lines):
        if found := (_HEADERS[mode](line, today) or _bracketed(line, today)):
            senders.add(found[0])
        elif found := _HEADERS[other](line, today):
            candidates.append((index, found))
    latest = now + CLOCK_SLACK if now is not None else datetime.combine(today, time.max)
    mixed = set()
    for index, (name, day, at, _bad) in candidates:
        if name in senders:
            mixed.add(index)
            continue
        if other != "dated" or not _SHORT_NAME_RE.match(name) or not _is_text(below[index], today):
            continue
        written = _DATED_HEADER_RE.match(lines[index].strip())["when"]
        if FULL_DATE_RE.match(written) and (day is None or datetime.combine(day, at) <= latest):
            mixed.add(index)
    return mixed


def parse(text: str, *, today: date, now: datetime | None = None) -> list[Message]:
    """Split a paste into messages, system lines and headers, in the order of the paste.

    Times without a date take the last date divider's day, else ``today``, or the day before
    when that would be later than ``now`` (the moment of the paste, local and naive). A time or
    day alone on its line is a divider (WeChat's separator) only above a header, see
    ``_is_separator``; below a message's header it is otherwise a line of that message. A paste
    with no sender or time anywhere becomes one message per non-blank line."""
    lines = (text or "").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    mode = detect_mode(lines, today, now)
    read_header = _HEADERS.get(mode)
    below = _below(lines)
    mixed = _mixed_headers(lines, below, mode, today, now)
    dated = _dated_headers(lines, below, today) if mode == "dated" else set()
    shapes, senders = set(), set()  # of the "name time" headers with a date that exists
    if mode == "header":
        for line in lines:
            if (m := _HEADER_RE.match(line.strip())) and (found := _header(line, today)) and not found[3]:
                shapes.add(_shape(m["when"]))
                senders.add(found[0])
    items: list[Message] = []
    current: Message | None = None
    fresh_header = False  # the line above was a "name time" header: this one is its text
    context_day, pending_time = today, None
    latest = now  # until a divider gives the day, which then holds as written
    day_divider = False  # the day was set by a line with a day alone ("2023年12月6日"), not a separator

    def close():
        nonlocal current
        if current is not None:
            current.text = "\n".join(current._lines).strip()
            current._lines = []
        current = None

    for number, line in enumerate(lines, start=1):
        stripped = line.strip()
        if not stripped:
            if current is not None and current._lines:
                current._lines.append(line)
            continue
        header = read_header(line, today, context_day) if read_header else None
        if header and mode == "dated" and number - 1 not in dated:
            header = None  # "12月7日 09:00 开始停水" in a message: see _dated_headers
        elif (
            mode == "header"
            and header
            and header[3]
            and not _bad_date_stands(line, below[number - 1], shapes, senders, today)
        ):
            header = None  # "会议改到 6/31 14:00" in a message
        if header is None and number - 1 in mixed:
            header = _HEADERS["dated" if mode == "header" else "header"](line, today, context_day)
        bracketed = _bracketed(line, today, context_day)
        divider = parse_when(_trim(line), today) if _trim(line) and not header and not bracketed else None
        if (
            divider is not None
            and current is not None
            and (current.sender or current.sent_at)
            and stripped == _trim(line)
            and not _is_separator(divider[1], below[number - 1], mode, today, context_day)
        ):
            divider = None  # a bare time or day in a message's text, not WeChat's separator
        if fresh_header and not header and not bracketed and divider is None:
            current._lines.append(line)
            fresh_header = False
            continue
        fresh_header = False
        if header:
            close()
            sender, day, at, bad = header
            current = Message(
                sender=sender,
                sent_at=_when(day, at, context_day, latest),
                header=line,
                line=number,
                has_date=day is not None,
                bad_date=bad,
            )
            items.append(current)
            fresh_header = True
            continue
        if bracketed:
            close()
            sender, day, at, bad, offset = bracketed
            current = Message(
                sender=sender,
                sent_at=_when(day, at, context_day, latest),
                header=line[:offset],
                line=number,
                has_date=day is not None,
                bad_date=bad,
                _lines=[line[offset:]],
            )
            items.append(current)
            continue
        if is_system_line(line):
            close()
            items.append(Message(kind=SYSTEM, text=stripped, line=number))
            continue
        if divider is not None or _FORWARD_TITLE_RE.match(_trim(line)):
            close()
            if divider is not None:
                if divider[0] is not None:
                    context_day, latest = divider[0], None
                    day_divider = divider[1] is None
                elif not day_divider:
                    # WeChat writes a separator's time alone only for today: below "昨天 21:50",
                    # "07:41" is this morning.
                    context_day, latest = today, now
                pending_time = divider[1]
            items.append(Message(kind=HEADER, header=line, line=number))
            continue
        colon = _colon(line, today) if mode == "colon" else None
        if colon:
            close()
            sender, offset = colon
            current = Message(
                sender=sender,
                sent_at=_when(None, pending_time, context_day, latest),
                header=line[:offset],
                line=number,
                _lines=[line[offset:]],
            )
            items.append(current)
            continue
        if _MEDIA_ONLY_RE.match(stripped) and current is None:
            items.append(Message(kind=SYSTEM, text=stripped, line=number))
            continue
        if current is None:
            current = Message(line=number)
            items.append(current)
        current._lines.append(line)
    close()
    items = [m for m in items if m.kind != MESSAGE or m.text or m.header]
    if not any(m.sender or m.sent_at for m in items if m.kind == MESSAGE):
        items = _one_per_line(items)
    return items


def _one_per_line(items: list[Message]) -> list[Message]:
    """No structure found: every non-blank line is a message of its own (never lose a line)."""
    out = []
    for item in items:
        if item.kind != MESSAGE:
            out.append(item)
            continue
        for offset, line in enumerate(item.text.split("\n")):
            if line.strip():
                out.append(Message(text=line.strip(), line=item.line + offset))
    return out


def messages_only(items: list[Message]) -> list[Message]:
    return [m for m in items if m.kind == MESSAGE]


def is_structured(items: list[Message]) -> bool:
    """Whether any sender or time was recognised (otherwise it was split line by line)."""
    return any(m.sender or m.sent_at for m in items if m.kind == MESSAGE)


def looks_binary(text: str) -> bool:
    """NUL bytes, many control characters or decoding debris: not something copied from a chat."""
    if "\x00" in text:
        return True
    odd = sum(1 for c in text if (ord(c) < 32 and c not in "\n\r\t") or c == "\ufffd")
    return odd > max(3, len(text) // 100)


# --- chit-chat ------------------------------------------------------------------------

_CHITCHAT_WORDS = sorted(
    {"谢谢大家", "谢谢您", "谢谢你", "谢谢", "感谢", "多谢", "辛苦了", "辛苦", "收到了", "收到", "好的"}
    | {"好滴", "好嘞", "好", "嗯嗯", "嗯", "哦哦", "哦", "明白了", "明白", "知道了", "了解", "ok", "okay"}
    | {"社区工作人员", "社区", "书记", "赞", "点赞", "早上好", "早安", "早", "晚安", "哈哈哈", "哈哈"}
    | {"是的", "对的", "对", "同意", "支持", "+1", "1", "棒", "太棒了", "给力", "您", "大家"},
    key=lambda word: (-len(word), word),
)
_EMOJI_RE = re.compile(r"\[[^\[\]\s]{1,6}\]|[\U0001F000-\U0001FAFF\u2600-\u27BF\uFE0F\u200d]")
_FILLER_RE = re.compile(r"[\s，。！？、,.!?~～…·:：;；()（）\"'“”]|[啊呀哈啦了哒呢吧哇]$")


def is_chitchat(text: str) -> bool:
    """ "谢谢", "收到", "👍", "好的[抱拳]", "[表情]": a reply, not something to follow up."""
    rest = _EMOJI_RE.sub("", text or "").lower()
    rest = _FILLER_RE.sub("", rest)
    if len(rest) > 12:
        return False
    while rest:
        word = next((w for w in _CHITCHAT_WORDS if rest.startswith(w)), None)
        if word is None:
            return False
        rest = _FILLER_RE.sub("", rest[len(word) :])
    return True


def source_key(community_id: int, sender: str, sent_at: datetime | None, text: str) -> str:
    """A stable key for one message of one community: the same message pasted twice has it."""
    raw = "\x1f".join([str(community_id), sender, sent_at.isoformat() if sent_at else "", text])
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()
