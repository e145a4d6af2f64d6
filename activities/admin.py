from django.contrib import admin

from activities.models import Activity, ActivityPhoto, ActivitySettings, Commendation, Notice, Participation
from residents.admin_base import FuhaiModelAdmin


class ParticipationInline(admin.TabularInline):
    model = Participation
    extra = 0
    raw_id_fields = ["resident"]
    readonly_fields = ["recorded_by"]


@admin.register(Activity)
class ActivityAdmin(FuhaiModelAdmin):
    list_display = ["title", "community", "platform", "starts_at", "venue"]
    list_filter = ["community", "platform"]
    search_fields = ["title"]
    raw_id_fields = ["organiser", "created_by"]
    filter_horizontal = ["partners"]
    inlines = [ParticipationInline]


@admin.register(ActivitySettings)
class ActivitySettingsAdmin(FuhaiModelAdmin):
    list_display = ["community", "hours_rounding"]


@admin.register(ActivityPhoto)
class ActivityPhotoAdmin(FuhaiModelAdmin):
    list_display = ["activity", "caption", "uploaded_at"]
    raw_id_fields = ["activity", "uploaded_by"]


@admin.register(Commendation)
class CommendationAdmin(FuhaiModelAdmin):
    list_display = ["received_on", "community", "kind", "inscription", "giver_name", "credited_staff"]
    list_filter = ["community", "kind"]
    search_fields = ["inscription", "giver_name"]
    raw_id_fields = ["giver", "credited_staff", "issue", "created_by"]


@admin.register(Notice)
class NoticeAdmin(FuhaiModelAdmin):
    list_display = ["title", "community", "topic", "is_template", "updated_at"]
    list_filter = ["community", "topic", "is_template"]
    search_fields = ["title", "text"]
