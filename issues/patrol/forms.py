"""Forms of the patrol pages: they validate and shape input only."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from issues.forms import CHOOSE
from issues.models.category import IssueCategory
from issues.patrol.models import CHECK_OUTCOMES, ChecklistItem, ChecklistResult, Outcome, PatrolStop
from issues.photos import check_photo
from residents.forms import MAX_TEXT, limit_length
from residents.models.community import Community
from residents.models.place import Building, Zone


class PhotoField(forms.FileField):
    """One optional photo, checked by its content."""

    widget = forms.ClearableFileInput(attrs={"accept": "image/*", "capture": "environment"})

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        return check_photo(upload) if upload else None


class CheckForm(forms.Form):
    client_id = forms.UUIDField(widget=forms.HiddenInput)
    issue = forms.IntegerField(widget=forms.HiddenInput)
    outcome = forms.ChoiceField(choices=[(o.value, o.label) for o in Outcome if o in CHECK_OUTCOMES])
    note = forms.CharField(label=_("Note"), required=False, max_length=500)
    photo = PhotoField(label=_("Photo"), required=False)


class UndoForm(forms.Form):
    """撤销 on a tapped item names the tap by the id its browser made for it."""

    client_id = forms.UUIDField(widget=forms.HiddenInput)


class FindForm(forms.Form):
    """A new problem seen on the walk. ``decision`` is empty (look for a matching open
    item first), ``new`` (log it anyway) or the id of the open item it repeats."""

    client_id = forms.UUIDField(widget=forms.HiddenInput)
    place = forms.CharField(label=_("Place"), max_length=100, required=False)
    category = forms.ModelChoiceField(label=_("Category"), queryset=IssueCategory.objects.none(), required=False)
    text = forms.CharField(label=_("What is wrong"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)
    photo = PhotoField(label=_("Photo"), required=False)
    decision = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, community: Community, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = IssueCategory.objects.in_community(community).filter(is_active=True)

    def clean_text(self):
        text = self.cleaned_data["text"].strip()
        if len(text) < 2:
            raise forms.ValidationError(_("Write a few words about the problem."))
        return text

    def clean_decision(self):
        decision = (self.cleaned_data.get("decision") or "").strip()
        if decision not in {"", "new"} and not decision.isdigit():
            raise forms.ValidationError(_("Choose whether this is a new problem or a repeat."))
        return decision


class EndForm(forms.Form):
    summary = forms.CharField(
        label=_("Summary"), widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}), required=False
    )
    places = forms.MultipleChoiceField(
        label=_("Places covered"), widget=forms.CheckboxSelectMultiple, required=False, choices=()
    )

    def __init__(self, *args, stops: list[PatrolStop], **kwargs):
        super().__init__(*args, **kwargs)
        # As every other free text: fuhai.js counts against the widget's maxlength while typing.
        limit_length(self.fields["summary"], MAX_TEXT)
        self.fields["places"].choices = [(s.label, s.label) for s in stops]
        for item in ChecklistItem:
            self.fields[f"check_{item.value}"] = forms.ChoiceField(
                label=item.label,
                choices=ChecklistResult.choices,
                required=False,
                widget=forms.RadioSelect,
            )

    def checklist(self) -> dict[str, str]:
        return {item.value: self.cleaned_data.get(f"check_{item.value}") or "" for item in ChecklistItem}

    def checklist_fields(self):
        return [self[f"check_{item.value}"] for item in ChecklistItem]


class StopForm(forms.Form):
    """A new stop: exactly one of zone, building or a shared place's name."""

    zone = forms.ModelChoiceField(label=_("Zone"), queryset=Zone.objects.none(), required=False, empty_label=CHOOSE)
    building = forms.ModelChoiceField(
        label=_("Building"), queryset=Building.objects.none(), required=False, empty_label=CHOOSE
    )
    name = forms.CharField(
        label=_("Shared place"),
        max_length=50,
        required=False,
        help_text=_("For example 街坊路, 电动车棚, 消防通道"),
    )

    def __init__(self, *args, community: Community, **kwargs):
        super().__init__(*args, **kwargs)
        self.community = community
        self.fields["zone"].queryset = Zone.objects.in_community(community)
        self.fields["building"].queryset = Building.objects.in_community(community)

    def clean(self):
        data = super().clean()
        data["name"] = (data.get("name") or "").strip()
        given = [k for k in ("zone", "building", "name") if data.get(k)]
        if len(given) != 1:
            raise forms.ValidationError(_("Give one of zone, building or shared place."))
        # A stop twice (东门, 东门) shows its items under the first only and the second stays empty.
        place = given[0]
        stops = PatrolStop.objects.in_community(self.community)
        taken = stops.filter(name__iexact=data["name"]) if place == "name" else stops.filter(**{place: data[place]})
        if taken.exists():
            label = data["name"] if place == "name" else str(data[place])
            self.add_error(place, _("%(place)s is already on the route.") % {"place": label})
        return data
