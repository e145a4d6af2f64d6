"""Forms for adding and changing residents and households: validate and shape input only.

Personal numbers are write-only here: the form never shows a stored ID or phone number in full
(only masked, as a hint), an empty box keeps what is stored, and a new number is checked as the
import checks it (``crypto.id_number_error``, ``importer.PHONE_RE``)."""

from __future__ import annotations

from dataclasses import dataclass

from crispy_forms.helper import FormHelper
from django import forms
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from residents import crypto
from residents.forms import CHOOSE
from residents.importer import PHONE_RE, normalise_phone
from residents.models.community import Community
from residents.models.place import ROOM_LABEL_RE, Building, Room
from residents.models.resident import Gender, Relation, Resident, ResidentStatus

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


@dataclass(frozen=True)
class PlaceChoice:
    """Where a resident lives: an existing room, or a new room in an existing building."""

    room: Room | None = None
    building: Building | None = None
    unit_no: str = ""
    room_no: str = ""

    @property
    def label(self) -> str:
        if self.room is not None:
            return self.room.label
        return f"{self.building.number}号楼{self.unit_no}单元{self.room_no}"


def clean_place(community: Community, text: str) -> PlaceChoice | None:
    """A typed place ("3-2-501", "3号楼2单元501") as the import and the places module read it.

    The room may be new (it is made on save, as the import makes it), the building may not: a
    typo must not become a building. Raises ValidationError with what to write instead."""
    text = (text or "").strip()
    if not text:
        return None
    match = ROOM_LABEL_RE.match(text)
    if not match:
        raise forms.ValidationError(_("Write the room as building-unit-room, e.g. 3-2-501 or 3号楼2单元501."))
    room = Room.objects.in_community(community).find_label(text)
    if room is not None:
        return PlaceChoice(room=room)
    building = Building.objects.in_community(community).filter(number=match["building"]).first()
    if building is None:
        raise forms.ValidationError(
            _("This community has no building %(number)s: check the building number.") % {"number": match["building"]}
        )
    return PlaceChoice(building=building, unit_no=match["unit"], room_no=match["room"])


def clean_phone(value: str) -> str:
    """A phone as the import accepts it (``importer.normalise_phone``)."""
    phone = normalise_phone(value)
    if phone and not PHONE_RE.match(phone):
        raise forms.ValidationError(
            _("Not a phone number: a mobile has 11 digits starting with 1, a landline is written like 010-12345678.")
        )
    return phone


#: What the 17th character of the ID number says, when the gender chosen is the other.
ID_GENDER_SAYS = {
    Gender.MALE: _("The ID number is a man's: correct one of the two."),
    Gender.FEMALE: _("The ID number is a woman's: correct one of the two."),
}


class ResidentForm(forms.ModelForm):
    """One resident: who, where, and the numbers (write-only, checked, encrypted on save)."""

    place = forms.CharField(
        label=_("Room"),
        max_length=30,
        required=False,
        help_text=_("As 3-2-501 or 3号楼2单元501; a new room in a known building is added."),
    )
    id_number = forms.CharField(
        label=_("ID number"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "text", "spellcheck": "false"}),
    )
    new_phone = forms.CharField(
        label=_("Phone"), max_length=20, required=False, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )
    new_emergency_phone = forms.CharField(
        label=_("Emergency contact phone"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    # Shown only when the room already has someone of this name: the same person added twice is
    # the register's commonest error (one visit plan, two records); two people of one name in one
    # household are rare but real (a grandmother and granddaughter both 王秀英), so it can be said.
    same_name = forms.BooleanField(
        label=_("This is another person with the same name"), required=False, widget=forms.HiddenInput
    )

    class Meta:
        model = Resident
        fields = [
            "name",
            "same_name",
            "place",
            "relation",
            "gender",
            "birth_date",
            "id_number",
            "new_phone",
            "population_type",
            "status",
            "emergency_contact",
            "new_emergency_phone",
            "wechat_nickname",
        ]
        widgets = {"birth_date": DATE_INPUT}
        labels = {"name": _("Full name")}

    def __init__(self, *args, community: Community, **kwargs):
        super().__init__(*args, **kwargs)
        self.community = community
        self.fields["relation"].choices = [("", CHOOSE), *Relation.choices]
        self.fields["gender"].choices = [("", CHOOSE), *Gender.choices]
        stored = self.instance
        if stored.pk:
            self.fields["place"].initial = stored.room.label if stored.room_id else ""
            keep = _("Leave empty to keep %(masked)s.")
            if stored.id_number_masked:
                self.fields["id_number"].help_text = keep % {"masked": stored.id_number_masked}
            if stored.phone:
                self.fields["new_phone"].help_text = keep % {"masked": stored.masked_phone}
            if stored.emergency_phone:
                self.fields["new_emergency_phone"].help_text = keep % {"masked": stored.masked_emergency_phone}
        else:
            del self.fields["status"]
        if not self.fields["id_number"].help_text:
            self.fields["id_number"].help_text = _(
                "18 characters; a 15-digit number from a first-generation card is turned into its 18. "
                "The date of birth and gender are read from it."
            )
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError(_("Write the resident's name."))
        return name

    def clean_place(self):
        return clean_place(self.community, self.cleaned_data["place"])

    def clean_id_number(self):
        value = crypto.normalise_id_number(self.cleaned_data["id_number"])
        if not value:
            return ""
        if error := crypto.id_number_error(value):
            raise forms.ValidationError(error)
        twin = (
            Resident.objects.in_community(self.community)
            .with_id_number(value)
            .exclude(pk=self.instance.pk)
            .only("name")
            .first()
        )
        if twin is not None:
            raise forms.ValidationError(
                _("This ID number is already registered in this community, for %(name)s.") % {"name": twin.name}
            )
        return value

    def clean_new_phone(self):
        return clean_phone(self.cleaned_data["new_phone"])

    def clean_new_emergency_phone(self):
        return clean_phone(self.cleaned_data["new_emergency_phone"])

    def clean(self):
        data = super().clean()
        id_number = data.get("id_number")
        kept = False
        if not id_number and "id_number" not in self.errors and self.instance.id_number_encrypted:
            # Left empty, the stored number is kept: a date of birth or gender changed against it
            # is as wrong as against one typed in. Read here to check, never shown.
            id_number, kept = self.instance.decrypted_id_number(), True
            if crypto.id_number_error(id_number):  # an old record's bad number says nothing
                id_number = ""
        self.check_same_name(data)
        if id_number:
            born = crypto.id_number_birth_date(id_number)
            # The 17th character: odd for men, even for women.
            gender = Gender.MALE if int(id_number[16]) % 2 else Gender.FEMALE
            # Against the kept number only what this edit changes: a record imported with another
            # date still saves when someone corrects its phone.
            if data.get("birth_date") is None and "birth_date" not in self.errors:
                data["birth_date"] = born
            elif (
                data.get("birth_date")
                and data["birth_date"] != born
                and (not kept or "birth_date" in self.changed_data)
            ):
                self.add_error(
                    "birth_date",
                    _("The ID number says %(date)s: correct one of the two.") % {"date": date_format(born)},
                )
            if not data.get("gender"):
                data["gender"] = gender
            elif data["gender"] != gender and (not kept or "gender" in self.changed_data):
                self.add_error("gender", ID_GENDER_SAYS[gender])
        return data

    def check_same_name(self, data: dict) -> None:
        """Someone of this name already living in the chosen room is asked about, not saved twice."""
        name, place = data.get("name"), data.get("place")
        if not name or place is None or place.room is None or data.get("same_name"):
            return
        stored = self.instance
        if stored.pk and stored.name == name and stored.room_id == place.room.pk:
            return  # an edit of the phone does not ask again about a household known for years
        twin = (
            Resident.objects.active()
            .filter(room=place.room, name=name)
            .exclude(pk=self.instance.pk)
            .only("birth_date")
            .first()
        )
        if twin is None:
            return
        born = date_format(twin.birth_date) if twin.birth_date else _("date of birth not recorded")
        record = format_html(
            '<a href="{}" target="_blank" rel="noopener">{}</a>',
            reverse("residents:resident_detail", args=[twin.pk]),
            _("open that record"),
        )
        message = _(
            "%(name)s (%(born)s) already lives in %(room)s: %(record)s to change it; if this is another "
            "person of the same name, tick the box below and save again."
        )
        params = {"name": name, "born": born, "room": place.room.label, "record": record}
        # The link opens in a new tab: what was typed here stays.
        self.add_error("name", mark_safe(message % {key: conditional_escape(value) for key, value in params.items()}))
        self.fields["same_name"].widget = forms.CheckboxInput()


class MoveHouseholdForm(forms.Form):
    """Everyone living in a room moves to another one (an address corrected or a move in the
    community); who moved out or died stays at the old address."""

    place = forms.CharField(
        label=_("New room"),
        max_length=30,
        help_text=_("As 3-2-501 or 3号楼2单元501; a new room in a known building is added."),
    )

    def __init__(self, *args, community: Community, current: Room, **kwargs):
        super().__init__(*args, **kwargs)
        self.community = community
        self.current = current

    def clean_place(self):
        place = clean_place(self.community, self.cleaned_data["place"])
        if place is None:
            raise forms.ValidationError(_("Write the new room."))
        if place.room is not None and place.room.pk == self.current.pk:
            raise forms.ValidationError(_("That is the room they live in now."))
        return place


class HouseholdMemberForm(forms.ModelForm):
    """One line of the household: the relation to the head and whether they still live here."""

    class Meta:
        model = Resident
        fields = ["relation", "status"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["relation"].choices = [("", CHOOSE), *Relation.choices]
        for field in self.fields.values():
            field.widget.attrs.update(
                {"class": "form-select form-select-sm", "aria-label": f"{self.instance.name} · {field.label}"}
            )


class BaseHouseholdFormSet(forms.BaseModelFormSet):
    def clean(self):
        super().clean()
        heads = [
            f.instance.name
            for f in self.forms
            if f.cleaned_data.get("relation") == Relation.HEAD and f.cleaned_data.get("status") == ResidentStatus.LIVING
        ]
        if len(heads) > 1:
            raise forms.ValidationError(
                _("A household has one head: %(names)s are all marked as head.") % {"names": "、".join(heads)}
            )


HouseholdFormSet = forms.modelformset_factory(
    Resident, form=HouseholdMemberForm, formset=BaseHouseholdFormSet, extra=0, max_num=200
)
