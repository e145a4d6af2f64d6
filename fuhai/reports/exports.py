"""The monthly report as one Excel workbook, a sheet per section, through the one writer
(residents.spreadsheet). Only figures and case numbers: nothing personal."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext, pgettext_lazy

from fuhai.reports.periods import Period
from fuhai.reports.street import OLDEST_FLAG_DAYS, CommunityRow
from residents.spreadsheet import Sheet

#: A figure without a value (a rate with nothing due, an average of nothing solved, a case with
#: no deadline): the dash the page shows, on every sheet of both files, never a blank cell. A
#: blank reads as "not filled in", and a formula pointing at it (=B7) gives 0; "—" says "nothing
#: to measure" as the page does, and SUM and AVERAGE skip it as they skip a blank.
NO_DATA = "—"


def _rate(value):
    return NO_DATA if value is None else value


def _filled(rows: list[tuple]) -> list[tuple]:
    """``rows`` with every missing value written as NO_DATA (separator rows stay empty)."""
    return [tuple(_rate(value) for value in row) for row in rows]


FIGURE_LABELS = {
    "received": gettext_lazy("Received"),
    "solved": gettext_lazy("Solved"),
    "solved_on_time": gettext_lazy("Solved on time"),
    "open_at_end": gettext_lazy("Open at the end of the period"),
    "overdue_at_end": gettext_lazy("Overdue at the end of the period"),
    "repeats": gettext_lazy("Reported more than once"),
    "escalated": gettext_lazy("Flagged for escalation"),
    "callbacks": pgettext_lazy("report", "Called back"),
    "satisfied": gettext_lazy("Satisfied"),
    "basic": gettext_lazy("Basically satisfied"),
    "unsatisfied": gettext_lazy("Unsatisfied"),
}


def _issue_sheet(issues: dict, caption: str) -> Sheet:
    rows: list[tuple] = [(str(FIGURE_LABELS[name]), value) for name, value in issues["cards"]]
    rows += [
        (_("Average days to solve"), issues["average_days"]),
        (_("Solved on time rate") + " (%)", issues["on_time_rate"]),
        (_("Callback satisfaction") + " (%)", issues["satisfied_rate"]),
        ("", ""),
        (_("Received by channel"), ""),
    ]
    rows += [(str(channel.label), n) for channel, n in issues["by_channel"]]
    rows += [("", ""), (_("Received by category"), "")]
    rows += [(row["category__name"] or _("No category"), row["n"]) for row in issues["by_category"]]
    rows += [("", ""), (_("Month"), _("Received"), _("Solved"))]
    rows += [(f"{month:%Y-%m}", row["received"], row["solved"]) for month, row in issues["trend"]]
    return Sheet(
        title=_("Residents' issues (民情日记)"),
        headers=[_("Figure"), _("Value"), ""],
        rows=_filled(rows),
        caption=caption,
        fit=True,
    )


def _hotline_sheet(hotline: dict, caption: str) -> Sheet:
    headers = [_("Month"), _("Response rate"), _("Resolution rate"), _("Satisfaction rate"), _("Overall score")]
    rows: list[tuple] = [
        (f"{r.month:%Y-%m}", *map(_rate, (r.response.value, r.resolution.value, r.satisfaction.value, r.score)))
        for r in hotline["trend"]
    ]
    current = hotline["rates"]
    figures = (current.response.value, current.resolution.value, current.satisfaction.value, current.score)
    rows.append((_("Period"), *map(_rate, figures)))
    rows += [
        (pgettext("report", "Cases dispatched in the period"), hotline["count"]),
        ("", ""),
        # The count the page shows in its heading's badge (all of them, like the table below).
        (_("Cases that missed a deadline"), hotline["missed_count"]),
        (_("Case number"), _("Dispatched"), _("Respond by"), _("Resolve by"), _("Missed")),
    ]
    for row in hotline["missed"]:
        case = row["case"]
        missed = [_("first contact")] if row["late_response"] else []
        missed += [_("reply")] if row["late_reply"] else []
        rows.append(
            (case.case_no, case.dispatched_at, case.response_deadline, case.resolution_deadline, "、".join(missed))
        )
    return Sheet(title=_("12345 hotline"), headers=headers, rows=_filled(rows), caption=caption, fit=True)


def _visit_sheet(visits: dict, caption: str) -> Sheet:
    headers = [
        pgettext("visits", "Category"),
        pgettext("visits", "Due"),
        _("Visited in time"),
        _("Monthly visit rate") + " (%)",
    ]
    rows: list[tuple] = [
        (str(row["label"]), row["due"], row["done"], _rate(row["percent"])) for row in visits["by_category"]
    ]
    rows.append((_("Total"), visits["due"], visits["done"], _rate(visits["percent"])))
    rows += [
        (_("Not visited in time at the end of the period"), visits["overdue"]),
        (_("Visits recorded"), visits["visits"]),
        ("", ""),
        (_("Month"), _("Monthly visit rate") + " (%)"),
    ]
    rows += [(f"{month:%Y-%m}", _rate(rate)) for month, rate in visits["trend"]]
    supplies = visits["supplies"]
    rows += [("", ""), (_("Supplies handed out"), _("Hand-outs"), _("Pieces"))]
    rows += [(str(row["label"]), row["times"], row["pieces"]) for row in supplies["handed"]]
    # Its own small table: the households are not pieces handed out, the rate not a count.
    rows += [
        ("", ""),
        (
            _("Fire blanket"),
            _("Special households"),
            _("Households with a fire blanket"),
            _("Fire blanket coverage of special households") + " (%)",
        ),
        (_("Period"), supplies["households"], supplies["covered"], supplies["coverage_percent"]),
    ]
    # The section's heading is 32 characters in English, one more than a sheet name may have.
    return Sheet(
        title=pgettext("sheet name", "Special population visits"),
        headers=headers,
        rows=_filled(rows),
        caption=caption,
        fit=True,
    )


def _activity_sheet(activities: dict, caption: str) -> Sheet:
    headers = [_("Platform"), _("Activities"), _("Signed in"), _("Volunteers"), _("Volunteer hours")]
    rows: list[tuple] = [
        (str(row["label"]), row["activities"], row["participants"], row["volunteers"], row["hours"])
        for row in activities["platforms"]
    ]
    totals = activities["totals"]
    rows.append((_("Total"), totals["activities"], totals["participants"], totals["volunteers"], totals["hours"]))
    rows += [("", ""), (_("Commendations"), activities["commendation_total"])]
    rows += [(str(label), n) for label, n in activities["commendations"]]
    return Sheet(
        title=_("Activities and commendations"), headers=headers, rows=_filled(rows), caption=caption, fit=True
    )


def report_sheets(report: dict, *, caption: str = "") -> list[Sheet]:
    """One sheet per section of a community_report, each headed by ``caption``."""
    return [
        _issue_sheet(report["issues"], caption),
        _hotline_sheet(report["hotline"], caption),
        _visit_sheet(report["visits"], caption),
        _activity_sheet(report["activities"], caption),
    ]


def street_sheet(rows: list[CommunityRow], period: Period, *, caption: str = "") -> Sheet:
    """The overview's rows: figures per community, and the flags in words, headed by
    ``caption``."""
    flag_words = {
        "overdue": _("overdue items"),
        "missed": _("12345 deadline missed"),
        "visit_rate": _("visit rate low"),
        "oldest_days": _("open more than %(days)s days") % {"days": OLDEST_FLAG_DAYS},
    }
    headers = [
        _("Community"),
        _("Received"),
        _("Solved"),
        _("Open at the end of the period"),
        _("Overdue at the end of the period"),
        _("Longest open (days)"),
        _("12345 cases"),
        _("Cases that missed a deadline"),
        _("Overall score"),
        _("Monthly visit rate") + " (%)",
        _("Activities"),
        _("Volunteer hours"),
        _("Commendations"),
        _("Flags"),
    ]
    body = [
        (
            row.name,
            row.received,
            row.solved,
            row.open,
            row.overdue,
            _rate(row.oldest_days),
            row.hotline,
            row.missed,
            _rate(row.score),
            _rate(row.visit_rate),
            row.activities,
            row.hours,
            row.commendations,
            "、".join(str(flag_words[flag]) for flag in row.flags),
        )
        for row in rows
    ]
    return Sheet(title=period.key, headers=headers, rows=_filled(body), caption=caption, fit=True)
