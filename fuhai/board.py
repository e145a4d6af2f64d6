"""The morning-meeting board (晨会看板): composed from the apps' selectors.

Staff see it with editing (tasks given out, moved and marked done through ``Task.move``);
the meeting-room screen sees it read-only through a revocable board link, with no personal
data: numbers in free text are masked, residents appear only as places, nobody's phone."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from activities import selectors as activity_selectors
from issues import selectors as issue_selectors
from issues import services as issue_services
from issues.models import BoardToken, StaleTask, Task, TaskStatus, TransitionError
from residents import selectors as resident_selectors
from residents.models import Community, mask_numbers_in_text
from residents.scoping import community_view, get_object_for, require_editor, scoped

#: Seconds between two refreshes of the screen.
REFRESH_SECONDS = 45
ACTIVITY_LIMIT = 3
HOTLINE_LIMIT = 3
VISIT_LIMIT = 6
NOTICE_CLASSES = {messages.SUCCESS: "ok", messages.ERROR: "error", messages.WARNING: "warn", messages.INFO: "info"}
CODE_RE = re.compile(r"(?<![A-Za-z0-9])(MQ\d{8}-\d{1,5})(?![0-9])", re.IGNORECASE)


def display_name(user) -> str:
    return (user.get_full_name() or user.username) if user else ""


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
        return sum(1 for t in self.tasks if not t.is_done)


def board_context(community: Community, *, now: datetime) -> dict:
    """Everything the board shows, in a fixed number of queries."""
    today = timezone.localdate(now)
    staff = resident_selectors.board_staff(community)
    columns = {user.pk: Column(user=user, name=display_name(user)) for user in staff}
    unassigned = Column(user=None, name=_("Not assigned"))
    tasks = issue_selectors.board_tasks(community, today)
    for task in tasks:
        # The board is on a shared screen: numbers typed into free text are masked for everyone.
        task.board_title = mask_numbers_in_text(task.title)
        task.board_helpers = [display_name(helper) for helper in task.helpers.all()]
        columns.get(task.assignee_id, unassigned).tasks.append(task)
    lanes = issue_selectors.board_issue_lanes(community, now=now)
    for key, lane in lanes.items():
        for item in lane.items:
            item.board_text = mask_numbers_in_text(item.text)[:60]
            item.board_owner = display_name(item.owner)
            item.board_flag = _flag(item, now) if key == "hot" else ""
    column_list = list(columns.values())
    if unassigned.tasks:
        column_list.append(unassigned)
    activities = list(activity_selectors.todays_activities(community, now=now))
    visits, visits_total = _visits_due(community, today)
    hotline, hotline_total = issue_selectors.board_hotline_clocks(community, now=now, limit=HOTLINE_LIMIT)
    for case in hotline:
        case.board_left = _time_left(case.board_clock)
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
        "hotline": hotline,
        "hotline_total": hotline_total,
        "hotline_more": max(hotline_total - len(hotline), 0),
        "activity_choices": activities,
        "activities": activities[:ACTIVITY_LIMIT],
        "activities_more": max(len(activities) - ACTIVITY_LIMIT, 0),
        "since": issue_selectors.previous_meeting(now),
        "patrol": issue_selectors.patrol_summary_for_board(community, issue_selectors.previous_meeting(now)),
        "refresh_seconds": REFRESH_SECONDS,
        "statuses": TaskStatus,
        "task_done": TaskStatus.DONE,
    }
    if today.weekday() == 2:
        context["summary"] = week_summary(community, now=now)
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
    """A home visit due today, as the shared screen may show it: surname and room only."""

    who: str
    where: str
    staff: str
    days_late: int


def _visits_due(community: Community, today) -> tuple[list[VisitDue], int]:
    """Special-population residents whose visit is due today or overdue, most overdue first.
    No category is shown: several are sensitive (health, disability, 低保)."""
    statuses = resident_selectors.due_statuses(community, day=today)
    rows = statuses.select_related("resident__room__unit__building", "responsible").order_by("next_due_on", "id")
    seen, visits = set(), []
    for status in rows[: VISIT_LIMIT * 3]:
        if status.resident_id in seen:
            continue
        seen.add(status.resident_id)
        resident = status.resident
        visits.append(
            VisitDue(
                who=f"{resident.name[:1]}**",
                where=resident.room.label if resident.room_id else "",
                staff=display_name(status.responsible),
                days_late=(today - status.next_due_on).days,
            )
        )
        if len(visits) == VISIT_LIMIT:
            break
    return visits, statuses.values("resident").distinct().count()


def _time_left(clock: dict) -> str:
    seconds = abs(clock["left"].total_seconds())
    amount = (
        ngettext("%(n)d day", "%(n)d days", int(seconds // 86400)) % {"n": seconds // 86400}
        if seconds >= 86400
        else ngettext("%(n)d hour", "%(n)d hours", int(seconds // 3600)) % {"n": seconds // 3600}
        if seconds >= 3600
        else ngettext("%(n)d minute", "%(n)d minutes", int(seconds // 60)) % {"n": seconds // 60}
    )
    if clock["late"]:
        return _("%(amount)s late") % {"amount": amount}
    return _("%(amount)s left") % {"amount": amount}


def week_summary(community: Community, *, now: datetime) -> dict:
    """This week so far against last week up to the same point (周中总结)."""
    today = timezone.localdate(now)
    monday = timezone.make_aware(datetime.combine(today - timedelta(days=today.weekday()), datetime.min.time()))
    this_week, last_week = (monday, now), (monday - timedelta(days=7), now - timedelta(days=7))
    issues_now, issues_before = issue_selectors.issue_week_figures(community, weeks=[this_week, last_week])
    activities_now = activity_selectors.week_figures(community, start=this_week[0], end=this_week[1])
    activities_before = activity_selectors.week_figures(community, start=last_week[0], end=last_week[1])
    labels = [
        ("logged", _("Items logged")),
        ("settled", _("Items settled")),
        ("closed", _("Items closed")),
        ("overdue", _("Fell overdue")),
        ("activities", _("Activities held")),
        ("commendations", _("Commendations received")),
    ]
    this, last = issues_now | activities_now, issues_before | activities_before
    return {
        "rows": [{"key": key, "label": label, "this": this[key], "last": last[key]} for key, label in labels],
        "start": this_week[0],
        "now": now,
    }


def _page(
    request: HttpRequest, community: Community, *, public: bool, partial: bool, token: str = "", status=200, **extra
) -> HttpResponse:
    context = board_context(community, now=timezone.now()) | extra
    context["public"] = public
    context["can_edit"] = not public and request.membership is not None and request.membership.can_edit
    if public:
        context["refresh_url"] = reverse("board_tv_refresh", args=[token])
    else:
        context["refresh_url"] = reverse("board_refresh")
        context["is_secretary"] = request.membership is not None and request.membership.is_secretary
    if "notice_level" in context:
        context["notice_class"] = NOTICE_CLASSES.get(context["notice_level"], "info")
    template = "fuhai/board_partial.html" if partial else "fuhai/board.html"
    return render(request, template, context, status=status)


@require_GET
@community_view
def board(request: HttpRequest) -> HttpResponse:
    """The board for staff: the same as the screen's, with editing."""
    if request.membership.can_edit:
        issue_services.carry_over_tasks(community=request.community, now=timezone.now())
    return _page(request, request.community, public=False, partial=False)


@require_GET
@community_view
def board_refresh(request: HttpRequest) -> HttpResponse:
    return _page(request, request.community, public=False, partial=True)


def _token_community(token: str) -> Community:
    row = BoardToken.resolve(token)
    if row is None:
        raise Http404
    return row.community


@require_GET
def board_tv(request: HttpRequest, token: str) -> HttpResponse:
    """The read-only screen: no login, no writes, no personal data. Forged or revoked: 404."""
    return _page(request, _token_community(token), public=True, token=token, partial=False)


@require_GET
def board_tv_refresh(request: HttpRequest, token: str) -> HttpResponse:
    return _page(request, _token_community(token), public=True, token=token, partial=True)


@require_GET
@community_view
def board_summary(request: HttpRequest) -> HttpResponse:
    """周中总结 on demand (the board shows it by itself on Wednesdays)."""
    now = timezone.now()
    return render(
        request,
        "fuhai/board_summary.html",
        {"summary": week_summary(request.community, now=now), "board_community": request.community},
    )


# --- tasks -----------------------------------------------------------------------------------


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


def _after_change(request: HttpRequest, message: str, *, level=messages.SUCCESS, **extra) -> HttpResponse:
    if request.htmx:
        response = _page(
            request, request.community, public=False, partial=True, notice=message, notice_level=level, **extra
        )
        if level == messages.SUCCESS and "typed" not in extra:
            response["HX-Trigger"] = "board-changed"
        return response
    messages.add_message(request, level, message)
    return redirect("board")


@require_POST
@community_view
def task_add(request: HttpRequest) -> HttpResponse:
    """The quick entry: a task in one line, given out now."""
    require_editor(request)
    typed = request.POST.get("text", "")
    parsed = parse_quick_task(request.community, typed)
    now = timezone.now()
    activity = None
    if request.POST.get("activity"):
        todays = {str(a.pk): a for a in activity_selectors.todays_activities(request.community, now=now)}
        activity = todays.get(request.POST["activity"])
        if activity is None:
            parsed.errors.append(_("That activity is not on today's list."))
    if parsed.errors:
        message = " ".join(parsed.errors)
        if request.htmx:
            return _after_change(request, message, level=messages.ERROR, typed=typed)
        return _page(
            request,
            request.community,
            public=False,
            partial=False,
            status=400,
            typed=typed,
            notice=message,
            notice_level=messages.ERROR,
        )
    task = issue_services.add_task(
        community=request.community,
        by=request.user,
        now=now,
        title=parsed.title,
        day=timezone.localdate(now),
        assignee=parsed.assignee,
        helpers=parsed.helpers,
        issue=parsed.issue,
        link=activity,
    )
    who = display_name(task.assignee) or _("nobody yet")
    return _after_change(request, _("Task given to %(who)s: %(title)s") % {"who": who, "title": task.title})


@require_POST
@community_view
def task_move(request: HttpRequest, pk: int) -> HttpResponse:
    """Drag, keyboard and the done button all post here; the only write is Task.move."""
    require_editor(request)
    task = get_object_for(request, Task, pk=pk)
    status = request.POST.get("status") or None
    if status is not None and status not in TaskStatus.values:
        return _after_change(request, _("Unknown task state."), level=messages.ERROR)
    assignee = False
    if "assignee" in request.POST:
        wanted = request.POST["assignee"]
        staff = {str(u.pk): u for u in resident_selectors.board_staff(request.community)}
        if wanted and wanted not in staff:
            return _after_change(request, _("That person does not work here."), level=messages.ERROR)
        assignee = staff.get(wanted)
    try:
        version = int(request.POST["version"]) if request.POST.get("version") else None
    except ValueError:
        version = None
    try:
        event = task.move(by=request.user, now=timezone.now(), status=status, assignee=assignee, version=version)
    except StaleTask:
        return _after_change(
            request,
            _("Somebody else changed this task a moment ago: here is the board as it is now."),
            level=messages.WARNING,
        )
    except TransitionError as exc:
        return _after_change(request, str(exc), level=messages.ERROR)
    if event is None:
        return _after_change(request, _("Nothing changed."), level=messages.INFO)
    return _after_change(
        request,
        _("%(title)s: %(status)s, %(who)s")
        % {"title": task.title, "status": task.get_status_display(), "who": display_name(task.assignee) or "—"},
    )


# --- board links (the screen in the meeting room) ------------------------------------------------


def _require_secretary(request: HttpRequest) -> None:
    if request.membership is None or not request.membership.is_secretary:
        raise PermissionDenied


@community_view
def board_links(request: HttpRequest) -> HttpResponse:
    """The secretary makes and revokes the read-only links for the meeting-room screen."""
    _require_secretary(request)
    new_link = ""
    label = ""
    error = ""
    if request.method == "POST":
        label = request.POST.get("label", "").strip()
        if not label or len(label) > 50:
            error = _("Say where the link is used (at most 50 characters), e.g. 会议室电视.")
        else:
            _row, token = BoardToken.issue(
                community=request.community, label=label, by=request.user, now=timezone.now()
            )
            new_link = request.build_absolute_uri(reverse("board_tv", args=[token]))
            label = ""
    links = scoped(request, BoardToken.objects.select_related("created_by"))
    return render(
        request,
        "fuhai/board_links.html",
        {"links": links, "new_link": new_link, "label": label, "error": error},
        status=400 if error else 200,
    )


@require_POST
@community_view
def board_link_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    _require_secretary(request)
    row = get_object_for(request, BoardToken, pk=pk)
    row.revoke(now=timezone.now())
    messages.success(request, _("The link “%(label)s” no longer works.") % {"label": row.label})
    return redirect("board_links")
