"""One item: its page, timeline entries, state changes, edits and photos."""

from __future__ import annotations

from datetime import datetime

from django.contrib import messages
from django.db.models import Q
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from issues import services
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
from issues.models.issue import Issue, IssueStatus, StaleEdit, TransitionError
from issues.models.timeline import Attachment
from issues.views.common import end_of_day, get_issue_for
from residents.scoping import community_view, require_editor


@community_view
def issue_detail(request: HttpRequest, pk: int) -> HttpResponse:
    issue = get_issue_for(request, pk)
    now = timezone.now()
    return render(request, "issues/issue_detail.html", _detail_context(request, issue, now))


def _detail_context(request: HttpRequest, issue: Issue, now: datetime, **forms) -> dict:
    community = request.community
    followups = issue.followups.select_related(
        "author", "partner", "partner_contact", "related_issue"
    ).prefetch_related("attachments")
    return {
        "issue": issue,
        "now": now,
        "followups": followups,
        "merged": issue.merged.all(),
        "overdue": issue.is_overdue(now),
        "can_edit": request.membership.can_edit,
        "allowed": {s.value for s in IssueStatus if issue.allowed(s)},
        "followup_form": forms.get("followup_form") or FollowUpForm(community=community, now=now, auto_id="fu_%s"),
        "settle_form": forms.get("settle_form")
        or SettleForm(community=community, now=now, initial={"owner": issue.owner_id}, auto_id="settle_form_%s"),
        "resolve_form": forms.get("resolve_form") or ResolveForm(auto_id="resolve_form_%s"),
        "callback_form": forms.get("callback_form") or CallbackForm(auto_id="callback_form_%s"),
        "resume_form": forms.get("resume_form") or ReasonForm(auto_id="resume_form_%s"),
        "not_ours_form": forms.get("not_ours_form") or ReasonForm(auto_id="not_ours_form_%s"),
        "reopen_form": forms.get("reopen_form") or ReasonForm(auto_id="reopen_form_%s"),
        "merge_form": forms.get("merge_form") or MergeForm(issue=issue, auto_id="merge_form_%s"),
        "templates": ResponseTemplate.objects.in_community(community).filter(
            Q(category__isnull=True) | Q(category=issue.category_id)
        ),
        "similar": services.find_similar(
            community, text=issue.text, room=issue.room, building=issue.building, category=issue.category, exclude=issue
        )
        if issue.is_open
        else [],
    }


@community_view
@require_POST
def followup_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Add to the timeline. With HTMX the timeline and the form come back in place."""
    require_editor(request)
    issue = get_issue_for(request, pk)
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


def _transition(request: HttpRequest, pk: int, form_class, form_key: str, action):
    """Run one transition from a small POST form; refusals keep what was typed."""
    require_editor(request)
    issue = get_issue_for(request, pk)
    now = timezone.now()
    kwargs = {"community": request.community, "now": now} if form_class is SettleForm else {}
    if form_class is MergeForm:
        kwargs = {"issue": issue}
    form = form_class(request.POST, auto_id=f"{form_key}_%s", **kwargs)
    if form.is_valid():
        try:
            action(issue, form, now)
        except TransitionError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request, _("%(code)s is now “%(status)s”.") % {"code": issue.code, "status": issue.get_status_display()}
            )
            return redirect("issues:issue_detail", pk=pk)
    messages.error(request, _("Not saved: please check the form below."))
    context = _detail_context(request, get_issue_for(request, pk), now, **{form_key: form})
    context["open_panel"] = form_key
    return render(request, "issues/issue_detail.html", context, status=400)


@community_view
@require_POST
def issue_settle(request: HttpRequest, pk: int) -> HttpResponse:
    def action(issue, form, now):
        data = form.cleaned_data
        contact = data.get("partner_contact")
        issue.settle(
            by=request.user,
            now=now,
            method=data["handling_method"],
            partner=contact.partner if contact else None,
            partner_contact=contact,
            owner=data.get("owner"),
            due_at=end_of_day(data["due_date"]) if data.get("due_date") else None,
            note=data["note"],
        )

    return _transition(request, pk, SettleForm, "settle_form", action)


@community_view
@require_POST
def issue_resolve(request: HttpRequest, pk: int) -> HttpResponse:
    def action(issue, form, now):
        issue.resolve(by=request.user, now=now, result=form.cleaned_data["result"], note=form.cleaned_data["note"])

    return _transition(request, pk, ResolveForm, "resolve_form", action)


@community_view
@require_POST
def issue_callback(request: HttpRequest, pk: int) -> HttpResponse:
    def action(issue, form, now):
        data = form.cleaned_data
        issue.callback(
            by=request.user, now=now, satisfaction=data["satisfaction"], method=data["method"], note=data["note"]
        )

    return _transition(request, pk, CallbackForm, "callback_form", action)


@community_view
@require_POST
def issue_resume(request: HttpRequest, pk: int) -> HttpResponse:
    def action(issue, form, now):
        issue.resume(by=request.user, now=now, note=form.cleaned_data["note"])

    return _transition(request, pk, ReasonForm, "resume_form", action)


@community_view
@require_POST
def issue_not_ours(request: HttpRequest, pk: int) -> HttpResponse:
    def action(issue, form, now):
        issue.close_not_ours(by=request.user, now=now, note=form.cleaned_data["note"])

    return _transition(request, pk, ReasonForm, "not_ours_form", action)


@community_view
@require_POST
def issue_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    def action(issue, form, now):
        issue.reopen(by=request.user, now=now, note=form.cleaned_data["note"])

    return _transition(request, pk, ReasonForm, "reopen_form", action)


@community_view
@require_POST
def issue_merge(request: HttpRequest, pk: int) -> HttpResponse:
    def action(issue, form, now):
        issue.merge_into(form.target, by=request.user, now=now, note=form.cleaned_data["note"])

    return _transition(request, pk, MergeForm, "merge_form", action)


@community_view
def issue_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Correct details. If someone saved in between, nothing is overwritten: the form comes
    back with what this user typed and says so."""
    require_editor(request)
    issue = get_issue_for(request, pk)
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
    return FileResponse(attachment.file.open("rb"), content_type=attachment.content_type)


# --- partners -------------------------------------------------------------------------
