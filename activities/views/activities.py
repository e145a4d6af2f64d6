"""Planning and recording activities: list, month calendar, detail, volunteers, photos, write-up."""

from __future__ import annotations

import calendar
from collections import defaultdict
from datetime import date, datetime, time, timedelta

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_filters.views import FilterView

from activities import services
from activities.filters import ActivityFilter
from activities.forms import ActivityForm, PhotoForm, SummaryForm, VolunteerForm
from activities.hours import format_hours
from activities.models import Activity, ActivityPhoto, ParticipantRole, Participation
from activities.views.common import get_activity_for, photo_response, refusal_reasons
from residents.pagination import PageInRangeMixin
from residents.scoping import CommunityRequiredMixin, community_view, require_editor, scoped


class ActivityListView(CommunityRequiredMixin, PageInRangeMixin, FilterView):
    """Upcoming activities by default; past ones newest first."""

    filterset_class = ActivityFilter
    template_name = "activities/activity_list.html"
    paginate_by = 20

    def get_queryset(self):
        return scoped(self.request, Activity.objects.all()).order_by("starts_at")

    def paginate_queryset(self, queryset, page_size):
        # Counted and paged on the activities alone; only the page's 20 are joined to their
        # participations and grouped (with_counts over every past activity grouped years of
        # sign-ups twice, for the count and for the page).
        paginator, page, page_ids, is_paginated = super().paginate_queryset(
            queryset.values_list("pk", flat=True), page_size
        )
        ids = list(page_ids)
        rows = scoped(self.request, Activity.objects.with_counts().select_related("organiser")).in_bulk(ids)
        page.object_list = [rows[pk] for pk in ids if pk in rows]  # one deleted meanwhile is left out
        return paginator, page, page.object_list, is_paginated

    def get_filterset_kwargs(self, filterset_class):
        kwargs = super().get_filterset_kwargs(filterset_class)
        if "when" not in self.request.GET:
            kwargs["data"] = {**self.request.GET.dict(), "when": "upcoming"}
        kwargs["now"] = timezone.now()
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(sub="list", now=timezone.now())
        return context


def _local_midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


@community_view
def activity_calendar(request: HttpRequest, year: int | None = None, month: int | None = None) -> HttpResponse:
    """The month as a grid (Monday first) on a desk, as a list of days on a phone."""
    today = timezone.localdate()
    year, month = year or today.year, month or today.month
    if not (1 <= month <= 12 and 2000 <= year <= 2100):
        raise Http404
    weeks = calendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
    first, last = weeks[0][0], weeks[-1][-1]
    activities = (
        scoped(request, Activity.objects.all())
        .overlapping(_local_midnight(first), _local_midnight(last + timedelta(days=1)))
        .order_by("starts_at")
    )
    by_day: dict[date, list[Activity]] = defaultdict(list)
    for activity in activities:
        day = max(timezone.localdate(activity.starts_at), first)
        end = min(timezone.localdate(activity.ends_at - timedelta(microseconds=1)), last)
        while day <= end:
            by_day[day].append(activity)
            day += timedelta(days=1)
    for entries in by_day.values():
        # By the time each shows (its start's time of day), not by its start: a two-day activity
        # from 10:00 yesterday came before 09:30 today's.
        entries.sort(key=lambda activity: (timezone.localtime(activity.starts_at).time(), activity.starts_at))
    grid = [
        [{"day": d, "in_month": d.month == month, "is_today": d == today, "activities": by_day[d]} for d in week]
        for week in weeks
    ]
    shown = date(year, month, 1)
    previous = shown - timedelta(days=1)
    following = shown + timedelta(days=32)
    context = {
        "sub": "calendar",
        "month": shown,
        "weeks": grid,
        "days_with_activities": [cell for week in grid for cell in week if cell["in_month"] and cell["activities"]],
        "previous": previous.replace(day=1),
        "following": following.replace(day=1),
        "weekdays": [_("Mon"), _("Tue"), _("Wed"), _("Thu"), _("Fri"), _("Sat"), _("Sun")],
    }
    return render(request, "activities/activity_calendar.html", context)


@community_view
def activity_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    activity = get_activity_for(request, pk) if pk else None
    require_editor(request)
    if request.method == "POST":
        form = ActivityForm(request.POST, instance=activity, community=request.community)
        if form.is_valid():
            is_new = activity is None
            if is_new:
                form.instance.created_by = request.user
            activity = form.save()
            messages.success(request, _("Activity saved.") if not is_new else _("Activity planned."))
            return redirect("activities:activity_detail", pk=activity.pk)
    else:
        initial = {} if activity else {"organiser": request.user}
        form = ActivityForm(instance=activity, initial=initial, community=request.community)
    return render(request, "activities/activity_form.html", {"form": form, "activity": activity})


def _detail_context(request: HttpRequest, activity: Activity, **forms) -> dict:
    participations = list(activity.participations.select_related("resident__room__unit__building"))
    photos = list(activity.photos.all())
    went = services.deleted_with_activity(participations, len(photos))
    figures = {"title": activity.title, "what": went}
    return {
        "delete_confirm": _("Delete “%(title)s” and with it %(what)s? This cannot be undone.") % figures
        if went
        else _("Delete “%(title)s”? This cannot be undone.") % figures,
        "activity": activity,
        "partners": list(activity.partners.all()),
        "signed_up": [p for p in participations if p.signed_up_at],
        # Everyone the headcount counts as present, volunteers there included.
        "present": [p for p in participations if p.checked_in_at],
        "volunteers": [p for p in participations if p.role == ParticipantRole.VOLUNTEER],
        "photos": photos,
        "volunteer_form": forms.get("volunteer_form") or VolunteerForm(community=request.community, activity=activity),
        "photo_form": forms.get("photo_form") or PhotoForm(),
        "default_hours": services.default_hours(activity),
        "now": timezone.now(),
    }


@community_view
def activity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    activity = get_activity_for(request, pk, counts=True)
    return render(request, "activities/activity_detail.html", _detail_context(request, activity))


@community_view
@require_POST
def volunteer_record(request: HttpRequest, pk: int) -> HttpResponse:
    activity = get_activity_for(request, pk, counts=True)
    require_editor(request)
    form = VolunteerForm(request.POST, community=request.community, activity=activity)
    if not form.is_valid():
        # Said at the top, where a phone's screen is: the form is at the foot of the page there.
        messages.error(request, _("Volunteer not recorded: %(reasons)s") % {"reasons": refusal_reasons(form)})
        context = _detail_context(request, activity, volunteer_form=form)
        return render(request, "activities/activity_detail.html", context)
    data = form.cleaned_data
    participation = services.record_volunteer(
        activity,
        by=request.user,
        now=timezone.now(),
        resident=data["resident"],
        name=data["name"],
        volunteer_role=data["volunteer_role"],
        hours=data["hours"],
    )
    figures = {"name": participation.display_name, "hours": format_hours(participation.hours)}
    if participation.checked_in_at:
        message = _("%(name)s recorded as a volunteer, %(hours)s hours.") % figures
    else:
        message = (
            _(
                "%(name)s planned as a volunteer (%(hours)s hours): not present yet, the hours count "
                "once they sign in at the desk."
            )
            % figures
        )
    if data["hours"] is not None and data["hours"] != participation.hours:
        rounded = _("“%(typed)s” was rounded to %(hours)s hours by this community's rule.")
        message = f"{message} {rounded % {**figures, 'typed': form.data['hours'].strip()}}"
    messages.success(request, message)
    return redirect(f"{activity.get_absolute_url()}#volunteers")


@community_view
@require_POST
def photo_upload(request: HttpRequest, pk: int) -> HttpResponse:
    activity = get_activity_for(request, pk, counts=True)
    require_editor(request)
    form = PhotoForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Photos not uploaded: %(reasons)s") % {"reasons": refusal_reasons(form)})
        context = _detail_context(request, activity, photo_form=form)
        return render(request, "activities/activity_detail.html", context)
    photos = services.add_photos(
        activity, by=request.user, photos=form.cleaned_data["photos"], caption=form.cleaned_data["caption"]
    )
    messages.success(request, _("%(count)s photo(s) added.") % {"count": len(photos)})
    return redirect(f"{activity.get_absolute_url()}#photos")


@community_view
def photo_file(request: HttpRequest, pk: int) -> HttpResponse:
    """Photos are served only to members of the activity's community; others get a 404."""
    photo = get_object_or_404(ActivityPhoto, pk=pk, activity__community=request.community)
    shown = photo.thumbnail if request.GET.get("size") == "thumb" and photo.thumbnail else photo.file
    return photo_response(shown, photo.content_type)


@community_view
@require_POST
def activity_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Delete an activity planned by mistake or twice, with its sign-ins, volunteers and photos
    (the page's confirmation says how many)."""
    activity = get_activity_for(request, pk)
    require_editor(request)
    went = services.deleted_with_activity(list(activity.participations.all()), activity.photos.count())
    figures = {"title": activity.title, "what": went}
    message = _("“%(title)s” deleted, with %(what)s.") % figures if went else _("“%(title)s” deleted.") % figures
    services.delete_record(activity, by=request.user, note=message)
    messages.success(request, message)
    return redirect("activities:activity_list")


@community_view
@require_POST
def volunteer_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Delete a volunteer recorded by mistake, with their hours."""
    volunteer = get_object_or_404(
        Participation.objects.select_related("activity", "resident"),
        pk=pk,
        activity__community=request.community,
        role=ParticipantRole.VOLUNTEER,
    )
    require_editor(request)
    figures = {"name": volunteer.display_name, "hours": format_hours(volunteer.hours or 0)}
    message = _("Volunteer %(name)s deleted, with %(hours)s hours.") % figures
    services.delete_record(volunteer, by=request.user, note=message)
    messages.success(request, message)
    return redirect(f"{volunteer.activity.get_absolute_url()}#volunteers")


@community_view
@require_POST
def photo_delete(request: HttpRequest, pk: int) -> HttpResponse:
    photo = get_object_or_404(
        ActivityPhoto.objects.select_related("activity"), pk=pk, activity__community=request.community
    )
    require_editor(request)
    message = _("Photo deleted.")
    services.delete_record(photo, by=request.user, note=message)
    messages.success(request, message)
    return redirect(f"{photo.activity.get_absolute_url()}#photos")


@community_view
def activity_summary(request: HttpRequest, pk: int) -> HttpResponse:
    """The 活动简报: drafted from the record, edited, saved and copied."""
    activity = get_activity_for(request, pk)
    draft = services.draft_briefing(activity, community_name=request.community.name)
    if request.method == "POST":
        require_editor(request)
        if "redraft" in request.POST:
            form = SummaryForm(instance=activity, initial={"summary": draft})
        else:
            form = SummaryForm(request.POST, instance=activity)
            if form.is_valid():
                form.save()
                messages.success(request, _("Write-up saved."))
                return redirect("activities:activity_summary", pk=activity.pk)
    else:
        form = SummaryForm(instance=activity, initial={} if activity.summary else {"summary": draft})
    context = {"activity": activity, "form": form, "is_draft": not activity.summary}
    return render(request, "activities/activity_summary.html", context)
