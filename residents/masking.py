"""Masking of personal numbers and names: plain Python, no Django, so every writer can use it."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator


def mask_phone(phone: str) -> str:
    """138****8000: the default way a phone number is shown anywhere."""
    digits = phone or ""
    if len(digits) < 7:
        return "*" * len(digits)
    return f"{digits[:3]}{'*' * (len(digits) - 7)}{digits[-4:]}"


def mask_name(name: str) -> str:
    """王**: a resident named where the full name is not for the reader (the shared board, the
    街道 viewer), as people write it on a notice."""
    return f"{name[:1]}**" if name else ""


#: Where a giver or sender typed as a label lives, before the person: 7号楼, 3号楼2单元501, 3-2-501的.
_LABEL_PLACE_RE = re.compile(
    r"^\s*(?:(?:[0-9０-９一二三四五六七八九十]+\s*(?:号楼|栋|幢|[#＃]楼?)\s*)"
    r"(?:[0-9０-９一二三四五六七八九十]+\s*(?:单元|门)\s*)?(?:[0-9０-９]{3,4}\s*[室号]?\s*)?"
    r"|[0-9]+\s*[-－—]\s*[0-9]+(?:\s*[-－—]\s*[0-9]+)?\s*[室号]?\s*)(?:的\s*)?"
)
#: Who is with the person, after them: 王阿姨一家, 李先生全家, 张大爷及家人.
_LABEL_GROUP_RE = re.compile(r"\s*(?:[和及与]?家人|一家[三四五六]?口?人?|全家人?|家属|夫妇|夫妻|老两口|等\d*人)\s*$")
#: Between two people of one label (王阿姨和李先生, 王阿姨、李先生), and a number typed beside one.
_LABEL_AND_RE = re.compile(r"(\s*(?:[和与及、,，/&＆]|\s)\s*|[0-9０-９*＊+＋\-－—]+)")
#: The residents as a body (3号楼全体居民): no one person to mask.
_LABEL_BODY_RE = re.compile(r"(?:全体|全楼|全单元)?(?:居民|业主|住户|邻居|街坊)们?")


def _is_person(part: str) -> bool:
    # A number beside the person (its digits masked already) is no one's name.
    return (
        bool(part.strip())
        and not _LABEL_AND_RE.fullmatch(part)
        and not _LABEL_BODY_RE.fullmatch(part)
        and not any(char.isdigit() for char in part)
    )


def names_in_label(label: str) -> list[str]:
    """The people a label names, as typed (7号楼李先生 → 李先生; 3号楼王阿姨和李先生一家 → 王阿姨,
    李先生): a place before them, their family after them and the residents as a body are not
    anyone's name."""
    text = _LABEL_GROUP_RE.sub("", _LABEL_PLACE_RE.sub("", label or "", count=1), count=1)
    return [part for part in _LABEL_AND_RE.split(text) if _is_person(part)]


def mask_name_in_label(label: str) -> str:
    """A label naming people (a 锦旗's giver) with each person as 王** and the rest as typed, for a
    reader who sees names masked: 7号楼李先生 → 7号楼李**, 3号楼王阿姨一家 → 3号楼王**一家. Its
    numbers are masked as everywhere."""
    label = mask_numbers_in_text(label or "")
    place = _LABEL_PLACE_RE.match(label)
    start = place.end() if place else 0
    group = _LABEL_GROUP_RE.search(label, start)
    end = group.start() if group else len(label)
    people = "".join(mask_name(part) if _is_person(part) else part for part in _LABEL_AND_RE.split(label[start:end]))
    return f"{label[:start]}{people}{label[end:]}"


# Full-width digits, X and plus read as their ASCII twins, one character for one, so a match in
# the folded text has the same span in the text as typed.
_FOLD = str.maketrans({**{chr(0xFF10 + n): str(n) for n in range(10)}, "Ｘ": "X", "ｘ": "x", "＋": "+"})
_FULL_WIDTH_RE = re.compile(f"[{''.join(map(chr, _FOLD))}]")
# Between groups of digits people type a space, an ideographic space or a dash of some kind.
_SEP = r"(?:[ \u3000]?[-‐‑–—－][ \u3000]?|[ \u3000])?"

# A mainland mobile: 1[3-9] and nine more digits, grouped 3-4-4 if at all, perhaps after +86.
PHONE_IN_TEXT_RE = re.compile(
    rf"(?<![0-9])(?:(?:\+|00)?86{_SEP})?(?P<number>1[3-9][0-9]{_SEP}[0-9]{{4}}{_SEP}[0-9]{{4}})(?![0-9])"
)
_MONTH_DAY = r"(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])"
# A province's two digits (北京 11 … 新疆 65, 台湾 71, 香港 81, 澳门 82, 港澳台居民 83): with no
# 19/20 before its two-digit year, a fifteen-digit number needs them to tell it from a case or
# order number, a time stamp or a postcode followed by a date (202612010115001, 100071 260101 123).
_PROVINCE = r"(?:1[1-5]|2[1-3]|3[1-7]|4[1-6]|5[0-4]|6[1-5]|71|8[1-3])"
# An ID number: area (first digit 1-8), a birth date 19xx/20xx, sequence and check digit or X,
# grouped 6-8-4 if at all; or a first-generation one, still on old paper records: area (a
# province's first two digits), a birth date YYMMDD and a sequence, no check digit, grouped 6-6-3
# if at all. The birth date keeps case numbers and long amounts out. The eighteen-character form
# is tried first, so its first fifteen digits are never read as an older number.
ID_IN_TEXT_RE = re.compile(
    rf"(?<![0-9A-Za-z])(?P<number>"
    rf"[1-8][0-9]{{5}}{_SEP}(?:19|20)[0-9]{{2}}{_MONTH_DAY}{_SEP}[0-9]{{3}}[0-9Xx]"
    rf"|{_PROVINCE}[0-9]{{4}}{_SEP}[0-9]{{2}}{_MONTH_DAY}{_SEP}[0-9]{{3}})"
    rf"(?![0-9A-Za-z])"
)


def _masked(original: str, folded: str, match: re.Match) -> str:
    """The match with every digit but the first three and the last four starred; spacing kept."""
    start, end = match.span("number")
    if folded[start:end].isalnum():  # typed without spaces or dashes, as most are: no positions to find
        return f"{original[match.start() : start + 3]}{'*' * (end - start - 7)}{original[end - 4 : end]}"
    # Inside the match a character is a digit, an X or a separator, and only separators are not alphanumeric.
    positions = [i for i, char in enumerate(folded[start:end]) if char.isalnum()]
    number = list(original[start:end])
    for i in positions[3:-4]:
        number[i] = "*"
    return original[match.start() : start] + "".join(number)


def _mask(pattern: re.Pattern, text: str) -> str:
    # Folding looks every character up: only a text with a full-width digit, X or plus needs it.
    folded = text.translate(_FOLD) if _FULL_WIDTH_RE.search(text) else text
    parts, last = [], 0
    for match in pattern.finditer(folded):
        parts += [text[last : match.start()], _masked(text, folded, match)]
        last = match.end()
    return "".join([*parts, text[last:]])


# The digits the patterns read (full-width ones are folded to ASCII first), taken out to count them.
_DIGITS_OUT = str.maketrans("", "", "0123456789" + "".join(chr(0xFF10 + n) for n in range(10)))
#: The fewest digits either pattern matches: a mobile's eleven (an ID number has fifteen or more).
_FEWEST_DIGITS = 11
#: The fewest digits an ID number has: a first-generation one's fifteen (an eighteen-character one
#: has seventeen, its check digit may be an X).
_FEWEST_ID_DIGITS = 15


#: The shortest name masked inside text: one character (a surname, 钱女士's 钱) would star
#: every word that begins like it, and says no more than 王** does.
_SHORTEST_NAME = 2
#: A two-character name is often a word as well (高兴, 安全, 金花): it is masked wherever it is
#: typed, the safe side for a shared screen, but for right after 很, 非常 or 最, which a name never
#: follows (大家很高兴, 非常安全). Not after 得很, which may end a sentence typed without a comma (凶得很
#: 金花都不敢出门), nor after 太, 好, 不 or 更, which end other words (老太, 正好, 要不, 变更). A word
#: otherwise has no mark of its own: in 联系金花了解情况 金花 sits between two characters as a name does.
_NOT_AFTER_AN_ADVERB = "(?<!非常)(?<!最)(?:(?<!很)|(?<=得很))"


def mask_names_in_text(text: str, names: Iterable[str]) -> str:
    """Each of ``names`` typed in full into ``text`` as 王**, the longest first (王秀英 before 王秀);
    numbers stay as typed, for a text the Excel writer masks the numbers of (residents.spreadsheet)."""
    shown = sorted({name.strip() for name in names if len(name.strip()) >= _SHORTEST_NAME}, key=len, reverse=True)
    if not shown:
        return text
    longer = [re.escape(name) for name in shown if len(name) > _SHORTEST_NAME]
    two = [re.escape(name) for name in shown if len(name) == _SHORTEST_NAME]
    if two:
        longer.append(f"{_NOT_AFTER_AN_ADVERB}(?:{'|'.join(two)})")
    return re.compile("|".join(longer)).sub(lambda match: mask_name(match[0]), text)


def mask_numbers_in_text(text: str, names: Iterable[str] = ()) -> str:
    """Mask mobile and ID numbers that residents typed into free text, however they spelled
    them (138 0013 8000, 138-0013-8000, +86 138…, full-width digits, 110101 19900101 1234, and
    the fifteen-digit numbers from before 1999, 110105 710923 123).
    Dates, room labels (3-2-501), amounts and case numbers stay as they are.

    ``names`` are people the reader may see only as 王** (the 街道 viewer: an item's reporter,
    sender, 12345 caller and the residents of its room): each typed in full into the text is
    masked as well, 已联系丁怡凤 → 已联系丁**.

    A text with fewer digits than a mobile number has (most of them) is returned as it is, before
    the patterns run, and one with fewer than an ID number has skips that pattern: every list
    masks each row's text, and the reminder sweep each item's."""
    text = mask_names_in_text(text or "", names) if names else text or ""
    digits = len(text) - len(text.translate(_DIGITS_OUT))
    if digits < _FEWEST_DIGITS:
        return text
    if digits >= _FEWEST_ID_DIGITS:
        text = _mask(ID_IN_TEXT_RE, text)
    return _mask(PHONE_IN_TEXT_RE, text)


def phone_in_text(text: str) -> str:
    """The first mobile number typed into free text, as digits only ("" when there is none): the
    number a resident's message asks to be called back on, however it was spelled."""
    match = PHONE_IN_TEXT_RE.search((text or "").translate(_FOLD))
    return re.sub(r"[^0-9]", "", match["number"]) if match else ""


#: A number read out as it is written in the group: 一三九一二三四五六七八, 幺三九…, full-width digits;
#: one character for one, so a match in the folded text has the same span in the text as typed.
NUMERALS_AS_DIGITS = str.maketrans(
    {
        **{numeral: str(n) for n, numeral in enumerate("零一二三四五六七八九")},
        **{chr(0xFF10 + n): str(n) for n in range(10)},
        "〇": "0",
        "幺": "1",
    }
)

#: A flat as people write it — 3号楼2单元501, 7号楼1201室, 3-2-501, 3–2–501, 3号楼2-501, 3#2-501,
#: 3号楼5楼501, 3号楼的501, 2单元401 — and the flats listed after one (3号楼2单元501、502): it names a
#: household where a building or a unit alone (3号楼停水, 3号楼2单元楼道) does not. ``dashed`` or
#: ``building`` holds its building. ``short`` (3-501) and ``door`` (501室) are read on the shared
#: screen only: in a group notice 居委会201室 and 1-100号 are no one's home (and on the screen a
#: ``door`` right after a public place is not either: :func:`flats_on_screen`). What a number after
#: a building counts (1号楼2023年, 3号楼200元, 5号楼100多人, 3号楼120位老人) is not a flat.
_DASH = r"[-‐‑–—－]"
_UNIT = r"[\d一二三四五六七八九十]{1,2}\s*(?:单元|门)"
_FLOOR = r"(?:\d{1,2}\s*[层楼]\s*)?"
FLAT_IN_TEXT_RE = re.compile(
    r"(?<![0-9A-Za-z])(?:"
    rf"(?P<dashed>[1-9]\d{{0,2}})\s*{_DASH}\s*\d{{1,2}}\s*{_DASH}\s*\d{{3,4}}"
    rf"|(?P<short>[1-9]\d?)\s*{_DASH}\s*\d{{3,4}}"
    rf"|(?P<building>[1-9]\d{{0,2}})\s*(?:号楼|栋|幢|[#＃]楼?)\s*的?\s*(?:(?:{_UNIT}|\d{{1,2}}\s*{_DASH})\s*)?{_FLOOR}\d{{3,4}}"
    rf"|{_UNIT}\s*{_FLOOR}\d{{3,4}}"
    r"|(?P<door>\d{3,4}\s*室)"
    r")(?:\s*[室号])?(?:\s*[、和及,，/]\s*\d{3,4}(?:\s*[室号])?)*"
    r"(?!\d)(?!\s*[年月日元块米个人户平天次多余位名期届])"
)


def names_a_flat(text: str) -> bool:
    """A flat is written in ``text`` (digits or numerals) as a notice for the group must not."""
    folded = (text or "").translate(NUMERALS_AS_DIGITS)
    return any(not (match["short"] or match["door"]) for match in FLAT_IN_TEXT_RE.finditer(folded))


#: A public place a room number is typed after (居委会201室, 文明实践站二楼102室, 党群服务中心2楼203室,
#: 物业办公室101室): the room is the place's, not a resident's flat. Not 物业 or 社区 alone: in
#: 通知物业501室漏水 or 社区501室走访 the room is a household's.
_PUBLIC_PLACE_BEFORE_RE = re.compile(
    r"(?:居委会?|中心|服务站|实践站|卫生站|工作站|警务站|驿站|公司|派出所"
    r"|活动室|办公室|会议室|阅览室|图书室|警务室|值班室|调解室|接待室|医务室|卫生室)"
    rf"\s*的?\s*{_FLOOR}$"
)
#: How far before a room its public place is looked for: the longest name, 的, a floor, spaces.
_PLACE_REACH = 16


def flats_on_screen(folded: str) -> Iterator[re.Match]:
    """The flats the shared screen reduces in ``folded`` text (numerals as digits, one character
    for one): every match of FLAT_IN_TEXT_RE but a room right after a public place, 居委会201室.
    Rooms listed after one (居委会201室和501室) are still reduced with it: 501室 may be a home."""
    for match in FLAT_IN_TEXT_RE.finditer(folded):
        start, door = match.start(), match["door"] and match.end() == match.end("door")
        if not (door and _PUBLIC_PLACE_BEFORE_RE.search(folded, max(start - _PLACE_REACH, 0), start)):
            yield match
