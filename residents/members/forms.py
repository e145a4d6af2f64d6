"""Forms of the members page: they validate and shape input only."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from residents.members.services import COMMUNITY_ROLES
from residents.models.community import Role

ROLE_CHOICES = [(role.value, role.label) for role in Role if role in COMMUNITY_ROLES]


class AddMemberForm(forms.Form):
    username = forms.CharField(label=_("Username"), max_length=150)
    role = forms.ChoiceField(label=_("Role"), choices=ROLE_CHOICES, initial=Role.STAFF)


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=ROLE_CHOICES)
