"""The monthly report of one community, composed from the apps' selectors.

Every figure is counted by a selector that also finds its rows (the drill-down pages), and the
number of queries does not depend on the number of rows or the years of history."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from html import escape

from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.dateformat import re_escaped, re_formatchars
from django.utils.formats import date_format, get_format
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from activities import selectors as activity_selectors
from activities.models import CommendationKind, Platform
from fuhai.reports.charts import bar_chart, hbar_chart, line_chart
from fuhai.reports.periods import Period, month_start
from issues import selectors as issue_selectors
from issues.hotline import rates as hotline_rates
from issues.hotline.rates import MonthRates, rates_from_counts
from issues.selectors import report_figures
from residents import selectors as resident_selectors
from residents.models.care import SENSITIVE_CATEGORIES, SpecialCategory, SupplyItem
from residents.models.community import Community, Membership

TREND_MONTHS = 12
#: The report shows this many of the 12345 cases that missed a deadline; the workbook has all.
MISSED_SHOWN = 50


def aware(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _svg(markup: str) -> str:
    """Charts are safe to put in the page as they are: charts.py escapes every text it draws."""
    return mark_safe(markup)


def month_labels(months: list[date]) -> list[str]:
    """The trend charts' months as the office writes them (12月), with the year on a second
    line (2026年) under the first month and under each January."""
    return [
        date_format(m, "MONTH_FORMAT") + (f"\n{date_format(m, 'YEAR_FORMAT')}" if n == 0 or m.month == 1 else "")
        for n, m in enumerate(months)
    ]


def _percent(rate: float | None) -> Decimal | None:
    return None if rate is None else (Decimal(str(rate)) * 100).quantize(Decimal("0.1"))


def hotline_section(
    community: Community, *, period: Period, now: datetime, missed_shown: int | None = MISSED_SHOWN
) -> dict:
    """The 三率 and score of the period, the trend of the last 12 months and the cases that
    missed a deadline (the first ``missed_shown`` of them; None: all, for the workbook). Three
    queries (and one to create the settings row the first time): the counts of the 12 months
    (the period's are the sum of its months), and the missed cases."""
    rules = issue_selectors.hotline_rules(community)
    months = period.trend_months(TREND_MONTHS)
    windows = [(aware(m), aware(month_start(m, -1))) for m in months]
    counts = hotline_rates.hotline_month_counts(community, months=windows, now=now)
    trend: list[MonthRates] = [rates_from_counts(c, rules, m) for c, m in zip(counts, months, strict=True)]
    in_period = [c for c, m in zip(counts, months, strict=True) if m >= period.start]
    totals = {kind: sum(c[kind] for c in in_period) for kind in counts[0]}
    missed = hotline_rates.hotline_missed_cases(
        community, start=aware(period.start), end=aware(period.end), now=now, limit=missed_shown
    )
    return {
        "rules": rules,
        "rates": rates_from_counts(totals, rules, period.start),
        "count": totals["dispatched"],
        "trend": trend,
        "missed": missed,
        "missed_count": totals["missed"],
        "chart": _svg(
            line_chart(
                _("12345 rates, last 12 months"),
                month_labels(months),
                [
                    (_("Response rate"), [r.response.value for r in trend]),
                    (_("Resolution rate"), [r.resolution.value for r in trend]),
                    (_("Satisfaction rate"), [r.satisfaction.value for r in trend]),
                ],
                no_data=_("No data"),
            )
        ),
    }


#: Format characters that are plain numbers of the date (no words, no locale): written here
#: directly, ten times faster than Django's DateFormat; any other character goes through it.
_NUMERIC = {
    "Y": lambda d: str(d.year),
    "m": lambda d: f"{d.month:02d}",
    "n": lambda d: str(d.month),
    "d": lambda d: f"{d.day:02d}",
    "j": lambda d: str(d.day),
    "H": lambda d: f"{d.hour:02d}",
    "G": lambda d: str(d.hour),
    "i": lambda d: f"{d.minute:02d}",
    "s": lambda d: f"{d.second:02d}",
}


def local_formatter(format_name: str):
    """A function writing an aware datetime in local time as the ``date`` filter writes it with
    ``format_name`` (e.g. SHORT_DATETIME_FORMAT in the active language), the format read once."""
    parts = []
    for n, piece in enumerate(re_formatchars.split(get_format(format_name))):
        if n % 2:
            parts.append(_NUMERIC.get(piece) or (lambda d, piece=piece: dateformat.format(d, piece)))
        elif piece:
            text = re_escaped.sub(r"\1", piece)
            parts.append(lambda d, text=text: text)

    def write(moment: datetime) -> str:
        local = timezone.localtime(moment)
        return "".join(part(local) for part in parts)

    return write


_NO_CASE = 9_876_543_210_123


#: A button of the community switch form that reads as a link.
SWITCH_LINK = "btn btn-link p-0 align-baseline"


def missed_rows(missed: list[dict], *, switch: bool = False) -> str:
    """The table rows of hotline_section's cases that missed a deadline, made in one pass: a
    busy community has hundreds a month, and through the template each row cost a dozen
    nodes, three date filters and a {% url %} (the page's largest cost at 100k items).
    ``switch``: the report is of another community than the current one, so each case opens
    through the page's community switch (``fuhai/reports/_switch.html``)."""

    when = local_formatter("SHORT_DATETIME_FORMAT")
    # One reverse() for all rows: the address around a number no case has, then each case's.
    before, after = reverse("issues:hotline_detail", args=[_NO_CASE]).split(str(_NO_CASE))
    first_contact, reply = _("first contact"), _("reply")
    rows = []
    for row in missed:
        case = row["case"]
        late = ", ".join(([first_contact] if row["late_response"] else []) + ([reply] if row["late_reply"] else []))
        cells = (case.case_no, when(case.dispatched_at), when(case.response_deadline), when(case.resolution_deadline))
        href = f"{before}{case.pk}{after}"
        opener = (
            f'<button type="submit" form="report-switch" name="next" value="{href}" class="{SWITCH_LINK}">'
            f"{escape(cells[0])}</button>"
            if switch
            else f'<a href="{href}">{escape(cells[0])}</a>'
        )
        rows.append(
            f"<tr><td>{opener}</td>" + "".join(f"<td>{escape(cell)}</td>" for cell in (*cells[1:], late)) + "</tr>"
        )
    return mark_safe("\n".join(rows))  # every text escaped above


def issue_section(community: Community, *, period: Period, now: datetime) -> dict:
    """The 民情日记 figures of the period with the 12-month trend of received and solved."""
    end = min(aware(period.end), now)
    figures = report_figures.report_issue_figures(community, start=aware(period.start), end=end)
    months = period.trend_months(TREND_MONTHS)
    windows = [(aware(m), min(aware(month_start(m, -1)), now)) for m in months]
    trend = report_figures.issue_month_trend(community, months=windows)
    categories = [(row["category__name"] or _("No category"), row["n"]) for row in figures["by_category"]]
    return {
        **figures,
        "cards": [(name, figures[name]) for name in report_figures.REPORT_FIGURES],
        "on_time_rate": _share(figures["solved_on_time"], figures["solved"]),
        "satisfied_rate": _share(figures["satisfied"] + figures["basic"], figures["callbacks"]),
        "trend": [(m, row) for m, row in zip(months, trend, strict=True)],
        "trend_chart": _svg(
            bar_chart(
                _("Items received and solved, last 12 months"),
                month_labels(months),
                [(_("Received"), [row["received"] for row in trend]), (_("Solved"), [row["solved"] for row in trend])],
            )
        ),
        "category_chart": _svg(hbar_chart(_("Items received by category"), categories)),
    }


def _share(part: int, whole: int) -> Decimal | None:
    return (Decimal(part) * 100 / whole).quantize(Decimal("0.1")) if whole else None


def visit_section(community: Community, *, period: Period, today: date, membership: Membership | None) -> dict:
    """月探访率 by category (sensitive categories only for the roles that may see them), the
    trend of the last 12 months, and supplies handed out with the fire-blanket coverage."""
    months = period.trend_months(TREND_MONTHS)
    ends = [min(date.fromordinal(month_start(m, -1).toordinal() - 1), today) for m in months]
    figures = resident_selectors.visit_report(
        community, first=period.start, last=period.last_day, today=today, month_ends=ends, item=SupplyItem.FIRE_BLANKET
    )
    sensitive_ok = membership is not None and membership.can_see_sensitive
    labels = dict(SpecialCategory.choices)
    by_category = [
        {**row, "label": labels.get(row["category"], row["category"]), "percent": _percent(row["rate"])}
        for row in figures["by_category"]
        if sensitive_ok or row["category"] not in SENSITIVE_CATEGORIES
    ]
    trend = [_percent(r) for r in figures["trend"]]
    supplies = figures["supplies"]
    items = dict(SupplyItem.choices)
    for row in supplies["handed"]:
        row["label"] = items.get(row["item"], row["item"])
    return {
        **figures,
        "by_category": by_category,
        "percent": _percent(figures["rate"]),
        "hidden_categories": not sensitive_ok,
        "trend": list(zip(months, trend, strict=True)),
        "chart": _svg(
            line_chart(
                _("Monthly visit rate, last 12 months"),
                month_labels(months),
                [(_("Visit rate"), trend)],
                no_data=_("No data"),
            )
        ),
        "supplies": {**supplies, "coverage_percent": _percent(supplies["coverage"])},
    }


def received_before(period: Period, today: date) -> date:
    """The end of the days a period's commendations are counted for: its end, or tomorrow while
    it is not over (the report is as of today)."""
    return min(period.end, today + timedelta(days=1))


def activity_section(community: Community, *, period: Period, now: datetime) -> dict:
    """Activities started by ``now`` (one planned for later in the month is not yet held: the
    report is as of today), and commendations received by today."""
    rows, kinds = activity_selectors.activity_report(
        community,
        start=aware(period.start),
        end=min(aware(period.end), now),
        first=period.start,
        last=received_before(period, timezone.localdate(now)),
    )
    labels = dict(Platform.choices)
    for row in rows:
        row["label"] = labels.get(row["platform"], row["platform"])
        # 已签到 is the residents who took part (as the 活动简报 counts them): everyone present
        # less the volunteers who served, who have their own column and are present once recorded.
        row["participants"] -= row["volunteers"]
    totals = {name: sum(row[name] for row in rows) for name in ("activities", "participants", "volunteers", "hours")}
    commendations = [(label, kinds.get(kind, 0)) for kind, label in CommendationKind.choices]
    return {
        "platforms": rows,
        "totals": totals,
        "commendations": commendations,
        "commendation_total": sum(kinds.values()),
    }


def community_report(
    community: Community,
    *,
    period: Period,
    now: datetime,
    membership: Membership | None,
    missed_shown: int | None = MISSED_SHOWN,
) -> dict:
    """Every section of the report of ``community`` for ``period`` (``missed_shown``: how many
    of the 12345 cases that missed a deadline it lists; None for all of them)."""
    today = timezone.localdate(now)
    return {
        "period": period,
        "issues": issue_section(community, period=period, now=now),
        "hotline": hotline_section(community, period=period, now=now, missed_shown=missed_shown),
        "visits": visit_section(community, period=period, today=today, membership=membership),
        "activities": activity_section(community, period=period, now=now),
    }
