"""Reads of the issues app that other apps and the project pages use."""

from __future__ import annotations

from copy import copy
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.contrib.postgres.aggregates import JSONBAgg
from django.db import connection
from django.db.models import (
    Case,
    CharField,
    Count,
    F,
    IntegerField,
    JSONField,
    Model,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
    Window,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce, JSONObject, Left
from django.utils import timezone

from issues.filters import search_issues, search_page_serves
from issues.hotline.models import HotlineCase, HotlineSettings
from issues.models.choices import CLOCK_RUNNING_STATES, OPEN_STATES, IssueStatus
from issues.models.issue import Issue
from issues.models.partner import Partner
from issues.models.task import Task
from issues.patrol.models import Patrol
from issues.search import plain_width
from residents.models.care import SpecialStatus
from residents.models.community import Community
from residents.models.place import Building, Room, Unit
from residents.models.resident import Resident
from residents.pagination import COUNT_CAP
from residents.selectors import JSONGroupArray, display_name


def partner_count_column(community: Community) -> Coalesce:
    """The active partners, counted as a column of a one-row query on the community (home page)."""
    return Partner.objects.in_community(community).filter(is_active=True).count_column()


def _open_counts(community: Community, now: datetime) -> dict[str, int]:
    """Counts over the community's open items only, read from the partial index
    ``issue_comm_open_due`` (its columns answer every filter here), so they cost the same with
    one year of closed history or ten."""
    filters = {
        "open": Q(),
        "pending": Q(status=IssueStatus.PENDING),
        "overdue": Q(status__in=CLOCK_RUNNING_STATES, due_at__lt=now),
        "escalated": Q(escalated=True),
    }
    # Aliased apart from the field names (a later filter on `escalated` must see the field);
    # counting a column of the index (not the id) lets PostgreSQL answer from the index alone.
    row = (
        Issue.objects.in_community(community)
        .open()
        .aggregate(**{f"n_{name}": Count("community", filter=f) for name, f in filters.items()})
    )
    return {name: row[f"n_{name}"] for name in filters}


def home_summary(community: Community, user, now) -> dict:
    """What the home page shows one person: their open items by urgency, and the office's.
    Five queries, none of which reads closed history."""

    issues = Issue.objects.in_community(community)
    counts = _open_counts(community, now)
    counts["callbacks"] = issues.filter(status=IssueStatus.RESOLVED).count()
    mine = (
        issues.filter(owner=user, status__in=OPEN_STATES | {IssueStatus.RESOLVED})
        .select_related("category", "room__unit__building", "building")
        .order_by("due_at", "id")[:8]
    )
    # The five ids first, on the cases alone; only they are joined to their items (a busy
    # community has a thousand cases open).
    first = HotlineCase.objects.open_in(community).order_by("resolution_deadline", "id").values("pk")[:5]
    # How many open cases are past a deadline now, carried by the five (a scalar subquery, no
    # query of its own): 已超期 counts items past their own due date, and a case late only on
    # its first contact is not, so the 12345 box says so itself (a tester read 已超期 0 beside
    # 响应 已超时21小时 as nothing late).
    late = HotlineCase.objects.open_in(community).filter(
        Q(first_contact_at__isnull=True, response_deadline__lt=now)
        | Q(replied_at__isnull=True, resolution_deadline__lt=now)
    )
    hotline_open = list(
        HotlineCase.objects.in_community(community)
        .filter(pk__in=first)
        .select_related("issue")
        .annotate(late_total=_count_of(late))
        .order_by("resolution_deadline", "id")
    )
    return {
        "counts": counts,
        "mine": list(mine),
        "hotline": hotline_open,
        "hotline_late": (hotline_open[0].late_total or 0) if hotline_open else 0,
        # The first-run help is for someone who has not logged anything here yet.
        "logged_any": issues.filter(created_by=user).exists(),
    }


# --- morning meeting board ---------------------------------------------------------------

#: The morning meeting starts at 9:00: "new" on the board means received since the last one.
MEETING_TIME = time(9, 0)
#: Items shown per lane; the rest is a count, so a typical day fits the screen without scrolling.
LANE_LIMIT = 6


@dataclass
class Lane:
    items: list[Issue]
    total: int

    @property
    def more(self) -> int:
        return max(self.total - len(self.items), 0)


def previous_meeting(now: datetime) -> datetime:
    """The start of the last working day's meeting before ``now``'s day (Monday → Friday)."""
    day = timezone.localdate(now) - timedelta(days=1)
    while day.weekday() >= 5:
        day -= timedelta(days=1)
    return timezone.make_aware(datetime.combine(day, MEETING_TIME))


def _needs_meeting(now: datetime) -> Q:
    """Of the open items: overdue, escalated or put on the meeting by hand."""
    overdue = Q(status__in=CLOCK_RUNNING_STATES, due_at__lt=now)
    return overdue | Q(escalated=True) | Q(on_meeting_since__isnull=False)


#: Each lane's order (the Python sort below repeats it: the lanes come back in one query).
#: "flagged" is the head of the "hot" lane: the escalated items and those put on the meeting by
#: hand come first, then the rest by due date, so that a busy community's hundreds of overdue
#: items do not push what was escalated off the six shown.
LANE_ORDER = {
    "new": ["-received_at", "id"],
    "pending": ["received_at", "id"],
    "callback": ["resolved_at", "id"],
    "hot": ["due_at", "received_at", "id"],
    "flagged": ["due_at", "received_at", "id"],
}


def _lane_key(name: str, item: Issue) -> tuple:
    if name == "new":
        return (-item.received_at.timestamp(), item.pk)
    if name == "pending":
        return (item.received_at, item.pk)
    if name == "callback":  # settled first, called back first
        return (item.resolved_at is None, item.resolved_at or item.received_at, item.pk)
    # due_at ascending with the items without a due date last, as PostgreSQL sorts NULLs; in the
    # hot lane the escalated items and those put on the meeting first
    flagged = name == "hot" and (item.escalated or item.on_meeting_since is not None)
    return (not flagged, item.due_at is None, item.due_at or item.received_at, item.received_at, item.pk)


def _count_of(rows: QuerySet[Issue]) -> Subquery:
    """The number of ``rows`` as a scalar subquery: it refers to nothing of the outer row, so
    PostgreSQL computes it once per query (an InitPlan), however many rows carry it."""
    counted = rows.order_by().values("community").annotate(n=Count("community")).values("n")
    return Subquery(counted, output_field=IntegerField())


def board_issue_lanes(community: Community, *, now: datetime, limit: int = LANE_LIMIT) -> dict[str, Lane]:
    """The item lanes of the board: new since the last meeting, 待核实, 待回访 (settled, the
    resident not yet called back: given out at the meeting like the rest, the longest waiting
    first, through the partial index ``issue_comm_callback``), and overdue or escalated (the
    escalated and those put on the meeting first). Two queries whatever the
    number of items or the years of history. The first picks the lanes' rows on the items
    alone: a UNION ALL of the lanes, each lane's ids sorted and cut to ``limit`` through an
    index (the open lanes through the open items' partial index, the new lane through the
    received-at index), each carrying its lane's total, counted once. The second joins only
    those rows (at most four times ``limit``) to their places and owners. Joined inside the
    union, each arm repeated the six-table join: PostgreSQL spent twice as long planning the
    query (12.6 ms in make bench's busy community) as running it (5.9 ms)."""
    since = previous_meeting(now)
    items = Issue.objects.in_community(community)
    filters = {
        "new": items.filter(received_at__gte=since).exclude(status=IssueStatus.DUPLICATE),
        "pending": items.filter(status=IssueStatus.PENDING),
        "callback": items.filter(status=IssueStatus.RESOLVED),
        "hot": items.open().filter(_needs_meeting(now)),
        "flagged": items.open().filter(Q(escalated=True) | Q(on_meeting_since__isnull=False)),
    }
    arms = [
        Issue.objects.filter(pk__in=rows.order_by(*LANE_ORDER[name]).values("pk")[:limit])
        .annotate(
            lane=Value(name, output_field=CharField()),
            # The flagged items are counted with the hot lane they head.
            lane_total=_count_of(rows) if name != "flagged" else Value(0, output_field=IntegerField()),
        )
        .order_by()
        .values_list("pk", "lane", "lane_total")
        for name, rows in filters.items()
    ]
    picked = list(arms[0].union(*arms[1:], all=True))
    shown = items.select_related("room__unit__building", "building", "owner").in_bulk({pk for pk, *_ in picked})
    by_lane: dict[str, list[Issue]] = {name: [] for name in filters}
    totals = dict.fromkeys(filters, 0)  # a lane without rows has none to count
    for pk, lane, total in picked:
        totals[lane] = total
        if pk in shown:  # not if deleted between the two queries
            # An item in two lanes is two objects: the board marks the hot lane's.
            by_lane[lane].append(copy(shown[pk]))
    # The hot lane's head, each item once: a flagged item is one of the hot lane's (so is its
    # count), and may have come in both arms.
    seen = {item.pk for item in by_lane["hot"]}
    by_lane["hot"] += [item for item in by_lane.pop("flagged") if item.pk not in seen]
    totals.pop("flagged")
    return {
        name: Lane(items=sorted(rows, key=lambda item, name=name: _lane_key(name, item))[:limit], total=totals[name])
        for name, rows in by_lane.items()
    }


def has_tasks_to_carry(community: Community, *, now: datetime) -> bool:
    """Whether an unfinished task of an earlier day waits to be carried to ``now``'s day: the
    board checks this (one indexed query) before it takes the rows' locks to carry them."""
    return (
        Task.objects.in_community(community)
        .unfinished()
        .filter(day__lt=timezone.localdate(now), carried_to__isnull=True)
        .exists()
    )


def _task_rows(through, **fields) -> Subquery:
    """A JSON array of one row per entry of the task's many-to-many ``through`` table, in the
    order they were added: the board reads them with the task instead of prefetching."""
    row = JSONObject(**fields)
    aggregate = JSONBAgg(row, order_by="id") if connection.vendor == "postgresql" else JSONGroupArray(row)
    rows = through.objects.filter(task=OuterRef("pk")).order_by().values("task").annotate(rows=aggregate).values("rows")
    return Subquery(rows, output_field=JSONField())


def _task_visit_rows() -> Subquery:
    """A task's linked visits as JSON rows (read back by _task_visit): the resident's surname
    character and room, never the full name."""
    return _task_rows(
        Task.visits.through,
        id="specialstatus_id",
        resident="specialstatus__resident_id",
        initial=Left("specialstatus__resident__name", 1),
        room="specialstatus__resident__room_id",
        room_no="specialstatus__resident__room__room_no",
        unit="specialstatus__resident__room__unit__number",
        building="specialstatus__resident__room__unit__building__number",
        last_visited_on="specialstatus__last_visited_on",
    )


def _task_visit(row: dict) -> SpecialStatus:
    """A linked visit as the board shows it (SpecialStatus.masked_label), built from its JSON
    row: the resident's surname character and room, never the full name."""
    room = None
    if row["room"] is not None:
        unit = Unit(number=row["unit"], building=Building(number=row["building"]))
        room = Room(pk=row["room"], room_no=row["room_no"], unit=unit)
    last = date.fromisoformat(row["last_visited_on"]) if row["last_visited_on"] else None
    return SpecialStatus(
        pk=row["id"], resident=Resident(pk=row["resident"], name=row["initial"], room=room), last_visited_on=last
    )


def board_tasks(community: Community, day: date, *, titled: type[Model]) -> list[Task]:
    """The day's tasks with their people and links, in one query whatever their number: each
    task carries its helpers' names (``board_helpers``), the title of its link when that is a
    ``titled`` row (``board_link``; the board passes Activity: its task form links today's
    activities, and issues does not import activities) and its due visits (``board_visits``,
    masked) as JSON arrays."""
    helpers = _task_rows(
        Task.helpers.through, first_name="user__first_name", last_name="user__last_name", username="user__username"
    )
    is_titled = Q(link_type__app_label=titled._meta.app_label, link_type__model=titled._meta.model_name)
    title = titled._default_manager.filter(pk=OuterRef("link_id")).values("title")
    tasks = list(
        Task.objects.in_community(community)
        .on_day(day)
        .select_related("assignee", "issue", "link_type")
        .annotate(
            helper_rows=helpers,
            visit_rows=_task_visit_rows(),
            board_link=Case(When(is_titled, then=Subquery(title)), default=Value(""), output_field=CharField()),
        )
        .order_by("created_at", "id")
    )
    for task in tasks:
        task.board_helpers = [display_name(get_user_model()(**row)) for row in task.helper_rows or []]
        task.board_visits = [_task_visit(row) for row in task.visit_rows or []]
    return tasks


def open_tasks_of(user, community: Community, day: date, *, limit: int) -> tuple[list[Task], int]:
    """``user``'s unfinished tasks of ``day`` (the home page), in the board's order, at most
    ``limit``, and how many there are: one query. Each carries its item and its due visits
    (``board_visits``, masked) as on the board."""
    tasks = list(
        Task.objects.in_community(community)
        .on_day(day)
        .unfinished()
        .filter(assignee=user)
        .select_related("issue")
        .annotate(visit_rows=_task_visit_rows(), total=Window(Count("pk")))
        .order_by("created_at", "id")[:limit]
    )
    for task in tasks:
        task.board_visits = [_task_visit(row) for row in task.visit_rows or []]
    return tasks, tasks[0].total if tasks else 0


def issue_by_code(community: Community, code: str) -> Issue | None:
    return Issue.objects.in_community(community).filter(code__iexact=code.strip()).first()


WEEK_FIGURES = ("logged", "settled", "closed", "overdue")


def issue_week_column(community: Community, *, weeks: list[tuple[datetime, datetime]]) -> Subquery:
    """Items logged, settled (已办结), closed and fallen overdue in each [start, end) window, as
    one JSON object ("logged_0", …) that a one-row query on the community selects, so the
    board's summary reads them with the other apps' figures (issue_week_figures reads them
    alone). Each figure needs one of four dates inside a window, so only the items with one of
    them since the earliest window are read (four index ranges), not the community's history."""
    earliest = min(start for start, _end in weeks)
    recent = (
        Q(received_at__gte=earliest)
        | Q(resolved_at__gte=earliest)
        | Q(closed_at__gte=earliest)
        | Q(due_at__gte=earliest)
    )
    aggregates = {}
    for n, (start, end) in enumerate(weeks):
        fell_due = Q(due_at__gte=start, due_at__lt=end) & ~Q(status=IssueStatus.DUPLICATE)
        still_open_at_due = (Q(resolved_at__isnull=True) | Q(resolved_at__gt=F("due_at"))) & (
            Q(closed_at__isnull=True) | Q(closed_at__gt=F("due_at"))
        )
        aggregates |= {
            f"logged_{n}": Count("id", filter=Q(received_at__gte=start, received_at__lt=end)),
            f"settled_{n}": Count("id", filter=Q(resolved_at__gte=start, resolved_at__lt=end)),
            f"closed_{n}": Count("id", filter=Q(closed_at__gte=start, closed_at__lt=end)),
            f"overdue_{n}": Count("id", filter=fell_due & still_open_at_due),
        }
    counted = (
        Issue.objects.in_community(community)
        .filter(recent)
        .order_by()
        .values("community")
        .annotate(figures=JSONObject(**aggregates))
        .values("figures")
    )
    return Subquery(counted, output_field=JSONField())


def issue_week_figures_from(figures: dict | None, weeks: int) -> list[dict[str, int]]:
    """The figures of each window from issue_week_column's object (None: no recent item)."""
    figures = figures or {}
    return [{name: figures.get(f"{name}_{n}", 0) for name in WEEK_FIGURES} for n in range(weeks)]


def issue_week_figures(community: Community, *, weeks: list[tuple[datetime, datetime]]) -> list[dict[str, int]]:
    """issue_week_column's figures of each window. One query for all windows."""
    row = Community.objects.filter(pk=community.pk).values(figures=issue_week_column(community, weeks=weeks)).get()
    return issue_week_figures_from(row["figures"], len(weeks))


def board_hotline_clocks(community: Community, *, now: datetime, limit: int = 4) -> tuple[list, int]:
    """Open 12345 cases whose next clock (response until first contact, then resolution) runs
    out first, each with ``board_clock`` from HotlineCase.clock; and how many there are.

    One query: the running cases' ids are sorted and cut to ``limit`` on the cases alone, and
    only those rows are joined to their items and places (a busy community has a thousand cases
    open: joined before the cut, they were most of the board's SQL); the total is counted once,
    over the same narrow rows."""

    running = (
        HotlineCase.objects.open_in(community)
        .filter(Q(first_contact_at__isnull=True) | Q(replied_at__isnull=True))
        .order_by()
    )
    next_deadline = Case(
        When(first_contact_at__isnull=True, then=F("response_deadline")), default=F("resolution_deadline")
    )
    first = running.annotate(next_deadline=next_deadline).order_by("next_deadline", "id").values("pk")[:limit]
    cases = list(
        HotlineCase.objects.in_community(community)
        .filter(pk__in=first)
        .select_related("issue__room__unit__building", "issue__building")
        .annotate(next_deadline=next_deadline, running_total=_count_of(running))
        .order_by("next_deadline", "id")
    )
    for case in cases:
        which = "response" if case.first_contact_at is None else "resolution"
        case.board_clock = case.clock(which, now)
        case.board_which = which
    return cases, cases[0].running_total if cases else 0


# --- patrol (巡查) --------------------------------------------------------------------------


#: What the board sums over the walks ended since the last meeting.
PATROL_FIGURES = ("checked_count", "solved_count", "worse_count", "new_count", "photo_count")


def patrol_board_column(community: Community, since: datetime) -> Subquery:
    """The walks ended since ``since`` (the last morning meeting), counted, and their kept
    counts summed, as one JSON object that a one-row query on the community selects: the board
    reads it with its other figures (patrol_summary_from turns it into the board's totals)."""
    ended = Patrol.objects.in_community(community).ended_since(since).order_by().values("community")
    totals = ended.annotate(figures=JSONObject(count=Count("id"), **{name: Sum(name) for name in PATROL_FIGURES}))
    return Subquery(totals.values("figures"), output_field=JSONField())


def patrol_summary_from(figures: dict | None) -> dict:
    """patrol_board_column's object as the board's totals (None: no walk ended)."""
    return {"count": 0, **dict.fromkeys(PATROL_FIGURES, 0), **(figures or {})}


def ongoing_patrol_column(community: Community, user) -> Subquery:
    """The id of ``user``'s walk under way here (None when there is none), as a column of a
    one-row query on the community: the home page's 巡查 button goes straight back to it."""
    ongoing = Patrol.objects.in_community(community).ongoing().filter(staff=user).order_by("-started_at")
    return Subquery(ongoing.values("pk")[:1], output_field=IntegerField())


def hotline_rules(community: Community) -> HotlineSettings:
    """The community's 12345 deadlines and rate weights (the defaults until the office edits them)."""
    return HotlineSettings.for_community(community.pk)


# --- the top bar's search ----------------------------------------------------------------


def search_items(community: Community, query: str, *, limit: int) -> list[Issue]:
    """Items whose number, text, place, reporter or sender contain ``query``, newest first.

    The ids come first, then only those rows are joined to their places: one statement. On
    PostgreSQL the ids are issues_search_page's (issues.filters.search_page: at most COUNT_CAP
    matches read from the search index, the newest of a common word along the received index)."""
    query = plain_width(query)  # as the list's search reads it: ３号楼 is 3号楼
    if search_page_serves(query.strip()):
        newest = RawSQL(
            "SELECT unnest(page_ids) FROM issues_search_page(%s::bigint, %s, 0, %s, %s)",
            (community.pk, query.strip(), limit, COUNT_CAP),
        )
    else:
        newest = search_issues(Issue.objects.in_community(community), query)
        newest = newest.order_by("-received_at", "-id").values("pk")[:limit]
    found = Issue.objects.in_community(community).filter(pk__in=newest)
    return list(found.select_related("room__unit__building", "building").order_by("-received_at", "-id"))


def search_partners(community: Community, query: str, *, limit: int) -> list[Partner]:
    return list(Partner.objects.in_community(community).filter(name__icontains=query).order_by("name")[:limit])


def search_hotline_cases(community: Community, query: str, *, limit: int) -> list[HotlineCase]:
    """12345 cases by (part of) their case number."""
    cases = HotlineCase.objects.in_community(community).filter(case_no__icontains=query)
    return list(cases.select_related("issue").order_by("-dispatched_at")[:limit])
