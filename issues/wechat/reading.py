"""What each message of a WeChat paste is to the office: a problem, the rest of one, a neighbour's
"same here", a resident's thanks, or the office's own reply.

Plain Python like the parser (no Django): the category rule comes in as ``topic``, a function from
text to a category (or None), so this reads the same on the page, in ``parse_wechat`` and in tests.
Nothing here changes a resident's words: a message holding several problems is cut into parts
whose concatenation is the message, character for character.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from issues.wechat.parser import Message, is_chitchat

ITEM, CONTINUES, AGREES, THANKS, OFFICE = "item", "continues", "agrees", "thanks", "office"

#: A second line from the same sender within this many minutes continues their first one.
CONTINUATION_MINUTES = 5
#: A neighbour's "same here" refers to a problem raised at most this long before.
AGREEMENT_MINUTES = 120
#: A paste dated more than this many days back (or ahead) asks which dates to use.
STALE_DAYS = 2

_EMOJI_RE = re.compile(r"\[[^\[\]\s]{1,6}\]|[\U0001F000-\U0001FAFF\u2600-\u27BF\uFE0F\u200d]")
_CLAUSE_RE = re.compile(r"[，。！？；、,.!?;~～…\s]+")
_PROBLEM_MARKS = re.compile(r"[不没坏漏吗呢？?]|还是|又|怎么|什么时候|能不能|可不可以|麻烦")
_AGAIN = re.compile(r"又|还是|再次|再一次|仍然|依然|依旧|还在")

_THANKS_CLAUSE = re.compile(
    r"^(?:非常|十分|万分|真是|真|太|特别|衷心)?(?:谢谢|感谢|多谢|感恩|谢)[^，。]{0,10}$"
    r"|^[^，。]{0,8}(?:辛苦了|辛苦啦|辛苦|费心了|受累了|给力|点赞|好样的|太及时了|真及时|效率真高)$"
    r"|^辛苦(?:各位|大家|你们|您们|您|网格员|书记|师傅)[了啦]?$"
    r"|^(?:问题|灯|水|电|门)?(?:已经|都)?(?:修好|弄好|解决|处理好|清理干净|清走|清干净|好)了$"
)
#: "大家晚上好", "各位邻居早上好", "你好", "中秋快乐": a greeting says hello, it raises nothing.
_GREETING_CLAUSE = re.compile(
    r"^(?:各位|大家|邻居们|各位邻居)?(?:你|您)?(?:早上|上午|中午|下午|晚上)?好[呀啊]?$"
    r"|^祝?(?:大家|各位)?(?:新年|春节|元旦|元宵|端午|中秋|国庆|节日|周末)快乐$"
)
_AGREEMENT = re.compile(
    r"^(?:\+|＋)1$|^1$"
    r"|^(?:我|我们|我家|我们家|咱|咱们|咱家|俺|俺家)[^，。]{0,4}?(?:也|都|同样)(?:是|这样|一样|有|遇到|碰到|出现|存在|发现)"
    r"|^[^，。]{0,6}也(?:是|一样|这样|是这样|是这个情况)的?$"
    r"|^(?:同样|一样|相同)的?(?:问题|情况)"
    r"|^(?:楼上|上面)(?:说的|说得|讲的)?(?:对|是|没错|在理)"
    r"|^(?:同意楼上|附议|同上|顶|顶一下|求解决\+1)"
)
_OFFICE_WORDING = re.compile(
    r"^(?:收到|好的|好嘞|好|已|我们|马上|正在|稍等|这就|明白|了解|会|今天|明天|下午|上午|您好)"
    r"|转物业|联系物业|安排|跟进|尽快|处理中|已转|已联系|已通知|已上报|已派|核实|上门"
)
_OFFICE_MARKS = ("居委会", "社区工作站", "社区服务站", "网格员", "社区办公室", "党群服务中心")
_NEXT_MATTER = r"还有|另外|此外|再有|再就是|顺便|以及|另"
#: A numbered point: "1.", "2、", "（3）", "二、"; not "1.5米".
_POINT = r"[（(]?(?:[1-9]|[一二三四五六七八九])[)）.、．](?!\d)"
_SPLIT_RE = re.compile(
    r"(?<=[。！？；;!?\n])"
    rf"|(?<=[，,、：:\s])(?={_NEXT_MATTER})"
    rf"|(?<=[，,。；;：:\s])(?={_POINT})"
)
#: A piece that says it is another matter: "还有门口垃圾没人清", "2. 东门路灯不亮".
_OPENS_RE = re.compile(rf"\s*(?:{_NEXT_MATTER}|{_POINT})")
_POINT_RE = re.compile(rf"\s*{_POINT}")
_BUILDING_RE = re.compile(r"(\d+)\s*(?:号楼|栋|幢)")
#: Spots that need the building named before them: "还有门口垃圾没人清", "2. 楼道灯也不亮".
_SPOT_RE = re.compile(
    r"门口|楼道|楼下|楼上|楼顶|楼梯|单元门|电梯|地下室|这里|那里|这儿|那儿|这边|那边|旁边|对面|同一|该楼|本楼|这栋|那栋"
)


def _core(text: str) -> str:
    return _EMOJI_RE.sub("", text or "").strip()


def is_thanks(text: str) -> bool:
    """ "谢谢社区！", "辛苦了", "感谢王书记帮忙", "已经修好了，谢谢", "大家早上好": thanks or a
    greeting, not a problem. Every clause must be one: "谢谢社区，楼道又堆满了杂物" is a problem."""
    core = _core(text)
    if is_chitchat(text):
        return True
    if not core or len(core) > 40:
        return False
    clauses = [c for c in _CLAUSE_RE.split(core) if c]
    return all(
        is_chitchat(c)
        or _GREETING_CLAUSE.match(c)
        or (_THANKS_CLAUSE.match(c) and not _PROBLEM_MARKS.search(c.replace("不客气", "")))
        for c in clauses
    )


def is_agreement(text: str) -> bool:
    """ "我家也是", "同样的问题", "+1", "楼上说的对", "我们单元也这样": a second voice on a problem."""
    core = _CLAUSE_RE.sub("", _core(text))
    return 0 < len(core) <= 20 and bool(_AGREEMENT.match(core))


#: A sentence about how the matter before was handled, not another matter: "我跟物业说了好几次，一直
#: 没人管", "物业电话也打不通", "这事反映过".
_TELLS_ON_RE = re.compile(r"物业|没人管|没人处理|没人理|反映|投诉|说了|找过|打不通|联系不上|这事|此事|这个问题|该问题")
#: Where a sentence ends: after it, a sentence with a category of its own may be another matter.
_SENTENCE_END_RE = re.compile(r"[。！？!?\n]\s*$")
#: Words that open a part about the spot of the part before: "还有垃圾没人清" is at its building.
_NEXT_RE = re.compile(rf"\s*(?:{_NEXT_MATTER})")


def points_back(text: str) -> bool:
    """ "还有门口垃圾没人清", "2. 楼道灯也不亮": a problem of a message at a spot that needs the
    building named before it; "2. 物业电话打不通" and "3. 东门路灯不亮" are no such spot."""
    return bool(_SPOT_RE.search(text or "")) and not _BUILDING_RE.search(text or "")


def tells_on(text: str) -> bool:
    """ "晚上楼道灯也不亮", "前两天有人在那儿抽烟", "我跟物业说了好几次，一直没人管": a sentence
    about the spot of the sentence before (``points_back``) or about how that matter was handled."""
    return points_back(text) or bool(_TELLS_ON_RE.search(text or ""))


def at_the_place_before(text: str) -> bool:
    """Whether a later problem of a message, naming no place, is at the place of the one before:
    it points back ("2. 楼道灯也不亮") or it is told on with "还有 / 另外…" ("5号楼楼道灯坏了，还有
    垃圾没人清"). A numbered point at no spot ("3. 物业电话打不通") or a sentence cut off as another
    matter ("北区车棚有人飞线充电") is not."""
    return points_back(text) or bool(_NEXT_RE.match(text or ""))


def says_again(text: str) -> bool:
    """ "北区车棚又有人飞线充电了", "还是没人管", "再次反映": the problem is back or still there, a
    hint that the message repeats an open item rather than raising a new one."""
    return bool(_AGAIN.search(text or ""))


#: Words of a message about its sender's matter before: it is still there ("还没修好", "楼上还在漏",
#: "仍然没人管") or back ("又漏了"). Not "还有…" (another matter) nor a polite "还请…".
_STILL = re.compile(r"还(?!有|请)|又|再次|仍|依然|依旧")


def follows_up(text: str) -> bool:
    """ "还没修好", "又漏了", "楼上还在漏": a message that points back to its sender's matter before,
    so it is at that matter's place when it names none."""
    return bool(_STILL.search(text or ""))


#: What makes a message 紧急 (24 hours) rather than 一般: the resident says it is urgent, dangerous
#: or asks for help; water pouring; gas, fire or sparks; someone trapped or fallen; something fallen
#: on a person or a car; an open manhole.
_URGENT = re.compile(
    r"急|危险|求助|救命"
    r"|砸到|砸伤|砸中"
    r"|井盖[^，。！？]{0,3}(?:丢|没了|不见|被偷|被盗)"
    r"|漏水严重|严重漏水|大量漏水|水漫|跑水|爆管|水管爆|水管裂|淹了"
    r"|(?:煤气|燃气|天然气)(?:味|[^，。！？]{0,4}(?:漏|泄))"
    r"|着火|起火|失火|火灾|冒烟|冒火花|漏电"
    r"|困在电梯|电梯[^，。！？]{0,3}困|被困(?!扰)"
    r"|摔倒|晕倒|昏倒"
)
#: "急" that is not: "不急", "别着急", a 紧急通道 or 应急灯 named as a place or a thing.
_NOT_URGENT = re.compile(
    r"(?:不|别|不用|不必|不太|并不)(?:着|紧|是很|是太|算|怎么)?急|没(?:那么|多|有那么|啥)急"
    r"|紧急(?:通道|出口|联系人|疏散|照明)|应急|急性"
    r"|(?:不|没|没有|并不|不太|不算|没什么|没啥|没那么|无)危险"
)
#: What makes a message 重点 (3-5 working days): a fire lane blocked. A hazard that stands until it
#: is cleared, not one happening now (that is 着火, 冒烟: 紧急); the property company is given days.
_KEY = re.compile(r"(?:消防|紧急)通道[^，。！？]{0,6}(?:堵|占|挡|堆)|(?:堵|占|挡)[^，。！？]{0,4}(?:消防|紧急)通道")
#: An old person living alone who has not been seen: the office knocks the same day.
_ALONE = re.compile(r"独居|孤寡|空巢|一个人住")
_UNSEEN = re.compile(r"没见|不见|没出门|没出来|没动静|联系不上|敲门没人|没人应|没人开门")


def says_urgent(text: str) -> bool:
    """ "3号楼2单元漏水了，急！", "闻到煤气味", "11号楼有老人独居，好几天没见出门了": the office
    would log it as 紧急 (due in 24 hours). The one place this is decided: the batch entry
    suggests it on the row, the secretary changes it if need be."""
    text = text or ""
    return bool(_URGENT.search(_NOT_URGENT.sub("", text)) or (_ALONE.search(text) and _UNSEEN.search(text)))


def says_key(text: str) -> bool:
    """ "3号楼楼道堆满了纸箱，消防通道堵了", "电动车把消防通道占了": the office would log it as 重点
    (3-5 working days) unless ``says_urgent`` makes it 紧急."""
    return bool(_KEY.search(text or ""))


def is_office_sender(sender: str, office_names: Iterable[str]) -> bool:
    """The sender is a staff member (by display name) or the office's own account ("社区小刘",
    "福海佳园居委会", "网格员老李")."""
    sender = (sender or "").strip()
    if not sender:
        return False
    if sender.startswith("社区") or any(mark in sender for mark in _OFFICE_MARKS):
        return True
    return any(name and (name == sender or (len(name) >= 2 and name in sender)) for name in office_names)


def is_office_reply(message: Message, office_names: Iterable[str]) -> bool:
    """ "收到，明天联系物业", "已转物业处理", "好的，我们马上安排" from a staff member or the office."""
    return is_office_sender(message.sender, office_names) and bool(_OFFICE_WORDING.search(_core(message.text)))


def split_problems(text: str, topic: Callable[[str], object] = lambda text: None) -> list[str]:
    """Cut a message holding several problems ("楼道灯坏了，还有门口垃圾没人清") into its problems.

    A piece starts after a sentence end, before "还有 / 另外 / 此外…" or before a numbered point.
    It may be a problem of its own only when it says it is another matter: it opens with such a
    word or number, it names another building than the one named before ("3号楼路灯不亮。7号楼
    楼道堆满了纸箱"), or it is a sentence after a sentence end that is not told about the spot or
    the handling of the matter before (``tells_on``: "5号楼电梯又坏了！北区车棚有人飞线充电。" is
    two matters). Otherwise it is the same matter told on: a resident's eight lines on one
    stairwell (楼道, 那儿, 物业…) gave eight drafts when each sentence with its own category was
    cut off. Even then
    it is kept apart only when ``topic`` gives it a category of its own, different from the part
    before. A numbered point is a matter of its own even without a category, and even with the
    category of the point before unless it is at that point's spot: "2. 10号楼门口路灯不亮" and
    "3. 中心广场健身器材螺丝松了" are two places to send someone, "2. 楼道扶手也松了" after "1. 5号楼楼道灯
    不亮" is the same stairwell (``points_back``, or the same building named again). The pieces put
    together are ``text`` exactly."""
    pieces = [p for p in _SPLIT_RE.split(text) if p]
    parts: list[tuple[str, object]] = []
    building = None  # the building last named, as its number
    for piece in pieces:
        kind = topic(piece) if piece.strip() else None
        named = _BUILDING_RE.search(piece)
        elsewhere = named is not None and building not in (None, named[1])
        # "5号楼电梯又坏了！北区车棚有人飞线充电。": after a sentence end, a sentence with a category
        # of its own that is not told about the spot or the handling of the one before.
        sentence = bool(parts) and bool(_SENTENCE_END_RE.search(parts[-1][0])) and not tells_on(piece)
        opens = bool(_OPENS_RE.match(piece)) or elsewhere or sentence
        after_a_matter = bool(parts) and (parts[-1][1] is not None or bool(_POINT_RE.match(parts[-1][0])))
        same_spot = points_back(piece) or (named is not None and not elsewhere)
        point = after_a_matter and bool(_POINT_RE.match(piece)) and (kind != parts[-1][1] or not same_spot)
        building = named[1] if named else building
        if point:
            parts.append((piece, kind))
        elif parts and (not opens or kind is None or kind == parts[-1][1] or not piece.strip()):
            parts[-1] = (parts[-1][0] + piece, parts[-1][1] or kind)
        elif not parts and kind is None:
            parts.append((piece, None))
        elif parts and parts[-1][1] is None:
            parts[-1] = (parts[-1][0] + piece, kind)
        else:
            parts.append((piece, kind))
    return [p for p, _ in parts] or [text]


@dataclass
class Reading:
    """One problem, continuation, agreement, thanks or office reply of the paste.

    ``message`` is the message (or one problem of it: same sender and time, ``text`` the part);
    ``to`` is the position of the reading it continues or agrees with."""

    message: Message
    kind: str = ITEM
    to: int | None = None
    part: int = 0

    @property
    def is_issue(self) -> bool:
        return self.kind == ITEM


def _minutes_apart(a: Message, b: Message) -> float | None:
    if a.sent_at is None or b.sent_at is None:
        return None
    return abs((b.sent_at - a.sent_at).total_seconds()) / 60


def read(
    messages: list[Message],
    *,
    topic: Callable[[str], object] = lambda text: None,
    office_names: Iterable[str] = (),
) -> list[Reading]:
    """What each message is, in paste order; a message with several problems gives several readings."""
    office_names = [n for n in office_names if n]
    readings: list[Reading] = []
    last_item_by_sender: dict[str, int] = {}
    last_item: int | None = None
    for message in messages:
        if is_office_reply(message, office_names):
            readings.append(Reading(message, OFFICE))
            continue
        if is_agreement(message.text):
            target = last_item
            if target is not None and readings[target].message.sender != message.sender:
                gap = _minutes_apart(readings[target].message, message)
                if gap is None or gap <= AGREEMENT_MINUTES:
                    readings.append(Reading(message, AGREES, target))
                    continue
            readings.append(Reading(message, THANKS))
            continue
        if is_thanks(message.text):
            readings.append(Reading(message, THANKS))
            continue
        head = last_item_by_sender.get(message.sender) if message.sender else None
        if head is not None:
            gap = _minutes_apart(readings[head].message, message)
            kind = topic(message.text)
            if gap is not None and gap <= CONTINUATION_MINUTES and kind in (None, topic(readings[head].message.text)):
                readings.append(Reading(message, CONTINUES, head))
                continue
        parts = split_problems(message.text, topic)
        for n, part in enumerate(parts):
            readings.append(Reading(replace(message, text=part.strip()) if len(parts) > 1 else message, ITEM, None, n))
            last_item = len(readings) - 1
            if n == 0 and message.sender:
                last_item_by_sender[message.sender] = last_item
    return readings


def dates_need_a_choice(messages: list[Message], today: date, days: int = STALE_DAYS) -> bool:
    """Whether a message is dated more than ``days`` before ``today`` or after it."""
    earliest = today - timedelta(days=days)
    return any(m.sent_at is not None and not earliest <= m.sent_at.date() <= today for m in messages)


def on_day(sent_at: datetime | None, day: date) -> datetime | None:
    """The same time of day on ``day`` (a paste read with today's date instead of the written one)."""
    return datetime.combine(day, sent_at.time()) if sent_at is not None else None
