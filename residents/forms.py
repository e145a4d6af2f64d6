"""Forms of the residents app: validate and shape input only."""

from __future__ import annotations

from datetime import date

from crispy_forms.helper import FormHelper
from django import forms
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from residents.models.care import (
    SENSITIVE_CATEGORIES,
    VISIT_CHECKS,
    CheckResult,
    SpecialCategory,
    SpecialStatus,
    SupplyItem,
    Visit,
    VisitMethod,
    VisitOutcome,
)
from residents.models.resident import Resident
from residents.selectors import display_name, staff_of

#: The longest free text a form takes: a visit's notes, an activity's description. 20,000
#: characters were once accepted and made a page 14,000 px tall.
MAX_TEXT = 2000
#: The longest note beside a record (a special status, a commendation).
MAX_NOTE = 500

TOO_LONG = _("Please keep this to %(limit_value)d characters; it has %(show_value)d.")

#: The empty choice of a form's select: Django's "---------" reads as a line, not as
#: "nothing chosen yet". (A list filter's empty choice is 全部 instead.)
CHOOSE = _("Choose…")


def limit_length(field: forms.CharField, limit: int) -> None:
    """Cap a form field made from a model's TextField (which has no max_length): the validator
    says the limit in words and the page comes back with the text; the widget's maxlength is the
    limit fuhai.js reads to say so while typing (it keeps what is pasted past it). On a CharField
    it replaces the validator the field already has, so the limit is said once."""
    field.max_length = limit
    field.validators = [v for v in field.validators if not isinstance(v, MaxLengthValidator)]
    field.validators.append(MaxLengthValidator(limit, message=TOO_LONG))
    field.widget.attrs["maxlength"] = str(limit)


#: A count of things handed out or received, in the office's words (Django's 输入整数 and
#: 确保该值大于或等于0 say neither what to type nor why).
COUNT_MESSAGES = {
    "invalid": _("Please enter a whole number, such as 1."),
    "min_value": _("Please enter %(limit_value)s or more."),
    "max_value": _("At most %(limit_value)s here: check the number."),
}

#: How far back a record of what happened (a visit, supplies handed out) may be dated: 1900 for
#: 2025 made a grid worker's home say 已超期 46355 天.
RECORDS_YEARS_BACK = 2


def years_from(day: date, years: int) -> date:
    """``day`` moved by ``years`` (back when negative); 29 February becomes the 28th."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def check_date_within(day: date, *, today: date, years_back: int | None = None, years_ahead: int | None = None) -> None:
    """Refuse a date more than ``years_back`` years before ``today`` or ``years_ahead`` after it:
    a slip of the year (1900, 2999) that would fill every day of a calendar or make a count of
    days absurd. The checks of the future that each record needs stay in its own form."""
    if years_back is not None and day < years_from(today, -years_back):
        raise forms.ValidationError(
            ngettext(
                "The date is more than %(years)d year ago: check the year.",
                "The date is more than %(years)d years ago: check the year.",
                years_back,
            )
            % {"years": years_back},
            code="too_long_ago",
        )
    if years_ahead is not None and day > years_from(today, years_ahead):
        raise forms.ValidationError(
            ngettext(
                "The date is more than %(years)d year ahead: check the year.",
                "The date is more than %(years)d years ahead: check the year.",
                years_ahead,
            )
            % {"years": years_ahead},
            code="too_far_ahead",
        )


class StaffMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return display_name(obj)


class RevealForm(forms.Form):
    reason = forms.CharField(
        label=_("Why do you need the full number?"),
        max_length=200,
        widget=forms.TextInput(attrs={"placeholder": _("e.g. applying for the elderly allowance with the family")}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if len(reason) < 4:
            raise forms.ValidationError(_("Please write the reason in a few words: it goes into the access record."))
        return reason


class HealthNoteRevealForm(RevealForm):
    """The reason for reading a visit's health note (健康情况), which the page keeps covered."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].label = _("Why do you need to read the health note?")
        self.fields["reason"].widget.attrs["placeholder"] = _("e.g. arranging a doctor's home visit")


class UnmaskedExportForm(RevealForm):
    """The secretary's reason for an export with whole phone and ID numbers."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].label = _("Reason for full numbers")


class VisitForm(forms.ModelForm):
    """One screen on a phone: who, when, how, by whom, checks as taps, notes and needs."""

    residents = forms.ModelMultipleChoiceField(
        label=_("Residents visited"),
        queryset=Resident.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Please tick who was visited.")},
    )
    staff = StaffMultipleChoiceField(label=_("Staff"), queryset=None, widget=forms.CheckboxSelectMultiple)
    fire_blankets = forms.IntegerField(
        label=_("Fire blankets handed out"), min_value=0, max_value=10, initial=0, error_messages=COUNT_MESSAGES
    )
    gifts = forms.IntegerField(
        label=_("Care packages handed out"), min_value=0, max_value=10, initial=0, error_messages=COUNT_MESSAGES
    )
    signed = forms.BooleanField(label=_("Receipt signed"), required=False)
    log_needs = forms.BooleanField(label=_("Log the needs in the issue log"), required=False)
    # Sent by the button pressed: 保存走访 (met) or 未遇（家中无人） (not_home). Nothing sent is a visit.
    outcome = forms.ChoiceField(choices=VisitOutcome.choices, required=False)

    class Meta:
        model = Visit
        fields = [
            "residents",
            "visited_on",
            "method",
            "outcome",
            "staff",
            "health",
            "mental_state",
            "home_safety",
            "hygiene",
            "living_conditions",
            "notes",
            "health_note",
            "needs",
        ]
        widgets = {
            "visited_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "method": forms.RadioSelect,
            "notes": forms.Textarea(attrs={"rows": 2}),
            "health_note": forms.Textarea(attrs={"rows": 2}),
            "needs": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, community, residents, today: date, can_see_sensitive: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields["residents"].queryset = residents
        self.fields["staff"].queryset = staff_of(community)
        self.fields["method"].choices = VisitMethod.choices
        for name in VISIT_CHECKS:
            self.fields[name] = forms.ChoiceField(
                label=self.fields[name].label,
                choices=[("", _("Not checked")), *CheckResult.choices],
                required=False,
                widget=forms.RadioSelect,
            )
        for name in ("notes", "health_note", "needs"):
            limit_length(self.fields[name], MAX_TEXT)
        if not can_see_sensitive:
            # Grid workers may write a health note but are not shown past ones.
            self.fields["health_note"].help_text = _("Only the secretary and social workers will see this")
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean_visited_on(self):
        visited_on = self.cleaned_data["visited_on"]
        if visited_on > self.today:
            raise forms.ValidationError(_("A visit cannot be dated in the future."))
        check_date_within(visited_on, today=self.today, years_back=RECORDS_YEARS_BACK)
        return visited_on

    def clean_outcome(self):
        return self.cleaned_data["outcome"] or VisitOutcome.MET

    def clean(self):
        data = super().clean()
        if data.get("outcome") == VisitOutcome.NOT_HOME:
            if data.get("fire_blankets") or data.get("gifts"):
                self.add_error(None, _("Nobody was at home: set the supplies handed out to 0, or save it as a visit."))
            # Nobody was seen, so nothing was checked: a check tapped before knocking is dropped.
            for name in VISIT_CHECKS:
                data[name] = ""
        return data


class DistributionForm(forms.Form):
    item = forms.ChoiceField(label=_("Item"), choices=SupplyItem.choices)
    quantity = forms.IntegerField(
        label=_("Quantity"), min_value=1, max_value=100, initial=1, error_messages=COUNT_MESSAGES
    )
    room = forms.CharField(label=_("Room"), max_length=30, help_text=_("As 3-2-501 or 3号楼2单元501"))
    handed_on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    signed = forms.BooleanField(label=_("Receipt signed"), required=False)

    def __init__(self, *args, rooms, today: date, **kwargs):
        super().__init__(*args, **kwargs)
        self.rooms = rooms
        self.today = today
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean_room(self):
        room = self.rooms.find_label(self.cleaned_data["room"])
        if room is None:
            raise forms.ValidationError(_("No such room in this community: write it like 3-2-501."))
        return room

    def clean_handed_on(self):
        handed_on = self.cleaned_data["handed_on"]
        if handed_on > self.today:
            raise forms.ValidationError(_("The date cannot be in the future."))
        check_date_within(handed_on, today=self.today, years_back=RECORDS_YEARS_BACK)
        return handed_on


class StockForm(forms.Form):
    item = forms.ChoiceField(label=_("Item"), choices=SupplyItem.choices)
    quantity = forms.IntegerField(
        label=_("Quantity received"), min_value=1, max_value=10000, error_messages=COUNT_MESSAGES
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Excel roster (.xlsx)"))
    dry_run = forms.BooleanField(label=_("Only check, do not import"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


class SpecialStatusForm(forms.ModelForm):
    responsible = forms.ModelChoiceField(
        label=_("Responsible staff"), queryset=None, required=False, empty_label=CHOOSE
    )

    class Meta:
        model = SpecialStatus
        fields = ["category", "tier", "visit_interval_days", "responsible", "valid_from", "valid_to", "note"]
        widgets = {
            "valid_from": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "valid_to": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "note": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, community, can_see_sensitive: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible"].queryset = staff_of(community)
        self.fields["responsible"].label_from_instance = display_name
        categories = [c for c in SpecialCategory.choices if can_see_sensitive or c[0] not in SENSITIVE_CATEGORIES]
        self.fields["category"].choices = [("", CHOOSE), *categories]
        limit_length(self.fields["note"], MAX_NOTE)
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean(self):
        data = super().clean()
        if data.get("valid_to") and data.get("valid_from") and data["valid_to"] < data["valid_from"]:
            self.add_error("valid_to", _("The end cannot be before the start."))
        return data
