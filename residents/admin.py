"""Admin for the residents app: places, people, cadence; access records are read-only."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from residents import crypto
from residents.models.care import Distribution, SpecialStatus, SupplyStock, Visit, VisitCadence
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


class ResidentAdminForm(forms.ModelForm):
    new_id_number = forms.CharField(
        label=_("ID number"), required=False, help_text=_("Leave empty to keep the stored number")
    )

    class Meta:
        model = Resident
        fields = [
            "community",
            "room",
            "name",
            "gender",
            "birth_date",
            "phone",
            "population_type",
            "status",
            "relation",
            "emergency_contact",
            "emergency_phone",
            "wechat_nickname",
        ]

    def clean_new_id_number(self):
        value = crypto.normalise_id_number(self.cleaned_data["new_id_number"])
        if value and (error := crypto.id_number_error(value)):
            raise forms.ValidationError(error)
        return value

    def save(self, commit=True):
        if self.cleaned_data.get("new_id_number"):
            self.instance.set_id_number(self.cleaned_data["new_id_number"])
        return super().save(commit)


@admin.register(Resident)
class ResidentAdmin(admin.ModelAdmin):
    form = ResidentAdminForm
    list_display = ["name", "room", "status", "id_number_masked"]
    list_filter = ["community", "status"]
    search_fields = ["name", "name_initials"]
    raw_id_fields = ["room"]


@admin.register(SpecialStatus)
class SpecialStatusAdmin(admin.ModelAdmin):
    list_display = ["resident", "category", "tier", "visit_interval_days", "next_due_on"]
    list_filter = ["community", "category", "tier"]
    raw_id_fields = ["resident"]
    exclude = ["community"]


@admin.register(Visit)
class VisitAdmin(admin.ModelAdmin):
    list_display = ["visited_on", "room", "method", "outcome"]
    list_filter = ["community", "method", "outcome"]
    raw_id_fields = ["room", "residents"]


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
