"""Partners (对接单位) and the people at them (对接人)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from residents.masking import mask_phone
from residents.models.community import Community, CommunityQuerySet
from residents.models.labels import ChoiceLabels


class PartnerKind(models.TextChoices):
    PROPERTY = "property", _("Property company")
    OWNERS = "owners", _("Property committee / owners' committee")
    POLICE = "police", _("Community police / police station")
    URBAN_MGMT = "urban_mgmt", _("Urban management")
    SUBDISTRICT = "subdistrict", _("Subdistrict office")
    UTILITIES = "utilities", _("Water, power, gas, heating")
    DESIGN = "design", _("Design / construction")
    BUILDING_HEAD = "building_head", _("Building head")
    OTHER = "other", _("Other")


class Partner(ChoiceLabels, models.Model):
    """An outside organisation the office works with (对接单位). Partners have no accounts."""

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="partners")
    kind = models.CharField(_("kind"), max_length=20, choices=PartnerKind.choices)
    name = models.CharField(_("name"), max_length=100)
    phone = models.CharField(_("office phone"), max_length=30, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    note = models.TextField(_("note"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    objects = CommunityQuerySet.as_manager()

    class Meta:
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        ordering = ["kind", "name"]
        constraints = [models.UniqueConstraint(fields=["community", "name"], name="partner_unique_name")]

    def __str__(self) -> str:
        return self.name


class PartnerContact(models.Model):
    """A person at a partner (对接人): the property manager, the community police officer."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(_("name"), max_length=50)
    title = models.CharField(_("title"), max_length=50, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("partner contact")
        verbose_name_plural = _("partner contacts")
        ordering = ["partner", "name"]

    def __str__(self) -> str:
        return f"{self.name}（{self.partner}）"

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)
