"""Patrol pages for a phone: start, walk the route tapping items, log what is new, end.

The walking page posts taps with fetch and gets JSON back (header ``X-Requested-With:
fetch``); without JavaScript the same forms post and redirect. Every read is scoped through
residents.scoping; every write is one call into issues.patrol or issues.services."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from issues import services
from issues.models.choices import OPEN_STATES, TransitionError
from issues.models.issue import Issue
from issues.models.timeline import Attachment
from issues.patrol.forms import CheckForm, EndForm, FindForm, StopForm, UndoForm
from issues.patrol.models import CHECK_OUTCOMES, Outcome, Patrol, PatrolCheck, PatrolStop
from issues.patrol.services import (
    CheckIdInUse,
    earlier_check,
    group_by_stop,
    record_check,
    record_find,
    undo_check,
)
from issues.selectors.names import hide_names
from residents.places import resolve_place
from residents.scoping import community_view, get_object_for, require_editor, scoped

#: The taps on an item's card, in the order of its buttons.
WALK_TAPS = [Outcome.STILL, Outcome.SOLVED, Outcome.WORSE]


def get_patrol_for(request: HttpRequest, pk: int) -> Patrol:
    """The one access helper for a patrol: another community's patrol is a 404."""
    return get_object_for(request, Patrol.objects.select_related("staff"), pk=pk)


def _walker(request: HttpRequest, patrol: Patrol) -> None:
    """Only the person walking may tap, and only while the patrol is on."""
    require_editor(request)
    if patrol.staff_id != request.user.pk:
        raise PermissionDenied


def _wants_json(request: HttpRequest) -> bool:
    return request.headers.get("X-Requested-With") == "fetch"


def _stops(request: HttpRequest) -> list[PatrolStop]:
    return list(scoped(request, PatrolStop.objects.select_related("zone", "building")).order_by("position", "id"))


@community_view
def patrol_start(request: HttpRequest) -> HttpResponse:
    """Start a walk, or go back to the one under way; recent walks below."""
    patrols = scoped(request, Patrol.objects.select_related("staff"))
    if request.method == "POST":
        require_editor(request)
        ongoing = patrols.ongoing().filter(staff=request.user).first()
        if ongoing is None:
            ongoing = Patrol.objects.create(community=request.community, staff=request.user, started_at=timezone.now())
        return redirect("issues:patrol_detail", ongoing.pk)
    context = {
        "ongoing": patrols.ongoing().filter(staff=request.user).first(),
        "recent": patrols.order_by("-started_at")[:10],
        "stop_count": scoped(request, PatrolStop.objects.all()).count(),
        "can_edit": request.membership.can_edit,
    }
    return render(request, "issues/patrol/patrol_start.html", context)


def _case_step_url(case_pk: int, first_contact_at) -> str:
    """The 12345 case's step that closes it, as the item's page links it (答复, or first the 首次联系)."""
    step = "reply" if first_contact_at else "first_contact"
    return f"{reverse('issues:hotline_detail', args=[case_pk])}?step={step}"


def _mark(issue: Issue, outcome: str, client_id) -> None:
    """What the item's card shows of this walk: its last tap (or its logging) and that tap's id;
    and the 12345 case behind it (read with ``select_related("hotline")``), which only its
    answer on the case page closes: a 已解决 tap left the item open."""
    issue.patrol_outcome, issue.patrol_check = outcome, client_id
    issue.patrol_found = outcome in {Outcome.NEW, Outcome.REPEAT}
    issue.patrol_label = Outcome(outcome).label if outcome else ""
    case = getattr(issue, "hotline", None)
    issue.patrol_case = case
    issue.patrol_awaits_reply = case is not None and outcome == Outcome.SOLVED and issue.is_open
    issue.patrol_case_url = _case_step_url(case.pk, case.first_contact_at) if case is not None else ""
    # The tap's id when the form is posted without JavaScript (patrol.js makes its own).
    issue.tap_id = uuid.uuid4()


def _walk_context(request: HttpRequest, patrol: Patrol, find_form: FindForm | None = None, similar=()) -> dict:
    stops = _stops(request)
    checked_here = PatrolCheck.objects.filter(patrol=patrol).values_list("issue_id", "outcome", "client_id")
    last_check = {pk: (outcome, client_id) for pk, outcome, client_id in checked_here}
    last_outcome = {pk: outcome for pk, (outcome, _client_id) in last_check.items()}
    items = list(
        scoped(request, Issue.objects.with_list_data().select_related("hotline"))
        .filter(Q(status__in=OPEN_STATES) | Q(pk__in=[pk for pk, outcome in last_outcome.items()]))
        .order_by("received_at", "id")
    )
    for issue in items:
        _mark(issue, *last_check.get(issue.pk, ("", "")))
    # 其他地点 is there even when empty (hidden): a problem logged there on the walk goes in it.
    groups = group_by_stop(stops, items, keep=last_check.keys())
    found = [pk for pk, outcome in last_outcome.items() if outcome in {Outcome.NEW, Outcome.REPEAT}]
    return {
        "patrol": patrol,
        "groups": groups,
        "outcomes": WALK_TAPS,
        "find_form": find_form or FindForm(community=request.community),
        "similar": similar,
        "found_count": len(found),
        "checked_count": sum(1 for o in last_outcome.values() if o not in {Outcome.NEW, Outcome.REPEAT}),
    }


@community_view
def patrol_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The walking page: open items grouped by the route's stops, in the route's order."""
    patrol = get_patrol_for(request, pk)
    if not patrol.is_ongoing or patrol.staff_id != request.user.pk:
        return redirect("issues:patrol_summary", patrol.pk)
    services.ensure_default_categories(request.community)
    return render(request, "issues/patrol/patrol_walk.html", _walk_context(request, patrol))


def _not_saved(request: HttpRequest, errors, status=400) -> JsonResponse:
    return JsonResponse({"status": "invalid", "errors": errors}, status=status)


@require_POST
@community_view
def patrol_check(request: HttpRequest, pk: int) -> HttpResponse:
    """One tap on an item: 还在 / 已解决 / 更严重, with an optional note and photo."""
    patrol = get_patrol_for(request, pk)
    _walker(request, patrol)
    form = CheckForm(request.POST, request.FILES)
    if not form.is_valid():
        if _wants_json(request):
            return _not_saved(request, form.errors)
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect("issues:patrol_detail", patrol.pk)
    data = form.cleaned_data
    issue = get_object_for(request, Issue, pk=data["issue"])
    try:
        existing = earlier_check(patrol, data["client_id"])
    except CheckIdInUse as exc:
        return _not_saved(request, {"__all__": [str(exc)]}, status=409)
    if existing is None and not patrol.is_ongoing:
        return _not_saved(request, {"__all__": [_("This patrol has ended.")]}, status=409)
    if existing is None and not issue.is_open:
        return _not_saved(request, {"__all__": [_("This item is no longer open.")]}, status=409)
    check, created = record_check(
        patrol,
        issue=issue,
        outcome=data["outcome"],
        by=request.user,
        now=timezone.now(),
        client_id=data["client_id"],
        note=data["note"],
        photos=[data["photo"]] if data.get("photo") else [],
    )
    answer = {"status": "saved" if created else "duplicate", "issue": issue.pk, "outcome": check.outcome}
    case = issue.hotline_case_terms() if check.outcome == Outcome.SOLVED and issue.is_open else None
    if case is not None:
        # A 12345 item stays open until its case is answered: the tap is no 已解决 on its own (the
        # card says the same after a reload, patrol_item.html).
        answer["message"] = _("Recorded; the item is closed only once the 12345 case is answered on its page.")
        url = _case_step_url(case["case_pk"], case["first_contact_at"])
        answer["link"] = {"url": url, "text": _("Reply on the 12345 case")}
    if _wants_json(request):
        return JsonResponse(answer, status=201 if created else 200)
    if case is not None:
        messages.warning(request, _("%(code)s: %(message)s") % {"code": issue.code, "message": answer["message"]})
    else:
        messages.success(
            request, _("%(code)s: %(outcome)s") % {"code": issue.code, "outcome": check.get_outcome_display()}
        )
    return redirect("issues:patrol_detail", patrol.pk)


@require_POST
@community_view
def patrol_undo(request: HttpRequest, pk: int) -> HttpResponse:
    """撤销 on a tapped item: the tap named by its ``client_id`` is taken back and the item can
    be tapped again. A tap already taken back (a re-sent 撤销) answers as a duplicate."""
    patrol = get_patrol_for(request, pk)
    _walker(request, patrol)
    form = UndoForm(request.POST)
    if not form.is_valid():
        return _not_saved(request, form.errors)
    checks = patrol.checks.filter(outcome__in=CHECK_OUTCOMES).select_related("issue", "followup")
    check = checks.filter(client_id=form.cleaned_data["client_id"]).first()
    if check is not None and not patrol.is_ongoing:
        return _not_saved(request, {"__all__": [_("This patrol has ended.")]}, status=409)
    try:
        undone = check is not None and undo_check(check, by=request.user, now=timezone.now())
    except TransitionError as exc:
        if _wants_json(request):
            return _not_saved(request, {"__all__": [str(exc)]}, status=409)
        messages.error(request, str(exc))
        return redirect("issues:patrol_detail", patrol.pk)
    if _wants_json(request):
        return JsonResponse({"status": "undone" if undone else "duplicate"})
    if undone:
        messages.success(request, _("%(code)s: tap taken back, choose again.") % {"code": check.issue.code})
    return redirect("issues:patrol_detail", patrol.pk)


@require_POST
@community_view
def patrol_find(request: HttpRequest, pk: int) -> HttpResponse:
    """A new problem seen on the walk: logged with channel 巡查, or offered as a repeat of the
    open item it looks like first."""
    patrol = get_patrol_for(request, pk)
    _walker(request, patrol)
    form = FindForm(request.POST, request.FILES, community=request.community)
    if not form.is_valid():
        if _wants_json(request):
            return _not_saved(request, form.errors)
        return render(request, "issues/patrol/patrol_walk.html", _walk_context(request, patrol, form), status=400)
    data = form.cleaned_data
    try:
        existing = earlier_check(patrol, data["client_id"])
    except CheckIdInUse as exc:
        return _not_saved(request, {"__all__": [str(exc)]}, status=409)
    if existing is not None:
        return _find_done(request, patrol, existing, created=False)
    if not patrol.is_ongoing:
        return _not_saved(request, {"__all__": [_("This patrol has ended.")]}, status=409)
    place = resolve_place(request.community, data["place"])
    category = data.get("category") or services.suggest_category(request.community, data["text"])
    same_as = None
    if data["decision"] == "":
        similar = services.find_similar(
            request.community,
            text=data["text"],
            room=place.room,
            building=place.building,
            place_text=place.text,
            category=category,
        )
        if similar:
            if _wants_json(request):
                rows = [{"id": i.pk, "code": i.code, "text": i.text[:60], "place": i.place_label} for i in similar]
                return JsonResponse({"status": "similar", "similar": rows})
            return render(request, "issues/patrol/patrol_walk.html", _walk_context(request, patrol, form, similar))
    elif data["decision"] != "new":
        same_as = get_object_for(request, Issue, pk=int(data["decision"]))
        if not same_as.is_open:
            return _not_saved(request, {"__all__": [_("This item is no longer open.")]}, status=409)
    check, created = record_find(
        patrol,
        by=request.user,
        now=timezone.now(),
        client_id=data["client_id"],
        text=data["text"],
        place=place,
        category=category,
        same_as=same_as,
        photos=[data["photo"]] if data.get("photo") else [],
    )
    return _find_done(request, patrol, check, created=created)


def _find_done(request: HttpRequest, patrol: Patrol, check: PatrolCheck, *, created: bool) -> HttpResponse:
    issue = check.issue
    if check.outcome == Outcome.REPEAT:
        text = _("Added as a repeat report to %(code)s.") % {"code": issue.code}
    else:
        text = _("Logged %(code)s.") % {"code": issue.code}
    if _wants_json(request):
        return JsonResponse(
            {"status": "saved" if created else "duplicate", "code": issue.code, "message": text}
            | _found_card(request, patrol, check),
            status=201 if created else 200,
        )
    messages.success(request, text)
    return redirect("issues:patrol_detail", patrol.pk)


def _found_card(request: HttpRequest, patrol: Patrol, check: PatrolCheck) -> dict:
    """The logged item's card and the stop it goes under (``""``: 其他地点), as the walking page
    would show it after a reload: patrol.js puts it in place when the find is saved."""
    issue = Issue.objects.with_list_data().select_related("hotline").get(pk=check.issue_id)
    _mark(issue, check.outcome, check.client_id)
    stop = next(stop for stop, items in group_by_stop(_stops(request), [issue], keep={issue.pk}) if items)
    context = {"issue": issue, "patrol": patrol, "outcomes": WALK_TAPS}
    html = render_to_string("issues/patrol/partials/patrol_item.html", context, request=request)
    return {"issue": issue.pk, "stop": stop.pk if stop else "", "html": html}


@community_view
def patrol_end(request: HttpRequest, pk: int) -> HttpResponse:
    """The checklist and the places covered; ending keeps the summary on the record."""
    patrol = get_patrol_for(request, pk)
    _walker(request, patrol)
    if not patrol.is_ongoing:
        return redirect("issues:patrol_summary", patrol.pk)
    stops = _stops(request)
    if request.method == "POST":
        form = EndForm(request.POST, stops=stops)
        if form.is_valid():
            patrol.end(
                by=request.user,
                now=timezone.now(),
                places=form.cleaned_data["places"],
                checklist=form.checklist(),
                summary=form.cleaned_data["summary"],
            )
            messages.success(request, _("Patrol ended and saved."))
            return redirect("issues:patrol_summary", patrol.pk)
    else:
        checked = list(patrol.checks.select_related("issue__room__unit__building", "issue__building"))
        visited = [s.label for s in stops if any(s.covers(c.issue) for c in checked)]
        recorded = {f"check_{item}": result for item, result in patrol.recorded_checklist().items()}
        form = EndForm(stops=stops, initial={"places": visited, **recorded})
    return render(request, "issues/patrol/patrol_end.html", {"patrol": patrol, "form": form})


@community_view
def patrol_summary(request: HttpRequest, pk: int) -> HttpResponse:
    """The record of one walk: times, places, checklist, what was checked and found, photos."""
    patrol = get_patrol_for(request, pk)
    checks = list(patrol.checks.select_related("issue__room__unit__building", "issue__building", "followup"))
    hide_names(request.membership, [check.issue for check in checks])
    # A photo goes with the tap it was taken on (its timeline entry): the item and its place say
    # where it was taken.
    by_followup = {c.followup_id: c for c in checks if c.followup_id}
    photos = list(Attachment.objects.filter(followup_id__in=list(by_followup)).order_by("pk"))
    for photo in photos:
        photo.check = by_followup[photo.followup_id]
    context = {
        "patrol": patrol,
        "checks": checks,
        "photos": photos,
        # Beside the counts the ended walk keeps (solved_count: the taps that closed their item).
        "awaiting_reply": sum(1 for c in checks if c.awaits_reply) if patrol.ended_at else 0,
        "can_walk": patrol.is_ongoing and patrol.staff_id == request.user.pk,
    }
    return render(request, "issues/patrol/patrol_summary.html", context)


@community_view
def patrol_route(request: HttpRequest) -> HttpResponse:
    """The community's route: add stops, put them in walking order."""
    can_edit = request.membership.can_edit
    if request.method == "POST":
        require_editor(request)
        form = StopForm(request.POST, community=request.community)
        if form.is_valid():
            last = scoped(request, PatrolStop.objects.all()).order_by("-position").first()
            PatrolStop.objects.create(
                community=request.community,
                position=last.position + 1 if last else 0,
                zone=form.cleaned_data["zone"],
                building=form.cleaned_data["building"],
                name=form.cleaned_data["name"],
            )
            return redirect("issues:patrol_route")
    else:
        form = StopForm(community=request.community)
    context = {"stops": _stops(request), "form": form, "can_edit": can_edit}
    return render(request, "issues/patrol/patrol_route.html", context)


@require_POST
@community_view
def patrol_stop_move(request: HttpRequest, pk: int) -> HttpResponse:
    stop = get_object_for(request, PatrolStop, pk=pk)
    require_editor(request)
    if request.POST.get("delete"):
        label = stop.label
        stop.delete()
        messages.success(request, _("%(place)s removed from the patrol route.") % {"place": label})
        return redirect("issues:patrol_route")
    PatrolStop.move(stop, up=request.POST.get("direction") == "up")
    return redirect(f"{reverse('issues:patrol_route')}#stop-{pk}")
