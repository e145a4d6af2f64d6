"""Who works in a community: the secretary adds, re-roles and ends memberships here."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext as _

from residents.models.community import Community, Membership, Role

#: A community makes its own staff; read-only 街道 accounts are made by the operator.
COMMUNITY_ROLES = (Role.SECRETARY, Role.STAFF, Role.GRID)


class MembershipError(Exception):
    """A membership change that is not allowed; the message says why."""


def _check_role(role: str) -> None:
    if role not in COMMUNITY_ROLES:
        raise MembershipError(_("A community cannot give the subdistrict role."))


def add_member(*, community: Community, username: str, role: str) -> Membership:
    """Give an existing account a role here (again, if its membership had ended)."""
    _check_role(role)
    user = get_user_model().objects.filter(username=username.strip(), is_active=True).first()
    if user is None:
        raise MembershipError(_("No active account is called “%(username)s”.") % {"username": username.strip()})
    with transaction.atomic():
        membership, created = Membership.objects.select_for_update().get_or_create(
            user=user, community=community, defaults={"role": role}
        )
        if not created:
            if membership.is_active:
                raise MembershipError(_("%(username)s is already a member here.") % {"username": user.username})
            if membership.role == Role.VIEWER:
                raise MembershipError(_("A community cannot give the subdistrict role."))
            membership.role, membership.is_active = role, True
            membership.save(update_fields=["role", "is_active"])
    return membership


def change_role(*, membership: Membership, role: str, by) -> Membership:
    """A new role for a member of the community; 街道 accounts and one's own role stay as they are."""
    _check_role(role)
    if membership.role == Role.VIEWER:
        raise MembershipError(_("Subdistrict accounts are managed by the operator."))
    if membership.user_id == by.pk:
        raise MembershipError(_("You cannot change your own role."))
    membership.role = role
    membership.save(update_fields=["role"])
    return membership


def end_membership(*, membership: Membership, by) -> Membership:
    """The person no longer works here: they keep their account and their records, not the access."""
    if membership.user_id == by.pk:
        raise MembershipError(_("You cannot end your own membership."))
    if membership.role == Role.VIEWER:
        raise MembershipError(_("Subdistrict accounts are managed by the operator."))
    membership.is_active = False
    membership.save(update_fields=["is_active"])
    return membership
