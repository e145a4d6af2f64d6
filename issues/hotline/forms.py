"""Forms of the 12345 pages: they validate and shape input only."""

from __future__ import annotations

import re

from crispy_forms.helper import FormHelper
from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from issues.forms import StaffChoiceField
from issues.hotline.models import (
    CitySatisfaction,
    ContactMethod,
    HostRole,
    HotlineCase,
    HotlineResult,
    HotlineSettings,
    HotlineUrgency,
    RequestType,
)
from issues.models.category import IssueCategory
from residents.forms import MAX_TEXT
from residents.importer import normalise_phone
from residents.models.community import Community
from residents.selectors import staff_of

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")

#: A caller's number as the city sends it: digits, a landline's dash, +86 before a mobile.
CALLER_PHONE_RE = re.compile(r"^[0-9+-]{5,20}$", re.ASCII)


class HotlineCaseForm(forms.Form):
    """The dispatched case as the city sends it: paste or type."""

    case_no = forms.CharField(label=_("Case number"), max_length=40, widget=forms.TextInput(attrs={"autofocus": True}))
    dispatched_at = forms.DateTimeField(label=_("Dispatched at"), widget=DATETIME)
    request_type = forms.ChoiceField(label=_("Request type"), choices=RequestType.choices)
    urgency = forms.ChoiceField(label=_("Urgency"), choices=HotlineUrgency.choices, initial=HotlineUrgency.NORMAL)
    role = forms.ChoiceField(label=_("Lead or assisting"), choices=HostRole.choices, initial=HostRole.MAIN)
    caller_name = forms.CharField(label=_("Caller"), max_length=50, required=False)
    caller_phone = forms.CharField(label=_("Caller phone"), max_length=40, required=False)
    text = forms.CharField(
        label=_("Content"),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Please enter what the caller asked for.")},
    )
    place = forms.CharField(label=_("Place"), max_length=100, required=False)
    category = forms.ModelChoiceField(label=_("Category"), queryset=IssueCategory.objects.none(), required=False)
    owner = StaffChoiceField(label=_("Owner"), queryset=None, required=False)
    response_deadline = forms.DateTimeField(
        label=_("Respond by"), required=False, widget=DATETIME, help_text=_("Empty: from the urgency.")
    )
    resolution_deadline = forms.DateTimeField(
        label=_("Resolve by"), required=False, widget=DATETIME, help_text=_("Empty: from the urgency.")
    )

    def __init__(self, *args, community: Community, now, **kwargs):
        super().__init__(*args, **kwargs)
        self.community, self.now = community, now
        self.fields["category"].queryset = IssueCategory.objects.in_community(community).filter(is_active=True)
        self.fields["owner"].queryset = staff_of(community)
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean_caller_phone(self) -> str:
        """Stored as the resident form stores a phone (``normalise_phone``: 全角 digits read as
        plain ones, no spaces, no dashes in a mobile, no +86 before one), so a repeat caller is
        found however the number was typed."""
        phone = normalise_phone(self.cleaned_data["caller_phone"])
        if phone and not CALLER_PHONE_RE.match(phone):
            raise forms.ValidationError(_("Enter the phone number with digits only."))
        return phone

    def clean_case_no(self):
        case_no = self.cleaned_data["case_no"].strip()
        if HotlineCase.objects.in_community(self.community).filter(case_no=case_no).exists():
            raise forms.ValidationError(_("Case %(no)s is already logged."), params={"no": case_no})
        return case_no

    def clean_dispatched_at(self):
        dispatched = self.cleaned_data["dispatched_at"]
        if dispatched > self.now + timezone.timedelta(minutes=5):
            raise forms.ValidationError(_("The dispatch time cannot be in the future."))
        if dispatched < self.now - timezone.timedelta(days=366):
            # Year 0206 for 2026 made the item 超期 664735 天 on the home page.
            raise forms.ValidationError(_("The dispatch time is more than a year ago: check the year."))
        return dispatched

    def clean(self):
        data = super().clean()
        dispatched = data.get("dispatched_at")
        for name in ("response_deadline", "resolution_deadline"):
            if not (dispatched and data.get(name)):
                continue
            if data[name] <= dispatched:
                self.add_error(name, _("A deadline must be after the dispatch time."))
            elif data[name] > dispatched + timezone.timedelta(days=366):
                self.add_error(name, _("The deadline is more than a year after the dispatch: check the year."))
        response, resolution = data.get("response_deadline"), data.get("resolution_deadline")
        if response and resolution and resolution < response and "resolution_deadline" not in self.errors:
            self.add_error("resolution_deadline", _("The case cannot have to be resolved before it is responded to."))
        return data


class FirstContactForm(forms.Form):
    at = forms.DateTimeField(label=_("Contacted at"), widget=DATETIME)
    method = forms.ChoiceField(label=_("How"), choices=ContactMethod.choices)
    note = forms.CharField(label=_("Note"), required=False, max_length=MAX_TEXT)


class SiteVisitForm(forms.Form):
    at = forms.DateTimeField(label=_("Visited at"), widget=DATETIME)
    note = forms.CharField(label=_("What was found"), max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 2}))


class ReplyForm(forms.Form):
    result = forms.ChoiceField(label=_("Result"), choices=HotlineResult.choices)
    reply_text = forms.CharField(
        label=_("Reply (答复口径)"), max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 3})
    )


class ReviewForm(forms.Form):
    note = forms.CharField(label=_("Subdistrict review"), max_length=MAX_TEXT)


class CityCallbackForm(forms.Form):
    contacted = forms.TypedChoiceField(
        label=_("Caller reached"),
        choices=[("1", _("yes")), ("0", _("no"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    solved = forms.ChoiceField(
        label=pgettext_lazy("city callback", "Resolution"), choices=[("", "—"), *HotlineResult.choices], required=False
    )
    satisfaction = forms.ChoiceField(label=_("Satisfaction"), choices=CitySatisfaction.choices)
    at = forms.DateTimeField(label=_("City callback at"), widget=DATETIME, required=False)


class ReturnForm(forms.Form):
    reason = forms.CharField(label=_("Why it is returned"), max_length=MAX_TEXT)


class ExtendForm(forms.Form):
    new_deadline = forms.DateTimeField(label=_("New deadline"), widget=DATETIME)
    reason = forms.CharField(label=_("Reason"), max_length=MAX_TEXT)


class HotlineSettingsForm(forms.ModelForm):
    """The community's 12345 deadlines and rate weights; the three shares make 100 %."""

    class Meta:
        model = HotlineSettings
        fields = [
            "urgent_response_hours",
            "normal_response_hours",
            "urgent_resolution_hours",
            "normal_resolution_days",
            "complex_resolution_days",
            "partly_weight",
            "basic_weight",
            "response_share",
            "resolution_share",
            "satisfaction_share",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("partly_weight", "basic_weight"):
            self.fields[name].min_value = 0
            self.fields[name].max_value = 1
            self.fields[name].validators += [MinValueValidator(0), MaxValueValidator(1)]
            self.fields[name].widget.attrs.update(min="0", max="1", step="0.05")
        for name in ("urgent_response_hours", "normal_response_hours", "urgent_resolution_hours"):
            self.fields[name].validators.append(MinValueValidator(1))
        for name in ("normal_resolution_days", "complex_resolution_days"):
            self.fields[name].validators.append(MinValueValidator(1))
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean(self):
        cleaned = super().clean()
        shares = [cleaned.get(name) for name in ("response_share", "resolution_share", "satisfaction_share")]
        if None not in shares and sum(shares) != 100:
            raise forms.ValidationError(
                _("The three shares of the score must add up to 100 %% (now %(total)s %%).") % {"total": sum(shares)}
            )
        return cleaned
