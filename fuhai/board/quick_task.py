"""Reading the quick task line typed at the meeting: "@李晓红 … MQ20261201-003"."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from issues import selectors as issue_selectors
from residents import selectors as resident_selectors
from residents.models.community import Community
from residents.selectors import display_name

CODE_RE = re.compile(r"(?<![A-Za-z0-9])(MQ\d{8}-\d{1,5})(?![0-9])", re.IGNORECASE)


@dataclass
class QuickTask:
    title: str = ""
    assignee: object | None = None
    helpers: list = field(default_factory=list)
    issue: object | None = None
    errors: list[str] = field(default_factory=list)


def parse_quick_task(community: Community, text: str) -> QuickTask:
    """ "@李晓红 入户走访3号楼王奶奶 MQ20261129-003": the first @name is the assignee, further
    ones are helpers, an item number links the item; the rest is the title."""
    result = QuickTask()
    staff = resident_selectors.board_staff(community)
    names = sorted(
        ((name, user) for user in staff for name in {display_name(user), user.username} if name),
        key=lambda pair: -len(pair[0]),
    )
    rest, people = [], []
    pos = 0
    text = (text or "").strip()
    while pos < len(text):
        char = text[pos]
        if char in "@＠":
            after = text[pos + 1 :]
            match = next(((name, user) for name, user in names if after.startswith(name)), None)
            if match is None:
                word = re.split(r"\s", after, maxsplit=1)[0]
                result.errors.append(_("Nobody called “%(name)s” works here.") % {"name": word})
                pos += 1 + len(word)
                continue
            people.append(match[1])
            pos += 1 + len(match[0])
            continue
        rest.append(char)
        pos += 1
    title = "".join(rest)
    code = CODE_RE.search(title)
    if code:
        result.issue = issue_selectors.issue_by_code(community, code[1])
        if result.issue is None:
            result.errors.append(_("There is no item %(code)s in this community.") % {"code": code[1].upper()})
        title = (title[: code.start()] + title[code.end() :]).strip()
    result.title = re.sub(r"\s+", " ", title).strip()
    if not result.title:
        result.title = result.issue.text[:60] if result.issue else ""
    if not result.title:
        result.errors.append(_("Write what is to be done, e.g. “@李晓红 入户走访3号楼王奶奶”."))
    if len(result.title) > 200:
        result.errors.append(_("Keep the task under 200 characters."))
    unique = list(dict.fromkeys(people))
    result.assignee = unique[0] if unique else None
    result.helpers = unique[1:]
    return result
