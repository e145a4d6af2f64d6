"""Turn text pasted from a WeChat group into messages, and messages into draft log entries.

The parser at the top is plain Python (no Django, no outside service), so it can be tested and
scripted on its own. It never invents or drops a resident's words: each line of the paste is
either part of exactly one message's text, a header (the "name time" line, a date divider, a
forwarded-record title), or a system line; see ``Message.header`` and ``test_wechat_parser``.

The draft part at the bottom reads the database (categories, places, residents, open items) in
a constant number of queries for the whole batch, and saves a confirmed batch in one
transaction. Its Django imports are local to those functions so the parser stays importable
without settings.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

MAX_PASTE_CHARS = 100_000
MAX_MESSAGES = 500

# --- times and dates ------------------------------------------------------------------

_AMPM = r"(?:上午|下午|中午|晚上|凌晨|早上|傍晚|早晨)"
_HM = rf"(?:{_AMPM}\s*)?(?:[01]?\d|2[0-3]):[0-5]\d(?::[0-5]\d)?"
_WEEKDAY = r"(?:星期|周|礼拜)[一二三四五六日天]"
_DATE = (
    r"(?:\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*[日号]?"
    r"|\d{4}[-/.]\d{1,2}[-/.]\d{1,2}"
    r"|\d{1,2}\s*月\s*\d{1,2}\s*[日号]"
    r"|\d{1,2}[/-]\d{1,2}"
    r"|今天|昨天|前天"
    rf"|{_WEEKDAY})"
)
#: A moment as WeChat writes it: "08:12", "昨天 21:40", "2023年12月6日 7:55", "12/6 07:55".
WHEN = rf"(?:{_DATE}(?:\s*{_WEEKDAY})?\s*)?{_HM}"
#: A day on its own, as on a divider line: "2023年12月6日", "昨天", "星期三".
DAY = rf"{_DATE}(?:\s*{_WEEKDAY})?"

_WHEN_RE = re.compile(rf"^{WHEN}$")
_DAY_RE = re.compile(rf"^{DAY}$")
_FULL_DATE_RE = re.compile(r"(\d{4})\s*(?:年|[-/.])\s*(\d{1,2})\s*(?:月|[-/.])\s*(\d{1,2})")
_MONTH_DAY_RE = re.compile(r"(\d{1,2})\s*(?:月|[/-])\s*(\d{1,2})")
_TIME_RE = re.compile(rf"({_AMPM})?\s*(\d{{1,2}}):(\d{{2}})(?::(\d{{2}}))?$")
_WEEKDAYS = "一二三四五六日"
_RELATIVE = {"今天": 0, "昨天": 1, "前天": 2}


def _day_of(text: str, today: date, ref: date | None = None) -> date | None:
    """The date named at the start of ``text``, or None when it names none (or an impossible one).
    A day without a year is taken in the year of ``ref`` (the last date divider), else this year."""
    try:
        if m := _FULL_DATE_RE.match(text):
            return date(int(m[1]), int(m[2]), int(m[3]))
        if m := _MONTH_DAY_RE.match(text):
            ref = ref or today
            day = date(ref.year, int(m[1]), int(m[2]))
            # "12/6" read in January is last December's.
            return day.replace(year=ref.year - 1) if day > today else day
    except ValueError:
        return None
    for word, back in _RELATIVE.items():
        if text.startswith(word):
            return today - timedelta(days=back)
    if m := re.match(r"(?:星期|周|礼拜)([一二三四五六日天])", text):
        wanted = _WEEKDAYS.index(m[1].replace("天", "日"))
        back = (today.weekday() - wanted) % 7 or 7
        return today - timedelta(days=back)
    return None


def parse_when(text: str, today: date, ref: date | None = None) -> tuple[date | None, time | None] | None:
    """Read "08:12", "昨天 21:40", "2023年12月6日 上午7:55", "12/6 07:55" or a bare day.

    Returns (day or None, time or None), or None when ``text`` is no moment at all."""
    text = text.strip()
    if _WHEN_RE.match(text):
        m = _TIME_RE.search(text)
        hour, minute, second = int(m[2]), int(m[3]), int(m[4] or 0)
        if (m[1] in {"下午", "晚上", "傍晚"} and hour < 12) or (m[1] == "中午" and hour < 11):
            hour += 12
        elif m[1] in {"凌晨", "上午", "早上", "早晨"} and hour == 12:
            hour = 0
        head = text[: m.start()].strip()
        day = _day_of(head, today, ref) if head else None
        if head and day is None:
            return None
        return day, time(hour, minute, second)
    if _DAY_RE.match(text):
        day = _day_of(text, today, ref)
        return (day, None) if day else None
    return None


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


def _trim(line: str) -> str:
    return line.strip(_DASHES)


def is_system_line(line: str) -> bool:
    core = _trim(line)
    return bool(core) and (core in _SYSTEM_PHRASES or bool(_SYSTEM_RE.match(core)))


def _header(line: str, today: date, ref: date | None = None):
    """(sender, day, time) when ``line`` is a "name time" line with the text below it."""
    m = _HEADER_RE.match(line.strip())
    if not m or parse_when(m["name"], today) is not None:
        return None
    when = parse_when(m["when"], today, ref)
    return (m["name"].strip(), *when) if when else None


def _bracketed(line: str, today: date, ref: date | None = None):
    """(sender, day, time, offset of the text) for "[08:12] 张阿姨: text" and "08:12 张阿姨：text"."""
    m = _BRACKET_RE.match(line.lstrip())
    if not m:
        return None
    when = parse_when(m["when"], today, ref)
    if when is None:
        return None
    offset = len(line) - len(line.lstrip()) + m.start("text")
    return m["name"].strip(), *when, offset


def _colon(line: str, today: date):
    """(sender, offset of the text) for "张阿姨：text" with a plausible nickname before the colon."""
    m = _COLON_RE.match(line.lstrip())
    if not m:
        return None
    name = m["name"].strip()
    if (
        name in _NOT_NAMES
        or _PLACE_NAME_RE.match(name)
        or m["text"].startswith("//")
        or parse_when(name, today) is not None
        or re.search(_HM, name)
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
    _lines: list[str] = field(default_factory=list, repr=False)

    @property
    def system(self) -> bool:
        return self.kind != MESSAGE

    @property
    def is_chitchat(self) -> bool:
        return self.kind == MESSAGE and is_chitchat(self.text)


def _when(day: date | None, at: time | None, context_day: date) -> datetime | None:
    if at is None:
        return None
    return datetime.combine(day or context_day, at)


def detect_mode(lines: list[str], today: date) -> str:
    """ "header" when the paste has "name time" lines with the text below (PC/Mac copy,
    forwarded records); "colon" when it is "name：text" lines. Only in the first mode is a
    line like "会议改到 14:00" a header; only in the second is "注意：…" read as a nickname."""
    headers = sum(1 for line in lines if _header(line, today))
    colons = sum(1 for line in lines if _colon(line, today) and not _bracketed(line, today))
    return "header" if headers and headers >= colons else "colon"


def parse(text: str, *, today: date) -> list[Message]:
    """Split a paste into messages, system lines and headers, in the order of the paste.

    Times without a date take the last date divider's day, else ``today``. A paste with no
    sender or time anywhere becomes one message per non-blank line."""
    lines = (text or "").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    mode = detect_mode(lines, today)
    items: list[Message] = []
    current: Message | None = None
    fresh_header = False  # the line above was a "name time" header: this one is its text
    context_day, pending_time = today, None

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
        header = _header(line, today, context_day) if mode == "header" else None
        bracketed = _bracketed(line, today, context_day)
        if fresh_header and not header and not bracketed:
            current._lines.append(line)
            fresh_header = False
            continue
        fresh_header = False
        if header:
            close()
            sender, day, at = header
            current = Message(
                sender=sender,
                sent_at=_when(day, at, context_day),
                header=line,
                line=number,
                has_date=day is not None,
            )
            items.append(current)
            fresh_header = True
            continue
        if bracketed:
            close()
            sender, day, at, offset = bracketed
            current = Message(
                sender=sender,
                sent_at=_when(day, at, context_day),
                header=line[:offset],
                line=number,
                has_date=day is not None,
                _lines=[line[offset:]],
            )
            items.append(current)
            continue
        if is_system_line(line):
            close()
            items.append(Message(kind=SYSTEM, text=stripped, line=number))
            continue
        divider = parse_when(_trim(line), today) if _trim(line) else None
        if divider is not None or _FORWARD_TITLE_RE.match(_trim(line)):
            close()
            if divider is not None:
                context_day = divider[0] or context_day
                pending_time = divider[1]
            items.append(Message(kind=HEADER, header=line, line=number))
            continue
        colon = _colon(line, today) if mode == "colon" else None
        if colon:
            close()
            sender, offset = colon
            current = Message(
                sender=sender,
                sent_at=_when(None, pending_time, context_day),
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


# --- drafts (Django from here on) -------------------------------------------------------

_ROOM_TOKEN_RE = re.compile(r"[0-9]+\s*(?:-|－|号楼|栋)\s*[0-9]+\s*(?:-|－|单元)\s*[0-9]+")
_BUILDING_NOUN_RE = re.compile(r"\s*(门口|楼道|楼下|楼前|楼后|单元门|电梯|地下室|楼顶|东侧|西侧|南侧|北侧)")
_FREE_PLACE_RE = re.compile(
    r"[东南西北中][区门侧](?:[\u4e00-\u9fff]{0,4}?(?:车棚|停车场|花园|广场|垃圾站|门口|地库|健身区|岗亭))?"
    r"|车棚|地库|地下车库|垃圾站|小广场|健身区|停车场"
)
_SENDER_PLACE_RE = re.compile(r"^[0-9０-９]+(?:[-－号楼栋单元室][0-9０-９]*)*\s*")


@dataclass
class Draft:
    """A message with what the office would log for it, before the secretary confirms."""

    index: int
    message: Message
    key: str
    category: object = None
    place_label: str = ""
    reporter: object = None
    similar: list = field(default_factory=list)
    logged: object = None
    reported_on: object = None
    earlier_row: int | None = None
    similar_rows: list[int] = field(default_factory=list)
    place: object = None

    @property
    def done(self) -> bool:
        """Already in the log (as an item or a repeat report), or repeated within this paste."""
        return self.logged is not None or self.reported_on is not None or self.earlier_row is not None

    @property
    def is_issue(self) -> bool:
        """Ticked by default: not chit-chat and not logged before."""
        return not self.done and not self.message.is_chitchat


def received_at(message: Message, now: datetime) -> datetime:
    from django.utils import timezone

    return timezone.make_aware(message.sent_at) if message.sent_at else now


#: Residents type "３号楼" on phones: places are looked for in ASCII digits (the text stays as written).
_HALF_WIDTH = str.maketrans("０１２３４５６７８９－", "0123456789-")


def written_place(text: str) -> str:
    """The place a message names, as written, without the database: "3-2-501", "3号楼门口", "北区车棚"."""
    from issues.services import BUILDING_RE

    text = text.translate(_HALF_WIDTH)
    if room := _ROOM_TOKEN_RE.search(text):
        return room[0]
    if match := BUILDING_RE.search(text):
        noun = _BUILDING_NOUN_RE.match(text, match.end())
        return match[0] + (noun[1] if noun else "")
    free = _FREE_PLACE_RE.search(text)
    return free[0] if free else ""


def _rooms_by_label(community, labels: list[str]) -> dict[tuple[str, str, str], object]:
    from django.db.models import Q

    from residents.models import ROOM_LABEL_RE, Room

    parts = {(m["building"], m["unit"], m["room"]) for m in map(ROOM_LABEL_RE.match, labels) if m}
    if not parts:
        return {}
    query = Q()
    for building, unit, room in parts:
        query |= Q(unit__building__number=building, unit__number=unit, room_no=room)
    rooms = Room.objects.in_community(community).with_place().filter(query)
    return {(r.unit.building.number, r.unit.number, r.room_no): r for r in rooms}


def _buildings_by_number(community, texts: list[str]) -> dict[str, object]:
    from issues.services import BUILDING_RE
    from residents.models import Building

    numbers = {m[1] for text in texts for m in BUILDING_RE.finditer(text)}
    if not numbers:
        return {}
    return {b.number: b for b in Building.objects.in_community(community).filter(number__in=numbers)}


def _room_key(label: str):
    from residents.models import ROOM_LABEL_RE

    m = ROOM_LABEL_RE.match(label)
    return (m["building"], m["unit"], m["room"]) if m else None


def resolve_places(community, texts: list[str]) -> list:
    """services.resolve_place for many place inputs at once (two queries, whatever the count)."""
    from issues.services import BUILDING_RE, Place

    texts = [(t or "").strip() for t in texts]
    rooms = _rooms_by_label(community, texts)
    buildings = _buildings_by_number(community, texts)
    places = []
    for text in texts:
        room = rooms.get(_room_key(text)) if text else None
        match = BUILDING_RE.search(text)
        if room:
            places.append(Place(room=room, building=room.unit.building))
        elif match and match[1] in buildings:
            places.append(
                Place(building=buildings[match[1]], text=(text[: match.start()] + text[match.end() :]).strip())
            )
        else:
            places.append(Place(text=text))
    return places


def _place_labels(community, texts: list[str]) -> list[str]:
    """The place each message names, as the secretary would type it: "3号楼2单元501", "3号楼门口",
    "北区车棚", or the room as written when the community has no such room."""
    from issues.services import BUILDING_RE

    texts = [text.translate(_HALF_WIDTH) for text in texts]
    tokens = [_ROOM_TOKEN_RE.findall(text) for text in texts]
    rooms = _rooms_by_label(community, [t for found in tokens for t in found])
    buildings = _buildings_by_number(community, texts)
    labels = []
    for text, found in zip(texts, tokens, strict=True):
        room = next((rooms[k] for k in map(_room_key, found) if k in rooms), None)
        match = BUILDING_RE.search(text)
        free = _FREE_PLACE_RE.search(text)
        if room:
            labels.append(room.label)
        elif match and match[1] in buildings:
            noun = _BUILDING_NOUN_RE.match(text, match.end())
            labels.append(f"{buildings[match[1]]}{noun[1] if noun else ''}")
        elif free:
            labels.append(free[0])
        else:
            labels.append(found[0] if found else "")
    return labels


def _match_residents(community, senders: set[str]) -> dict[str, object]:
    """The rule of services.match_reporter (one resident by name, else one by nickname) for all
    senders at once; "5-2-301 陈姐" is also tried as "陈姐"."""
    from django.db.models import Q

    from residents.models import Resident

    names = {s for s in senders if s} | {_SENDER_PLACE_RE.sub("", s) for s in senders if s}
    names.discard("")
    if not names:
        return {}
    found = list(
        Resident.objects.in_community(community)
        .active()
        .filter(Q(name__in=names) | Q(wechat_nickname__in=names))
        .select_related("room__unit__building")
    )
    matched = {}
    for sender in senders:
        for name in dict.fromkeys([sender, _SENDER_PLACE_RE.sub("", sender)]):
            by_name = [r for r in found if r.name == name]
            by_nick = [r for r in found if r.wechat_nickname == name]
            pick = by_name if by_name else by_nick
            if len(pick) == 1:
                matched[sender] = pick[0]
                break
    return matched


def _similar(candidates: list, text: str, place, category, limit: int = 3) -> list:
    from issues.services import rank_similar

    return rank_similar(candidates, text=text, room=place.room, building=place.building, category=category, limit=limit)


def build_drafts(community, items: list[Message], *, now: datetime) -> list[Draft]:
    """One draft per message, with suggestions, in a constant number of queries."""
    from django.utils import timezone

    from issues.models import FollowUp, FollowUpKind, Issue, IssueCategory
    from issues.services import best_category

    messages = messages_only(items)
    drafts = [
        Draft(index=i, message=m, key=source_key(community.pk, m.sender, m.sent_at, m.text))
        for i, m in enumerate(messages)
    ]
    if not drafts:
        return []
    categories = list(IssueCategory.objects.in_community(community).filter(is_active=True))
    labels = _place_labels(community, [m.text for m in messages])
    places = resolve_places(community, labels)
    residents = _match_residents(community, {m.sender for m in messages})
    candidates = list(Issue.objects.in_community(community).open().with_list_data().order_by("-received_at")[:500])
    logged = {
        i.source_key: i for i in Issue.objects.in_community(community).filter(source_key__in=[d.key for d in drafts])
    }
    reports = list(
        FollowUp.objects.filter(
            issue__community=community, kind=FollowUpKind.REPORT, to_status="", note__in={m.text for m in messages}
        ).select_related("issue")
    )
    seen: dict[str, int] = {}
    for draft, label, place in zip(drafts, labels, places, strict=True):
        message = draft.message
        draft.place_label = label
        draft.category = best_category(categories, message.text)
        draft.reporter = residents.get(message.sender)
        draft.logged = logged.get(draft.key)
        draft.reported_on = next(
            (
                f.issue
                for f in reports
                if f.sender == message.sender
                and f.note == message.text
                and (
                    message.sent_at is None or timezone.localtime(f.received_at).replace(tzinfo=None) == message.sent_at
                )
            ),
            None,
        )
        draft.place = place
        draft.earlier_row = seen.get(draft.key)
        seen.setdefault(draft.key, draft.index)
        if not draft.done and not message.is_chitchat:
            draft.similar = _similar(candidates, message.text, place, draft.category)
            draft.similar_rows = _similar_rows(drafts[: draft.index], draft)
    return drafts


def _similar_rows(earlier: list[Draft], draft: Draft, limit: int = 2) -> list[int]:
    """Earlier messages of the same paste about the same problem (a resident writing again in
    the morning about last night's leak): the same rule as for open items."""
    from issues.services import SIMILARITY_THRESHOLD, text_similarity

    found = []
    for other in reversed(earlier):
        if other.done or other.message.is_chitchat:
            continue
        place, theirs = draft.place, other.place
        same_place = (
            (place.room is not None and theirs.room == place.room)
            or (place.building is not None and theirs.building == place.building)
            or (draft.place_label != "" and other.place_label == draft.place_label)
        )
        same_category = draft.category is not None and other.category == draft.category
        if (same_place and same_category) or text_similarity(draft.message.text, other.message.text) >= (
            SIMILARITY_THRESHOLD
        ):
            found.append(other.index)
    return found[:limit]


@dataclass
class Choice:
    """What the secretary confirmed for one draft."""

    draft: Draft
    category: object = None
    place: str = ""
    reporter_name: str = ""
    repeat_of: object = None
    repeat_of_row: int | None = None


@dataclass
class SaveResult:
    created: list = field(default_factory=list)
    repeated: list = field(default_factory=list)
    skipped: int = 0
    linked: list = field(default_factory=list)


def save_batch(community, *, by, now: datetime, choices: list[Choice]) -> SaveResult:
    """Log the confirmed drafts in one transaction: all or nothing. A message already logged
    (same source key) or already added as a repeat report is skipped, never logged twice; a
    race with another save of the same batch ends in IntegrityError and nothing is written."""
    from django.db import transaction

    from issues import services
    from issues.models import Channel, FollowUp, FollowUpKind, Issue
    from residents.models import Resident

    result = SaveResult()
    with transaction.atomic():
        keys = [c.draft.key for c in choices]
        taken = {i.source_key: i for i in Issue.objects.in_community(community).filter(source_key__in=keys)}
        by_row: dict[int, object] = {}  # what each row became, for later rows of the paste that repeat it
        places = resolve_places(community, [c.place for c in choices])
        typed = {c.reporter_name.strip() for c in choices if c.reporter_name.strip()}
        by_name: dict[str, list] = {}
        for resident in Resident.objects.in_community(community).active().filter(name__in=typed):
            by_name.setdefault(resident.name, []).append(resident)
        nicknames_taken = set(
            Resident.objects.in_community(community)
            .filter(wechat_nickname__in={c.draft.message.sender for c in choices})
            .values_list("wechat_nickname", flat=True)
        )
        for choice, place in zip(choices, places, strict=True):
            message, key = choice.draft.message, choice.draft.key
            when = received_at(message, now)
            if key in taken:
                by_row[choice.draft.index] = taken[key]
                result.skipped += 1
                continue
            target = choice.repeat_of
            if choice.repeat_of_row is not None:
                target = by_row[choice.repeat_of_row]
            name = choice.reporter_name.strip()
            reporter = by_name[name][0] if len(by_name.get(name, [])) == 1 else choice.draft.reporter
            if name and reporter is not None and reporter.name != name:
                reporter = None
            if target is not None:
                by_row[choice.draft.index] = target
                already = FollowUp.objects.filter(
                    issue=target, kind=FollowUpKind.REPORT, sender=message.sender, note=message.text
                )
                if message.sent_at is not None:
                    already = already.filter(received_at=when)
                if already.exists():
                    result.skipped += 1
                    continue
                services.add_report(
                    target,
                    by=by,
                    now=now,
                    text=message.text,
                    channel=Channel.WECHAT,
                    sender=message.sender,
                    received_at=when,
                )
                result.repeated.append(target)
            else:
                issue = services.log_issue(
                    community=community,
                    by=by,
                    now=now,
                    text=message.text,
                    channel=Channel.WECHAT,
                    received_at=when,
                    sender=message.sender,
                    reporter=reporter,
                    reporter_name="" if reporter else name,
                    place=place,
                    category=choice.category,
                )
                Issue.objects.filter(pk=issue.pk).update(source_key=key)
                taken[key] = by_row[choice.draft.index] = issue
                result.created.append(issue)
            sender = message.sender
            linkable = reporter and sender and sender != reporter.name and not reporter.wechat_nickname
            if linkable and sender not in nicknames_taken:
                Resident.objects.filter(pk=reporter.pk).update(wechat_nickname=sender)
                reporter.wechat_nickname = sender
                nicknames_taken.add(sender)
                result.linked.append((sender, reporter))
    return result
