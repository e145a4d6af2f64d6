"""Places and people in what staff and residents type: "3-2-501", "3号楼门口", "北区车棚", "5-2-301 陈姐".

Every function takes many texts at once and reads rooms, buildings and residents in one query
each, whatever the count: a WeChat paste of two hundred messages and the quick-entry form (one
text) use the same rules."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db.models import Q

from residents.models.community import Community
from residents.models.place import ROOM_LABEL_RE, Building, Room
from residents.models.resident import Resident

BUILDING_RE = re.compile(r"([0-9]+)\s*(?:号楼|栋|幢|号)")
_ROOM_TOKEN_RE = re.compile(r"[0-9]+\s*(?:-|－|号楼|栋)\s*[0-9]+\s*(?:-|－|单元)\s*[0-9]+")
#: What follows a building's number and belongs to the place: a unit ("2单元", which an item keeps as
#: text beside its building: items have no unit of their own) and a spot ("门口", "单元门", "电梯").
_BUILDING_NOUN_RE = re.compile(
    r"\s*((?:[0-9]+\s*单元)?(?:门口|楼道|楼下|楼前|楼后|单元门|电梯|地下室|楼顶|东侧|西侧|南侧|北侧)?)"
)
_FREE_PLACE_RE = re.compile(
    r"[东南西北中][区门侧](?:[\u4e00-\u9fff]{0,4}?(?:车棚|停车场|花园|广场|垃圾站|门口|地库|健身区|岗亭))?"
    r"|车棚|地库|地下车库|垃圾站|小广场|健身区|停车场"
)
_SENDER_PLACE_RE = re.compile(r"^[0-9０-９]+(?:[-－号楼栋单元室][0-9０-９]*)*\s*")

#: Residents type "３号楼" on phones: places are looked for in ASCII digits (the text stays as written).
_HALF_WIDTH = str.maketrans("０１２３４５６７８９－", "0123456789-")


@dataclass
class Place:
    """Where a problem is: a room of the community, a building (with the rest as text), or text."""

    room: Room | None = None
    building: Building | None = None
    text: str = ""


def written_place(text: str) -> str:
    """The place a message names, as written, without the database: "3-2-501", "3号楼门口", "北区车棚"."""
    text = text.translate(_HALF_WIDTH)
    if room := _ROOM_TOKEN_RE.search(text):
        return room[0]
    if match := BUILDING_RE.search(text):
        noun = _BUILDING_NOUN_RE.match(text, match.end())
        return match[0] + (noun[1] if noun else "")
    free = _FREE_PLACE_RE.search(text)
    return free[0] if free else ""


def resolve_places(community: Community, texts: list[str]) -> list[Place]:
    """Typed places to places: "3-2-501" or "3号楼2单元501" is a room; "3号楼门口" a building and
    "门口"; anything else stays text. Two queries, whatever the count."""
    # 全角 digits typed into the place field (３-２-５０１, １２号楼) read as plain ones, as in messages.
    texts = [(text or "").strip().translate(_HALF_WIDTH) for text in texts]
    rooms = _rooms_by_label(community, texts)
    buildings = _buildings_by_number(community, texts)
    return [_resolve(text, rooms, buildings) for text in texts]


def resolve_place(community: Community, text: str) -> Place:
    """resolve_places for one typed place (the quick-entry, 12345 and patrol forms)."""
    return resolve_places(community, [text])[0]


def find_places_in_texts(community: Community, texts: list[str]) -> list[tuple[str, Place]]:
    """The place each message names, as the secretary would type it ("3号楼2单元501",
    "3号楼门口", "北区车棚", or the room as written when the community has no such room), with
    that label resolved. Two queries, whatever the count."""
    texts = [(text or "").translate(_HALF_WIDTH) for text in texts]
    tokens = [_ROOM_TOKEN_RE.findall(text) for text in texts]
    rooms = _rooms_by_label(community, [token for found in tokens for token in found])
    buildings = _buildings_by_number(community, texts)
    found_places = []
    for text, found in zip(texts, tokens, strict=True):
        room = next((rooms[key] for key in map(_room_key, found) if key in rooms), None)
        match = BUILDING_RE.search(text)
        free = _FREE_PLACE_RE.search(text)
        if room:
            label = room.label
        elif match and match[1] in buildings:
            noun = _BUILDING_NOUN_RE.match(text, match.end())
            label = f"{buildings[match[1]]}{noun[1] if noun else ''}"
        elif free:
            label = free[0]
        else:
            label = found[0] if found else ""
        found_places.append((label, _resolve(label, rooms, buildings)))
    return found_places


def find_place_in_text(community: Community, text: str) -> Place:
    """The place one message names (quick entry guesses it while the place field is empty)."""
    return find_places_in_texts(community, [text])[0][1]


def match_residents(community: Community, names: set[str]) -> dict[str, Resident]:
    """For each name typed or each WeChat sender, the one living resident of that name, else the
    one of that group nickname; "5-2-301 陈姐" is also tried as "陈姐". A name two residents share
    matches nobody. One query, whatever the count."""
    names = {name for name in names if name}
    candidates = names | {_SENDER_PLACE_RE.sub("", name) for name in names}
    candidates.discard("")
    if not candidates:
        return {}
    found = list(
        Resident.objects.in_community(community)
        .active()
        .filter(Q(name__in=candidates) | Q(wechat_nickname__in=candidates))
        .select_related("room__unit__building")
    )
    matched = {}
    for name in names:
        for candidate in dict.fromkeys([name, _SENDER_PLACE_RE.sub("", name)]):
            by_name = [r for r in found if r.name == candidate]
            by_nickname = [r for r in found if r.wechat_nickname == candidate]
            pick = by_name or by_nickname
            if len(pick) == 1:
                matched[name] = pick[0]
                break
    return matched


def match_reporter(community: Community, name: str) -> Resident | None:
    """match_residents for the one reporter name typed in a form."""
    name = (name or "").strip()
    return match_residents(community, {name}).get(name)


def _resolve(text: str, rooms: dict, buildings: dict) -> Place:
    room = rooms.get(_room_key(text)) if text else None
    if room:
        return Place(room=room, building=room.unit.building)
    match = BUILDING_RE.search(text)
    if match and match[1] in buildings:
        return Place(building=buildings[match[1]], text=(text[: match.start()] + text[match.end() :]).strip())
    return Place(text=text)


def _rooms_by_label(community: Community, labels: list[str]) -> dict[tuple[str, str, str], Room]:
    parts = {(m["building"], m["unit"], m["room"]) for m in map(ROOM_LABEL_RE.match, labels) if m}
    if not parts:
        return {}
    query = Q()
    for building, unit, room in parts:
        query |= Q(unit__building__number=building, unit__number=unit, room_no=room)
    rooms = Room.objects.in_community(community).with_place().filter(query)
    return {(r.unit.building.number, r.unit.number, r.room_no): r for r in rooms}


def _buildings_by_number(community: Community, texts: list[str]) -> dict[str, Building]:
    numbers = {m[1] for text in texts for m in BUILDING_RE.finditer(text)}
    if not numbers:
        return {}
    return {b.number: b for b in Building.objects.in_community(community).filter(number__in=numbers)}


def _room_key(label: str) -> tuple[str, str, str] | None:
    m = ROOM_LABEL_RE.match(label)
    return (m["building"], m["unit"], m["room"]) if m else None
