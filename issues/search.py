"""How the 民情日记 search reads what is typed: words, and rooms among them. No Django, so the rules
can be tested alone; issues_search_words() in migration 0022 applies the same rules in SQL, for
the search served by issues_search_page."""

from __future__ import annotations

import re

#: Words are separated by ASCII white space or the ideographic space (U+3000) a Chinese input
#: method types; every word must be found (AND).
WORD_SEPARATOR_RE = re.compile("[ \t\n\r\f\v\u3000]+")

#: A room as staff type it: 3-2-501, 3号楼2单元501, 3-2-501室 (the forms of residents' room labels).
ROOM_WORD_RE = re.compile(r"^([0-9A-Z]+)(?:号楼|号|栋|幢|-|－|—)([0-9A-Z]+)(?:单元|门|-|－|—)([0-9A-Z]+)(?:室|号)?$")


#: Full-width digits, Latin letters and the full-width hyphen (an input method left in 全角 mode:
#: ３号楼, ＡＢ座, ３－２－５０１) as their ASCII twins, one character for one: applied to what is
#: searched (Issue.search_text) and to what is typed to search it, so either finds the other.
_PLAIN_WIDTH = str.maketrans(
    {
        **{chr(0xFF10 + n): chr(0x30 + n) for n in range(10)},
        **{chr(0xFF21 + n): chr(0x41 + n) for n in range(26)},
        **{chr(0xFF41 + n): chr(0x61 + n) for n in range(26)},
        "－": "-",
    }
)


def plain_width(text: str) -> str:
    """``text`` with full-width digits, letters and hyphens read as plain ones."""
    return (text or "").translate(_PLAIN_WIDTH)


def search_words(query: str) -> list[str]:
    """The words of a search, each once, in the order typed, full-width digits and letters read
    as plain ones."""
    return list(dict.fromkeys(word for word in WORD_SEPARATOR_RE.split(plain_width(query)) if word))


def room_pattern(word: str) -> str | None:
    """For a word that is a room, the regular expression (on the upper-cased search text) of that
    room written as its label (3号楼2单元501, as items store it) or as 3-2-501, not inside a longer
    number (13号楼…, …5012); None for any other word."""
    room = ROOM_WORD_RE.match(word.upper())
    if not room:
        return None
    building, unit, number = room.groups()
    return f"(^|[^0-9A-Z])({building}号楼{unit}单元{number}|{building}-{unit}-{number})($|[^0-9A-Z])"


def served_by_index(words: list[str]) -> bool:
    """Whether a search index can serve the words: one of them has two characters or more."""
    return any(len(word) >= 2 for word in words)
