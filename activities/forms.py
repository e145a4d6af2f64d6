"""Forms of the activities app: they validate and shape input; writes happen in services."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from decimal import Decimal
from functools import cached_property

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from activities.hours import MAX_HOURS, format_hours, parse_hours
from activities.models import (
    Activity,
    ActivitySettings,
    Commendation,
    Notice,
    ParticipantRole,
    round_hours,
    validate_no_personal_data,
)
from activities.services import giver_suggestions
from issues.forms import StaffChoiceField
from issues.models.issue import Issue
from issues.models.partner import Partner
from issues.photos import PhotosField, check_photo
from residents.forms import MAX_NOTE, MAX_TEXT, RECORDS_YEARS_BACK, check_date_within, limit_length
from residents.models.community import Community
from residents.models.resident import Resident
from residents.selectors import staff_of

#: A write-up (活动简报) is a page or two, longer than a description.
MAX_WRITE_UP = 5000

DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")

#: The longest activity: one over several days (a week's exhibition) is kept, while 1900 to 2099
#: filled every day of the calendar and the morning board.
MAX_ACTIVITY_DAYS = 31
#: How far from today a new (or moved) activity may start, in years back and ahead.
ACTIVITY_YEARS_BACK, ACTIVITY_YEARS_AHEAD = 1, 2
#: The most places an activity offers: 99999999999999 was shown as 0/99999999999999.
MAX_CAPACITY = 10000

CENT = Decimal("0.01")


def most_hours(length: Decimal, rule: str) -> Decimal:
    """The most hours one volunteer serves at an activity of ``length`` hours: its length, or the
    length as the community's rule rounds it (what an empty field records), never over MAX_HOURS."""
    return min(max(length, round_hours(length, rule)), MAX_HOURS)


class ActivityForm(forms.ModelForm):
    class Meta:
        model = Activity
        fields = [
            "title",
            "platform",
            "starts_at",
            "ends_at",
            "venue",
            "organiser",
            "partners",
            "capacity",
            "description",
        ]
        widgets = {
            "starts_at": DATETIME_WIDGET,
            "ends_at": DATETIME_WIDGET,
            "description": forms.Textarea(attrs={"rows": 4}),
            "partners": forms.CheckboxSelectMultiple,
        }
        field_classes = {"organiser": StaffChoiceField}

    def __init__(self, *args, community: Community, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.community = community
        self.fields["organiser"].queryset = staff_of(community)
        self.fields["partners"].queryset = Partner.objects.in_community(community).filter(is_active=True)
        if not self.fields["partners"].queryset.exists():
            self.fields["partners"].help_text = _(
                "No partner organisations yet: add them under the issue log's partners."
            )
        self.fields["title"].error_messages["required"] = _("Please enter the activity's title.")
        self.fields["venue"].error_messages["required"] = _("Please enter where it takes place.")
        capacity = self.fields["capacity"]
        capacity.validators = [MinValueValidator(1), MaxValueValidator(MAX_CAPACITY)]
        capacity.widget.attrs.update(min=1, max=MAX_CAPACITY)
        capacity.error_messages.update(
            invalid=_("Enter the number of places as a whole number, or leave it empty for no limit."),
            min_value=_("At least 1 place: leave it empty for no limit."),
            max_value=_("At most %(limit_value)s places: check the number."),
        )
        limit_length(self.fields["description"], MAX_TEXT)
        for name in ("title", "venue"):
            limit_length(self.fields[name], self.fields[name].max_length)
        self.helper = FormHelper()
        # As every form: the server's messages, not the browser's (名额 0 got Chromium's English).
        self.helper.attrs = {"novalidate": ""}
        self.helper.add_input(Submit("save", _("Save")))

    def clean_starts_at(self):
        starts = self.cleaned_data["starts_at"]
        # An activity held long ago keeps its date when its write-up or venue is corrected.
        if self.instance.pk is None or starts != self.instance.starts_at:
            check_date_within(
                timezone.localdate(starts),
                today=timezone.localdate(),
                years_back=ACTIVITY_YEARS_BACK,
                years_ahead=ACTIVITY_YEARS_AHEAD,
            )
        return starts

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if not (starts and ends):
            return data
        if ends <= starts:
            self.add_error("ends_at", _("The activity must end after it starts."))
        elif ends - starts > timedelta(days=MAX_ACTIVITY_DAYS):
            self.add_error(
                "ends_at", _("An activity lasts at most %(days)s days: check the end.") % {"days": MAX_ACTIVITY_DAYS}
            )
        elif self.instance.pk and (starts, ends) != (self.instance.starts_at, self.instance.ends_at):
            self.check_records_fit(starts, ends)
        return data

    def check_records_fit(self, starts: datetime, ends: datetime) -> None:
        """Moved or shortened, the activity must still hold what was recorded at it: sign-ins
        outside the new sign-in hours (present at an activity still to come) or volunteer hours
        longer than the new length (3 hours for half an hour) are refused, not kept silently."""
        moved = Activity(community=self.instance.community, starts_at=starts, ends_at=ends)
        rows = self.instance.participations.all()
        outside = (
            rows.filter(checked_in_at__isnull=False)
            .exclude(checked_in_at__gte=moved.check_in_opens_at, checked_in_at__lt=moved.check_in_closes_at)
            .count()
        )
        if outside:
            self.add_error(
                None,
                _(
                    "%(count)s sign-in(s) recorded at this activity do not fit the new time: check the date "
                    "and time. To hold the activity again on another day, plan a new one."
                )
                % {"count": outside},
            )
        rule = ActivitySettings.for_community(self.instance.community).hours_rounding
        longest = most_hours(moved.duration_hours, rule).quantize(CENT)
        longer = rows.filter(role=ParticipantRole.VOLUNTEER, hours__gt=longest).count()
        if longer:
            self.add_error(
                None,
                _(
                    "%(count)s volunteer(s) have more hours recorded than the new time allows (%(max)s hours): "
                    "lower their hours on the activity's page first, or keep the longer time."
                )
                % {"count": longer, "max": format_hours(longest)},
            )


class WalkInForm(forms.Form):
    name = forms.CharField(
        label=_("Walk-in's name"),
        max_length=50,
        error_messages={"required": _("Please enter the name.")},
        widget=forms.TextInput(attrs={"autocomplete": "off", "placeholder": _("Full name")}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit_length(self.fields["name"], self.fields["name"].max_length)

    def clean_name(self):
        return name_only(self.cleaned_data["name"])


def name_only(name: str) -> str:
    """A name as the desk takes it: a phone typed beside it (张阿姨 13900001111) would be shown in
    full on the desk and the activity's lists, which show names; the phone belongs in 居民信息."""
    if re.search(r"\d{7,}", re.sub(r"[\s\-－—]", "", name)):
        raise forms.ValidationError(_("Only the name, please: a phone number belongs in the resident's record."))
    return name


class VolunteerForm(forms.Form):
    name = forms.CharField(
        label=_("Volunteer"),
        max_length=50,
        help_text=_("A resident's name links the hours to them; any other name is kept as typed."),
        error_messages={"required": _("Please enter the volunteer's name.")},
    )
    volunteer_role = forms.CharField(
        label=_("Task"), max_length=50, required=False, help_text=_("e.g. 签到, 摄影, 讲解")
    )
    # Text, not a number field: 1小时30分, 90分钟 and 半小时 are typed as often as 1.5.
    hours = forms.CharField(
        label=_("Hours"),
        max_length=20,
        required=False,
        help_text=_(
            "e.g. 1.5, 1小时30分, 90分钟 or 半小时. Leave empty for the activity's length. "
            "Rounded by the community's rule."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    def __init__(self, *args, community: Community, activity: Activity | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.community = community
        self.activity = activity
        for name in ("name", "volunteer_role", "hours"):
            limit_length(self.fields[name], self.fields[name].max_length)
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean_name(self):
        return name_only(self.cleaned_data["name"])

    def clean_hours(self) -> Decimal | None:
        typed = self.cleaned_data["hours"]
        if not typed:
            return None
        hours = parse_hours(typed)
        if hours is None and typed.strip()[:1] in "-−－" and parse_hours(typed.strip()[1:]) is not None:
            raise forms.ValidationError(
                _("“%(typed)s”: hours cannot be negative."), params={"typed": typed}, code="min_value"
            )
        if hours is None:
            raise forms.ValidationError(
                _("“%(typed)s” is not read as hours: type e.g. 1.5, 1小时30分, 90分钟 or 半小时."),
                params={"typed": typed},
                code="invalid",
            )
        if hours > MAX_HOURS:
            raise forms.ValidationError(
                _("“%(typed)s” is more than %(max)s hours: one activity's hours are at most a day's."),
                params={"typed": typed, "max": MAX_HOURS},
                code="max_value",
            )
        if not hours:
            raise forms.ValidationError(
                _("“%(typed)s”: hours must be more than 0."), params={"typed": typed}, code="min_value"
            )
        if not round_hours(hours, self.rule):
            raise forms.ValidationError(
                _("“%(typed)s” is 0 hours once rounded by this community's rule: hours must be more than 0."),
                params={"typed": typed},
                code="min_value",
            )
        longest = self.longest_hours()
        # 1小时50分 for 14:00–15:50 is its length, whatever the last digit.
        if longest is not None and hours.quantize(CENT) > longest.quantize(CENT):
            raise forms.ValidationError(
                _(
                    "“%(typed)s” is longer than the activity itself (%(max)s hours): "
                    "a volunteer's hours are at most the activity's length."
                ),
                params={"typed": typed, "max": format_hours(longest.quantize(CENT))},
                code="longer_than_activity",
            )
        return hours

    @cached_property
    def rule(self) -> str:
        return ActivitySettings.for_community(self.community).hours_rounding

    def longest_hours(self) -> Decimal | None:
        """The most hours one volunteer serves at this activity (most_hours)."""
        if self.activity is None:
            return None
        return most_hours(self.activity.duration_hours, self.rule)

    def clean(self):
        data = super().clean()
        name = " ".join(data.get("name", "").split())
        same = list(Resident.objects.in_community(self.community).active().filter(name=name)[:2])
        data["resident"] = same[0] if len(same) == 1 else None
        data["name"] = name
        return data


class SummaryForm(forms.ModelForm):
    class Meta:
        model = Activity
        fields = ["summary"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 12, "id": "summary-text"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit_length(self.fields["summary"], MAX_WRITE_UP)


class PhotoForm(forms.Form):
    photos = PhotosField(label=_("Photos"), error_messages={"required": _("Please choose at least one photo.")})
    caption = forms.CharField(label=_("Caption"), max_length=100, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit_length(self.fields["caption"], self.fields["caption"].max_length)
        self.helper = FormHelper()
        self.helper.form_tag = False


class CommendationForm(forms.ModelForm):
    giver_resident_name = forms.CharField(
        label=_("Giver"),
        max_length=100,
        help_text=_(
            "Type two characters or more of a resident's name or pinyin initials and choose them below; "
            "a family or any other name is kept as typed."
        ),
        error_messages={"required": _("Please enter who gave it.")},
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    # The resident chosen among the suggestions (the template renders them as radio buttons):
    # it tells apart two residents of the same name. Empty means "none of them".
    giver = forms.ModelChoiceField(
        queryset=Resident.objects.none(),
        required=False,
        error_messages={
            "invalid_choice": _(
                "The chosen resident is not one of this community's: type the name again and choose from the list."
            )
        },
    )
    issue_code = forms.CharField(
        label=_("Issue it thanks for"),
        max_length=20,
        required=False,
        help_text=_("The 民情日记 number, e.g. MQ20261129-003; leave empty if none."),
    )
    photo_upload = forms.FileField(
        label=_("Photo"), required=False, widget=forms.FileInput(attrs={"accept": "image/*"})
    )

    class Meta:
        model = Commendation
        fields = ["kind", "received_on", "inscription", "credited_staff", "note"]
        widgets = {
            "received_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "note": forms.Textarea(attrs={"rows": 2}),
        }
        field_classes = {"credited_staff": StaffChoiceField}

    def __init__(self, *args, community: Community, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.community = community
        self.community = community
        self.fields["credited_staff"].queryset = staff_of(community)
        self.fields["credited_staff"].empty_label = _("The whole office")
        self.fields["giver"].queryset = Resident.objects.in_community(community).select_related("room__unit__building")
        limit_length(self.fields["note"], MAX_NOTE)
        for name in ("giver_resident_name", "inscription", "issue_code"):
            limit_length(self.fields[name], self.fields[name].max_length)
        if self.instance.pk:
            self.fields["giver_resident_name"].initial = self.instance.giver_display
            self.fields["issue_code"].initial = self.instance.issue.code if self.instance.issue_id else ""
        self.order_fields(["kind", "received_on", "giver_resident_name", "inscription", "credited_staff", "issue_code"])
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean_received_on(self):
        received = self.cleaned_data["received_on"]
        if received and received > timezone.localdate():
            raise forms.ValidationError(
                _("A commendation is recorded once it has been received: the date cannot be after today.")
            )
        if received:
            check_date_within(received, today=timezone.localdate(), years_back=RECORDS_YEARS_BACK)
        return received

    def clean_giver_resident_name(self):
        # 李先生 13800138000 was shown in full on the wall of honour and to the 街道.
        return name_only(self.cleaned_data["giver_resident_name"])

    def clean_issue_code(self):
        code = self.cleaned_data["issue_code"].strip().upper()
        if not code:
            self.instance.issue = None
            return ""
        issue = Issue.objects.in_community(self.community).filter(code=code).first()
        if issue is None:
            raise forms.ValidationError(_("There is no item %(code)s in the issue log.") % {"code": code})
        self.instance.issue = issue
        return code

    def clean_photo_upload(self):
        upload = self.cleaned_data.get("photo_upload")
        return check_photo(upload) if upload else None

    def clean(self):
        data = super().clean()
        # Set before the model's own clean() runs, which asks for a giver.
        name = " ".join(data.get("giver_resident_name", "").split())
        if data.get("giver"):
            self.instance.giver = data["giver"]
            name = data["giver"].name
        elif "giver" in self.data:
            # 不是以上居民 was chosen (or the choice was refused): a namesake is not linked.
            self.instance.giver = None
        else:
            same = list(Resident.objects.in_community(self.community).active().filter(name=name)[:2]) if name else []
            self.instance.giver = same[0] if len(same) == 1 else None
            if len(same) > 1:
                # Enter pressed while the suggestions offered both: which one gave it is asked,
                # not guessed, and not left unlinked without a word.
                self.add_error(
                    "giver_resident_name",
                    _("More than one resident here is called %(name)s: choose which one below, or 都不是.")
                    % {"name": name},
                )
            elif not same and giver_suggestions(self.community, name):
                # Saved while the list offered residents for what was typed (ll: 李立, 林丽):
                # the pinyin initials were kept as the giver's name, linked to nobody.
                self.add_error("giver_resident_name", _("Choose who gave it in the list below, or 都不是."))
        self.instance.giver_name = name
        return data

    def add_error(self, field, error):
        # The model asks for a giver under giver_name; this form takes it as giver_resident_name.
        if field is None and isinstance(error, forms.ValidationError) and hasattr(error, "error_dict"):
            if "giver_name" in error.error_dict:
                messages = error.error_dict.pop("giver_name")
                if "giver_resident_name" not in self.errors:
                    error.error_dict["giver_resident_name"] = messages
            if not error.error_dict:
                return
        super().add_error(field, error)

    def save(self, commit=True):
        upload = self.cleaned_data.get("photo_upload")
        if upload:
            self.instance.photo = upload
            self.instance.photo_thumbnail = upload.thumbnail
            self.instance.photo_content_type = upload.content_type
        return super().save(commit)


class NoticeForm(forms.ModelForm):
    class Meta:
        model = Notice
        fields = ["topic", "title", "text", "is_template"]
        widgets = {"text": forms.Textarea(attrs={"rows": 8})}

    def __init__(self, *args, community: Community, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.community = community
        self.fields["title"].error_messages["required"] = _("Please enter a title.")
        self.fields["text"].error_messages["required"] = _("Please enter the notice.")
        limit_length(self.fields["text"], MAX_TEXT)
        limit_length(self.fields["title"], self.fields["title"].max_length)
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", _("Save")))

    def clean_title(self):
        title = self.cleaned_data["title"]
        validate_no_personal_data(title)
        return title


class ActivitySettingsForm(forms.ModelForm):
    class Meta:
        model = ActivitySettings
        fields = ["hours_rounding"]
        widgets = {"hours_rounding": forms.Select(attrs={"class": "form-select"})}
