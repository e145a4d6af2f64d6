"""The office's own lists: partners, reply templates, categories, notifications, reminder rules."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, F, Min, Q
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.generic import ListView

from issues import services
from issues.forms import (
    CategoryForm,
    PartnerContactFormSet,
    PartnerForm,
    ReminderSettingsForm,
    ResponseTemplateForm,
)
from issues.hotline.clock_text import waiting_text
from issues.models.category import IssueCategory, ResponseTemplate
from issues.models.choices import OPEN_STATES, IssueStatus
from issues.models.clock import IssueClock
from issues.models.issue import Issue
from issues.models.partner import Partner
from issues.models.reminder import Notification, ReminderSettings
from issues.selectors.names import hide_names
from residents.pagination import CappedCountMixin
from residents.scoping import CommunityRequiredMixin, community_view, get_object_for, require_editor, scoped


@community_view
def partner_list(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    partners = (
        scoped(request, Partner.objects.all())
        .annotate(
            open_count=Count("issues", filter=Q(issues__status__in=OPEN_STATES)),
            # The longest an open item has waited, as the partner's page reckons each: since it was
            # handed over to wait for them, else since it came in (only 等待对接方 items counted,
            # the column was blank beside a partner with items in 办理中).
            waiting_since=Min(
                Coalesce("issues__waiting_since", "issues__received_at"), filter=Q(issues__status__in=OPEN_STATES)
            ),
        )
        .prefetch_related("contacts")
        .order_by("kind", "name")
    )
    page = Paginator(partners, 50).get_page(request.GET.get("page"))
    language = get_language()
    for partner in page:
        partner.waited = waiting_text(now - partner.waiting_since, language) if partner.waiting_since else ""
    return render(request, "issues/partner_list.html", {"page_obj": page, "partners": page})


@community_view
def partner_detail(request: HttpRequest, pk: int) -> HttpResponse:
    partner = get_object_for(request, Partner.objects.prefetch_related("contacts"), pk=pk)
    issues = list(
        Issue.objects.in_community(request.community)
        .open()
        .filter(partner=partner)
        .with_list_data()
        .order_by("received_at")
    )
    hide_names(request.membership, issues)
    now = timezone.now()
    language = get_language()
    for issue in issues:
        issue.waited = waiting_text(now - (issue.waiting_since or issue.received_at), language)
    return render(
        request,
        "issues/partner_detail.html",
        {"partner": partner, "issues": issues, "now": now, "projects": list(partner.projects.active())},
    )


@community_view
def partner_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    partner = get_object_for(request, Partner, pk=pk) if pk else Partner(community=request.community)
    require_editor(request)
    form = PartnerForm(request.POST or None, instance=partner, community=request.community)
    formset = PartnerContactFormSet(request.POST or None, instance=partner, prefix="contacts")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        with transaction.atomic():
            partner = form.save()
            formset.instance = partner
            formset.save()
        messages.success(request, _("Partner saved."))
        return redirect("issues:partner_detail", pk=partner.pk)
    return render(request, "issues/partner_form.html", {"form": form, "formset": formset, "partner": partner})


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
    return render(request, "issues/template_list.html", {"templates": templates, "form": form})


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
    return render(request, "issues/category_list.html", {"categories": categories, "form": form})


@community_view
def category_edit(request: HttpRequest, pk: int) -> HttpResponse:
    category = get_object_for(request, IssueCategory, pk=pk)
    require_editor(request)
    form = CategoryForm(request.POST or None, instance=category, community=request.community)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Category saved."))
        return redirect("issues:category_list")
    return render(request, "issues/category_form.html", {"form": form, "category": category})


# --- notifications (the bell) and reminder settings -----------------------------------------------


class NotificationListView(CommunityRequiredMixin, CappedCountMixin, ListView):
    """The bell's page: one's notifications in this community, the unread first, then by when
    they were read, newest first in each; read off the index notification_page and counted only
    up to the cap, since every sweep adds to them for as long as one works here."""

    template_name = "issues/notification_list.html"
    paginate_by = 50

    def get_queryset(self):
        return (
            Notification.objects.filter(recipient=self.request.user, reminder__community=self.request.community)
            .select_related("reminder")
            .order_by(F("read_at").desc(nulls_first=True), "-id")
        )


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
        # Every item whose reminders the rules time: open ones, and those done but not yet called
        # back (their callback moves with callback_after_days).
        timed = Issue.objects.in_community(request.community).filter(status__in=[*OPEN_STATES, IssueStatus.RESOLVED])
        IssueClock.objects.filter(issue__in=timed).update(next_reminder_at=timezone.now())
        messages.success(request, _("Reminder rules saved."))
        return redirect("issues:reminder_settings")
    return render(request, "issues/reminder_settings.html", {"form": form})
