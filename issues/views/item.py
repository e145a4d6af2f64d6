"""One item: its page, timeline entries, state changes, edits and photos."""

from __future__ import annotations

from datetime import datetime

from django.contrib import messages
from django.db.models import Q
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods, require_POST

from issues import services
from issues.callback import callee_of
from issues.forms import (
    CallbackForm,
    EditIssueForm,
    FollowUpForm,
    MergeForm,
    ReasonForm,
    ResolveForm,
    SettleForm,
)
from issues.models.category import ResponseTemplate
from issues.models.choices import IssueStatus, TransitionError
from issues.models.issue import Issue, StaleEdit
from issues.models.timeline import Attachment
from issues.selectors.names import hide_names
from issues.steps import Step, apply_step, cleaned, undo_step
from issues.views.common import end_of_day, get_issue_for
from residents.scoping import community_view, require_editor


@community_view
def issue_detail(request: HttpRequest, pk: int) -> HttpResponse:
    issue = get_issue_for(request, pk)
    now = timezone.now()
    return render(request, "issues/issue_detail.html", _detail_context(request, issue, now))


def _detail_context(request: HttpRequest, issue: Issue, now: datetime, **forms) -> dict:
    """The item's page. Its step forms are fetched when their button is opened (issue_step's
    GET) and its similar items after the page shows (issue_similar); only a refused step's
    form, given in ``forms`` with what was typed, is rendered in the page itself."""
    community = request.community
    hide_names(request.membership, [issue])
    followups = issue.followups.select_related(
        "author", "partner", "partner_contact", "related_issue"
    ).prefetch_related("attachments")
    return {
        "issue": issue,
        "now": now,
        "followups": followups,
        "merged": issue.merged.all(),
        # The 锦旗 and letters that thank for it (activities.Commendation), shown only when there are any.
        "commendations": issue.commendations.filter(community=community).select_related("giver"),
        "overdue": issue.is_overdue(now),
        "can_edit": request.membership.can_edit,
        "allowed": {s.value for s in IssueStatus if issue.allowed(s)},
        "hotline_case": issue.hotline_case_terms(),
        "followup_form": forms.pop("followup_form", None)
        or FollowUpForm(community=community, now=now, auto_id="fu_%s"),
        **forms,
        "templates": ResponseTemplate.objects.in_community(community).filter(
            Q(category__isnull=True) | Q(category=issue.category_id)
        ),
    }


@community_view
def issue_similar(request: HttpRequest, pk: int) -> HttpResponse:
    """Open items that look like the same problem: loaded into the item's page after it shows
    (HTMX), or as a page of its own from the page's link without JavaScript."""
    issue = get_issue_for(request, pk)
    similar = (
        services.find_similar(
            request.community,
            text=issue.text,
            room=issue.room,
            building=issue.building,
            place_text=issue.place_text,
            category=issue.category,
            exclude=issue,
        )
        if issue.is_open
        else []
    )
    hide_names(request.membership, [issue, *similar])
    template = "issues/partials/similar.html" if request.htmx else "issues/issue_similar.html"
    return render(request, template, {"issue": issue, "similar": similar})


@community_view
@require_POST
def followup_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Add to the timeline. With HTMX the timeline and the form come back in place."""
    issue = get_issue_for(request, pk)  # first: another community's item is a 404, not a 403
    require_editor(request)
    now = timezone.now()
    form = FollowUpForm(request.POST, request.FILES, community=request.community, now=now, auto_id="fu_%s")
    if form.is_valid():
        data = form.cleaned_data
        contact = data.get("partner_contact")
        try:
            services.add_followup(
                issue,
                by=request.user,
                now=now,
                kind=data["kind"],
                note=data["note"],
                partner=contact.partner if contact else None,
                partner_contact=contact,
                promised_at=end_of_day(data["promised_date"]) if data.get("promised_date") else None,
                photos=data.get("photos") or [],
            )
        except TransitionError as exc:
            form.add_error(None, str(exc))
        else:
            issue = get_issue_for(request, pk)
            form = FollowUpForm(community=request.community, now=now, auto_id="fu_%s")
            if not request.htmx:
                messages.success(request, _("Added to the timeline."))
                return redirect("issues:issue_detail", pk=pk)
    context = _detail_context(request, issue, now, followup_form=form)
    if request.htmx:
        return render(request, "issues/partials/timeline.html", context)
    return render(request, "issues/issue_detail.html", context, status=200 if form.is_valid() else 400)


def _settle_arguments(form: SettleForm) -> dict:
    data = form.cleaned_data
    contact = data.get("partner_contact")
    return {
        "method": data["handling_method"],
        "partner": contact.partner if contact else None,
        "partner_contact": contact,
        "owner": data.get("owner"),
        "due_at": end_of_day(data["due_date"]) if data.get("due_date") else None,
        "note": data["note"],
        "promised_at": end_of_day(data["promised_date"]) if data.get("promised_date") else None,
    }


def _settle_form_kwargs(request: HttpRequest, issue: Issue, now: datetime) -> dict:
    return {"community": request.community, "now": now, "initial": {"owner": issue.owner_id}}


def _merge_form_kwargs(request: HttpRequest, issue: Issue, now: datetime) -> dict:
    return {"issue": issue}


def _now_in_status(issue: Issue) -> str:
    message = _("%(code)s is now “%(status)s”.") % {"code": issue.code, "status": issue.get_status_display()}
    # Set by the closing step (Issue._move): its open morning-meeting tasks are done with it.
    finished = getattr(issue, "finished_tasks", 0)
    if finished:
        message += " " + ngettext(
            "%(n)s morning meeting task linked to it is marked done.",
            "%(n)s morning meeting tasks linked to it are marked done.",
            finished,
        ) % {"n": finished}
    return message


#: The item's state changes, by the name its URL passes to ``issue_step``. The prefix is also
#: the form's name in the page context and the panel that opens when it is refused.
ISSUE_STEPS: dict[str, Step] = {
    "settle": Step(
        form_class=SettleForm,
        method="settle",
        arguments=_settle_arguments,
        message=_now_in_status,
        prefix="settle_form",
        form_kwargs=_settle_form_kwargs,
    ),
    "resolve": Step(
        form_class=ResolveForm,
        method="resolve",
        arguments=cleaned("result", "note"),
        message=_now_in_status,
        prefix="resolve_form",
        undo=services.undo_close,
    ),
    "callback": Step(
        form_class=CallbackForm,
        method="callback",
        arguments=cleaned("satisfaction", "method", "note"),
        message=_now_in_status,
        prefix="callback_form",
    ),
    "resume": Step(
        form_class=ReasonForm,
        method="resume",
        arguments=cleaned("note"),
        message=_now_in_status,
        prefix="resume_form",
    ),
    "not_ours": Step(
        form_class=ReasonForm,
        method="close_not_ours",
        arguments=cleaned("note"),
        message=_now_in_status,
        prefix="not_ours_form",
        undo=services.undo_close,
    ),
    "reopen": Step(
        form_class=ReasonForm,
        method="reopen",
        arguments=cleaned("note"),
        message=_now_in_status,
        prefix="reopen_form",
    ),
    "merge": Step(
        form_class=MergeForm,
        method="merge_into",
        arguments=lambda form: {"target": form.target, "note": form.cleaned_data["note"]},
        message=_now_in_status,
        prefix="merge_form",
        form_kwargs=_merge_form_kwargs,
    ),
}


#: Each step's submit button: its words and its colour.
STEP_BUTTONS: dict[str, tuple[str, str]] = {
    "settle": (gettext_lazy("Save handling"), "btn-primary"),
    "resolve": (gettext_lazy("Mark as done"), "btn-success"),
    "callback": (gettext_lazy("Save callback"), "btn-success"),
    "resume": (gettext_lazy("Back from partner"), "btn-primary"),
    "not_ours": (gettext_lazy("Close as not our duty / explained"), "btn-secondary"),
    "reopen": (gettext_lazy("Reopen"), "btn-danger"),
    "merge": (gettext_lazy("Merge as duplicate"), "btn-secondary"),
}


def _step_context(issue: Issue, step: str, form) -> dict:
    label, button = STEP_BUTTONS[step]
    return {
        "step": step,
        "step_form": form,
        "step_url": reverse(f"issues:issue_{step}", args=[issue.pk]),
        "step_label": label,
        "step_button": button,
        # The 回访 form says whom to call (masked; the logged reveal beside it).
        "callee": callee_of(issue) if step == "callback" else None,
    }


@community_view
@require_http_methods(["GET", "POST"])
def issue_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    """One state change from a small form (see ISSUE_STEPS). GET shows the empty form: into
    the item's page when its button is opened (HTMX), or as a page of its own without
    JavaScript. POST applies it; a refusal comes back in the item's page with what was typed."""
    issue = get_issue_for(request, pk)  # first: another community's item is a 404, not a 403
    require_editor(request)
    now = timezone.now()
    declared = ISSUE_STEPS[step]
    if request.method == "GET":
        form = declared.form(request, issue, now)
        # The form arrives after a click: the keyboard's focus goes to its first field.
        first = next(iter(form.fields.values()), None)
        if first is not None:
            first.widget.attrs["autofocus"] = True
        context = {"issue": issue, **_step_context(issue, step, form)}
        template = "issues/partials/step_form.html" if request.htmx else "issues/issue_step.html"
        return render(request, template, context)
    form = apply_step(request, declared, issue, now=now, name=step, undo_url=reverse("issues:issue_undo", args=[pk]))
    if form is None:
        return redirect("issues:issue_detail", pk=pk)
    context = _detail_context(request, get_issue_for(request, pk), now, **{declared.prefix: form})
    context |= _step_context(issue, step, form) | {"open_panel": declared.prefix}
    return render(request, "issues/issue_detail.html", context, status=400)


@community_view
@require_POST
def issue_undo(request: HttpRequest, pk: int) -> HttpResponse:
    """The 撤销 button of a step's message: reverses that step within 10 seconds (see undo_step)."""
    issue = get_issue_for(request, pk)  # first: another community's item is a 404, not a 403
    require_editor(request)
    undo_step(request, ISSUE_STEPS, issue, now=timezone.now())
    return redirect("issues:issue_detail", pk=pk)


@community_view
def issue_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Correct details. If someone saved in between, nothing is overwritten: the form comes
    back with what this user typed and says so."""
    issue = get_issue_for(request, pk)  # first: another community's item is a 404, not a 403
    require_editor(request)
    if request.method == "POST":
        form = EditIssueForm(request.POST, instance=issue, community=request.community)
        if form.is_valid():
            changes = {name: form.cleaned_data[name] for name in EditIssueForm.Meta.fields}
            try:
                issue.edit(by=request.user, now=timezone.now(), version=form.cleaned_data["version"], changes=changes)
            except StaleEdit:
                form.add_error(
                    None,
                    _(
                        "Someone else changed this item while you were editing. Your text is kept below; "
                        "open the item in a new tab to see their change, then save again."
                    ),
                )
                # The next save is checked against what is stored now.
                form.data = form.data.copy()
                form.data["version"] = issue.version
            else:
                messages.success(request, _("Saved."))
                return redirect("issues:issue_detail", pk=pk)
    else:
        form = EditIssueForm(instance=issue, community=request.community)
    return render(request, "issues/issue_edit.html", {"form": form, "issue": issue})


@community_view
def attachment_file(request: HttpRequest, pk: int) -> FileResponse:
    """Photos are served only to users who may see their item; others get a 404."""
    attachment = get_object_or_404(Attachment, pk=pk, issue__community=request.community)
    shown = attachment.thumbnail if request.GET.get("size") == "thumb" and attachment.thumbnail else attachment.file
    return FileResponse(shown.open("rb"), content_type=attachment.content_type)
