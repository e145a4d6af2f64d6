"""12345 pages: case list with clocks, entry from the dispatch, case steps, the three rates."""

from __future__ import annotations

import html
import unicodedata
from datetime import date, datetime
from functools import wraps
from typing import TypedDict

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.db import IntegrityError, models
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.text import Truncator, add_truncation_text, calculate_truncate_chars_length
from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from issues import services
from issues.hotline.forms import (
    CityCallbackForm,
    ExtendForm,
    FirstContactForm,
    HotlineCaseForm,
    HotlineSettingsForm,
    ReplyForm,
    ReturnForm,
    ReviewForm,
    SiteVisitForm,
)
from issues.hotline.models import (
    CitySatisfaction,
    HostRole,
    HotlineCase,
    HotlineResult,
    HotlineSettings,
    RequestType,
)
from issues.hotline.rates import rates
from issues.hotline.services import log_case
from issues.models.issue import Issue
from issues.selectors.names import hide_names
from issues.steps import Step, apply_step, cleaned
from issues.templatetags.hotline_tags import clocks_html
from issues.templatetags.issues_tags import status_badge_html
from residents.dates import short_date_in
from residents.masking import mask_name, mask_names_in_text, mask_numbers_in_text
from residents.models.community import Membership
from residents.pagination import page_asked
from residents.places import resolve_place
from residents.scoping import community_view, get_object_for, require_editor, scoped
from residents.selectors import display_name
from residents.spreadsheet import Sheet, workbook_response


def get_case_for(request: HttpRequest, pk: int) -> HotlineCase:
    """The one access helper for a 12345 case: another community's case is a 404."""
    return get_object_for(
        request, HotlineCase.objects.select_related("issue__owner", "issue__category", "repeat_of"), pk=pk
    )


class BadMonth(ValueError):
    """A ``?month=`` that is not a month (2026-13, 9999-12, 0001-01, abc)."""


def parse_month(value: str | None) -> date:
    if not value:
        return timezone.localdate().replace(day=1)
    try:
        year, month = (int(part) for part in value.split("-")[:2])
        first = date(year, month, 1)
        # The months before and after it exist too (its ← and → links): not 0001-01 nor 9999-12.
        date(year - (month == 1), (month - 2) % 12 + 1, 1)
        date(year + (month == 12), month % 12 + 1, 1)
    except (ValueError, TypeError):
        raise BadMonth(value) from None
    return first


def month_view(view):
    """A page of one month's cases (``?month=2026-11``, this month if absent): a month that is
    not one is answered with a sentence saying how to write it (400), never a bare 404 or 500.
    A month not yet begun is sent to this month, the other parameters kept: it has no cases of
    its own and listed this month's open ones again as 往月未办结 (the heading and the address
    then say which month is shown)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            month = parse_month(request.GET.get("month"))
        except BadMonth:
            return render(request, "issues/hotline/bad_month.html", {"value": request.GET.get("month")}, status=400)
        this_month = timezone.localdate().replace(day=1)
        if month > this_month:
            query = request.GET.copy()
            query["month"] = f"{this_month:%Y-%m}"
            return redirect(f"{request.path}?{query.urlencode()}")
        return view(request, *args, month=month, **kwargs)

    return wrapped


def month_links(month: date) -> dict:
    previous = date(month.year - (month.month == 1), (month.month - 2) % 12 + 1, 1)
    following = date(month.year + (month.month == 12), month.month % 12 + 1, 1)
    # No → past this month: a month not yet begun has no cases of its own (it listed this
    # month's open ones again as 往月未办结, with 三率 and an export of nothing).
    if following > timezone.localdate():
        following = None
    return {"month": month, "previous_month": previous, "next_month": following}


#: What a row of the 12345 list shows of its case: its clocks, numbers, type and callback. The
#: page's cases are made of these alone (HotlineCase.from_db, which takes them in the model's
#: order, the id first), and the clocks read from them.
CASE_COLUMNS = tuple(
    field.attname
    for field in HotlineCase._meta.concrete_fields
    if field.attname
    in {
        "id",
        "community_id",
        "case_no",
        "dispatched_at",
        "request_type",
        "role",
        "city_solved",
        "city_satisfaction",
        "first_contact_at",
        "response_deadline",
        "replied_at",
        "resolution_deadline",
    }
)
#: And beside them, what it shows of the case it repeats, of its item and of the item's owner.
JOINED_COLUMNS = (
    "repeat_of__case_no",
    "issue__text",
    "issue__status",
    "issue__owner__username",
    "issue__owner__first_name",
    "issue__owner__last_name",
)
#: For the 街道 viewer, what hide_names reads of each row's item (whose names its text may hold),
#: read in the same query, after the columns above; as the item's own fields, then the case's
#: caller (hide_names reads it from the case it finds with the item, not in a query of its own).
NAME_COLUMNS = (
    "issue_id",
    "issue__reporter_name",
    "issue__sender",
    "issue__room_id",
    "issue__reporter_id",
    "issue__report_count",
    "issue__channel",
    "caller_name",
)
NAME_FIELDS = ("id", "reporter_name", "sender", "room_id", "reporter_id", "report_count", "channel")


#: Cases a page of the 12345 list.
PER_PAGE = 50


def _page_of_cases(request: HttpRequest, month: date, open_only: bool) -> Page:
    """The page asked for (``?page=``, "last" too; the first for what is not a page number, the
    last for one past the end, as the other lists) as a Page of case ids, counted and cut in one
    query (HotlineCaseQuerySet.listed_page)."""
    cases, community = HotlineCase.objects, request.community
    asked = page_asked(request.GET.get("page"))
    number = 10**6 if asked == "last" else min(asked, 10**6)  # past the end: the last page below
    ids, count = cases.listed_page(community, month, number=number, per_page=PER_PAGE, open_only=open_only)
    paginator = Paginator(ids, PER_PAGE)
    if not ids and number > 1:  # a bookmark of a page since emptied, or "last": the last page
        paginator.count = cases.listed_in(community, month, open_only=open_only).count()
        number = paginator.num_pages
        ids, count = cases.listed_page(community, month, number=number, per_page=PER_PAGE, open_only=open_only)
    paginator.count = count  # the cached count, from the page's own query
    return Page(ids, number, paginator)


class ListedCase(TypedDict):
    """A row of the 12345 list with its words worked out once, in Python: the template's
    ``{% url %}``, filters, tags and lookups were most of a row's time, and a busy community's 50
    rows most of its page's ("Fast at district scale"). A dict, as a template looks a name up in a
    dict first: on an object that first try fails, a tenth of a row's time. Each value is what
    the plain template wrote from the case (tests/issues/test_hotline_list_rows.py holds the rows
    to it, in both languages), each escaped here as the template would escape it."""

    url: SafeString
    case_no: SafeString
    repeat_of: SafeString
    earlier_open: bool
    dispatched: SafeString
    request_type: SafeString
    role: SafeString
    text: SafeString
    owner: SafeString
    status: SafeString
    clocks: SafeString
    city_solved: SafeString
    city_satisfaction: SafeString


def _escaped(text: str) -> SafeString:
    """``text`` escaped as the template escapes a value (django.utils.html.escape is the standard
    library's escape, marked safe), without its look for a lazy string: a row's ten values,
    escaped here, are written by the template as they are (a fifth of a row's time)."""
    return SafeString(html.escape(text))


class _Labels(dict):
    """A value's label; a value not among the choices (a callback not yet recorded) as it is, as
    get_FOO_display gives it."""

    def __missing__(self, value: str) -> SafeString:
        return _escaped(value)


def _labels(choices: type[models.TextChoices]) -> _Labels:
    """The labels in the active language, translated and escaped once a page: get_FOO_display
    asks which language is active each time, four times a row."""
    return _Labels((choice.value, _escaped(str(choice.label))) for choice in choices)


def _cutter(length: int):
    """``Truncator(text).chars(length)``, the ellipsis translated once a page, not once a row: a
    text is cut as Truncator cuts it (normalized, combining marks not counted), without its lazy
    wrapper and its count of every character when no combining mark is among the first ones (a
    long 12345 text's cut was a fifth of its row's time)."""
    ellipsis = pgettext("String to return when truncating text", "%(truncated_text)s…")
    kept = calculate_truncate_chars_length(length, ellipsis)

    def cut(text: str) -> str:
        text = unicodedata.normalize("NFC", text)
        if len(text) <= length:
            return text
        if any(map(unicodedata.combining, text[: length + 1])):
            return Truncator(text).chars(length, truncate=ellipsis)
        return add_truncation_text(text[:kept], ellipsis)

    return cut


def listed_cases(
    request: HttpRequest, ids: list[int], month_start: datetime, now: datetime
) -> tuple[list[HotlineCase], list[ListedCase]]:
    """The page's cases, in the order of ``ids``, and the list's rows as the page shows them, from
    one query of their columns (CASE_COLUMNS, JOINED_COLUMNS): the case alone is made a model
    (its clocks are its methods), not its item, owner and repeated case beside it, a third of a
    row's time. The item's text masked before it is cut to 50 characters (no half number
    shows), for the 街道 viewer its people's names too (王**, as on the case page); a value not
    among the choices (a callback not yet recorded) as it is, as get_FOO_display gives it; the
    owner named as everywhere (display_name)."""
    named = () if request.membership.visits_residents else NAME_COLUMNS
    columns = (
        scoped(request, HotlineCase.objects.filter(pk__in=ids))
        .order_by()
        .values_list(*CASE_COLUMNS, *JOINED_COLUMNS, *named)
    )
    by_id = {values[0]: values for values in columns}
    split, db, case_columns = len(CASE_COLUMNS), columns.db, frozenset(CASE_COLUMNS)
    names_from = split + len(JOINED_COLUMNS)
    hidden = _hidden_names(request.membership, by_id, names_from) if named else {}
    # hotline_detail is ``<int:pk>/`` under the list (issues/hotline/urls.py): one reverse a
    # page, not one a row (tests/issues/test_hotline.py holds the links to reverse's).
    list_url = html.escape(reverse("issues:hotline_list"))
    types, roles = _labels(RequestType), _labels(HostRole)
    solved, satisfaction = _labels(HotlineResult), _labels(CitySatisfaction)
    language, zone = get_language(), timezone.get_current_timezone()
    this_year, cut = timezone.localdate(now, zone).year, _cutter(50)
    owners: dict[tuple, SafeString] = {}  # a page's few owners, each named once
    cases, rows = [], []
    for pk in ids:
        if pk not in by_id:
            continue
        values = by_id[pk]
        case = HotlineCase.from_db(db, case_columns, values[:split])
        repeat_of, text, status, *owner = values[split:names_from]
        owner = tuple(owner)
        if owner not in owners:
            username, first_name, last_name = owner
            user = get_user_model()(username=username, first_name=first_name, last_name=last_name) if username else None
            owners[owner] = _escaped(display_name(user))
        cases.append(case)
        rows.append(
            ListedCase(
                url=SafeString(f"{list_url}{pk}/"),
                case_no=_escaped(case.case_no),
                repeat_of=_escaped(repeat_of or ""),
                earlier_open=case.dispatched_at < month_start,
                dispatched=_escaped(
                    short_date_in(timezone.localtime(case.dispatched_at, zone), "time", language, this_year)
                ),
                request_type=types[case.request_type],
                role=roles[case.role],
                text=_escaped(cut(mask_numbers_in_text(text, hidden.get(pk, ())))),
                owner=owners[owner],
                status=status_badge_html(status, language),
                clocks=clocks_html(case, now, language, zone),
                city_solved=solved[case.city_solved],
                city_satisfaction=satisfaction[case.city_satisfaction],
            )
        )
    return cases, rows


def _hidden_names(membership: Membership, by_id: dict[int, tuple], start: int) -> dict[int, tuple[str, ...]]:
    """The names each case's item's text shows the 街道 viewer as 王** (hide_names), by case id,
    from the item's fields and the caller read with the row (NAME_COLUMNS, from ``start``): no
    query for the items nor their callers, hide_names's few for the other names."""
    issues = {}
    for pk, values in by_id.items():
        *fields, caller_name = values[start:]
        issue = issues[pk] = Issue(**dict(zip(NAME_FIELDS, fields, strict=True)))
        issue.hotline = HotlineCase(caller_name=caller_name)
    hide_names(membership, issues.values())
    return {pk: issue.hidden_names for pk, issue in issues.items()}


@community_view
@month_view
def hotline_list(request: HttpRequest, month: date) -> HttpResponse:
    open_only = bool(request.GET.get("open"))
    page = _page_of_cases(request, month, open_only)
    # The page's ids are sorted and cut first; only its rows are joined to their items.
    # Only the columns the rows show: the whole case, item, category and owner cost twice the
    # SQL (mostly the planner's) and the Python of these (tests/issues/test_hotline.py holds the
    # page to its queries with owners and repeats, so a column the rows add must be here).
    month_start = timezone.make_aware(datetime(month.year, month.month, 1))
    now = timezone.now()
    page.object_list, rows = listed_cases(request, page.object_list, month_start, now)
    context = {"page_obj": page, "rows": rows, "now": now, "open_only": open_only}
    return render(request, "issues/hotline/hotline_list.html", context | month_links(month))


@community_view
def hotline_create(request: HttpRequest) -> HttpResponse:
    """Entry from the dispatch. A repeat of an earlier case (same caller, or same place and
    category) is linked as 重复诉求."""
    require_editor(request)
    services.ensure_default_categories(request.community)
    now = timezone.now()
    form = HotlineCaseForm(request.POST or None, community=request.community, now=now, initial={"owner": request.user})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            case = log_case(
                community=request.community,
                by=request.user,
                now=now,
                case_no=data["case_no"],
                dispatched_at=data["dispatched_at"],
                text=data["text"],
                request_type=data["request_type"],
                urgency=data["urgency"],
                role=data["role"],
                caller_name=data["caller_name"],
                caller_phone=data["caller_phone"],
                place=resolve_place(request.community, data["place"]),
                category=data.get("category"),
                owner=data.get("owner"),
                response_deadline=data.get("response_deadline"),
                resolution_deadline=data.get("resolution_deadline"),
            )
        except IntegrityError:
            form.add_error("case_no", _("Case %(no)s is already logged.") % {"no": data["case_no"]})
        else:
            text = _("12345 case %(no)s logged as %(code)s.") % {"no": case.case_no, "code": case.issue.code}
            if case.repeat_of:
                text += " " + _("It repeats case %(no)s.") % {"no": case.repeat_of.case_no}
            messages.success(request, text)
            return redirect("issues:hotline_detail", pk=case.pk)
    return render(request, "issues/hotline/hotline_form.html", {"form": form})


@community_view
def hotline_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_case_for(request, pk)
    return render(request, "issues/hotline/hotline_detail.html", detail_context(request, case))


def detail_context(request: HttpRequest, case: HotlineCase, **bound) -> dict:
    now = timezone.now()
    forms = {name: bound.get(name) or step.form(request, case, now) for name, step in HOTLINE_STEPS.items()}
    asked = request.GET.get("step")
    hide_names(request.membership, [case.issue])
    return {
        "case": case,
        "issue": case.issue,
        "now": now,
        "response_clock": case.clock("response", now),
        "resolution_clock": case.clock("resolution", now),
        "response_late": case.finished_late("response"),
        "resolution_late": case.finished_late("resolution"),
        "forms": forms,
        # A refused step's panel, or the one a link asks for (the item page's 在工单页答复).
        "open_panel": next(iter(bound), None) or (asked if asked in forms else None),
        "done_steps": case.finished_steps(),
        "can_edit": request.membership.can_edit,
        "repeats": case.repeats.all(),
    }


def _saved(case: HotlineCase) -> str:
    return _("Saved.")


def _now_as_initial_time(request: HttpRequest, case: HotlineCase, now: datetime) -> dict:
    return {"initial": {"at": timezone.localtime(now).strftime("%Y-%m-%dT%H:%M")}}


#: A case's steps, by the name its URL carries (``hotline_step``) and its form's name on the page.
HOTLINE_STEPS: dict[str, Step] = {
    "first_contact": Step(
        form_class=FirstContactForm,
        method="record_first_contact",
        arguments=cleaned("at", "method", "note"),
        message=_saved,
        prefix="fc",
        form_kwargs=_now_as_initial_time,
    ),
    "site_visit": Step(
        form_class=SiteVisitForm,
        method="record_site_visit",
        arguments=cleaned("at", "note"),
        message=_saved,
        prefix="sv",
        form_kwargs=_now_as_initial_time,
    ),
    "reply": Step(
        form_class=ReplyForm,
        method="record_reply",
        arguments=cleaned("result", "reply_text"),
        message=_saved,
        prefix="rp",
    ),
    "review": Step(
        form_class=ReviewForm,
        method="record_review",
        arguments=cleaned("note"),
        message=_saved,
        prefix="rv",
    ),
    "city_callback": Step(
        form_class=CityCallbackForm,
        method="record_city_callback",
        arguments=cleaned("contacted", "solved", "satisfaction", "at"),
        message=_saved,
        prefix="cc",
    ),
    "return": Step(
        form_class=ReturnForm,
        method="return_case",
        arguments=cleaned("reason"),
        message=_saved,
        prefix="rt",
    ),
    "extend": Step(
        form_class=ExtendForm,
        method="extend",
        arguments=cleaned("new_deadline", "reason"),
        message=_saved,
        prefix="ex",
    ),
    "redo": Step(
        form_class=ExtendForm,
        method="redo",
        arguments=cleaned("new_deadline", "reason"),
        message=_saved,
        prefix="rd",
    ),
}


@community_view
@require_POST
def hotline_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    """One step of a case from a small POST form (see HOTLINE_STEPS); refusals keep what was typed."""
    if step not in HOTLINE_STEPS:
        raise Http404
    case = get_case_for(request, pk)  # first: another community's case is a 404, not a 403
    require_editor(request)
    form = apply_step(request, HOTLINE_STEPS[step], case, now=timezone.now())
    if form is None:
        return redirect("issues:hotline_detail", pk=pk)
    context = detail_context(request, get_case_for(request, pk), **{step: form})
    return render(request, "issues/hotline/hotline_detail.html", context, status=400)


@community_view
@month_view
def hotline_rates(request: HttpRequest, month: date) -> HttpResponse:
    """The month's three rates, overall and per category, with the cases behind each number."""
    rules = HotlineSettings.for_community(request.community.pk)
    cases = list(
        scoped(request, HotlineCase.objects.select_related("issue__category"))
        .dispatched_in(month)
        .order_by("dispatched_at")
    )
    now = timezone.now()
    overall = rates(cases, rules, month, now)
    for case in cases:  # the table's ✔ / ✘ / 未到时限, by the rule rates() counts with
        case.in_time = case.responded_in_time(now)
    by_category: dict[str, list] = {}
    for case in cases:
        by_category.setdefault(str(case.issue.category or _("No category")), []).append(case)
    per_category = [(name, rates(group, rules, month, now)) for name, group in sorted(by_category.items())]
    context = {"overall": overall, "per_category": per_category, "rules": rules, "cases": cases}
    return render(request, "issues/hotline/hotline_rates.html", {**context, **month_links(month)})


@community_view
@month_view
def hotline_export(request: HttpRequest, month: date) -> HttpResponse:
    """The month's cases as the subdistrict asks for them; the caller's phone is masked, and their
    name too for the 街道 viewer (王**), as are the people the text names (hide_names). 按时响应
    and 退单 say what the rates page says: a case not yet contacted with time left is 未到时限,
    not 否."""
    full_names = request.membership.visits_residents
    now = timezone.now()
    verdicts = {True: _("yes"), False: _("no"), None: _("not due yet")}
    cases = list(
        scoped(request, HotlineCase.objects.select_related("issue__category", "issue__owner"))
        .dispatched_in(month)
        .order_by("dispatched_at")
    )
    hide_names(request.membership, [case.issue for case in cases])
    headers = [
        _("Case number"),
        _("Dispatched at"),
        _("Request type"),
        _("Caller"),
        _("Caller phone"),
        _("Content"),
        _("Category"),
        _("First contact at"),
        _("Responded in time"),
        _("Result"),
        _("City callback: solved"),
        _("City callback: satisfaction"),
        _("Returned"),
        _("Issue number"),
    ]
    rows = (
        [
            case.case_no,
            case.dispatched_at,
            case.get_request_type_display(),
            case.caller_name if full_names else mask_name(case.caller_name),
            case.masked_caller_phone,
            mask_names_in_text(case.issue.text, case.issue.hidden_names),  # the writer masks the numbers
            str(case.issue.category or ""),
            case.first_contact_at,
            verdicts[case.responded_in_time(now)],
            case.get_result_display(),
            case.get_city_solved_display(),
            case.get_city_satisfaction_display(),
            _("yes") if case.returned_reason else "",
            case.issue.code,
        ]
        for case in cases
    )
    widths = [18, 17, 10, 10, 16, 50, 12, 17, 10, 12, 12, 12, 8, 16]
    sheet = Sheet(title=f"{month:%Y-%m}", headers=headers, rows=rows, widths=widths)
    stem = pgettext("file name", "12345 cases")
    return workbook_response(sheets=[sheet], filename=f"{stem}_{month:%Y%m}.xlsx")


@community_view
def hotline_settings(request: HttpRequest) -> HttpResponse:
    """The community's 12345 deadlines and weights: everyone may read them, the secretary
    changes them. New deadlines apply to cases logged from then on; the rates of every month
    are computed again with the new weights."""
    rules = HotlineSettings.for_community(request.community.pk)
    form = HotlineSettingsForm(request.POST or None, instance=rules)
    if request.method == "POST":
        if not request.membership.is_secretary:
            raise PermissionDenied
        if form.is_valid():
            form.save()
            messages.success(request, _("12345 settings saved."))
            return redirect("issues:hotlinesettings_edit")
    context = {"form": form, "can_change": request.membership.is_secretary}
    return render(request, "issues/hotline/hotlinesettings_form.html", context, status=400 if form.errors else 200)
