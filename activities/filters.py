"""List filters of the activities app, each with a `q` search."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from activities.models import Activity, Commendation, CommendationKind, Notice, NoticeTopic, Platform, text_query
from residents.filters import DateRangeWidget, FilterForm


class ActivityFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_q")
    when = django_filters.ChoiceFilter(
        label=_("When"),
        choices=[("upcoming", _("Today and later")), ("past", _("Past"))],
        empty_label=_("All"),
        method="filter_when",
    )
    platform = django_filters.ChoiceFilter(label=_("Platform"), choices=Platform.choices, empty_label=_("All"))

    class Meta:
        model = Activity
        fields = ["q", "when", "platform"]
        form = FilterForm

    def __init__(self, *args, now=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.now = now or timezone.now()

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(title__icontains=value) | Q(venue__icontains=value) | Q(description__icontains=value))

    def filter_when(self, queryset, name, value):
        # By the day, not the minute: an activity over at 11:00 is still listed that day, when its
        # 简报, photos and volunteers are entered (gone from the list, it was made a second time).
        today = timezone.localtime(self.now).replace(hour=0, minute=0, second=0, microsecond=0)
        if value == "upcoming":
            return queryset.upcoming(today).order_by("starts_at")
        if value == "past":
            return queryset.past(today).order_by("-starts_at")
        return queryset


class CommendationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_q")
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=CommendationKind.choices, empty_label=_("All"))
    year = django_filters.NumberFilter(
        label=_("Year"), field_name="received_on", lookup_expr="year", min_value=2000, max_value=2100, decimal_places=0
    )
    # One commendation, the target of its links (Commendation.get_absolute_url): by its number, as
    # ?q=<the giver's name> put a resident's name into server logs and browser history.
    pk = django_filters.NumberFilter(label=_("Commendation"), field_name="pk", min_value=1, decimal_places=0)

    class Meta:
        model = Commendation
        fields = ["q", "kind", "year", "pk"]
        form = FilterForm

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(text_query(value) | Q(credited_staff__first_name__icontains=value))


class NoticeFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_q")
    topic = django_filters.ChoiceFilter(label=_("Topic"), choices=NoticeTopic.choices, empty_label=_("All"))
    is_template = django_filters.BooleanFilter(
        label=_("Templates only"), method="filter_templates", widget=forms.CheckboxInput
    )

    class Meta:
        model = Notice
        fields = ["q", "topic", "is_template"]
        form = FilterForm

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(title__icontains=value) | Q(text__icontains=value))

    def filter_templates(self, queryset, name, value):
        return queryset.templates() if value else queryset


class VolunteerHoursFilter(django_filters.FilterSet):
    """Volunteer hours per person between two dates (the export uses the same filter)."""

    q = django_filters.CharFilter(label=_("Search"), method="filter_q")
    date = django_filters.DateFromToRangeFilter(
        label=_("Activities between"),
        field_name="activity__starts_at__date",
        widget=DateRangeWidget(),
    )

    class Meta:
        form = FilterForm

    def filter_q(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(name__contains=value) if value else queryset
