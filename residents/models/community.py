"""Communities and who works in them (membership with a role)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Count, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from residents.models.labels import ChoiceLabels


class Community(models.Model):
    """A residents' committee (社区). Every record in Fuhai belongs to one."""

    name = models.CharField(_("name"), max_length=100)
    subdistrict = models.CharField(_("subdistrict"), max_length=100, blank=True)
    district = models.CharField(_("district"), max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("community")
        verbose_name_plural = _("communities")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["district", "subdistrict", "name"], name="community_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    SECRETARY = "secretary", _("Secretary / director")
    STAFF = "staff", _("Social worker")
    GRID = "grid", _("Grid worker")
    VIEWER = "viewer", _("Subdistrict viewer (read-only)")


class Membership(ChoiceLabels, models.Model):
    """A user's place in a community, with the role that decides what they may do there."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("user")
    )
    community = models.ForeignKey(
        Community, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("community")
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.STAFF)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [models.UniqueConstraint(fields=["user", "community"], name="membership_unique_user")]

    def __str__(self) -> str:
        return f"{self.user} @ {self.community} ({self.get_role_display()})"

    @property
    def can_edit(self) -> bool:
        return self.role != Role.VIEWER

    @property
    def can_see_sensitive(self) -> bool:
        """Health, disability and 低保 status are for the roles that need them (PIPL)."""
        return self.role in {Role.SECRETARY, Role.STAFF}

    @property
    def visits_residents(self) -> bool:
        """Does the office's work with residents (everyone but the 街道 viewer, who reads figures
        and visits nobody): sees residents' full names and what past visits noted. The viewer
        sees 王** and no visit's free text."""
        return self.role != Role.VIEWER

    @property
    def is_secretary(self) -> bool:
        return self.role == Role.SECRETARY

    @property
    def can_edit_residents(self) -> bool:
        """May add and change residents and households: the form takes ID and phone numbers in
        full, so it is for the roles that may see them (grid workers report, 街道 looks)."""
        return self.role in {Role.SECRETARY, Role.STAFF}

    @property
    def can_reveal(self) -> bool:
        """May reveal a full ID or phone number, with a reason that is logged."""
        return self.role in {Role.SECRETARY, Role.STAFF}


class CommunityQuerySet(models.QuerySet):
    def in_community(self, community: Community) -> CommunityQuerySet:
        return self.filter(community=community)

    def count_column(self, field: str = "id", *, distinct: bool = False) -> Coalesce:
        """How many of these rows (all of one community) there are, as a scalar subquery, 0 when
        none: a column of a one-row query on the community, which reads the figures of several
        apps at once (the home page, the board's summary)."""
        counted = self.order_by().values("community").annotate(n=Count(field, distinct=distinct)).values("n")
        return Coalesce(Subquery(counted, output_field=models.IntegerField()), 0)
