"""The records behind a month's report as one workbook: visits, the special-population roster,
supplies handed out, activities with their participants, commendations. Through the one writer,
so numbers in free text are masked; ID numbers, phones and health notes are not written."""

from __future__ import annotations

from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from activities import selectors as activity_selectors
from fuhai.reports.compose import aware
from fuhai.reports.periods import Period
from residents import selectors as resident_selectors
from residents.models.community import Community, Membership
from residents.selectors import display_name
from residents.spreadsheet import Sheet


def _room(room) -> str:
    return room.label if room else ""


def _visits(community: Community, period: Period) -> Sheet:
    rows = (
        (
            visit.visited_on,
            _room(visit.room),
            "、".join(resident.name for resident in visit.residents.all()),
            visit.get_method_display(),
            "、".join(display_name(user) for user in visit.staff.all()),
            visit.needs,
        )
        for visit in resident_selectors.visits_between(community, first=period.start, last=period.last_day)
    )
    headers = [_("Date"), _("Room"), _("Residents"), _("Method"), _("Staff"), _("Needs found")]
    return Sheet(title=_("Visits"), headers=headers, rows=rows)


def _roster(community: Community, membership: Membership, today: date) -> Sheet:
    rows = (
        (
            resident.name,
            _room(resident.room),
            "、".join(status.category_for(membership) for status in resident.visible_statuses),
            "、".join(status.get_tier_display() for status in resident.visible_statuses),
            resident.last_visit,
            resident.next_due,
        )
        for resident in resident_selectors.roster(community, today=today, membership=membership)
    )
    headers = [
        pgettext("person", "Name"),
        _("Room"),
        _("Special population"),
        _("Risk tier"),
        _("Last visit"),
        _("Next visit due"),
    ]
    return Sheet(title=_("Special populations"), headers=headers, rows=rows)


def _supplies(community: Community, period: Period) -> Sheet:
    rows = (
        (
            row.handed_on,
            row.get_item_display(),
            row.quantity,
            row.resident.name if row.resident else "",
            _room(row.room),
            _("Yes") if row.signed else _("No"),
            display_name(row.recorded_by),
        )
        for row in resident_selectors.distributions_between(community, first=period.start, last=period.last_day)
    )
    headers = [_("Date"), _("Item"), _("Quantity"), _("Resident"), _("Room"), _("Receipt signed"), _("By")]
    return Sheet(title=_("Supplies handed out"), headers=headers, rows=rows)


def _participants(community: Community, period: Period) -> Sheet:
    rows = (
        (
            row.activity.title,
            timezone.localtime(row.activity.starts_at),
            row.activity.get_platform_display(),
            row.display_name,
            row.get_role_display(),
            timezone.localtime(row.checked_in_at) if row.checked_in_at else None,
            row.hours,
        )
        for row in activity_selectors.participations_between(
            community, start=aware(period.start), end=aware(period.end)
        )
    )
    headers = [
        _("Activity"),
        _("Starts"),
        _("Platform"),
        pgettext("person", "Name"),
        _("Role"),
        _("Signed in"),
        _("Hours"),
    ]
    return Sheet(title=_("Activities"), headers=headers, rows=rows)


def _commendations(community: Community, period: Period) -> Sheet:
    rows = (
        (
            row.received_on,
            row.get_kind_display(),
            row.giver_name,
            row.inscription,
            display_name(row.credited_staff) if row.credited_staff else _("The whole office"),
            row.issue.code if row.issue else "",
        )
        for row in activity_selectors.commendations_between(
            community, first=period.start, end=period.end
        ).select_related("credited_staff", "issue")
    )
    headers = [
        _("Date received"),
        _("Kind"),
        _("Giver"),
        _("Inscription"),
        _("Credited to"),
        pgettext("record", "Item number"),
    ]
    return Sheet(title=_("Commendations"), headers=headers, rows=rows)


def record_sheets(community: Community, *, period: Period, membership: Membership, today: date) -> list[Sheet]:
    """The five record sheets of the period (the roster as of ``today``)."""
    return [
        _visits(community, period),
        _roster(community, membership, today),
        _supplies(community, period),
        _participants(community, period),
        _commendations(community, period),
    ]
