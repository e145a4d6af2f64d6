"""Admin for the residents app: places, people, cadence; access records are read-only."""

import copy

from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from residents.admin_base import FuhaiModelAdmin
from residents.editing.forms import ResidentForm
from residents.editing.services import save_resident
from residents.models.care import SENSITIVE_CHECKS, Distribution, SpecialStatus, SupplyStock, Visit, VisitCadence
from residents.models.community import Community, Membership
from residents.models.place import Building, Room, Unit, Zone
from residents.models.resident import AccessLog, Resident

admin.site.register([Community, Zone, Building, Unit, VisitCadence, SupplyStock], FuhaiModelAdmin)


class CommunityFixedAdmin(FuhaiModelAdmin):
    """The community of a saved record is shown, not changed: the app moves nothing from one
    community to another, and what hangs on the record (its room, visits, statuses, staff) would
    stay behind in the old one. Who leaves is marked moved out; the other community registers her."""

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        return ["community", *fields] if obj is not None else fields

    def get_fields(self, request, obj=None):
        return ["community", *(name for name in super().get_fields(request, obj) if name != "community")]


@admin.register(Membership)
class MembershipAdmin(FuhaiModelAdmin):
    list_display = ["user", "community", "role", "is_active"]
    list_filter = ["community", "role", "is_active"]


@admin.register(Room)
class RoomAdmin(FuhaiModelAdmin):
    list_display = ["__str__", "floor_no"]
    list_select_related = ["unit__building"]
    exclude = ["community"]


class ResidentAdminForm(ResidentForm):
    """The app's resident form with the community chosen when adding (fixed once saved:
    ``CommunityFixedAdmin``): numbers write-only and shown masked, a new phone or ID number
    checked as the app and the import check it (one ID number per community, against the date of
    birth and gender), the room typed as the office writes it and found in that community. The
    admin took any phone and showed the stored one in full."""

    class Meta(ResidentForm.Meta):
        fields = ["community", *ResidentForm.Meta.fields]

    def __init__(self, *args, **kwargs):
        stored = kwargs.get("instance")
        super().__init__(*args, community=stored.community if stored and stored.pk else None, **kwargs)
        # The app adds a resident as living; the operator, repairing the register, may say otherwise.
        self.fields.setdefault("status", copy.deepcopy(self.base_fields["status"]))

    def clean_community(self):
        # Cleaned first (the first field): the room and the ID number are checked in it.
        self.community = self.cleaned_data["community"]
        return self.community

    def clean_place(self):
        return super().clean_place() if self.community else None

    def clean_id_number(self):
        return super().clean_id_number() if self.community else ""


@admin.register(Resident)
class ResidentAdmin(CommunityFixedAdmin):
    form = ResidentAdminForm
    list_display = ["name", "room", "status", "id_number_masked"]
    list_filter = ["community", "status"]
    search_fields = ["name", "name_initials"]

    def save_model(self, request, obj, form, change):
        """Saved as the app saves a resident: each number written is an access record."""
        data = form.cleaned_data
        save_resident(
            resident=obj,
            community=form.community,
            by=request.user,
            place=data["place"],
            id_number=data["id_number"],
            phone=data["new_phone"],
            emergency_phone=data["new_emergency_phone"],
        )


@admin.register(SpecialStatus)
class SpecialStatusAdmin(FuhaiModelAdmin):
    list_display = ["resident", "category", "tier", "visit_interval_days", "next_due_on"]
    list_filter = ["community", "category", "tier"]
    raw_id_fields = ["resident"]
    exclude = ["community"]


def members_of(community) -> QuerySet:
    """Everyone with a membership in the community, an ended one too: an old visit's staff may
    have left since, and the record of who went stays true."""
    return get_user_model().objects.filter(memberships__community=community).order_by("username")


class VisitAdminForm(forms.ModelForm):
    """A visit stays inside its community: its staff and recorder have a membership there, its
    room and residents are the community's. A recorded visit offers only its community's
    members; a new one's community is chosen in the same form, so the choice is checked on saving."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            for name in ("staff", "recorded_by"):
                if name in self.fields:
                    self.fields[name].queryset = members_of(self.instance.community_id)

    def clean(self):
        data = super().clean()
        community = data.get("community") or (self.instance.community if self.instance.community_id else None)
        if community is None:
            return data
        members = set(members_of(community).values_list("pk", flat=True))
        recorder = data.get("recorded_by")
        for name, people in (("staff", data.get("staff") or []), ("recorded_by", [recorder] if recorder else [])):
            if outsiders := [str(user) for user in people if user.pk not in members]:
                self.add_error(
                    name,
                    _("%(names)s is not a member of %(community)s: choose people who work there.")
                    % {"names": "、".join(outsiders), "community": community},
                )
        room = data.get("room")
        if room is not None and room.community_id != community.pk:
            self.add_error("room", _("This room is not in %(community)s.") % {"community": community})
        if strangers := [r.name for r in data.get("residents") or [] if r.community_id != community.pk]:
            self.add_error(
                "residents",
                _("%(names)s is not a resident of %(community)s.")
                % {"names": "、".join(strangers), "community": community},
            )
        return data


@admin.register(Visit)
class VisitAdmin(CommunityFixedAdmin):
    """A visit's health note is sensitive: not shown here, read on the resident's page with a
    reason (residents:visit_health_reveal), which is logged. Nor is its health check (SENSITIVE_CHECKS),
    which the app shows only to the roles that may see health data."""

    form = VisitAdminForm
    list_display = ["visited_on", "room", "method", "outcome"]
    list_filter = ["community", "method", "outcome"]
    raw_id_fields = ["room", "residents"]
    exclude = ["health_note", *sorted(SENSITIVE_CHECKS)]
    readonly_fields = ["health_note_kept"]

    @admin.display(description=_("health note"))
    def health_note_kept(self, visit: Visit) -> str:
        if not visit.health_note:
            return "—"
        return _("Recorded. Read it on the resident's page, with a reason; the reading is logged.")


@admin.register(Distribution)
class DistributionAdmin(FuhaiModelAdmin):
    list_display = ["handed_on", "item", "quantity", "room", "resident", "signed"]
    list_filter = ["community", "item"]
    raw_id_fields = ["room", "resident", "visit"]


@admin.register(AccessLog)
class AccessLogAdmin(FuhaiModelAdmin):
    """Evidence: nobody adds, changes or deletes records here."""

    list_display = ["created_at", "user", "resident", "field", "reason"]
    list_filter = ["community", "field"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
