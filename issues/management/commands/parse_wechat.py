"""Parse a WeChat paste from a file and print the messages with the office's suggestions."""

import json
from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from issues import services
from issues.models.category import IssueCategory
from issues.wechat import drafts as wechat_drafts
from issues.wechat import parser, reading
from residents.models.community import Community
from residents.places import written_place


class Command(BaseCommand):
    help = "Read a file of WeChat group messages and print each message with category, place and duplicates."

    def add_arguments(self, parser):
        parser.add_argument("file", help="A text file (UTF-8) as copied from WeChat; - reads standard input")
        parser.add_argument("--json", action="store_true", help="One JSON object per message, in a JSON array")
        parser.add_argument(
            "--today", help="Resolve 昨天, 星期三 and dates without a year against this day (YYYY-MM-DD)"
        )
        parser.add_argument("--community", help="Name of the community whose places, residents and items to use")

    def handle(self, *args, file: str, json: bool, today: str | None, community: str | None, **options):
        text = self._read(file)
        try:
            day = date.fromisoformat(today) if today else timezone.localdate()
        except ValueError:
            raise CommandError(f"--today {today!r} is not a date like 2026-11-30") from None
        # As the page: a bare time later than now was sent the night before (not with --today,
        # which names the day the paste is read against, not the moment it is read).
        now = None if today else timezone.localtime().replace(tzinfo=None)
        items = parser.parse(text, today=day, now=now)
        rows = self._rows(items, self._community(community))
        if json:
            self.stdout.write(_dumps(rows))
            return
        for row in rows:
            when = row["sent_at"][11:16] if row["sent_at"] else "--:--"
            marks = " ".join(
                m
                for m in (
                    "[system]" if row["system"] else "",
                    f"[no such date: {row['bad_date']}]" if row["bad_date"] else "",
                    f"[{row['category']}]" if row["category"] else "",
                    f"@{row['place']}" if row["place"] else "",
                    "[chit-chat]" if row["is_chitchat"] else "",
                    f"[{row['reading']} line {row['same_as_line']}]" if row["same_as_line"] else "",
                    f"[same as {row['duplicate_of']}]" if row["duplicate_of"] else "",
                )
                if m
            )
            self.stdout.write(f"{when} {row['sender'] or '-'}: {row['text']} {marks}".rstrip())

    def _read(self, file: str) -> str:
        try:
            raw = Path("/dev/stdin" if file == "-" else file).read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}") from None
        text = raw.decode("utf-8", errors="replace")
        if len(text) > parser.MAX_PASTE_CHARS * 50 or parser.looks_binary(text):
            raise CommandError(f"{file} does not look like text copied from a chat.")
        return text

    def _community(self, name: str | None) -> Community | None:
        if name:
            found = Community.objects.filter(name=name).first()
            if found is None:
                raise CommandError(f"No community is called {name!r}.")
            return found
        only = list(Community.objects.all()[:2])
        if len(only) == 1:
            return only[0]
        self.stderr.write(
            "No --community given: categories are the standard ones, and places, residents and items "
            "already logged are not looked up (already_logged is false for every message)."
        )
        return None

    def _rows(self, items: list[parser.Message], community: Community | None) -> list[dict]:
        """One row per system line and per problem (a message with two problems gives two rows)."""
        if community is not None:
            drafts = wechat_drafts.build_drafts(community, items, now=timezone.now())
        else:
            defaults = [IssueCategory(name=name, keywords=words) for name, words in services.DEFAULT_CATEGORIES]
            readings = reading.read(parser.messages_only(items), topic=lambda t: services.best_category(defaults, t))
            drafts = [
                wechat_drafts.Draft(
                    index=i,
                    message=r.message,
                    key="",
                    reading=r,
                    category=services.best_category(defaults, r.message.text),
                    place_label=written_place(r.message.text),
                )
                for i, r in enumerate(readings)
            ]
            for draft in drafts:
                draft.head = drafts[draft.reading.to] if draft.reading.to is not None else None
        by_line: dict[int, list] = {}
        for draft in drafts:
            by_line.setdefault(draft.message.line, []).append(draft)
        rows = []
        for item in items:
            if item.system:
                rows.append(_row(item, None, community))
            else:
                rows += [_row(item, draft, community) for draft in by_line.get(item.line, [])]
        return rows


def _row(item: parser.Message, draft, community) -> dict:
    message = draft.message if draft else item
    duplicate = None
    if draft is not None and community is not None:
        earlier = draft.logged or draft.reported_on or (draft.similar[0] if draft.similar else None)
        duplicate = earlier.code if earlier else None
    return {
        "line": item.line,
        "sender": item.sender,
        "sent_at": timezone.make_aware(item.sent_at).isoformat() if item.sent_at else None,
        "bad_date": item.bad_date or None,
        "text": message.text if not item.system else (item.text or item.header.strip()),
        "system": item.system,
        "reading": draft.kind if draft else None,
        "same_as_line": draft.head.message.line if draft and draft.head else None,
        "category": draft.category.name if draft and draft.category else None,
        "place": draft.place_label if draft else "",
        "is_chitchat": bool(draft) and draft.kind in {reading.THANKS, reading.OFFICE},
        "is_issue": bool(draft) and draft.is_issue,
        "duplicate_of": duplicate,
        "already_logged": bool(draft and community is not None and draft.done),
    }


def _dumps(rows: list[dict]) -> str:
    return json.dumps(rows, ensure_ascii=False, indent=2)
