"""The log itself: the list, the Excel 台账, the diary day, the quick entry and its suggestions."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from urllib.parse import urlencode

from django.contrib import messages
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django_filters.views import FilterView

from issues import services
from issues.exports import issues_sheet
from issues.filters import IssueFilter, SearchPage, search_page
from issues.forms import (
    QuickEntryForm,
)
from issues.models.category import IssueCategory
from issues.models.choices import FollowUpKind, IssueChannel, IssueStatus
from issues.models.issue import Issue
from issues.models.timeline import FollowUp
from issues.selectors.names import hide_names
from issues.views.common import end_of_day, get_issue_for
from residents.models.community import Role
from residents.pagination import CappedCountMixin, CappedPaginator
from residents.places import Place, find_place_in_text, match_reporter, resolve_place
from residents.scoping import CommunityRequiredMixin, community_view, require_editor, scoped
from residents.spreadsheet import workbook_response


class SearchPaginator(CappedPaginator):
    """The pages of a search whose ids and count came in one statement (issues.filters.search_page)."""

    def __init__(self, found: SearchPage, per_page: int):
        super().__init__([], per_page, cap=found.cap)
        self.found = found
        self.count = found.hits

    def page(self, number):
        return self._get_page(self.found.ids, self.validate_number(number), self)


#: What a row of the list shows besides the item: its category, owner, partner and place (the
#: room's label names its unit and building). Fewer joins than with_list_data's nine, which the
#: planner takes milliseconds to order for 30 rows.
LIST_ROWS = ("category", "owner", "partner", "room__unit__building", "building")


class IssueListView(CommunityRequiredMixin, CappedCountMixin, FilterView):
    filterset_class = IssueFilter
    template_name = "issues/issue_list.html"
    paginate_by = 30

    def get_queryset(self):
        return scoped(self.request, Issue.objects.with_list_data())

    def paginate_queryset(self, queryset, page_size):
        if found := self._search_page(page_size):
            paginator, number = found
            if number > paginator.num_pages:  # past the end: the last page, as every list does
                paginator, number = self._search_page(page_size, paginator.num_pages)
            page = paginator.page(number)
            page.object_list = self._rows(page.object_list)
            return paginator, page, page.object_list, page.has_other_pages()
        # The page's ids are counted, sorted and cut on the items alone, then only those 30 rows
        # are joined to their category, owner, partner and place. Joined first, a search matching
        # thousands joined them all before sorting; and the ids are read as a list (one more
        # query), since as a subquery beside ten joins the planner keeps the joins' written order
        # (join_collapse_limit) and joins the whole community first (0.4 s at 100k items).
        ids = queryset.values_list("pk", flat=True)
        paginator, page, page_ids, is_paginated = super().paginate_queryset(ids, page_size)
        # By id alone: the ids are the filtered ones, and the search is not rechecked on the page.
        page.object_list = self._rows(list(page_ids))
        return paginator, page, page.object_list, is_paginated

    def _rows(self, ids: list[int]) -> list[Issue]:
        rows = list(scoped(self.request, Issue.objects.select_related(*LIST_ROWS)).filter(pk__in=ids))
        hide_names(self.request.membership, rows)
        return rows

    def _search_page(self, page_size: int, number: int | None = None) -> tuple[SearchPaginator, int] | None:
        """A search alone (the words and no other filter) is paged and counted, up to count_cap
        matches, in one statement (issues.filters.search_page): a common word neither counts nor
        sorts its thousands of matches. None for anything else, paged as before."""
        words = self.filterset.only_words() if self.request.community else ""
        number = number or self.page_number()
        if not words or not number:
            return None
        found = search_page(
            self.request.community.pk,
            words,
            offset=(number - 1) * page_size,
            limit=page_size,
            cap=max(self.count_cap, number * page_size),
        )
        return (SearchPaginator(found, page_size), number) if found else None

    def get_filterset_kwargs(self, filterset_class):
        kwargs = super().get_filterset_kwargs(filterset_class)
        kwargs["community"] = self.request.community
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # The unfiltered log past the cap says "1000+" and no more: the advice to narrow it is for a search.
        filtered = any(getattr(self.filterset.form, "cleaned_data", {}).values())
        context.update(now=timezone.now(), filtered=filtered)
        return context


@community_view
def issue_export(request: HttpRequest) -> HttpResponse:
    """The filtered list as the Excel 台账 a 街道 expects; phones never appear unmasked."""
    filterset = IssueFilter(
        request.GET, queryset=scoped(request, Issue.objects.with_list_data()), community=request.community
    )
    if not filterset.is_valid():  # the list says which filter is wrong; the file would drop it and hold every item
        return redirect(f"{reverse('issues:issue_list')}?{request.GET.urlencode()}")
    rows = list(
        filterset.qs.prefetch_related(
            Prefetch("followups", queryset=FollowUp.objects.filter(kind=FollowUpKind.CALLBACK), to_attr="callbacks")
        )
    )
    hide_names(request.membership, rows)
    stem = pgettext("file name", "Issue log")
    filename = f"{stem}_{timezone.localdate():%Y%m%d}.xlsx"
    return workbook_response(
        sheets=[issues_sheet(rows, full_names=request.membership.visits_residents)], filename=filename
    )


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
        .exclude(kind=FollowUpKind.REPORT, to_status=IssueStatus.PENDING)
        .select_related("issue", "author", "partner_contact__partner")
        .order_by("created_at")
    )
    closed = issues.filter(closed_at__gte=start, closed_at__lt=end).order_by("closed_at")
    hide_names(request.membership, [*logged, *closed, *(f.issue for f in followups)])
    context = {
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
        if same_as and _pk_or_none(same_as) is None:
            form.add_error(None, _("The item to add this report to was not found. Please choose it again."))
        if form.is_valid() and same_as:
            target = get_issue_for(request, _pk_or_none(same_as))
            return _add_as_repeat(request, form, target, now)
        if form.is_valid() and (already := _logged_from(request, form)):
            messages.info(request, _("This entry was already saved as %(code)s.") % {"code": already.code})
            return _next_entry(form)
        if form.is_valid():
            issue = _log_from_form(request, form, now)
            messages.success(
                request, _("Saved %(code)s (%(status)s).") % {"code": issue.code, "status": issue.get_status_display()}
            )
            return _next_entry(form)
    else:
        # A grid worker's items come from the street, the office's mostly from the WeChat groups.
        channel = IssueChannel.GRID if request.membership.role == Role.GRID else IssueChannel.WECHAT
        form = QuickEntryForm(
            initial={"channel": request.GET.get("channel", channel), "owner": request.user},
            community=request.community,
            now=now,
        )
    recent = list(
        Issue.objects.in_community(request.community)
        .filter(created_by=request.user, created_at__gte=now - timedelta(hours=12))
        .with_list_data()
        .order_by("-created_at")[:8]
    )
    context = {
        "form": form,
        "similar": _similar_for(request, form) if form.is_bound else [],
        "recent": recent,
        # The browser keeps a draft until its token is among these (static/js/quick-entry.js).
        "saved_tokens": " ".join(
            [request.GET.get("saved", "")[:32]]
            + [i.source_key.removeprefix("entry:") for i in recent if i.source_key.startswith("entry:")]
        ),
        "draft_key": f"fuhai-quick-entry-{request.user.pk}",
    }
    return render(request, "issues/issue_form.html", context)


def _next_entry(form: QuickEntryForm) -> HttpResponse:
    """Back to an empty form on the same channel; ``saved`` tells the browser to drop its draft."""
    query = {"channel": form.cleaned_data["channel"]}
    if form.cleaned_data["entry_token"]:
        query["saved"] = form.cleaned_data["entry_token"].removeprefix("entry:")
    return redirect(f"{reverse('issues:issue_create')}?{urlencode(query)}")


def _logged_from(request: HttpRequest, form: QuickEntryForm) -> Issue | None:
    key = form.cleaned_data["entry_token"]
    return Issue.objects.in_community(request.community).filter(source_key=key).first() if key else None


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
            "note": data["note"],
        }
    place = resolve_place(request.community, data["place"])
    reporter = match_reporter(request.community, data["reporter_name"])
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
        source_key=data["entry_token"],
    )
    if data["note"] and settle is None:
        # Typed for 当场解决, then saved for investigation: kept on the timeline, not dropped.
        services.add_followup(issue, by=request.user, now=now, kind=FollowUpKind.NOTE, note=data["note"])
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
    return _next_entry(form)


def _similar_for(request: HttpRequest, form) -> list[Issue]:
    text = _typed(form.data.get("text")).strip()
    if len(text) < 2 and not form.data.get("place"):
        return []
    place = _place_to_match(request, _typed(form.data.get("place")), text)
    category = _category_or_none(request, form.data.get("category"))
    category = category or services.suggest_category(request.community, text)
    return services.find_similar(
        request.community,
        text=text,
        room=place.room,
        building=place.building,
        place_text=place.text,
        category=category,
    )


def _place_to_match(request: HttpRequest, place_input: str, text: str) -> Place:
    """Where to look for similar items, the same for the live suggestions and the form sent back
    with an error: the place typed, even as free text (北区车棚); only with the field empty, the
    place the text names."""
    if place_input.strip():
        return resolve_place(request.community, place_input)
    return find_place_in_text(request.community, text)


def _typed(value) -> str:
    """Text typed while the form is open; a NUL byte (which PostgreSQL refuses) is never meant."""
    return (value or "").replace("\x00", "")


def _pk_or_none(value) -> int | None:
    """A primary key typed or tampered with in a form: anything but a positive number is none."""
    value = str(value or "").strip()
    if not (value.isascii() and value.isdigit() and len(value) <= 10):
        return None
    return int(value) if 0 < int(value) < 2**31 else None


def _category_or_none(request: HttpRequest, value) -> IssueCategory | None:
    pk = _pk_or_none(value)
    return IssueCategory.objects.in_community(request.community).filter(pk=pk).first() if pk else None


@community_view
def issue_suggest(request: HttpRequest) -> HttpResponse:
    """HTMX: while typing, suggest category, place, reporter and possible repeats. Quick entry's,
    so for the roles that log (the 街道 viewer would read similar items' text with names in full)."""
    require_editor(request)
    text = _typed(request.GET.get("text")).strip()
    place_input = _typed(request.GET.get("place"))
    place = _place_to_match(request, place_input, text)
    category = services.suggest_category(request.community, text) if text else None
    reporter = match_reporter(request.community, _typed(request.GET.get("reporter_name")))
    chosen_category = _category_or_none(request, request.GET.get("category"))
    similar = (
        services.find_similar(
            request.community,
            text=text,
            room=place.room,
            building=place.building,
            place_text=place.text,
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
