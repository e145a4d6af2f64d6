"""Forms of the project pages: they validate and shape input only."""

from __future__ import annotations

from datetime import date, timedelta

from crispy_forms.helper import FormHelper
from django import forms
from django.utils.translation import gettext_lazy as _

from issues.forms import CHOOSE, StaffChoiceField
from issues.models.partner import Partner
from issues.projects.models import Milestone, Project
from residents.models.community import Community
from residents.selectors import staff_of

#: How far ahead a promised date may be: a typo (2062 for 2026) is refused, not stored.
FURTHEST_AHEAD = timedelta(days=2 * 366)
#: How long ago a project may have started when it is first written down.
FURTHEST_BACK = timedelta(days=2 * 366)

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _later_than_allowed(today: date) -> forms.ValidationError:
    return forms.ValidationError(
        _("Choose a date before %(date)s: not more than two years ahead."),
        params={"date": (today + FURTHEST_AHEAD).isoformat()},
    )


class ProjectForm(forms.ModelForm):
    class Meta:
        model = Project
        fields = ["title", "partner", "owner", "started_on", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4}), "started_on": DATE_INPUT}
        labels = {"partner": _("Partner"), "description": _("Project description")}

    def __init__(self, *args, community: Community, today: date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields["partner"].queryset = Partner.objects.in_community(community).filter(is_active=True)
        self.fields["partner"].empty_label = CHOOSE
        self.fields["owner"] = StaffChoiceField(
            label=_("Person in charge"),
            queryset=staff_of(community),
            required=False,
            help_text=_("Reminders go to this person; to the secretary when nobody is chosen."),
        )
        self.fields["title"].widget.attrs["placeholder"] = _("e.g. Culture wall at the north gate")
        if not self.instance.pk:  # a new project's start: the model gives None, not a missing key
            self.initial["started_on"] = self.initial.get("started_on") or today
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean_title(self):
        title = self.cleaned_data["title"].strip()
        if len(title) < 2:
            raise forms.ValidationError(_("Give the project a name of at least two characters."))
        return title

    def clean_started_on(self):
        started = self.cleaned_data["started_on"]
        if started > self.today + FURTHEST_AHEAD:
            raise _later_than_allowed(self.today)
        if started < self.today - FURTHEST_BACK:
            raise forms.ValidationError(_("A start date more than two years ago: check the year."))
        if self.instance.pk:
            first = self.instance.milestones.order_by("promised_on").values_list("promised_on", flat=True).first()
            if first and started > first:
                raise forms.ValidationError(
                    _("A milestone is promised for %(date)s: the project cannot start after it."),
                    params={"date": first.isoformat()},
                )
        return started


def _check_promised(day: date, *, project: Project, today: date) -> date:
    if day < project.started_on:
        raise forms.ValidationError(
            _("The project started on %(date)s: a promised date cannot be before it."),
            params={"date": project.started_on.isoformat()},
        )
    if day > today + FURTHEST_AHEAD:
        raise _later_than_allowed(today)
    return day


class MilestoneForm(forms.ModelForm):
    """A new milestone, added on the project's page."""

    class Meta:
        model = Milestone
        fields = ["title", "promised_on", "note"]
        widgets = {"promised_on": DATE_INPUT}
        help_texts = {"promised_on": _("The date the partner promised.")}

    def __init__(self, *args, project: Project, today: date, **kwargs):
        super().__init__(*args, **kwargs)
        self.project, self.today = project, today
        self.fields["title"].widget.attrs["placeholder"] = _("e.g. Mounting checked for safety")
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean_title(self):
        title = self.cleaned_data["title"].strip()
        if not title:
            raise forms.ValidationError(_("Write what is to be done."))
        return title

    def clean_promised_on(self):
        return _check_promised(self.cleaned_data["promised_on"], project=self.project, today=self.today)


class MilestoneDoneForm(forms.Form):
    done_on = forms.DateField(label=_("Completed on"), widget=DATE_INPUT)

    def __init__(self, *args, milestone: Milestone, today: date, **kwargs):
        super().__init__(*args, **kwargs)
        self.milestone, self.today = milestone, today
        self.initial.setdefault("done_on", today)

    def clean_done_on(self):
        day = self.cleaned_data["done_on"]
        if day > self.today:
            raise forms.ValidationError(_("A milestone cannot be completed in the future."))
        if day < self.milestone.project.started_on:
            raise forms.ValidationError(
                _("The project started on %(date)s: the milestone cannot be completed before it."),
                params={"date": self.milestone.project.started_on.isoformat()},
            )
        return day


class MilestoneMoveForm(forms.Form):
    promised_on = forms.DateField(label=_("New promised date"), widget=DATE_INPUT)

    def __init__(self, *args, milestone: Milestone, today: date, **kwargs):
        super().__init__(*args, **kwargs)
        self.milestone, self.today = milestone, today
        self.initial.setdefault("promised_on", milestone.promised_on)

    def clean_promised_on(self):
        day = _check_promised(self.cleaned_data["promised_on"], project=self.milestone.project, today=self.today)
        if day == self.milestone.promised_on:
            raise forms.ValidationError(_("This is the date already promised."))
        return day
