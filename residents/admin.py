"""Admin for the residents app: places, people, cadence; access records are read-only."""

import copy

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from residents.editing.forms import ResidentForm
from residents.editing.services import save_resident
from residents.models.care import SENSITIVE_CHECKS, Distribution, SpecialStatus, SupplyStock, Visit, VisitCadence
from residents.models.community import Community, Membership
from residents.models.place import Building, Room, Unit, Zone
from residents.models.resident import AccessLog, Resident

admin.site.register([Community, Zone, Building, Unit, VisitCadence, SupplyStock])


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "community", "role", "is_active"]
    list_filter = ["community", "role", "is_active"]


@admin.register(Room)
class RoomAdmin(admin.ModelAdmin):
    list_display = ["__str__", "floor_no"]
    list_select_related = ["unit__building"]
    exclude = ["community"]


class ResidentAdminForm(ResidentForm):
    """The app's resident form with the community chosen: numbers write-only and shown masked,
    a new phone or ID number checked as the app and the import check it (one ID number per
    community, against the date of birth and gender), the room typed as the office writes it and
    found in that community. The admin took any phone and showed the stored one in full."""

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
class ResidentAdmin(admin.ModelAdmin):
    form = ResidentAdminForm
    list_display = ["name", "room", "status", "id_number_masked"]
    list_filter = ["community", "status"]
    search_fields = ["name", "name_initials"]

    def save_model(self, request, obj, form, change):
        """Saved as the app saves a resident: each number written is an access record."""
        data = form.cleaned_data
        save_resident(
            resident=obj,
            community=data["community"],
            by=request.user,
            place=data["place"],
            id_number=data["id_number"],
            phone=data["new_phone"],
            emergency_phone=data["new_emergency_phone"],
        )


@admin.register(SpecialStatus)
class SpecialStatusAdmin(admin.ModelAdmin):
    list_display = ["resident", "category", "tier", "visit_interval_days", "next_due_on"]
    list_filter = ["community", "category", "tier"]
    raw_id_fields = ["resident"]
    exclude = ["community"]


@admin.register(Visit)
class VisitAdmin(admin.ModelAdmin):
    """A visit's health note is sensitive: not shown here, read on the resident's page with a
    reason (residents:visit_health_reveal), which is logged. Nor is its health check (SENSITIVE_CHECKS),
    which the app shows only to the roles that may see health data."""

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
class DistributionAdmin(admin.ModelAdmin):
    list_display = ["handed_on", "item", "quantity", "room", "resident", "signed"]
    list_filter = ["community", "item"]
    raw_id_fields = ["room", "resident", "visit"]


@admin.register(AccessLog)
class AccessLogAdmin(admin.ModelAdmin):
    """Evidence: nobody adds, changes or deletes records here."""

    list_display = ["created_at", "user", "resident", "field", "reason"]
    list_filter = ["community", "field"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
