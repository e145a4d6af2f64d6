"""The report pages: a community's monthly report, the rows behind its figures, the 街道
overview, and their Excel workbooks. Read-only, open to every role (街道 viewers included),
and only for communities the user is a member of: any other is a 404."""

from __future__ import annotations

import re
from datetime import date
from functools import wraps

from django.core.exceptions import PermissionDenied
from django.db.models import F
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_GET

from activities import selectors as activity_selectors
from fuhai.reports.compose import aware, community_report, missed_rows, received_before
from fuhai.reports.exports import report_sheets, street_sheet
from fuhai.reports.periods import BadPeriod, Period, parse_period
from fuhai.reports.records import record_sheets
from fuhai.reports.street import OLDEST_FLAG_DAYS, street_rows
from issues.models.choices import IssueChannel
from issues.selectors import report_figures
from residents.models.community import Community, Membership
from residents.models.resident import pinyin_key
from residents.scoping import community_view
from residents.spreadsheet import workbook_response


def report_membership(request: HttpRequest) -> Membership:
    """The membership of the community asked for (``?community=``), or the current one."""
    wanted = request.GET.get("community")
    if not wanted:
        return request.membership
    for membership in request.memberships:
        if str(membership.community_id) == wanted:
            return membership
    raise Http404


def report_period(request: HttpRequest) -> Period:
    return parse_period(month=request.GET.get("month"), quarter=request.GET.get("quarter"), today=timezone.localdate())


def bad_period(request: HttpRequest, *, overview: bool = False) -> HttpResponse:
    """The 400 page of a month or quarter that cannot be read, headed as the page asked for
    (the community's report or the 街道 overview) and leading back to it."""
    return render(
        request,
        "fuhai/reports/bad_period.html",
        {"value": request.GET.get("quarter") or request.GET.get("month"), "overview": overview},
        status=400,
    )


def report_view(view=None, *, editors_only: bool = False):
    """The preamble of every page of one community's report: logged in, the community asked
    for (a 404 if the user is no member of it), the role (``editors_only``: not the 街道), and
    the period (a 400 page that says what to write). The view gets the membership and period."""

    def decorate(view):
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            membership = report_membership(request)
            if editors_only and not membership.can_edit:
                raise PermissionDenied
            try:
                period = report_period(request)
            except BadPeriod:
                return bad_period(request)
            return view(request, membership, period, *args, **kwargs)

        return require_GET(community_view(wrapped))

    return decorate(view) if view is not None else decorate


def period_label(period: Period) -> str:
    """2026年11月, 2026年第四季度: the period as an office writes it (the key is for addresses)."""
    if not period.is_quarter:
        return date_format(period.start, "YEAR_MONTH_FORMAT")
    quarters = (
        pgettext("quarter", "Q1 %(year)s"),
        pgettext("quarter", "Q2 %(year)s"),
        pgettext("quarter", "Q3 %(year)s"),
        pgettext("quarter", "Q4 %(year)s"),
    )
    return quarters[(period.start.month - 1) // 3] % {"year": period.start.year}


def unfinished_note(period: Period, today: date) -> str:
    """截至12月7日，本月未结束: the figures of a period not over yet are as of today, not final."""
    if period.end <= today:
        return ""
    day = date_format(today, "MONTH_DAY_FORMAT")
    if period.is_quarter:
        return _("As of %(day)s; the quarter is not over yet") % {"day": day}
    return _("As of %(day)s; the month is not over yet") % {"day": day}


def caption(*parts: str, note: str = "") -> str:
    """The first row of an exported sheet and the workbook's title: 福海佳园 · 月度报表 ·
    2026年11月（截至12月7日，本月未结束）."""
    text = " · ".join(part for part in parts if part)
    return _("%(title)s (%(note)s)") % {"title": text, "note": note} if note else text


def print_title(period: Period, community: Community) -> str:
    """The running head of every printed page, written into a CSS string: no quote, backslash
    or angle bracket may reach it."""
    return re.sub(r'["\\<>]', "", f"{community.name} · {period_label(period)}")


def switch_url(request: HttpRequest, community: Community) -> str:
    """The switch to the report's community when the user works in another (a 街道 viewer
    reading a second community's report): the report's links to items and lists are scoped to
    the current community, so they go through this switch (a POST with ``next``) first."""
    if community.pk == request.community.pk:
        return ""
    return reverse("community_switch", args=[community.pk])


def period_query(period: Period, community: Community) -> str:
    which = "quarter" if period.is_quarter else "month"
    return f"{which}={period.key}&community={community.pk}"


@report_view
def report(request: HttpRequest, membership: Membership, period: Period) -> HttpResponse:
    """The monthly (or quarterly) report of one community."""
    community = membership.community
    context = community_report(community, period=period, now=timezone.now(), membership=membership)
    switch = switch_url(request, community)
    context["hotline"]["missed_rows"] = missed_rows(context["hotline"]["missed"], switch=bool(switch))
    today = timezone.localdate()
    over = period.end <= today
    context |= {
        "report_community": community,
        "switch_url": switch,
        "print_title": print_title(period, community),
        "query": period_query(period, community),
        "previous_query": period_query(period.previous(), community),
        "next_query": period_query(period.following(), community) if over else "",
        "period_over": over,
        "period_label": period_label(period),
        "unfinished": unfinished_note(period, today),
        "report_export_url": reverse("reports:report_export"),
        "records_url": reverse("reports:report_records") if membership.can_edit else "",
    }
    return render(request, "fuhai/reports/report.html", context)


@report_view
def report_export(request: HttpRequest, membership: Membership, period: Period) -> HttpResponse:
    """The report as an Excel workbook, a sheet per section."""
    community = membership.community
    report = community_report(community, period=period, now=timezone.now(), membership=membership, missed_shown=None)
    stem = pgettext("file name", "Quarterly report") if period.is_quarter else pgettext("file name", "Monthly report")
    filename = f"{stem}_{community.name}_{period.key}.xlsx"
    which = "quarterly" if period.is_quarter else "monthly"
    title = caption(community.name, stem, period_label(period), note=unfinished_note(period, timezone.localdate()))
    return workbook_response(
        sheets=report_sheets(report, caption=title),
        filename=filename,
        title=title,
        fallback=f"{which}-report-c{community.pk}-{period.key}.xlsx",
    )


@report_view(editors_only=True)
def report_records(request: HttpRequest, membership: Membership, period: Period) -> HttpResponse:
    """The rows behind the report as a workbook: visits, the roster, supplies, activities with
    their participants, commendations. Names of residents: for the office, not the 街道."""
    community = membership.community
    sheets = record_sheets(community, period=period, membership=membership, today=timezone.localdate())
    stem = pgettext("file name", "Quarterly records") if period.is_quarter else pgettext("file name", "Monthly records")
    filename = f"{stem}_{community.name}_{period.key}.xlsx"
    which = "quarterly" if period.is_quarter else "monthly"
    return workbook_response(
        sheets=sheets,
        filename=filename,
        title=caption(community.name, stem, period_label(period), note=unfinished_note(period, timezone.localdate())),
        fallback=f"{which}-records-c{community.pk}-{period.key}.xlsx",
    )


@report_view
def report_issue_rows(request: HttpRequest, membership: Membership, period: Period, figure: str) -> HttpResponse:
    """The items behind one 民情日记 figure of the report."""
    if figure not in report_figures.REPORT_FIGURES:
        raise Http404
    channel = request.GET.get("channel", "")
    if channel and channel not in IssueChannel.values:
        raise Http404
    category = request.GET.get("category")
    if category is not None and not category.isdigit():
        raise Http404
    community = membership.community
    end = min(aware(period.end), timezone.now())
    rows = report_figures.report_issue_rows(
        community,
        figure=figure,
        start=aware(period.start),
        end=end,
        channel=channel,
        category=int(category) if category is not None else None,
    )
    context = {
        "period": period,
        "period_label": period_label(period),
        "report_community": community,
        "switch_url": switch_url(request, community),
        "query": period_query(period, community),
        "figure": figure,
        "channel": IssueChannel(channel).label if channel else "",
        "rows": rows,
    }
    return render(request, "fuhai/reports/issue_rows.html", context)


@report_view
def report_activity_rows(request: HttpRequest, membership: Membership, period: Period) -> HttpResponse:
    """The activities and commendations behind the report's activity figures: those started
    (received) by now, as the report counts them. Inscriptions as the reader may see them."""
    community = membership.community
    end = min(aware(period.end), timezone.now())
    context = {
        "period": period,
        "period_label": period_label(period),
        "report_community": community,
        "switch_url": switch_url(request, community),
        "query": period_query(period, community),
        "reader": membership,
        "activities": activity_selectors.activities_between(community, start=aware(period.start), end=end)
        .annotate(signed_in=F("present_count") - F("served_count"))  # as the report's 已签到
        .select_related("organiser"),
        "commendations": activity_selectors.commendations_between(
            community, first=period.start, end=received_before(period, timezone.localdate())
        ).select_related("giver"),
    }
    return render(request, "fuhai/reports/activity_rows.html", context)


def street_context(request: HttpRequest) -> dict:
    period = report_period(request)
    communities = [membership.community for membership in request.memberships]
    sort = request.GET.get("sort", "name")
    rows = street_rows(communities, period=period, now=timezone.now(), sort=sort)
    which = "quarter" if period.is_quarter else "month"
    today = timezone.localdate()
    subdistricts = sorted({c.subdistrict for c in communities if c.subdistrict}, key=pinyin_key)
    return {
        "period": period,
        "period_label": period_label(period),
        "unfinished": unfinished_note(period, today),
        "subdistrict": "、".join(subdistricts),
        "rows": rows,
        "sort": sort,
        "oldest_flag_days": OLDEST_FLAG_DAYS,
        "period_param": f"{which}={period.key}",
        "previous_param": f"{which}={period.previous().key}",
        "next_param": f"{which}={period.following().key}" if period.end <= today else "",
    }


@require_GET
@community_view
def street(request: HttpRequest) -> HttpResponse:
    """The 街道 overview: one row per community of the user, sortable, with red flags."""
    try:
        context = street_context(request)
    except BadPeriod:
        return bad_period(request, overview=True)
    return render(request, "fuhai/reports/street.html", context)


@require_GET
@community_view
def street_export(request: HttpRequest) -> HttpResponse:
    """The 街道 overview as a workbook."""
    try:
        context = street_context(request)
    except BadPeriod:
        return bad_period(request, overview=True)
    period = context["period"]
    stem = pgettext("file name", "Subdistrict overview")
    filename = f"{stem}_{period.key}.xlsx"
    title = caption(context["subdistrict"], stem, context["period_label"], note=context["unfinished"])
    return workbook_response(
        sheets=[street_sheet(context["rows"], period, caption=title)],
        filename=filename,
        title=title,
        fallback=f"subdistrict-overview-{period.key}.xlsx",
    )
