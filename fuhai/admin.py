from django.contrib import admin

from fuhai.models import SubdistrictSettings


@admin.register(SubdistrictSettings)
class SubdistrictSettingsAdmin(admin.ModelAdmin):
    list_display = ["name", "visit_rate_threshold"]
