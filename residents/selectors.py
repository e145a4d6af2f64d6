"""Reads of the residents app that other apps and the project pages use."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.contrib.postgres.aggregates import JSONBAgg
from django.db import connection
from django.db.models import (
    Aggregate,
    Case,
    Count,
    F,
    IntegerField,
    JSONField,
    Max,
    Min,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Collate

from residents.models.care import Distribution, SpecialStatus, Visit, VisitOutcome
from residents.models.community import Community, Membership, Role
from residents.models.place import Room
from residents.models.resident import Resident, ResidentStatus

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def community_count_columns(community: Community) -> dict[str, Coalesce]:
    """The home page's headline figures (residents living here, all residents, special-population
    residents living here) as columns of a one-row query on the community, which reads the
    other apps' figures with them."""
    residents = Resident.objects.in_community(community)
    special = SpecialStatus.objects.in_community(community).filter(resident__status=ResidentStatus.LIVING)
    return {
        "living": residents.filter(status=ResidentStatus.LIVING).count_column(),
        "total": residents.count_column(),
        "special": special.count_column("resident", distinct=True),
    }


def display_name(user) -> str:
    """How a person is named on every page: their full name, else their username."""
    return (user.get_full_name() or user.username) if user else ""


def by_pinyin(field: str) -> Collate | F:
    """Names in the order of their pinyin (陈, 李, 刘, 王, 张), as a Beijing office reads a list
    of people: PostgreSQL's ICU collation ``zh-x-icu``. The database's own (C.UTF-8) sorted them
    by code point (刘, 周, 孙, 张, 李, 王, 赵, 陈), and so does SQLite, for ``make run``'s demo."""
    return Collate(field, "zh-x-icu") if connection.vendor == "postgresql" else F(field)


def staff_memberships(community: Community | int) -> QuerySet[Membership]:
    """Memberships of the people who work for the community: active, with an active account,
    and allowed to edit (not 街道 viewers)."""
    return Membership.objects.filter(community=community, is_active=True, user__is_active=True).exclude(
        role=Role.VIEWER
    )


def staff_of(community: Community | int, *, role: Role | None = None) -> QuerySet[User]:
    """The people who work for the community (every owner, assignee and responsible picker),
    by name; only those of ``role`` when given. Each person once, and a role held in another
    community counts for nothing here."""
    memberships = staff_memberships(community)
    if role is not None:
        memberships = memberships.filter(role=role)
    return get_user_model().objects.filter(memberships__in=memberships).order_by(by_pinyin("first_name"), "username")


def board_staff(community: Community) -> list[User]:
    """The people who get tasks at the morning meeting, the secretary first, then by name. One query."""
    # The Case reuses the join of staff_of's filter, so it reads this community's role.
    order = Case(
        When(memberships__role=Role.SECRETARY, then=Value(0)),
        When(memberships__role=Role.STAFF, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    return list(staff_of(community).order_by(order, by_pinyin("first_name"), "username"))


# --- finding residents ----------------------------------------------------------------------

#: A room as staff type it in a search box: "501", "3-501", "3-2-501", "3号楼2单元501".
ROOM_SEARCH_RE = re.compile(
    r"^(?:(?P<building>[0-9A-Za-z]+)\s*(?:号楼|号|栋|幢|-|－|—)\s*)?"
    r"(?:(?P<unit>[0-9A-Za-z]+)\s*(?:单元|门|-|－|—)\s*)?(?P<room>[0-9]+)\s*室?$"
)
#: A building, or one of its units, as people write it: 5号楼, 5号楼2单元, 5栋.
BUILDING_SEARCH_RE = re.compile(
    r"^(?P<building>[0-9A-Za-z]+)\s*(?:号楼|栋|幢)(?:\s*(?P<unit>[0-9A-Za-z]+)\s*(?:单元|门))?$"
)


#: A run of Chinese characters, in which a resident's name may be written.
_HAN_RUN_RE = re.compile(r"[\u3400-\u9fff]{2,}")
#: Most names: two to four such characters.
_COMMON_NAME_RE = re.compile(r"[\u3400-\u9fff]{2,4}")


class JSONGroupArray(Aggregate):
    """SQLite's JSON array of rows (`make run`'s demo), where PostgreSQL has jsonb_agg."""

    function = "JSON_GROUP_ARRAY"
    output_field = JSONField()
    allow_distinct = True


def names_column(community: Community | int) -> Subquery:
    """The community's residents' names as one JSON array, a column of a one-row query (the
    board's row of figures), for :func:`names_in`: a few thousand names by the community's index."""
    names = (
        JSONBAgg("name", distinct=True) if connection.vendor == "postgresql" else JSONGroupArray("name", distinct=True)
    )
    rows = Resident.objects.filter(community=community).order_by().values("community").annotate(names=names)
    return Subquery(rows.values("names"), output_field=JSONField())


def _name_candidates(texts: Iterable[str]) -> set[str]:
    """Every two to four characters of the texts' Chinese runs: where a name may be written."""
    return {
        run[start : start + size]
        for text in texts
        for run in _HAN_RUN_RE.findall(text or "")
        for size in (2, 3, 4)
        for start in range(len(run) - size + 1)
    }


def names_in(names: Iterable[str], texts: Iterable[str]) -> list[str]:
    """Those of ``names`` written in one of ``texts`` (何奶奶说王秀英家漏水 → 王秀英), for a page
    that shows text to people who may not see names (the screen link). A name of two to four
    Chinese characters is looked up among the texts' runs; any other (阿依古丽·买买提, 爱新觉罗启星,
    a nickname) is searched for in them."""
    texts = [text for text in texts if text]
    names = {name.strip() for name in names if name and len(name.strip()) >= 2}
    common = {name for name in names if _COMMON_NAME_RE.fullmatch(name)}
    joined = "\n".join(texts)
    found = _name_candidates(texts) & common
    found.update(name for name in names - common if name in joined)
    return sorted(found)


def names_typed_in(community: Community, text: str) -> list[str]:
    """The community's residents named in one short text (a task's title said back after it is
    given), its few candidates looked up by name."""
    candidates = _name_candidates([text])
    if not candidates:
        return []
    found = Resident.objects.in_community(community).filter(name__in=candidates)
    return sorted(set(found.values_list("name", flat=True)))


def search_residents(residents: QuerySet[Resident], query: str) -> QuerySet[Resident]:
    """The residents among ``residents`` that every search box finds: by part of the name, pinyin
    initials ("wxy"), room ("501", "3-2-501", "3号楼2单元501"), building or unit ("3号楼",
    "3号楼2单元") or the last four digits of the phone. A blank query filters nothing."""
    # 全角 digits and letters read as plain ones, as every phone and ID number is stored.
    query = " ".join(unicodedata.normalize("NFKC", query or "").split())
    if not query:
        return residents
    condition = Q(name__icontains=query)
    if query.isascii() and query.isalpha():
        condition |= Q(name_initials__startswith=query.lower())
    if len(query) == 4 and query.isdigit():
        condition |= Q(phone__endswith=query)
    if room := ROOM_SEARCH_RE.match(query):
        in_room = Q(room__room_no=room["room"])
        if room["unit"]:
            in_room &= Q(room__unit__number=room["unit"])
        if room["building"]:
            in_room &= Q(room__unit__building__number=room["building"])
        condition |= in_room
    if building := BUILDING_SEARCH_RE.match(query):
        in_building = Q(room__unit__building__number=building["building"])
        if building["unit"]:
            in_building &= Q(room__unit__number=building["unit"])
        condition |= in_building
    return residents.filter(condition)


def find_residents(community: Community, query: str, *, limit: int) -> list[Resident]:
    """The top bar's search: ``search_residents`` within the community, with their rooms."""
    residents = Resident.objects.filter(community=community).select_related("room__unit__building")
    return list(search_residents(residents, query).order_by("name", "pk")[:limit])


# --- special populations and visits ------------------------------------------------


def roster(community: Community, *, today: date, membership=None) -> QuerySet[Resident]:
    """Living residents with a current special status, overdue first.

    Each row carries ``next_due`` (the earliest due date of the statuses this membership may
    see), ``last_visit`` and ``visible_statuses`` (prefetched: sensitive categories only for
    roles that need them and the person responsible). Two queries whatever the number of rows."""
    statuses = roster_statuses(community, today=today, membership=membership)
    return (
        Resident.objects.in_community(community)
        .active()
        # The annotations reuse the filter's join, so they see only the statuses in ``statuses``.
        .filter(special_statuses__in=statuses)
        .annotate(next_due=Min("special_statuses__next_due_on"), last_visit=Max("special_statuses__last_visited_on"))
        .select_related("room__unit__building")
        .prefetch_related(
            Prefetch(
                "special_statuses",
                queryset=statuses.select_related("responsible").order_by("category"),
                to_attr="visible_statuses",
            )
        )
        .order_by(F("next_due").asc(nulls_first=True), "room__unit__building__number", "name")
    )


def roster_statuses(community: Community, *, today: date, membership=None) -> QuerySet[SpecialStatus]:
    """The statuses the roster shows: current, and sensitive categories only for roles that need
    them, or to the person responsible for the visit (who sees it as 特殊关爱)."""
    return SpecialStatus.objects.in_community(community).current(today).to_visit_for(membership)


def due_statuses(community: Community, *, day: date) -> QuerySet[SpecialStatus]:
    """Statuses due on or before ``day`` (the reminder sweep and the day plan read this)."""
    return SpecialStatus.objects.in_community(community).current(day).due_by(day)


def first_due_per_resident(statuses: QuerySet[SpecialStatus], *, rows: int) -> tuple[list[SpecialStatus], int]:
    """Of ``statuses`` (those due), the most overdue first and one per resident, from the first
    ``rows`` of them, and how many residents they are due for: one query, whatever their number
    (the count comes with the rows, an InitPlan). A resident in two categories has two statuses
    due together: ask for a few rows more than the residents you will show."""
    first = list(
        statuses.select_related("resident__room__unit__building", "responsible")
        .annotate(residents_due=statuses.count_column("resident", distinct=True))
        .order_by("next_due_on", "id")[:rows]
    )
    seen: set[int] = set()
    per_resident = []
    for status in first:
        if status.resident_id not in seen:
            seen.add(status.resident_id)
            per_resident.append(status)
    return per_resident, first[0].residents_due if first else 0


def due_visits_by_ids(community: Community, ids: list[str], *, day: date) -> list[SpecialStatus] | None:
    """The community's current statuses with these ids (the board's menu of visits), or None
    if any id is junk or not this community's."""
    if not all(i.isascii() and i.isdigit() and len(i) < 19 for i in ids):
        return None
    wanted = {int(i) for i in ids}
    rows = list(
        SpecialStatus.objects.in_community(community)
        .current(day)
        .filter(pk__in=wanted)
        .select_related("resident__room__unit__building")
    )
    return rows if len(rows) == len(wanted) else None


def special_households_without(community: Community, *, item: str, today: date, membership) -> QuerySet[Room]:
    """Rooms where a special resident lives and no ``item`` was ever handed out (e.g. 灭火毯).
    Only the statuses ``membership`` may see count: a household there only for 低保 or a
    disability, listed to a role the roster hides it from, would say why it is special."""
    statuses = SpecialStatus.objects.in_community(community).current(today).visible_to(membership)
    return (
        _rooms_without(community, item=item)
        .filter(pk__in=statuses.values("resident__room"))
        .with_place()
        .order_by("unit__building__number", "unit__number", "room_no")
    )


def hidden_households_without(community: Community, *, item: str, today: date, membership) -> int:
    """How many households special_households_without leaves out for ``membership``: special
    only through categories it may not see. The report's coverage counts them (灭火毯覆盖率
    0/39 beside 28 listed to a 街道 viewer), so the list says how many are not shown."""
    current = SpecialStatus.objects.in_community(community).current(today)
    visible = current.visible_to(membership)
    if visible is current:  # a role that sees every category: nothing hidden, no query
        return 0
    return (
        _rooms_without(community, item=item)
        .filter(pk__in=current.values("resident__room"))
        # Not NOT IN over a NULL (a special resident with no room), which no room would pass.
        .exclude(pk__in=visible.filter(resident__room__isnull=False).values("resident__room"))
        .count()
    )


def _rooms_without(community: Community, *, item: str) -> QuerySet[Room]:
    covered = Distribution.objects.in_community(community).filter(item=item, room__isnull=False).values("room")
    return Room.objects.in_community(community).exclude(pk__in=covered)


def todays_visits(community: Community, *, today: date) -> QuerySet[Visit]:
    """Visits recorded for ``today``, 未遇 included (``found_nobody``), for the day plan (no
    notes, no health data)."""
    return (
        Visit.objects.in_community(community)
        .on_day(today)
        .select_related("room__unit__building")
        .prefetch_related("staff", "residents")
    )


def visit_report_figures(community: Community, *, first: date, last: date, today: date) -> dict:
    """The visits section of a report for the days ``first``..``last``, as of ``last`` (or
    ``today`` for a period not yet over).

    - ``by_category``: per special category, ``due`` (residents in it at that day), ``done``
      (of those, visited within their visit interval before that day) and ``rate`` (月探访率 =
      done ÷ due); a resident in two categories counts in both;
    - ``due``, ``done``, ``rate``: the same over all special residents, each counted once;
    - ``overdue``: due and not done at that day;
    - ``visits``: visits recorded in the period.
    Three queries, whatever the years of visits kept."""
    as_of = min(last, today)
    statuses = list(
        SpecialStatus.objects.in_community(community)
        .current(as_of)
        .values_list("resident_id", "category", "visit_interval_days")
    )
    interval: dict[int, int] = {}
    categories: dict[str, set[int]] = {}
    for resident_id, category, days in statuses:
        interval[resident_id] = min(days, interval.get(resident_id, days))
        categories.setdefault(category, set()).add(resident_id)
    longest = max(interval.values(), default=0)
    visited = (
        Visit.residents.through.objects.filter(
            visit__community=community,
            visit__outcome=VisitOutcome.MET,
            visit__visited_on__lte=as_of,
            visit__visited_on__gt=as_of - timedelta(days=longest),
            resident_id__in=list(interval),
        )
        .values_list("resident_id")
        .annotate(last=Max("visit__visited_on"))
        .order_by()
    )
    last_visit = dict(visited)
    done = {rid for rid, days in interval.items() if last_visit.get(rid, date.min) > as_of - timedelta(days=days)}

    def rate(n: int, of: int) -> float | None:
        return round(n / of, 4) if of else None

    by_category = [
        {"category": category, "due": len(ids), "done": len(ids & done), "rate": rate(len(ids & done), len(ids))}
        for category, ids in sorted(categories.items(), key=lambda pair: -len(pair[1]))
    ]
    return {
        "as_of": as_of,
        "by_category": by_category,
        "due": len(interval),
        "done": len(done),
        "rate": rate(len(done), len(interval)),
        "overdue": len(interval) - len(done),
        "visits": Visit.objects.in_community(community).made().filter(visited_on__range=(first, as_of)).count(),
    }


def _special_at(statuses: list[tuple], day: date) -> tuple[dict[int, int], dict[str, set[int]], set[int]]:
    """Of visit_report's status rows, those valid on ``day``: each resident's shortest visit
    interval, the residents of each category, and their rooms."""
    interval: dict[int, int] = {}
    categories: dict[str, set[int]] = {}
    rooms: set[int] = set()
    for resident_id, category, valid_from, valid_to, days, room_id in statuses:
        if valid_from <= day and (valid_to is None or valid_to >= day):
            interval[resident_id] = min(days, interval.get(resident_id, days))
            categories.setdefault(category, set()).add(resident_id)
            if room_id is not None:
                rooms.add(room_id)
    return interval, categories, rooms


def _visited_in_time(interval: dict[int, int], seen: dict[int, list[date]], day: date) -> set[int]:
    """The residents visited within their interval before ``day`` (on it included)."""
    return {
        rid for rid, days in interval.items() if any(day - timedelta(days=days) < on <= day for on in seen.get(rid, ()))
    }


def visit_report(
    community: Community, *, first: date, last: date, today: date, month_ends: list[date], item: str
) -> dict:
    """The visits section of a report for ``first``..``last``, in three queries whatever the
    years of visits kept: what visit_report_figures gives (as of ``last``, or ``today`` for a
    period not yet over), ``trend``: the 月探访率 at each of ``month_ends`` (special residents
    then, visited within their interval before that day), and ``supplies``: hand-outs per
    item in the period and the coverage of ``item`` (e.g. 灭火毯) — special households at the
    period's end that had received one by then, of all special households. The three reads:
    the special statuses valid over those days, the visits of those days (back to the longest
    interval), and the supplies of the period (with every hand-out of ``item`` until its end)."""
    as_of = min(last, today)
    low, high = min([*month_ends, as_of]), max([*month_ends, as_of])
    statuses = list(
        SpecialStatus.objects.in_community(community)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=low), valid_from__lte=high)
        .filter(resident__status=ResidentStatus.LIVING)
        .values_list("resident_id", "category", "valid_from", "valid_to", "visit_interval_days", "resident__room_id")
    )
    longest = max((row[4] for row in statuses), default=0)
    seen: dict[int, list[date]] = {}
    in_period: set[int] = set()
    for visit_id, visited_on, resident_id in (
        Visit.objects.in_community(community)
        .made()
        .filter(visited_on__gte=min(first, low - timedelta(days=longest)), visited_on__lte=high)
        .values_list("id", "visited_on", "residents")
        .order_by()
    ):
        if first <= visited_on <= as_of:
            in_period.add(visit_id)
        if resident_id is not None:
            seen.setdefault(resident_id, []).append(visited_on)

    def rate(n: int, of: int) -> float | None:
        return round(n / of, 4) if of else None

    interval, categories, households = _special_at(statuses, as_of)
    done = _visited_in_time(interval, seen, as_of)
    trend = []
    for day in month_ends:
        then = _special_at(statuses, day)[0]
        trend.append(rate(len(_visited_in_time(then, seen, day)), len(then)))

    period = Q(handed_on__gte=first, handed_on__lte=as_of)
    supplies = (
        Distribution.objects.in_community(community)
        .filter(period | Q(item=item, room__isnull=False, handed_on__lte=as_of))
        .values("item", "room_id")
        .annotate(times=Count("id", filter=period), pieces=Sum("quantity", filter=period))
        .order_by()
    )
    handed: dict[str, dict] = {}
    covered_rooms: set[int] = set()
    for row in supplies:
        if row["times"]:
            total = handed.setdefault(row["item"], {"item": row["item"], "times": 0, "pieces": 0})
            total["times"] += row["times"]
            total["pieces"] += row["pieces"] or 0
        if row["item"] == item and row["room_id"] is not None:
            covered_rooms.add(row["room_id"])
    covered = len(households & covered_rooms)
    return {
        "as_of": as_of,
        "by_category": [
            {"category": category, "due": len(ids), "done": len(ids & done), "rate": rate(len(ids & done), len(ids))}
            for category, ids in sorted(categories.items(), key=lambda pair: -len(pair[1]))
        ],
        "due": len(interval),
        "done": len(done),
        "rate": rate(len(done), len(interval)),
        "overdue": len(interval) - len(done),
        "visits": len(in_period),
        "trend": trend,
        "supplies": {
            "handed": [handed[key] for key in sorted(handed)],
            "households": len(households),
            "covered": covered,
            "coverage": rate(covered, len(households)),
        },
    }


def visits_between(community: Community, *, first: date, last: date) -> QuerySet[Visit]:
    """Visits made on ``first``..``last`` with their room, residents and staff (no 未遇: the week's
    count and the month's records are of visits made). Three queries."""
    return (
        Visit.objects.in_community(community)
        .made()
        .filter(visited_on__range=(first, last))
        .select_related("room__unit__building")
        .prefetch_related("residents", "staff")
        .order_by("visited_on", "id")
    )


def distributions_between(community: Community, *, first: date, last: date) -> QuerySet[Distribution]:
    """Supplies handed out on ``first``..``last`` with their recipient. One query."""
    return (
        Distribution.objects.in_community(community)
        .filter(handed_on__range=(first, last))
        .select_related("resident", "room__unit__building", "recorded_by")
        .order_by("handed_on", "id")
    )
