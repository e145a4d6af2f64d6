"""List filters of the residents app, each with a ``q`` search."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_filters.fields import DateRangeField

from residents.models.care import SENSITIVE_CATEGORIES, RiskTier, SpecialCategory
from residents.models.place import Building
from residents.models.resident import AccessField, AccessLog, Resident, ResidentStatus
from residents.selectors import display_name, roster_statuses, search_residents, staff_of


class FilterForm(forms.Form):
    """The form of a list's filters. A value that is not a choice (a bookmark to a partner since
    removed, a link edited by hand), not a date, or a date range whose first date is after its
    second is said plainly after the filter's label in the list's alert
    (partials/filter_errors.html): Django's "选择一个有效的选项： 该选择不在可用的选项中。" read
    "责任人：选择一个有效的选项： …", two colons and no advice, and 1 December to 1 November
    listed nothing without a word."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            for part in (field, *getattr(field, "fields", ())):  # a date range is two date fields
                if isinstance(part, forms.ChoiceField):
                    part.error_messages["invalid_choice"] = _(
                        "This is not one of the choices (it may have been removed); choose again."
                    )
                elif isinstance(part, forms.DateField):
                    part.error_messages["invalid"] = _("Enter a real date, such as 2026-12-01.")

    def clean(self):
        data = super().clean()
        for name, field in self.fields.items():
            between = data.get(name)
            if not isinstance(field, DateRangeField) or not between or None in (between.start, between.stop):
                continue
            if between.start > between.stop:
                self.add_error(name, _("The first date is later than the second: swap them."))
        return data


class ResidentFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_q")
    building = django_filters.ModelChoiceFilter(
        label=_("Building"), field_name="room__unit__building", queryset=Building.objects.none(), empty_label=_("All")
    )
    # Blank is 在住, so 在住 is not offered a second time.
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=[choice for choice in ResidentStatus.choices if choice[0] != ResidentStatus.LIVING],
        method="filter_status",
        empty_label=_("Living here"),
    )

    class Meta:
        model = Resident
        fields = ["q", "building", "status"]
        form = FilterForm

    def __init__(self, *args, community, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["building"].queryset = Building.objects.in_community(community)
        self.community = community

    @property
    def qs(self):
        queryset = super().qs
        if not self.is_bound or not self.form.cleaned_data.get("status"):
            queryset = queryset.active()
        return queryset

    def filter_q(self, queryset, name, value):
        return search_residents(queryset, value)

    def filter_status(self, queryset, name, value):
        return queryset.filter(status=value) if value else queryset


class RosterFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_q")
    category = django_filters.ChoiceFilter(
        label=_("Special category"), choices=SpecialCategory.choices, field_name="special_statuses__category"
    )
    tier = django_filters.ChoiceFilter(
        label=_("Risk tier"), choices=RiskTier.choices, field_name="special_statuses__tier"
    )
    building = django_filters.ModelChoiceFilter(
        label=_("Building"), field_name="room__unit__building", queryset=Building.objects.none(), empty_label=_("All")
    )
    responsible = django_filters.ModelChoiceFilter(
        label=_("Responsible staff"), field_name="special_statuses__responsible", queryset=None, empty_label=_("All")
    )
    overdue = django_filters.BooleanFilter(label=_("Overdue only"), method="filter_overdue")

    class Meta:
        model = Resident
        fields = ["q", "category", "tier", "building", "responsible", "overdue"]
        form = FilterForm

    def __init__(self, *args, community, today, membership, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.statuses = roster_statuses(community, today=today, membership=membership)
        self.filters["building"].queryset = Building.objects.in_community(community)
        self.filters["responsible"].queryset = staff_of(community)
        self.filters["responsible"].field.label_from_instance = display_name
        if not membership.can_see_sensitive:
            choices = [c for c in SpecialCategory.choices if c[0] not in SENSITIVE_CATEGORIES]
            self.filters["category"].extra["choices"] = choices

    def filter_q(self, queryset, name, value):
        return search_residents(queryset, value)

    def filter_overdue(self, queryset, name, value):
        # Of the statuses the row shows (a hidden or ended one does not make it overdue), by the
        # rule of SpecialStatus.is_overdue: never visited is late one interval after the start.
        return queryset.filter(pk__in=self.statuses.overdue(self.today).values("resident")) if value else queryset


class DateRangeWidget(django_filters.widgets.RangeWidget):
    """A "between" filter's two dates, each named for a screen reader (``names``; 开始日期 and
    结束日期 unless given): one visible label above the pair names neither input."""

    def __init__(self, attrs=None, names=None):
        super().__init__(attrs={"type": "date", **(attrs or {})})
        for widget, name in zip(self.widgets, names or (_("Start date"), _("End date")), strict=True):
            widget.attrs["aria-label"] = name


class AccessLogFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_q")
    field = django_filters.ChoiceFilter(label=_("Field"), choices=AccessField.choices)
    created = django_filters.DateFromToRangeFilter(
        label=_("Between"),
        # On the time itself (the days' first and last moment), which the index serves; not on
        # created_at__date, a date computed per row.
        field_name="created_at",
        widget=DateRangeWidget(),
    )

    class Meta:
        model = AccessLog
        fields = ["q", "field", "created"]
        form = FilterForm

    def filter_q(self, queryset, name, value):
        return queryset.filter(
            Q(resident__name__icontains=value)
            | Q(user__first_name__icontains=value)
            | Q(user__username__icontains=value)
            | Q(reason__icontains=value)
        )
