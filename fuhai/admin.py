from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from fuhai.models import SubdistrictSettings
from residents.admin_base import FuhaiModelAdmin

# The admin is the operator's (accounts, 街道 thresholds, repairs); the office works in the app.
admin.site.site_header = _("Fuhai · operator administration")
admin.site.site_title = _("Fuhai operator administration")


@admin.register(SubdistrictSettings)
class SubdistrictSettingsAdmin(FuhaiModelAdmin):
    list_display = ["name", "visit_rate_threshold"]
