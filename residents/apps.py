from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResidentsConfig(AppConfig):
    verbose_name = _("Residents and visits")
    name = "residents"
