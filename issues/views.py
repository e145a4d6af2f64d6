"""Views of the 民情日记. Every write is one model or service call; every read is scoped."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Min, Prefetch, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_filters.views import FilterView

from issues import services
from issues.exports import issues_workbook
from issues.filters import IssueFilter
from issues.forms import (
    CallbackForm,
    CategoryForm,
    EditIssueForm,
    FollowUpForm,
    MergeForm,
    PartnerContactFormSet,
    PartnerForm,
    QuickEntryForm,
    ReasonForm,
    ReminderSettingsForm,
    ResolveForm,
    ResponseTemplateForm,
    SettleForm,
)
from issues.models import (
    OPEN_STATES,
    Attachment,
    FollowUp,
    FollowUpKind,
    Issue,
    IssueCategory,
    Notification,
    Partner,
    ReminderSettings,
    ResponseTemplate,
    Status,
    TransitionError,
)
from residents.scoping import CommunityRequiredMixin, community_view, get_object_for, require_editor, scoped


def get_issue_for(request: HttpRequest, pk: int) -> Issue:
    """The one access helper for an item: another community's item is a 404."""
    return get_object_for(request, Issue.objects.with_list_data(), pk=pk)


def end_of_day(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(18, 0)))


# --- list, export, diary -------------------------------------------------------


class IssueListView(CommunityRequiredMixin, FilterView):
    filterset_class = IssueFilter
    template_name = "issues/issue_list.html"
    paginate_by = 30

    def get_queryset(self):
        return scoped(self.request, Issue.objects.with_list_data())

    def get_filterset_kwargs(self, filterset_class):
        kwargs = super().get_filterset_kwargs(filterset_class)
        kwargs["community"] = self.request.community
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        params = self.request.GET.copy()
        params.pop("page", None)
        context.update(nav="issues", query_string=params.urlencode(), now=timezone.now())
        return context


@community_view
def issue_export(request: HttpRequest) -> HttpResponse:
    """The filtered list as the Excel 台账 a 街道 expects; phones never appear unmasked."""
    filterset = IssueFilter(
        request.GET, queryset=scoped(request, Issue.objects.with_list_data()), community=request.community
    )
    rows = filterset.qs.prefetch_related(
        Prefetch("followups", queryset=FollowUp.objects.filter(kind=FollowUpKind.CALLBACK), to_attr="callbacks")
    )
    content = issues_workbook(rows)
    filename = f"minqing-{timezone.localdate():%Y%m%d}.xlsx"
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@community_view
def issue_diary(request: HttpRequest, day: str | None = None) -> HttpResponse:
    """The 民情日记 of one day: logged, handled and closed, printable on A4."""
    try:
        the_day = date.fromisoformat(day) if day else timezone.localdate()
    except ValueError:
        raise Http404 from None
    start = timezone.make_aware(datetime.combine(the_day, time.min))
    end = start + timedelta(days=1)
    issues = scoped(request, Issue.objects.with_list_data())
    logged = issues.filter(received_at__gte=start, received_at__lt=end).order_by("received_at")
    followups = (
        FollowUp.objects.filter(issue__community=request.community, created_at__gte=start, created_at__lt=end)
        .exclude(kind=FollowUpKind.REPORT, to_status=Status.PENDING)
        .select_related("issue", "author", "partner_contact__partner")
        .order_by("created_at")
    )
    closed = issues.filter(closed_at__gte=start, closed_at__lt=end).order_by("closed_at")
    context = {
        "nav": "issues",
        "day": the_day,
        "previous_day": the_day - timedelta(days=1),
        "next_day": the_day + timedelta(days=1),
        "logged": logged,
        "followups": followups,
        "closed": closed,
    }
    context["counts"] = {"logged": len(logged), "handled": len(followups), "closed": len(closed)}
    return render(request, "issues/issue_diary.html", context)


# --- quick entry -----------------------------------------------------------------


@community_view
def issue_create(request: HttpRequest) -> HttpResponse:
    """Quick entry for 8:30. Both outcomes save and come back with the channel kept."""
    require_editor(request)
    services.ensure_default_categories(request.community)
    now = timezone.now()
    if request.method == "POST":
        form = QuickEntryForm(request.POST, request.FILES, community=request.community, now=now)
        same_as = request.POST.get("same_as")
        if form.is_valid() and same_as:
            target = get_issue_for(request, int(same_as))
            return _add_as_repeat(request, form, target, now)
        if form.is_valid():
            issue = _log_from_form(request, form, now)
            messages.success(
                request, _("Saved %(code)s (%(status)s).") % {"code": issue.code, "status": issue.get_status_display()}
            )
            return redirect(f"{reverse('issues:issue_create')}?channel={form.cleaned_data['channel']}")
    else:
        form = QuickEntryForm(
            initial={"channel": request.GET.get("channel", "wechat"), "owner": request.user},
            community=request.community,
            now=now,
        )
    context = {
        "form": form,
        "nav": "issues",
        "similar": _similar_for(request, form) if form.is_bound else [],
        "recent": Issue.objects.in_community(request.community)
        .filter(created_by=request.user, created_at__gte=now - timedelta(hours=12))
        .with_list_data()
        .order_by("-created_at")[:8],
    }
    return render(request, "issues/issue_form.html", context)


def _log_from_form(request: HttpRequest, form: QuickEntryForm, now: datetime) -> Issue:
    data = form.cleaned_data
    settle = None
    if request.POST.get("outcome") == "settle":
        contact = data.get("partner_contact")
        settle = {
            "method": data["handling_method"],
            "partner": contact.partner if contact else None,
            "partner_contact": contact,
            "due_at": end_of_day(data["due_date"]) if data.get("due_date") else None,
        }
    place = services.resolve_place(request.community, data["place"])
    reporter = services.match_reporter(request.community, data["reporter_name"])
    issue = services.log_issue(
        community=request.community,
        by=request.user,
        now=now,
        text=data["text"],
        channel=data["channel"],
        received_at=data.get("received_at"),
        sender=data["sender"],
        reporter=reporter,
        reporter_name=data["reporter_name"],
        place=place,
        category=data.get("category") or services.suggest_category(request.community, data["text"]),
        urgency=data["urgency"],
        owner=data.get("owner"),
        settle=settle,
    )
    if data.get("photos"):
        services.add_followup(issue, by=request.user, now=now, kind=FollowUpKind.PHOTO, note="", photos=data["photos"])
    return issue


def _add_as_repeat(request: HttpRequest, form: QuickEntryForm, target: Issue, now: datetime) -> HttpResponse:
    data = form.cleaned_data
    services.add_report(
        target,
        by=request.user,
        now=now,
        text=data["text"],
        channel=data["channel"],
        sender=data["sender"] or data["reporter_name"],
        received_at=data.get("received_at"),
    )
    target.refresh_from_db()
    text = _("Added as a repeat report to %(code)s (now reported %(count)s times).") % {
        "code": target.code,
        "count": target.report_count,
    }
    if target.escalated:
        text += " " + _("It is flagged for escalation.")
    messages.warning(request, text)
    return redirect(f"{reverse('issues:issue_create')}?channel={data['channel']}")


def _similar_for(request: HttpRequest, form) -> list[Issue]:
    text = (form.data.get("text") or "").strip()
    if len(text) < 2 and not form.data.get("place"):
        return []
    place = services.resolve_place(request.community, form.data.get("place", ""))
    if not place.room and not place.building:
        place = services.find_place_in_text(request.community, text)
    category = None
    if form.data.get("category"):
        category = IssueCategory.objects.in_community(request.community).filter(pk=form.data["category"]).first()
    category = category or services.suggest_category(request.community, text)
    return services.find_similar(
        request.community, text=text, room=place.room, building=place.building, category=category
    )


@community_view
def issue_suggest(request: HttpRequest) -> HttpResponse:
    """HTMX: while typing, suggest category, place, reporter and possible repeats."""
    text = (request.GET.get("text") or "").strip()
    place_input = request.GET.get("place", "")
    place = services.resolve_place(request.community, place_input)
    if not place.room and not place.building and not place_input:
        place = services.find_place_in_text(request.community, text)
    category = services.suggest_category(request.community, text) if text else None
    reporter = services.match_reporter(request.community, request.GET.get("reporter_name", ""))
    chosen_category = None
    if request.GET.get("category"):
        chosen_category = (
            IssueCategory.objects.in_community(request.community).filter(pk=request.GET["category"]).first()
        )
    similar = (
        services.find_similar(
            request.community,
            text=text,
            room=place.room,
            building=place.building,
            category=chosen_category or category,
        )
        if text or place.room or place.building
        else []
    )
    context = {
        "suggested_category": category,
        "place": place,
        "place_input": place_input,
        "reporter": reporter,
        "similar": similar,
    }
    return render(request, "issues/partials/suggestions.html", context)


# --- detail and timeline ------------------------------------------------------------


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
        "nav": "issues",
        "issue": issue,
        "now": now,
        "followups": followups,
        "merged": issue.merged.all(),
        "overdue": issue.is_overdue(now),
        "can_edit": request.membership.can_edit,
        "allowed": {s.value for s in Status if issue.allowed(s)},
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
            updated = Issue.objects.filter(pk=issue.pk, version=form.cleaned_data["version"])
            if updated.exists():
                saved = form.save(commit=False)
                saved.version = form.cleaned_data["version"] + 1
                if Issue.objects.filter(pk=issue.pk, version=form.cleaned_data["version"]).update(
                    version=saved.version
                ):
                    saved.save()
                    FollowUp.objects.create(
                        issue=saved,
                        kind=FollowUpKind.NOTE,
                        author=request.user,
                        created_at=timezone.now(),
                        note=_("Details corrected"),
                    )
                    messages.success(request, _("Saved."))
                    return redirect("issues:issue_detail", pk=pk)
            form.add_error(
                None,
                _(
                    "Someone else changed this item while you were editing. Your text is kept below; "
                    "open the item in a new tab to see their change, then save again."
                ),
            )
            form.data = form.data.copy()
            form.data["version"] = Issue.objects.get(pk=issue.pk).version
    else:
        form = EditIssueForm(instance=issue, community=request.community)
    return render(request, "issues/issue_edit.html", {"form": form, "issue": issue, "nav": "issues"})


@community_view
def attachment_file(request: HttpRequest, pk: int) -> FileResponse:
    """Photos are served only to users who may see their item; others get a 404."""
    attachment = get_object_or_404(Attachment, pk=pk, issue__community=request.community)
    return FileResponse(attachment.file.open("rb"), content_type=attachment.content_type)


# --- partners -------------------------------------------------------------------------


@community_view
def partner_list(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    partners = (
        scoped(request, Partner.objects.all())
        .annotate(
            open_count=Count("issues", filter=Q(issues__status__in=OPEN_STATES)),
            waiting_since=Min("issues__waiting_since", filter=Q(issues__status=Status.WAITING)),
            oldest_open=Min("issues__received_at", filter=Q(issues__status__in=OPEN_STATES)),
        )
        .prefetch_related("contacts")
        .order_by("kind", "name")
    )
    page = Paginator(partners, 50).get_page(request.GET.get("page"))
    return render(
        request, "issues/partner_list.html", {"page_obj": page, "partners": page, "now": now, "nav": "issues"}
    )


@community_view
def partner_detail(request: HttpRequest, pk: int) -> HttpResponse:
    partner = get_object_for(request, Partner.objects.prefetch_related("contacts"), pk=pk)
    issues = (
        Issue.objects.in_community(request.community)
        .open()
        .filter(partner=partner)
        .with_list_data()
        .order_by("received_at")
    )
    return render(
        request,
        "issues/partner_detail.html",
        {"partner": partner, "issues": issues, "now": timezone.now(), "nav": "issues"},
    )


@community_view
def partner_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    require_editor(request)
    partner = get_object_for(request, Partner, pk=pk) if pk else Partner(community=request.community)
    form = PartnerForm(request.POST or None, instance=partner, community=request.community)
    formset = PartnerContactFormSet(request.POST or None, instance=partner, prefix="contacts")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        with transaction.atomic():
            partner = form.save()
            formset.instance = partner
            formset.save()
        messages.success(request, _("Partner saved."))
        return redirect("issues:partner_detail", pk=partner.pk)
    return render(
        request, "issues/partner_form.html", {"form": form, "formset": formset, "partner": partner, "nav": "issues"}
    )


# --- response templates and categories ----------------------------------------------------


@community_view
def template_list(request: HttpRequest) -> HttpResponse:
    templates = scoped(request, ResponseTemplate.objects.select_related("category"))
    form = ResponseTemplateForm(request.POST or None, community=request.community)
    if request.method == "POST":
        require_editor(request)
        if form.is_valid():
            template = form.save(commit=False)
            template.community = request.community
            template.save()
            messages.success(request, _("Response template saved."))
            return redirect("issues:template_list")
    return render(request, "issues/template_list.html", {"templates": templates, "form": form, "nav": "issues"})


@community_view
def category_list(request: HttpRequest) -> HttpResponse:
    services.ensure_default_categories(request.community)
    categories = scoped(request, IssueCategory.objects.all()).annotate(
        open_count=Count("issues", filter=Q(issues__status__in=OPEN_STATES))
    )
    form = CategoryForm(request.POST or None, community=request.community)
    if request.method == "POST":
        require_editor(request)
        if form.is_valid():
            category = form.save(commit=False)
            category.community = request.community
            category.save()
            messages.success(request, _("Category saved."))
            return redirect("issues:category_list")
    return render(request, "issues/category_list.html", {"categories": categories, "form": form, "nav": "issues"})


@community_view
def category_edit(request: HttpRequest, pk: int) -> HttpResponse:
    require_editor(request)
    category = get_object_for(request, IssueCategory, pk=pk)
    form = CategoryForm(request.POST or None, instance=category, community=request.community)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Category saved."))
        return redirect("issues:category_list")
    return render(request, "issues/category_form.html", {"form": form, "category": category, "nav": "issues"})


# --- notifications (the bell) and reminder settings -----------------------------------------------


@community_view
def notification_list(request: HttpRequest) -> HttpResponse:
    notifications = (
        Notification.objects.filter(recipient=request.user, reminder__community=request.community)
        .select_related("reminder")
        .order_by("read_at", "-reminder__created_at")
    )
    page = Paginator(notifications, 50).get_page(request.GET.get("page"))
    return render(request, "issues/notification_list.html", {"page_obj": page, "nav": "issues"})


@community_view
@require_POST
def notification_read(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """Mark one notification (or, without pk, all of them) as read; then follow its link."""
    mine = Notification.objects.filter(recipient=request.user, reminder__community=request.community).unread()
    if pk is None:
        mine.update(read_at=timezone.now())
        return redirect("issues:notification_list")
    notification = get_object_or_404(
        Notification.objects.select_related("reminder"),
        pk=pk,
        recipient=request.user,
        reminder__community=request.community,
    )
    mine.filter(pk=notification.pk).update(read_at=timezone.now())
    return redirect(notification.reminder.link or "issues:notification_list")


@community_view
def reminder_settings(request: HttpRequest) -> HttpResponse:
    if not request.membership.is_secretary:
        raise PermissionDenied
    rules = ReminderSettings.for_community(request.community.pk)
    form = ReminderSettingsForm(request.POST or None, instance=rules)
    if request.method == "POST" and form.is_valid():
        form.save()
        Issue.objects.in_community(request.community).open().update(next_reminder_at=timezone.now())
        messages.success(request, _("Reminder rules saved."))
        return redirect("issues:reminder_settings")
    return render(request, "issues/reminder_settings.html", {"form": form, "nav": "issues"})
