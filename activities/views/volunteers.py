"""Volunteer hours per person, on screen and as the Excel sheet a 街道 asks for."""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Max, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from activities.exports import volunteer_hours_sheets
from activities.filters import VolunteerHoursFilter
from activities.forms import ActivitySettingsForm
from activities.models import SERVED, ActivitySettings, Participation
from residents.masking import mask_phone
from residents.scoping import community_view
from residents.spreadsheet import workbook_response


def _filtered(request: HttpRequest) -> VolunteerHoursFilter:
    # Only hours served: a volunteer planned for next Saturday has served none yet.
    services = Participation.objects.filter(SERVED, activity__community=request.community).select_related(
        "activity", "resident"
    )
    return VolunteerHoursFilter(request.GET, queryset=services)


def _chosen(filterset: VolunteerHoursFilter):
    """The services the filters choose; none while a filter is not understood (a reversed date
    range, a date that is not one), as the lists' strict FilterViews do, and the page's alert
    says which. The filterset alone drops that filter and counts every hour ever served."""
    return filterset.qs if filterset.is_valid() else filterset.queryset.none()


def _totals(services):
    # One row per person: a linked resident is one person whatever the spelling; walk-ins by name.
    return (
        services.order_by()
        .values("resident_id", "name", "resident__phone")
        .annotate(times=Count("id"), total=Sum("hours"), last=Max("activity__starts_at"))
        .order_by("-total", "name")
    )


def _month_shortcuts(today: date) -> list[dict]:
    """This month and last month, the periods a 街道 asks hours for, as the date filter's values."""
    first = today.replace(day=1)
    last_month_end = first - timedelta(days=1)
    return [
        {"label": _("This month"), "min": first, "max": today},
        {"label": _("Last month"), "min": last_month_end.replace(day=1), "max": last_month_end},
    ]


@community_view
def volunteer_hours(request: HttpRequest) -> HttpResponse:
    filterset = _filtered(request)
    page = Paginator(_totals(_chosen(filterset)), 30).get_page(request.GET.get("page"))
    page.object_list = [{**row, "phone": mask_phone(row["resident__phone"] or "")} for row in page.object_list]
    context = {
        "sub": "volunteers",
        "filter": filterset,
        "page_obj": page,
        "month_shortcuts": _month_shortcuts(timezone.localdate()),
        "settings_form": ActivitySettingsForm(instance=ActivitySettings.for_community(request.community)),
    }
    return render(request, "activities/volunteer_hours.html", context)


@community_view
def volunteer_hours_export(request: HttpRequest) -> HttpResponse:
    filterset = _filtered(request)
    if not filterset.is_valid():
        # An empty workbook looked like a period without hours: the page says which filter is wrong.
        messages.error(request, _("Nothing exported: correct the filters below first."))
        return redirect(f"{reverse('activities:volunteer_hours')}?{request.GET.urlencode()}")
    services = _chosen(filterset).order_by("activity__starts_at", "name")
    stem = pgettext("file name", "Volunteer hours")
    filename = f"{stem}_{timezone.localdate():%Y%m%d}.xlsx"
    sheets = volunteer_hours_sheets(_totals(services), services, full_names=request.membership.visits_residents)
    return workbook_response(sheets=sheets, filename=filename)


@community_view
@require_POST
def settings_edit(request: HttpRequest) -> HttpResponse:
    """Only the secretary changes how the community rounds volunteer hours; hours already
    recorded keep their value."""
    if not request.membership.is_secretary:
        raise PermissionDenied
    form = ActivitySettingsForm(request.POST, instance=ActivitySettings.for_community(request.community))
    if form.is_valid():
        form.save()
        messages.success(
            request, _("Rounding rule saved: %(rule)s.") % {"rule": form.instance.get_hours_rounding_display()}
        )
    else:
        messages.error(request, _("Please choose a rounding rule from the list."))
    return redirect("activities:volunteer_hours")
