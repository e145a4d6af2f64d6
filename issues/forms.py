"""Forms of the 民情日记: they validate and shape input; writes happen in services and models."""

from __future__ import annotations

import re
import uuid
from datetime import date, datetime

from crispy_forms.helper import FormHelper
from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from issues.models.category import IssueCategory, ResponseTemplate
from issues.models.choices import (
    CallbackMethod,
    FollowUpKind,
    HandlingMethod,
    IssueChannel,
    IssueResult,
    Satisfaction,
    Urgency,
)
from issues.models.issue import Issue
from issues.models.partner import Partner, PartnerContact, PartnerKind
from issues.models.reminder import ReminderSettings
from issues.photos import PhotosField
from residents.forms import MAX_NOTE, MAX_TEXT, check_date_within, limit_length
from residents.masking import phone_in_text
from residents.models.community import Community
from residents.selectors import display_name, staff_of

#: The empty choice of the selects people fill in at 8:30 (quick entry, 处理方式): Django's
#: "---------" reads as a line, not as "nothing chosen yet".
CHOOSE = _("Choose…")
#: 当场解决 closes the item at once: the callback (回访) and the monthly report read what was done.
SPOT_NOTE_REQUIRED = _("Settled on the spot: write what was done.")
#: How far ahead a due or promised date may be: 2999-01-01 was taken and never fell due.
DUE_YEARS_AHEAD = 2


def _not_years_ahead(day: date | None, now: datetime) -> date | None:
    """A due or promised date as typed, refused when it is years away (a slip of the year)."""
    if day:
        check_date_within(day, today=timezone.localdate(now), years_ahead=DUE_YEARS_AHEAD)
    return day


def needs_spot_note(method: str, note: str | None) -> bool:
    """Whether a settle on the spot comes without what was done (None: the note was refused already)."""
    return method == HandlingMethod.ON_THE_SPOT and note is not None and not note.strip()


class StaffChoiceField(forms.ModelChoiceField):
    """A member of staff by name; no choice reads 请选择, not Django's ---------."""

    def __init__(self, *args, empty_label=CHOOSE, **kwargs):
        super().__init__(*args, empty_label=empty_label, **kwargs)

    def label_from_instance(self, obj) -> str:
        return display_name(obj)


class PartnerContactField(forms.ModelChoiceField):
    """A partner's contact person, the person first: a select too narrow for a long partner name
    still shows whom to call."""

    def label_from_instance(self, obj) -> str:
        return f"{obj.name}{f'（{obj.title}）' if obj.title else ''} · {obj.partner.name}"


class QuickEntryForm(forms.Form):
    """The 8:30 form: one item in under 30 seconds with the keyboard alone."""

    channel = forms.ChoiceField(label=_("Channel"), choices=IssueChannel.choices)
    text = forms.CharField(
        label=_("Content"),
        error_messages={"required": _("Please enter what the resident raised.")},
        widget=forms.Textarea(attrs={"rows": 3, "autofocus": True}),
        help_text=_("Paste or type the message as the resident wrote it."),
    )
    sender = forms.CharField(label=_("Sender (as in the group)"), max_length=50, required=False)
    received_at = forms.DateTimeField(
        label=_("Received at"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("Leave empty for now."),
    )
    place = forms.CharField(
        label=_("Place"), max_length=100, required=False, help_text=_("3-2-501, 3号楼2单元501, or any place")
    )
    reporter_name = forms.CharField(label=_("Reporter"), max_length=50, required=False)
    category = forms.ModelChoiceField(
        label=_("Category"), queryset=IssueCategory.objects.none(), required=False, empty_label=CHOOSE
    )
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Urgency.choices, initial=Urgency.NORMAL)
    owner = StaffChoiceField(
        label=_("Owner"), queryset=get_user_model().objects.none(), required=False, empty_label=CHOOSE
    )
    handling_method = forms.ChoiceField(
        label=_("Handling method"), choices=[("", CHOOSE), *HandlingMethod.choices], required=False
    )
    # One line, so Enter saves as in the other one-line fields; shown for 当场解决 (see the template).
    note = forms.CharField(
        label=_("What was done"),
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("e.g. replaced the bulb, answered in the group")}),
    )
    partner_contact = PartnerContactField(
        label=_("Contact person"), queryset=PartnerContact.objects.none(), required=False, empty_label=CHOOSE
    )
    due_date = forms.DateField(
        label=_("Due date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Empty: from the urgency."),
    )
    photos = PhotosField(label=_("Photos"), required=False)
    # One token per entry on the page: a double click or a resend after a lost connection
    # posts it twice, and the second post finds the item the first one saved.
    entry_token = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, community: Community, now, **kwargs):
        super().__init__(*args, **kwargs)
        self.community = community
        self.now = now
        self.fields["entry_token"].initial = uuid.uuid4().hex
        limit_length(self.fields["text"], MAX_TEXT)
        limit_length(self.fields["note"], MAX_TEXT)
        self.fields["category"].queryset = IssueCategory.objects.in_community(community).filter(is_active=True)
        self.fields["owner"].queryset = staff_of(community)
        self.fields["partner_contact"].queryset = PartnerContact.objects.filter(
            partner__community=community, partner__is_active=True
        ).select_related("partner")
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean_text(self):
        text = self.cleaned_data["text"].strip()
        if not text:
            raise forms.ValidationError(_("Please enter what the resident raised."))
        return text

    def clean_received_at(self):
        received_at = self.cleaned_data.get("received_at")
        if received_at and received_at > self.now + timezone.timedelta(minutes=5):
            raise forms.ValidationError(_("The time received cannot be in the future."))
        return received_at

    def clean_due_date(self):
        due = self.cleaned_data.get("due_date")
        if due and due < timezone.localdate(self.now):
            raise forms.ValidationError(_("The due date is in the past. Choose today or a later day."))
        return _not_years_ahead(due, self.now)

    def clean_entry_token(self):
        token = self.cleaned_data["entry_token"]
        # Anything but a token this page made (tampered, truncated) only loses the protection.
        return f"entry:{token}" if re.fullmatch(r"[0-9a-f]{32}", token) else ""

    def clean(self):
        data = super().clean()
        outcome = self.data.get("outcome", "investigate")
        if outcome == "settle" and not data.get("handling_method"):
            self.add_error("handling_method", _("Choose how it is handled, or press “Needs investigation”."))
        elif outcome == "settle" and needs_spot_note(data.get("handling_method"), data.get("note")):
            self.add_error("note", SPOT_NOTE_REQUIRED)
        return data


class DuplicateChoiceForm(forms.Form):
    """ "This is the same problem": add the report to an open item instead of a new one."""

    same_as = forms.IntegerField(widget=forms.HiddenInput)


class SettleForm(forms.Form):
    """One form for the handling step: method, partner, and the date the partner promised."""

    # No default: a careless save must not settle the item on the spot and close it.
    handling_method = forms.ChoiceField(
        label=_("Handling method"),
        choices=[("", CHOOSE), *HandlingMethod.choices],
        error_messages={"required": _("Choose how the item is handled.")},
    )
    partner_contact = PartnerContactField(
        label=_("Contact person"), queryset=PartnerContact.objects.none(), required=False, empty_label=CHOOSE
    )
    owner = StaffChoiceField(
        label=_("Owner"), queryset=get_user_model().objects.none(), required=False, empty_label=CHOOSE
    )
    due_date = forms.DateField(label=_("Due date"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    promised_date = forms.DateField(
        label=_("Partner promised by"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("With a contact person: the item waits for the partner until this day."),
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Settled on the spot: what was done."),
    )

    def __init__(self, *args, community: Community, now, **kwargs):
        super().__init__(*args, **kwargs)
        self.now = now
        self.fields["partner_contact"].queryset = PartnerContact.objects.filter(
            partner__community=community
        ).select_related("partner")
        self.fields["owner"].queryset = staff_of(community)
        # Settled on the spot, the note is the item's 办理情况 (result_note).
        limit_length(self.fields["note"], MAX_TEXT)
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean_due_date(self):
        due = self.cleaned_data.get("due_date")
        if due and due < timezone.localdate(self.now):
            raise forms.ValidationError(_("The due date is in the past. Choose today or a later day."))
        return _not_years_ahead(due, self.now)

    def clean_promised_date(self):
        return _not_years_ahead(self.cleaned_data.get("promised_date"), self.now)

    def clean(self):
        data = super().clean()
        if needs_spot_note(data.get("handling_method"), data.get("note")):
            self.add_error("note", SPOT_NOTE_REQUIRED)
        promised = data.get("promised_date")
        if promised is None:
            return data
        if promised < timezone.localdate(self.now):
            self.add_error("promised_date", _("The promised date is in the past. Choose today or a later day."))
        elif data.get("handling_method") == HandlingMethod.ON_THE_SPOT:
            self.add_error("promised_date", _("An item settled on the spot waits for no partner."))
        elif not data.get("partner_contact"):
            self.add_error("partner_contact", _("Choose the contact person who promised the date."))
        return data


class ResolveForm(forms.Form):
    result = forms.ChoiceField(label=_("Result"), choices=IssueResult.choices)
    note = forms.CharField(label=_("What was done"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit_length(self.fields["note"], MAX_TEXT)


class CallbackForm(forms.Form):
    satisfaction = forms.ChoiceField(
        label=_("Resident's answer"), choices=Satisfaction.choices, widget=forms.RadioSelect
    )
    method = forms.ChoiceField(
        label=capfirst(Issue._meta.get_field("callback_method").verbose_name),  # how: 回访方式
        choices=CallbackMethod.choices,
        initial=CallbackMethod.PHONE,
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit_length(self.fields["note"], MAX_TEXT)


class ReasonForm(forms.Form):
    note = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit_length(self.fields["note"], MAX_TEXT)


class MergeForm(forms.Form):
    target_code = forms.CharField(label=_("Number of the item it repeats"), max_length=20)
    note = forms.CharField(label=_("Note"), required=False)

    def __init__(self, *args, issue: Issue, **kwargs):
        super().__init__(*args, **kwargs)
        self.issue = issue
        limit_length(self.fields["note"], MAX_TEXT)

    def clean_target_code(self):
        code = self.cleaned_data["target_code"].strip().upper()
        target = Issue.objects.in_community(self.issue.community).filter(code=code).exclude(pk=self.issue.pk).first()
        if target is None:
            raise forms.ValidationError(_("No other item with this number in this community."))
        self.target = target
        return code


class FollowUpForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[
            (k.value, k.label)
            for k in (
                FollowUpKind.NOTE,
                FollowUpKind.CALL,
                FollowUpKind.VISIT,
                FollowUpKind.JOINT_VISIT,
                FollowUpKind.PROMISE,
                FollowUpKind.PHOTO,
            )
        ],
    )
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    partner_contact = PartnerContactField(
        label=_("Contact person"), queryset=PartnerContact.objects.none(), required=False, empty_label=CHOOSE
    )
    promised_date = forms.DateField(
        label=_("Promised by"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    photos = PhotosField(label=_("Photos"), required=False)

    def __init__(self, *args, community: Community, now, **kwargs):
        super().__init__(*args, **kwargs)
        self.now = now
        self.fields["partner_contact"].queryset = PartnerContact.objects.filter(
            partner__community=community
        ).select_related("partner")
        limit_length(self.fields["note"], MAX_TEXT)
        self.templates = ResponseTemplate.objects.in_community(community)

    def clean_promised_date(self):
        return _not_years_ahead(self.cleaned_data.get("promised_date"), self.now)

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if kind == FollowUpKind.PROMISE and "promised_date" not in self.errors:  # a refused date says why
            if not data.get("promised_date"):
                self.add_error("promised_date", _("A promise needs the date the partner promised."))
            elif data["promised_date"] < timezone.localdate(self.now):
                self.add_error("promised_date", _("The promised date is in the past."))
        if kind == FollowUpKind.JOINT_VISIT and not data.get("partner_contact"):
            self.add_error("partner_contact", _("Who came along on the joint visit?"))
        if kind == FollowUpKind.PHOTO and not data.get("photos"):
            self.add_error("photos", _("Choose at least one photo."))
        if kind not in {FollowUpKind.PHOTO} and not (data.get("note") or "").strip() and not data.get("photos"):
            self.add_error("note", _("Write what happened."))
        return data


class EditIssueForm(forms.ModelForm):
    """Correct an item's details. ``version`` catches two people editing at once."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = Issue
        fields = ["text", "sender", "reporter_name", "place_text", "category", "urgency", "due_at", "owner"]
        widgets = {
            "text": forms.Textarea(attrs={"rows": 4}),
            "due_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        }

    def __init__(self, *args, community: Community, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = IssueCategory.objects.in_community(community)
        self.fields["category"].empty_label = CHOOSE
        self.fields["owner"] = StaffChoiceField(label=_("Owner"), queryset=staff_of(community), required=False)
        limit_length(self.fields["text"], MAX_TEXT)
        self.initial.setdefault("version", self.instance.version)
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean_due_at(self):
        due_at = self.cleaned_data.get("due_at")
        if due_at:
            _not_years_ahead(timezone.localdate(due_at), timezone.now())
        return due_at


class PartnerForm(forms.ModelForm):
    class Meta:
        model = Partner
        fields = ["kind", "name", "phone", "address", "note", "is_active"]
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, community: Community, **kwargs):
        super().__init__(*args, **kwargs)
        self.community = community
        self.fields["kind"].choices = [("", CHOOSE), *PartnerKind.choices]
        limit_length(self.fields["note"], MAX_NOTE)
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        clash = Partner.objects.in_community(self.community).filter(name=name).exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError(_("A partner with this name already exists."))
        return name

    def clean_phone(self):
        """The office phone is the organisation's and shown in full: a mobile is a person's and
        belongs to a contact person, whose number is masked (one stored before is left alone)."""
        phone = self.cleaned_data["phone"].strip()
        if phone != self.instance.phone and phone_in_text(phone):
            raise forms.ValidationError(
                _("A mobile number is a person's: add them under the contact people, where it is masked.")
            )
        return phone


class PartnerContactForm(forms.ModelForm):
    """A contact person. Their mobile is write-only here, as a resident's (residents.editing):
    the stored number is never put in the box, only named masked beside it, and an empty box
    keeps it."""

    class Meta:
        model = PartnerContact
        fields = ["name", "title", "phone"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.phone:
            self.initial["phone"] = ""
            self.fields["phone"].help_text = _("Leave empty to keep %(masked)s.") % {
                "masked": self.instance.masked_phone
            }

    def clean_phone(self):
        return self.cleaned_data["phone"].strip() or self.instance.phone


PartnerContactFormSet = forms.inlineformset_factory(
    Partner, PartnerContact, form=PartnerContactForm, extra=2, can_delete=True
)


class ResponseTemplateForm(forms.ModelForm):
    class Meta:
        model = ResponseTemplate
        fields = ["title", "category", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}
        # The model field has no translated name of its own: the form names it.
        labels = {"category": _("Category")}
        help_texts = {"category": _("Empty: offered for items of every category.")}

    def __init__(self, *args, community: Community, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = IssueCategory.objects.in_community(community)
        limit_length(self.fields["text"], MAX_TEXT)
        self.helper = FormHelper()
        self.helper.form_tag = False


class CategoryForm(forms.ModelForm):
    class Meta:
        model = IssueCategory
        fields = ["name", "keywords", "sort_order", "is_active"]

    def __init__(self, *args, community: Community, **kwargs):
        super().__init__(*args, **kwargs)
        self.community = community
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        clash = IssueCategory.objects.in_community(self.community).filter(name=name).exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError(_("This category already exists."))
        return name


class ReminderSettingsForm(forms.ModelForm):
    wecom_webhook_url = forms.URLField(
        label=_("WeCom group robot webhook"),
        required=False,
        assume_scheme="https",
        help_text=_("Messages name items and places, never a resident's phone or ID number."),
    )

    class Meta:
        model = ReminderSettings
        fields = ["remind_day_before", "meeting_after_days", "callback_after_days", "digest_time", "wecom_webhook_url"]
        widgets = {"digest_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
