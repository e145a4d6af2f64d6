"""The 民情日记 list filters, with a Chinese substring search served by an index."""

from __future__ import annotations

from dataclasses import dataclass

import django_filters
from django import forms
from django.contrib.postgres.fields import ArrayField
from django.db import connection, models
from django.db.models import Func, Q, Value
from django.db.models.functions import Upper
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from issues.forms import StaffChoiceField
from issues.models.category import IssueCategory
from issues.models.choices import IssueChannel, IssueStatus
from issues.models.issue import Issue
from issues.models.partner import Partner
from issues.search import plain_width, room_pattern, search_words, served_by_index
from residents.filters import DateRangeWidget, FilterForm
from residents.models.place import Building
from residents.pagination import COUNT_CAP
from residents.selectors import staff_of


class Bigrams(Func):
    """issues_bigrams(text): the distinct character pairs of the upper-cased text (migration 0003)."""

    function = "issues_bigrams"
    output_field = ArrayField(models.TextField())


def search_issues(queryset, q: str):
    """Substring search on the item's text, place, reporter, sender and number: every word (words
    are separated by spaces, ASCII or full-width) must be found, and a word that is a room
    (3-2-501, 3号楼2单元501, 3-2-501室) finds that room's items (issues.search).

    On PostgreSQL every word of two or more characters reads an index that starts with the
    community (migration 0013): two characters (拴绳, 漏水: most Chinese words) are one
    character pair, found exactly in the pair index, with LIKE beside it so that the planner,
    which takes the two for independent, expects few rows and reads the index rather than
    compute issues_bigrams() (~0.1 ms) along the newest items; three or more, and rooms, are a
    LIKE or a regular expression alone, which the trigram index serves, or which the planner
    checks (~1 µs a row) along the newest items when the words are common. One character, and
    SQLite for `make run`, scan with LIKE."""
    for word in search_words(q):
        if pattern := room_pattern(word):
            queryset = queryset.alias(search_upper=Upper("search_text")).filter(search_upper__regex=pattern)
            continue
        queryset = queryset.filter(search_text__icontains=word)
        if connection.vendor == "postgresql" and len(word) == 2:
            queryset = queryset.alias(search_pairs=Bigrams("search_text")).filter(
                search_pairs__contains=Bigrams(Value(word))
            )
    return queryset


@dataclass(frozen=True)
class SearchPage:
    """One page of a community's search: the ids, newest first, and the matches counted, at most
    ``cap + 1`` (then the count is a floor: "1,000+")."""

    ids: list[int]
    hits: int
    cap: int

    @property
    def capped(self) -> bool:
        return self.hits > self.cap


def search_page_serves(q: str) -> bool:
    return connection.vendor == "postgresql" and served_by_index(search_words(q))


def search_page(community_id: int, q: str, *, offset: int, limit: int, cap: int = COUNT_CAP) -> SearchPage | None:
    """The ids of the ``limit`` newest items after ``offset`` whose search text contains the words
    of ``q`` (as search_issues finds them), and how many match up to ``cap``: one statement, the
    function issues_search_page (migrations 0018 and 0022), which reads at most ``cap + 1`` matches
    from the search indexes, and the newest of a common word along the (community, received)
    index. None where it does not serve: SQLite, and words of one character."""
    q = plain_width(q).strip()
    if not search_page_serves(q):
        return None
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT page_ids, hits FROM issues_search_page(%s::bigint, %s, %s, %s, %s)",
            [community_id, q, offset, limit, cap],
        )
        ids, hits = cursor.fetchone()
    return SearchPage(ids=list(ids), hits=hits, cap=cap)


class StaffFilter(django_filters.ModelChoiceFilter):
    field_class = StaffChoiceField


class IssueFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_q")
    status = django_filters.MultipleChoiceFilter(
        label=_("Status"), choices=IssueStatus.choices, widget=forms.CheckboxSelectMultiple
    )
    open = django_filters.BooleanFilter(label=_("Open only"), method="filter_open", widget=forms.CheckboxInput)
    category = django_filters.ModelChoiceFilter(
        label=_("Category"), queryset=IssueCategory.objects.none(), empty_label=_("All")
    )
    channel = django_filters.ChoiceFilter(label=_("Channel"), choices=IssueChannel.choices)
    owner = StaffFilter(label=_("Owner"), queryset=None, empty_label=_("All"))
    partner = django_filters.ModelChoiceFilter(
        label=_("Partner"), queryset=Partner.objects.none(), empty_label=_("All")
    )
    building = django_filters.ModelChoiceFilter(
        label=_("Building"), queryset=Building.objects.none(), empty_label=_("All")
    )
    overdue = django_filters.BooleanFilter(label=_("Overdue"), method="filter_overdue", widget=forms.CheckboxInput)
    escalated = django_filters.BooleanFilter(
        label=_("Flagged for escalation"), widget=forms.CheckboxInput, method="filter_escalated"
    )
    received = django_filters.DateFromToRangeFilter(
        label=_("Received between"),
        field_name="received_at",
        widget=DateRangeWidget(names=(_("Received from"), _("Received until"))),
    )

    class Meta:
        model = Issue
        fields = ["q", "status", "category", "channel", "owner", "partner", "building", "overdue", "escalated"]
        form = FilterForm

    def __init__(self, *args, community, now=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.now = now or timezone.now()
        self.filters["category"].queryset = IssueCategory.objects.in_community(community)
        self.filters["partner"].queryset = Partner.objects.in_community(community)
        self.filters["building"].queryset = Building.objects.in_community(community)
        self.filters["owner"].queryset = staff_of(community)

    def only_words(self) -> str:
        """The search words when they are the only filter of a valid form, else ""."""
        if not self.is_bound or not self.is_valid():
            return ""
        data = self.form.cleaned_data
        others = [value for name, value in data.items() if name != "q"]
        if any(value not in (None, "", [], False) and value != slice(None, None) for value in others):
            return ""
        return (data.get("q") or "").strip()

    def filter_q(self, queryset, name, value):
        return search_issues(queryset, value)

    def filter_open(self, queryset, name, value):
        return queryset.open() if value else queryset

    def filter_overdue(self, queryset, name, value):
        return queryset.overdue(self.now) if value else queryset

    def filter_escalated(self, queryset, name, value):
        return queryset.filter(Q(escalated=True)) if value else queryset
