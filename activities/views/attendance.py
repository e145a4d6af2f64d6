"""The sign-up and sign-in desk: built for a phone at the door, HTMX so nothing reloads."""

from __future__ import annotations

import math

from django.contrib import messages
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from activities import services
from activities.forms import WalkInForm
from activities.models import Activity, AlreadyCheckedIn, CheckInClosed, ParticipantRole, Participation
from activities.views.common import get_activity_for
from residents.models.resident import Resident, name_initials
from residents.scoping import community_view, get_object_for, require_editor


def _rows(activity: Activity, residents, query: str) -> list[dict]:
    """The residents found, each with their participation, then the walk-ins signed in whose
    name has the query in it or starts with it in pinyin initials, as a resident's is found, so
    that one typed wrongly can be found and taken back."""
    query = " ".join(query.split())
    initials = query.lower() if query.isascii() and query.isalpha() else ""
    # An activity has few walk-ins: their initials are worked out here rather than kept in a column.
    walk_ins = Q(resident__isnull=True, checked_in_at__isnull=False)
    if not initials:
        walk_ins &= Q(name__icontains=query)
    found = list(
        Participation.objects.filter(Q(resident__in=[r.pk for r in residents]) | walk_ins, activity=activity).order_by(
            "name", "pk"
        )
    )
    by_resident = {p.resident_id: p for p in found if p.resident_id}
    rows = [{"resident": r, "participation": by_resident.get(r.pk)} for r in residents]
    walk_ins_found = [p for p in found if not p.resident_id]
    if initials:
        walk_ins_found = [
            p for p in walk_ins_found if initials in p.name.lower() or name_initials(p.name).startswith(initials)
        ]
    return rows + [{"resident": None, "participation": p} for p in walk_ins_found]


def _closed_message(activity: Activity, now) -> str:
    """Why the desk counts nobody now and when it does; empty while sign-in is open."""
    if activity.is_check_in_open(now):
        return ""
    if now < activity.check_in_opens_at:
        opens = formats.date_format(timezone.localtime(activity.check_in_opens_at), "MONTH_DAY_TIME_FORMAT")
        return _("Sign-in opens at %(time)s, two hours before the start; nobody can be signed in yet.") % {
            "time": opens
        }
    day = formats.date_format(timezone.localdate(activity.ends_at), "MONTH_DAY_FORMAT")
    return _("Sign-in for this activity closed at the end of its day (%(date)s).") % {"date": day}


# The desk fetches its results again this long at most after it loaded (and then again): a
# longer browser timer overflows (about 24 days) or is lost when a phone sleeps.
DESK_REFRESH_MAX_SECONDS = 3600


def _refresh_in(moment, now) -> int:
    # One second late rather than early: a request a moment before is answered as before it.
    return min(math.ceil((moment - now).total_seconds()) + 1, DESK_REFRESH_MAX_SECONDS)


def _desk_state(activity: Activity, now) -> dict:
    """Whether the desk's 签到 buttons work now and, when not, the short note beside them: the
    buttons the server would refuse are shown disabled, not offered. Until sign-in opens, and
    while it is open, ``refresh_in`` is the seconds after which the page fetches its results
    again (``refresh`` says for which change), so that at the opening the buttons work and at
    the closing they grey out without anyone reloading (staff open the desk early at the door
    and may leave it open)."""
    if activity.is_check_in_open(now):
        return {
            "check_in_open": True,
            "check_in_note": "",
            "refresh": "closing",
            "refresh_in": _refresh_in(activity.check_in_closes_at, now),
        }
    if now < activity.check_in_opens_at:
        opens = formats.date_format(timezone.localtime(activity.check_in_opens_at), "MONTH_DAY_TIME_FORMAT")
        note = _("Sign-in opens at %(time)s") % {"time": opens}
        return {
            "check_in_open": False,
            "check_in_note": note,
            "refresh": "opening",
            "refresh_in": _refresh_in(activity.check_in_opens_at, now),
        }
    return {"check_in_open": False, "check_in_note": _("Sign-in closed"), "refresh": "", "refresh_in": None}


@community_view
def checkin_page(request: HttpRequest, pk: int) -> HttpResponse:
    """Search by name, pinyin initials or room; sign-ups not yet here are listed first."""
    activity = get_activity_for(request, pk, counts=True)
    return _desk(request, activity, query=request.GET.get("q", ""))


def _desk(
    request: HttpRequest,
    activity: Activity,
    *,
    query: str = "",
    typed: str = "",
    message: str = "",
    same_name: str = "",
):
    """The desk's page; a walk-in refused without htmx comes back with its name and why, and one
    named as a resident (``same_name``) with the residents found and the name ready to confirm."""
    now = timezone.now()
    context = {
        "activity": activity,
        "walkin_form": WalkInForm(),
        "now": now,
        **_desk_state(activity, now),
        "closed_message": _closed_message(activity, now),
        "walkin_typed": typed,
        "walkin_name": same_name,
        "walkin_confirm": same_name,
        "walkin_message": message,
        "walkin_level": "warning" if same_name else "error",
        **_search_context(request, activity, query),
    }
    return render(request, "activities/participation_checkin.html", context, status=400 if typed else 200)


def _search_context(request: HttpRequest, activity: Activity, query: str) -> dict:
    # A NUL byte (pasted or tampered) is refused by PostgreSQL; it is never part of a name.
    query = query.replace("\x00", "")
    if query.strip():
        residents = list(services.find_residents(request.community, query))
        return {"rows": _rows(activity, residents, query), "searched": True, "query": query}
    # Sign-ups and volunteers planned ahead who are not here yet.
    expected = Q(signed_up_at__isnull=False) | Q(role=ParticipantRole.VOLUNTEER)
    waiting = (
        activity.participations.filter(expected, checked_in_at__isnull=True, resident__isnull=False)
        .select_related("resident__room__unit__building")
        .order_by("name")
    )
    return {"rows": [{"resident": p.resident, "participation": p} for p in waiting], "searched": False, "query": ""}


@community_view
def checkin_search(request: HttpRequest, pk: int) -> HttpResponse:
    activity = get_activity_for(request, pk)
    now = timezone.now()
    context = {
        "activity": activity,
        "now": now,
        **_desk_state(activity, now),
        # Asked for by the page's own timer (``refresh``): at the opening or the closing, the
        # walk-in's 签到 and the notice above the search are brought up to date too.
        "opening": request.GET.get("opening") == "1",
        "closing": request.GET.get("closing") == "1",
        "closed_message": _closed_message(activity, now),
        **_search_context(request, activity, request.GET.get("q", "")),
    }
    context.update(_walkin_fill(request, context))
    return render(request, "activities/partials/checkin_results.html", context)


def _walkin_fill(request: HttpRequest, search: dict) -> dict:
    """After a search that finds nobody, the walk-in field below holds the text searched, so the
    name is not typed twice on a phone. The search sends the field and what it last put there
    (``filled``): a field the worker typed in is left alone. The cursor stays in the search: a
    pause while typing there would otherwise move it away mid-name."""
    if "name" not in request.GET:  # the desk's own refresh, or a viewer without the walk-in field
        return {}
    current, filled = request.GET["name"], request.GET.get("filled", "")
    if current.strip() and current != filled:
        return {}
    name = search["query"].strip() if search["searched"] and not search["rows"] else ""
    return {"walkin_fill": True, "walkin_name": name} if name != current else {}


def _answer(
    request: HttpRequest,
    activity: Activity,
    *,
    resident: Resident | None,
    message: str,
    level: str,
    confirm_needed: bool = False,
    typed: str = "",
    walk_in: Participation | None = None,
):
    """HTMX gets the changed row and the new headcount; a plain POST goes back to the desk.
    A walk-in's name refused (``typed``) stays in its field beside the reason; a walk-in signed
    in (``walk_in``) is put at the top of the results searched, as a resident signed in stays in
    them, or with no search above the sign-ups not here yet, under its own heading."""
    if not request.htmx:
        if typed:
            return _desk(request, Activity.objects.with_counts().get(pk=activity.pk), typed=typed, message=message)
        getattr(messages, level)(request, message)
        return redirect("activities:participation_checkin", pk=activity.pk)
    context = {**_answer_context(activity, message=message, level=level), "confirm_needed": confirm_needed}
    if resident is None:
        context["walkin_typed"] = typed
        context["row"] = {"resident": None, "participation": walk_in} if walk_in else None
        # With no search the list is of sign-ups not here yet: the walk-in goes in its own list.
        context["searching"] = bool(request.POST.get("q", "").strip())
        return render(request, "activities/partials/walkin_result.html", context)
    participation = Participation.objects.filter(activity=activity, resident=resident).first()
    context["row"] = {"resident": resident, "participation": participation}
    return render(request, "activities/partials/attendee_row.html", context)


def _answer_context(activity: Activity, *, message: str, level: str) -> dict:
    now = timezone.now()
    return {
        "activity": Activity.objects.with_counts().get(pk=activity.pk),
        "message": message,
        "level": level,
        "oob": True,
        "now": now,
        **_desk_state(activity, now),
    }


def _already_message(error: AlreadyCheckedIn) -> str:
    return _("%(name)s already signed in at %(time)s; not counted twice.") % {
        "name": error.participation.display_name,
        "time": timezone.localtime(error.participation.checked_in_at).strftime("%H:%M"),
    }


@community_view
@require_POST
def checkin_resident(request: HttpRequest, pk: int, resident_pk: int) -> HttpResponse:
    activity = get_activity_for(request, pk)
    resident = get_object_for(request, Resident.objects.select_related("room__unit__building"), pk=resident_pk)
    require_editor(request)
    now = timezone.now()
    try:
        services.check_in(activity, by=request.user, now=now, resident=resident)
    except AlreadyCheckedIn as error:
        return _answer(request, activity, resident=resident, message=_already_message(error), level="warning")
    except CheckInClosed:
        return _answer(request, activity, resident=resident, message=_closed_message(activity, now), level="error")
    return _answer(
        request,
        activity,
        resident=resident,
        message=_("%(name)s signed in.") % {"name": resident.name},
        level="success",
    )


@community_view
@require_POST
def checkin_walkin(request: HttpRequest, pk: int) -> HttpResponse:
    activity = get_activity_for(request, pk)
    require_editor(request)
    form = WalkInForm(request.POST)
    typed = request.POST.get("name", "").replace("\x00", "")
    if not form.is_valid():
        message = form.errors["name"][0]
        return _answer(request, activity, resident=None, message=message, level="error", typed=typed)
    name = form.cleaned_data["name"]
    now = timezone.now()
    if activity.is_check_in_open(now) and request.POST.get("confirm") != name:
        residents = list(services.residents_named(request.community, name))
        if residents:
            return _same_name(request, activity, name=name, residents=residents)
    try:
        participation = services.check_in(activity, by=request.user, now=now, name=name)
    except AlreadyCheckedIn as error:
        return _answer(request, activity, resident=None, message=_already_message(error), level="warning")
    except CheckInClosed:
        message = _closed_message(activity, now)
        return _answer(request, activity, resident=None, message=message, level="error", typed=typed)
    message = _("%(name)s signed in (walk-in).") % {"name": name}
    return _answer(request, activity, resident=None, message=message, level="success", walk_in=participation)


def _same_name(request: HttpRequest, activity: Activity, *, name: str, residents: list[Resident]) -> HttpResponse:
    """A walk-in typed with a resident's name is not signed in at once: the desk lists the
    residents found, as a search for the name does, each with its 签到, and the walk-in's 签到
    pressed again for the same name signs in another person of that name."""
    rooms = "、".join(r.room.label if r.room else _("No room") for r in residents)
    message = _(
        "%(name)s is on the residents' list (%(rooms)s). If it is the same person, press Sign in on "
        "their row above; if not, press the walk-in's Sign in again."
    ) % {"name": name, "rooms": rooms}
    if not request.htmx:
        counted = Activity.objects.with_counts().get(pk=activity.pk)
        return _desk(request, counted, query=name, message=message, same_name=name)
    context = {
        **_answer_context(activity, message=message, level="warning"),
        **_search_context(request, activity, name),
        "same_name": True,
        "walkin_name": name,
        "walkin_confirm": name,
    }
    return render(request, "activities/partials/walkin_result.html", context)


@community_view
@require_POST
def signup_resident(request: HttpRequest, pk: int, resident_pk: int) -> HttpResponse:
    """Sign a resident up. When every place is taken the organiser is warned and may confirm;
    anyone else is told to ask the organiser."""
    activity = get_activity_for(request, pk)
    resident = get_object_for(request, Resident.objects.select_related("room__unit__building"), pk=resident_pk)
    require_editor(request)
    may_overbook = activity.may_overbook(request.user)
    confirmed = may_overbook and request.POST.get("confirm") == "1"
    try:
        services.sign_up(
            activity, resident=resident, by=request.user, now=timezone.now(), allow_over_capacity=confirmed
        )
    except services.OverCapacity as full:
        figures = {"count": full.signed_up, "capacity": activity.capacity, "name": resident.name}
        if may_overbook:
            message = _("All %(capacity)s places are taken (%(count)s signed up). Sign up %(name)s anyway?") % figures
            return _answer(request, activity, resident=resident, message=message, level="warning", confirm_needed=True)
        message = _("All %(capacity)s places are taken. Please ask the organiser to add %(name)s.") % figures
        return _answer(request, activity, resident=resident, message=message, level="error")
    return _answer(
        request,
        activity,
        resident=resident,
        message=_("%(name)s signed up.") % {"name": resident.name},
        level="success",
    )


@community_view
@require_POST
def checkin_undo(request: HttpRequest, pk: int) -> HttpResponse:
    """Take back a sign-in tapped by mistake, from the desk (HTMX) or the activity page."""
    participation = get_object_or_404(
        Participation.objects.select_related("activity", "resident__room__unit__building"),
        pk=pk,
        activity__community=request.community,
    )
    require_editor(request)
    participation.undo_check_in()
    activity = participation.activity
    message = _("Sign-in of %(name)s taken back.") % {"name": participation.display_name}
    if request.htmx and participation.resident_id:
        return _answer(request, activity, resident=participation.resident, message=message, level="info")
    if request.htmx:
        # A walk-in taken back has no participation left: the row keeps the name beside the message.
        row = {"resident": None, "participation": participation}
        context = {**_answer_context(activity, message=message, level="info"), "row": row}
        return render(request, "activities/partials/attendee_row.html", context)
    messages.info(request, message)
    return redirect("activities:activity_detail", pk=activity.pk)
