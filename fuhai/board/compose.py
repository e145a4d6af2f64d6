"""The morning board's content, composed from each app's selectors: columns per person, lanes,
visits due (surname and room only; on the screen link, the building only), the week's figures."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.contrib import messages
from django.utils import timezone
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from activities import selectors as activity_selectors
from activities.models import Activity
from issues import selectors as issue_selectors
from issues.hotline.clock_text import clock_text
from issues.models.task import Task, TaskStatus
from residents import selectors as resident_selectors
from residents.masking import NUMERALS_AS_DIGITS, flats_on_screen, mask_name, mask_numbers_in_text
from residents.models.community import Community
from residents.selectors import display_name

REFRESH_SECONDS = 45
ACTIVITY_LIMIT = 3
HOTLINE_LIMIT = 3
VISIT_LIMIT = 6
#: The task form's menu of due visits: the most overdue first, enough for one morning.
VISIT_CHOICE_LIMIT = 60


def screen_text(text: str, names: Iterable[str] = ()) -> str:
    """Free text as the screen link shows it: numbers masked, ``names`` as 王**, a flat (3-2-501,
    三号楼二单元五零一) reduced to its building (3号楼) or to 某户 when none is written: the screen
    shows buildings only, as it does for a visit or an item linked to a room. A room after a public
    place (居委会201室, 文明实践站102室) is left as typed."""
    text = mask_numbers_in_text(text, names)
    folded = text.translate(NUMERALS_AS_DIGITS)  # one character for one: the spans are the text's
    parts, last = [], 0
    for match in flats_on_screen(folded):
        number = match["dashed"] or match["building"] or match["short"]
        shown = _("Building %(number)s") % {"number": number} if number else _("a household")
        parts += [text[last : match.start()], shown]
        last = match.end()
    return "".join(parts) + text[last:]


NOTICE_CLASSES = {messages.SUCCESS: "ok", messages.ERROR: "error", messages.WARNING: "warn", messages.INFO: "info"}


# --- reading the board -----------------------------------------------------------------------


@dataclass
class Column:
    user: object | None
    name: str
    tasks: list[Task] = field(default_factory=list)

    @property
    def key(self) -> str:
        return str(self.user.pk) if self.user else ""

    @property
    def open_count(self) -> int:
        return sum(1 for t in self.tasks if not t.is_done and not t.item_settled)


def board_context(community: Community, *, now: datetime, public: bool = False) -> dict:
    """Everything the board shows, in a fixed number of queries. ``public`` is the screen link,
    which anyone who has it opens without logging in: a visit there is its building only."""
    today = timezone.localdate(now)
    staff = resident_selectors.board_staff(community)
    columns = {user.pk: Column(user=user, name=display_name(user)) for user in staff}
    unassigned = Column(user=None, name=_("Not assigned"))
    tasks = issue_selectors.board_tasks(community, today, titled=Activity)
    lanes = issue_selectors.board_issue_lanes(community, now=now)
    hotline, hotline_total = issue_selectors.board_hotline_clocks(community, now=now, limit=HOTLINE_LIMIT)
    since = issue_selectors.previous_meeting(now)
    # The walks' totals, on Wednesdays the week's figures, and for the screen the residents'
    # names: columns of one row.
    figures = {"patrol": issue_selectors.patrol_board_column(community, since)}
    if today.weekday() == 2:
        figures |= _week_columns(community, now=now)
    if public:
        figures["names"] = resident_selectors.names_column(community)
    row = Community.objects.filter(pk=community.pk).values(**figures).get()
    if public:
        # The screen: a resident's name typed into a task or an item (上门看王秀英家漏水) is 王**
        # there, as a flat is its building.
        items = [item for lane in lanes.values() for item in lane.items]
        # And the people the items name themselves, on the roll or not: a reporter, a WeChat
        # sender, a 12345 caller (as hide_names masks them for the 街道 viewer's lists).
        people = [name for item in items for name in (item.reporter_name, item.sender)]
        people += [case.caller_name for case in hotline]
        names = resident_selectors.names_in(
            [*(row["names"] or ()), *people],
            [task.title for task in tasks]
            + [text for item in items for text in (item.text, item.place_label)]
            + [case.issue.place_label for case in hotline],
        )

        def shown(text: str) -> str:
            return screen_text(text, names)
    else:
        shown = mask_numbers_in_text  # the board is on a shared screen: numbers are masked for everyone
    for task in tasks:
        task.board_title = shown(task.title)
        # Settling or closing an item marks its open tasks done (Issue._move); a task still not
        # done on such an item (moved back, or older than that rule) reads as settled rather than
        # still to do. One given out for a settled item's callback (待回访) is still to do.
        task.item_settled = bool(task.issue_id) and not task.is_done and not task.issue.has_work_left
        for visit in task.board_visits:
            visit.board_label = visit_building(visit) if public else visit.masked_label
        columns.get(task.assignee_id, unassigned).tasks.append(task)
    for key, lane in lanes.items():
        for item in lane.items:
            item.board_text = shown(item.text)[:60]
            item.board_place = shown(item.place_label) if public else item.place_label
            item.board_owner = display_name(item.owner)
            item.board_flag = _flag(item, now) if key == "hot" else ""
    column_list = list(columns.values())
    if unassigned.tasks:
        column_list.append(unassigned)
    if public:  # the screen shows what fits and counts the rest: what is still to do first
        for column in column_list:
            column.tasks.sort(key=lambda task: task.is_done or task.item_settled)
    activities = list(activity_selectors.todays_activities(community, now=now))
    visits, visits_total, visit_choices = _visits_due(community, today, public=public)
    language = get_language()
    for case in hotline:
        case.board_left = clock_text(case.board_clock["left"], language)
        case.board_place = shown(case.issue.place_label) if public else case.issue.place_label
    context = {
        "board_community": community,
        "now": now,
        "today": today,
        "columns": column_list,
        "tasks": tasks,
        "lanes": lanes,
        "visits": visits,
        "visits_total": visits_total,
        "visits_more": max(visits_total - len(visits), 0),
        "visit_choices": [] if public else visit_choices,
        "hotline": hotline,
        "hotline_total": hotline_total,
        "hotline_more": max(hotline_total - len(hotline), 0),
        "activity_choices": activities,
        "activities": activities[:ACTIVITY_LIMIT],
        "activities_more": max(len(activities) - ACTIVITY_LIMIT, 0),
        "since": since,
        "refresh_seconds": REFRESH_SECONDS,
        "statuses": TaskStatus,
        "task_done": TaskStatus.DONE,
    }
    context["patrol"] = issue_selectors.patrol_summary_from(row["patrol"])
    if today.weekday() == 2:
        context["summary"] = _week_summary_from(row, now=now)
    return context


def _flag(item, now: datetime) -> str:
    if item.is_overdue(now):
        days = (timezone.localdate(now) - timezone.localdate(item.due_at)).days
        if days < 1:
            return _("Overdue today")
        return ngettext("%(n)d day overdue", "%(n)d days overdue", days) % {"n": days}
    if item.escalated:
        return _("Escalated")
    return _("On the meeting")


@dataclass
class VisitDue:
    """A home visit due today, as the shared screen may show it: surname and room only on the
    staff board, the building alone (no ``who``) on the screen link. Before the first visit the
    due date is the day the status began, so the days late of a resident never visited count
    from then: the board says "never visited" instead."""

    who: str
    where: str
    staff: str
    days_late: int
    never_visited: bool


def _visits_due(community: Community, today, *, public: bool = False) -> tuple[list[VisitDue], int, list]:
    """Special-population residents whose visit is due today or overdue, most overdue first,
    and the same rows (one per resident) as the task form's menu of visits to link.
    The lane shows no category; the menu shows only those not sensitive (health, disability, 低保).
    On the screen link a visit is its building: the list is of people living alone or otherwise
    at risk, and a surname with a door number says who and where. Two in one building stay two
    entries, so the lane's count still adds up."""
    statuses = resident_selectors.due_statuses(community, day=today)
    choices, total = resident_selectors.first_due_per_resident(statuses, rows=VISIT_CHOICE_LIMIT)
    visits = [_visit_due(status, today, public=public) for status in choices[:VISIT_LIMIT]]
    return visits, total, choices


def _visit_due(status, today, *, public: bool) -> VisitDue:
    resident = status.resident
    if public:
        who, where = "", visit_building(status)
    else:
        who, where = mask_name(resident.name), resident.room.label if resident.room_id else ""
    return VisitDue(
        who=who,
        where=where,
        staff=display_name(status.responsible),
        days_late=(today - status.next_due_on).days,
        never_visited=status.never_visited,
    )


def visit_building(status) -> str:
    """A visit as the screen link shows it: its resident's building (10号楼), nothing of the person."""
    resident = status.resident
    return str(resident.room.unit.building) if resident.room_id else _("No room")


def visit_choices(community: Community, today) -> list:
    """The menu of due visits (one status per resident) for a task's edit form."""
    return _visits_due(community, today)[2]


def _weeks(now: datetime) -> list[tuple[datetime, datetime]]:
    """This week so far, and last week up to the same point."""
    today = timezone.localdate(now)
    monday = timezone.make_aware(datetime.combine(today - timedelta(days=today.weekday()), datetime.min.time()))
    return [(monday, now), (monday - timedelta(days=7), now - timedelta(days=7))]


def _week_columns(community: Community, *, now: datetime) -> dict:
    """The week's figures as columns of a one-row query on the community: the items' figures
    as one JSON object, the activities' and commendations' as counts."""
    weeks = _weeks(now)
    return activity_selectors.week_figure_columns(community, weeks=weeks) | {
        "items": issue_selectors.issue_week_column(community, weeks=weeks)
    }


def _week_summary_from(row: dict, *, now: datetime) -> dict:
    weeks = _weeks(now)
    issues_now, issues_before = issue_selectors.issue_week_figures_from(row["items"], len(weeks))
    activities_now, activities_before = activity_selectors.week_figures_from(row, len(weeks))
    this, last = issues_now | activities_now, issues_before | activities_before
    rows = [{"key": k, "label": label, "this": this[k], "last": last[k]} for k, label in _week_labels()]
    return {"start": weeks[0][0], "now": now, "rows": rows}


def _week_labels() -> list[tuple[str, str]]:
    return [
        ("logged", _("Items logged")),
        ("settled", _("Items settled")),
        ("closed", _("Items closed")),
        ("overdue", _("Fell overdue")),
        ("activities", _("Activities held")),
        ("commendations", _("Commendations received")),
    ]


def week_summary(community: Community, *, now: datetime) -> dict:
    """This week so far against last week up to the same point (周中总结), with the week's home
    visits against those due by Sunday: the summary page (one query for the figures, three
    for the visits). The board reads the same figures with its own row (board_context)."""
    today = timezone.localdate(now)
    row = Community.objects.filter(pk=community.pk).values(**_week_columns(community, now=now)).get()
    summary = _week_summary_from(row, now=now)
    monday_day, sunday = summary["start"].date(), today + timedelta(days=6 - today.weekday())
    made = resident_selectors.visits_between(community, first=monday_day, last=today).count()
    before = resident_selectors.visits_between(
        community, first=monday_day - timedelta(days=7), last=today - timedelta(days=7)
    ).count()
    summary["rows"].append({"key": "visits", "label": _("Home visits made"), "this": made, "last": before})
    # Special residents whose visit falls due by Sunday (overdue ones included).
    return summary | {"visits_due": resident_selectors.due_statuses(community, day=sunday).count(), "visits_made": made}
