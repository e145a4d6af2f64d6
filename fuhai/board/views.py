"""The morning-meeting board (晨会看板): composed from the apps' selectors.

The board's pages and its small POST views; every change goes through Task.move or a service."""

from __future__ import annotations

from functools import wraps
from operator import attrgetter
from urllib.parse import parse_qs, urlsplit

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from activities import selectors as activity_selectors
from fuhai.board.compose import (
    NOTICE_CLASSES,
    board_context,
    screen_text,
    visit_building,
    visit_choices,
    week_summary,
)
from fuhai.board.quick_task import parse_quick_task
from issues import selectors as issue_selectors
from issues import services as issue_services
from issues.models.choices import TransitionError
from issues.models.task import BoardToken, StaleTask, Task, TaskStatus
from residents import selectors as resident_selectors
from residents.models.community import Community
from residents.scoping import community_view, get_object_for, require_editor, scoped
from residents.selectors import display_name

#: 投屏模式 is kept in the session: every answer of the board to that browser (the page, the timed
#: refresh, the partial after a task is added or moved, the redirect after a change, 周中总结 and
#: back) reads the one flag, so no link or redirect that forgets a parameter puts names on the screen.
SCREEN_MODE_KEY = "board_screen_mode"


def _title(request: HttpRequest, task) -> str:
    """A task's title for the message above the board: on the screen as the screen shows it."""
    if not _screen_mode(request):
        return task.title
    return screen_text(task.title, resident_selectors.names_typed_in(request.community, task.title))


def _screen_mode(request: HttpRequest) -> bool:
    """The staff board shown as the screen link shows it. ``?screen=1`` turns it on for one page
    and its refreshes (never off): a page showing the screen keeps masking even when the mode
    is turned off in another tab of the same browser."""
    if request.session.get(SCREEN_MODE_KEY) or request.GET.get("screen") == "1":
        return True
    # A change made on the screen's page (a task added or moved: a POST to another URL) after
    # the mode was left in another tab: htmx names the page it came from.
    page = urlsplit(request.headers.get("HX-Current-URL", ""))
    return "1" in parse_qs(page.query).get("screen", [])


def _page(
    request: HttpRequest, community: Community, *, public: bool, partial: bool, token: str = "", status=200, **extra
) -> HttpResponse:
    # The screen link and the staff board in 投屏模式 are composed and drawn alike (names as 王**,
    # flats as their building, no links); 投屏模式 still gives out tasks. The 街道 viewer, who sees
    # residents as 王** everywhere else, gets the screen's words in the board's own layout: links,
    # columns that scroll.
    viewer = not public and request.membership is not None and not request.membership.visits_residents
    screen = public or _screen_mode(request)
    context = board_context(community, now=timezone.now(), public=screen or viewer) | extra
    context["public"] = screen
    context["screen_mode"] = screen and not public
    context["viewer"] = viewer
    context["can_edit"] = not public and request.membership is not None and request.membership.can_edit
    if public:
        context["refresh_url"] = reverse("board_tv_refresh", args=[token])
        # The page title names the link's community, not the community of whoever opens it.
        context["community"] = community
    else:
        context["refresh_url"] = reverse("board_refresh") + ("?screen=1" if screen else "")
        context["is_secretary"] = request.membership is not None and request.membership.is_secretary
    if "notice_level" in context:
        context["notice_class"] = NOTICE_CLASSES.get(context["notice_level"], "info")
    template = "fuhai/board_partial.html" if partial else "fuhai/board.html"
    return render(request, template, context, status=status)


@require_GET
@community_view
def board(request: HttpRequest) -> HttpResponse:
    """The board for staff: the same as the screen's, with editing."""
    now = timezone.now()
    # Most mornings there is nothing to carry: one read instead of a transaction with locks.
    if request.membership.can_edit and issue_selectors.has_tasks_to_carry(request.community, now=now):
        issue_services.carry_over_tasks(community=request.community, now=now)
    if request.GET.get("screen") == "1" and not request.session.get(SCREEN_MODE_KEY):
        # A bookmark of /board/?screen=1 on the meeting room's PC, or a session ended since: the
        # mode is on for the session, so the task added next (its POST carries no ?screen=1) and
        # the redirect after it are drawn for the screen too.
        request.session[SCREEN_MODE_KEY] = True
    return _page(request, request.community, public=False, partial=False)


@require_GET
@community_view
def board_refresh(request: HttpRequest) -> HttpResponse:
    response = _page(request, request.community, public=False, partial=True)
    if _screen_mode(request) and request.GET.get("screen") != "1":
        # The page was drawn for work (its header has the quick entry's menu of due visits) and
        # 投屏模式 was turned on meanwhile, in another tab: the whole page again, not its body only.
        response["HX-Refresh"] = "true"
    return response


@require_POST
@community_view
def board_screen(request: HttpRequest) -> HttpResponse:
    """投屏模式 on or off (退出投屏) for this browser's session; the board is drawn again."""
    if request.POST.get("screen") == "on":
        request.session[SCREEN_MODE_KEY] = True
        return redirect(reverse("board") + "?screen=1")
    request.session.pop(SCREEN_MODE_KEY, None)
    return redirect("board")


def _token_community(token: str) -> Community:
    row = BoardToken.active_for(token)
    if row is None:
        raise Http404
    return row.community


def _in_office_language(view):
    """The screen link speaks the office's language (settings.LANGUAGE_CODE, Chinese), not the
    language of the TV's browser: activated for the rest of the request, not overridden for the
    view alone, so a forged or revoked link's 404 page and the Content-Language header follow."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        translation.activate(settings.LANGUAGE_CODE)
        request.LANGUAGE_CODE = translation.get_language()
        return view(request, *args, **kwargs)

    return wrapper


@require_GET
@_in_office_language
def board_tv(request: HttpRequest, token: str) -> HttpResponse:
    """The read-only screen: no login, no writes, no personal data. Forged or revoked: 404."""
    return _page(request, _token_community(token), public=True, token=token, partial=False)


@require_GET
@_in_office_language
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
        {
            "summary": week_summary(request.community, now=now),
            "board_community": request.community,
            "screen_mode": _screen_mode(request),
        },
    )


def _after_change(
    request: HttpRequest, message: str, *, level=messages.SUCCESS, changed: bool = False, **extra
) -> HttpResponse:
    """The board after a change (or a refusal); ``changed`` says a warning still reports a change."""
    if request.htmx:
        response = _page(
            request, request.community, public=False, partial=True, notice=message, notice_level=level, **extra
        )
        if (level == messages.SUCCESS or changed) and "typed" not in extra:
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
    visits = _chosen_visits(request, now, parsed.errors)
    if parsed.errors:
        message = " ".join(parsed.errors)
        if _screen_mode(request):  # 没有叫“王秀英”的工作人员 on the screen names her
            message = screen_text(message, resident_selectors.names_typed_in(request.community, message))
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
        visits=visits,
    )
    who = display_name(task.assignee) or _("nobody yet")
    message = _("Task given to %(who)s: %(title)s.") % {"who": who, "title": _title(request, task)}
    kept_by = _item_owner_note(task)
    if kept_by:
        return _after_change(request, f"{message} {kept_by}", level=messages.WARNING, changed=True)
    return _after_change(request, f"{message} {_item_handed_note(task)}".strip())


def _item_handed_note(task: Task) -> str:
    """Said after a task is given: the item it is for is now the assignee's."""
    issue = task.issue
    if issue is None or not issue.has_work_left or task.assignee_id is None or issue.owner_id != task.assignee_id:
        return ""
    return _("Item %(code)s is now handled by %(who)s.") % {"code": issue.code, "who": display_name(task.assignee)}


def _item_owner_note(task: Task) -> str:
    """Said, as a warning, when the item stays with another staff member who handles it
    (issues.services.hand_item_to_assignee): the meeting sees it instead of learning it later."""
    issue = task.issue
    if issue is None or not issue.has_work_left or task.assignee_id is None:
        return ""
    if issue.owner_id in {None, task.assignee_id}:
        return ""
    return _("Item %(code)s stays with %(owner)s, who handles it; to move it, change the owner on the item page.") % {
        "code": issue.code,
        "owner": display_name(issue.owner),
    }


def _chosen_visits(request: HttpRequest, now, errors: list[str]) -> list:
    """The visits ticked in the task form, all of this community; another community's or a
    junk id adds an error (the form is shown again with what was typed)."""
    ids = [i for i in request.POST.getlist("visits") if i]
    if not ids:
        return []
    visits = resident_selectors.due_visits_by_ids(request.community, ids, day=timezone.localdate(now))
    if visits is None:
        errors.append(_("That visit is not on this community's list: choose one from the menu."))
        return []
    return visits


@require_http_methods(["GET", "POST"])
@community_view
def task_visits(request: HttpRequest, pk: int) -> HttpResponse:
    """The task's edit menu (loaded when opened): which of today's due visits it is for, the
    ones already linked first. The only write is Task.link_visits."""
    task = get_object_for(request, Task, pk=pk)
    require_editor(request)
    now = timezone.now()
    if request.method == "GET":
        linked = list(task.visits.select_related("resident__room__unit__building"))
        due = [status for status in visit_choices(request.community, timezone.localdate(now)) if status not in linked]
        context = {"task": task, "choices": linked + due, "linked": {status.pk for status in linked}}
        return render(request, "fuhai/board_task_visits.html", context)
    errors: list[str] = []
    visits = _chosen_visits(request, now, errors)
    if errors:
        return _after_change(request, " ".join(errors), level=messages.ERROR)
    if task.link_visits(by=request.user, now=now, visits=visits) is None:
        return _after_change(request, _("Nothing changed."), level=messages.INFO)
    label = visit_building if _screen_mode(request) else attrgetter("masked_label")
    labels = "、".join(label(status) for status in visits) or "—"
    message = _("%(title)s: visits %(visits)s") % {"title": _title(request, task), "visits": labels}
    return _after_change(request, message)


@require_POST
@community_view
def task_move(request: HttpRequest, pk: int) -> HttpResponse:
    """Drag, keyboard and the done button all post here; the only write is Task.move."""
    task = get_object_for(request, Task, pk=pk)
    require_editor(request)
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
    now = timezone.now()
    try:
        with transaction.atomic():
            event = task.move(by=request.user, now=now, status=status, assignee=assignee, version=version)
            if event is not None and event.from_assignee_id != event.to_assignee_id:
                # Given to someone else: the item goes with it as when the task was given out.
                issue_services.hand_item_to_assignee(
                    task, by=request.user, now=now, previous_assignee_id=event.from_assignee_id
                )
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
    message = _("%(title)s: %(status)s, %(who)s.") % {
        "title": _title(request, task),
        "status": task.get_status_display(),
        "who": display_name(task.assignee) or "—",
    }
    if event.from_assignee_id != event.to_assignee_id:
        kept_by = _item_owner_note(task)
        if kept_by:
            return _after_change(request, f"{message} {kept_by}", level=messages.WARNING, changed=True)
        message = f"{message} {_item_handed_note(task)}".strip()
    return _after_change(request, message)


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
        # A NUL byte is refused by PostgreSQL and never part of a place's name.
        label = request.POST.get("label", "").replace("\x00", "").strip()
        if not label or len(label) > 50:
            error = _("Say where the link is used (at most 50 characters), e.g. 会议室电视.")
        else:
            _row, token = BoardToken.create_link(
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
