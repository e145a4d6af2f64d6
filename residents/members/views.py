"""The members page: the secretary manages who works in the community, without the admin."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from residents.members.forms import AddMemberForm, RoleForm
from residents.members.services import MembershipError, add_member, change_role, end_membership
from residents.models.community import Membership
from residents.scoping import community_view, get_object_for, scoped


def _require_secretary(request: HttpRequest) -> None:
    if not request.membership.is_secretary:
        raise PermissionDenied


def _page(request: HttpRequest, form: AddMemberForm, status: int = 200) -> HttpResponse:
    members = scoped(request, Membership.objects.select_related("user")).order_by(
        "-is_active", "role", "user__username"
    )
    context = {"form": form, "members": members, "role_form": RoleForm()}
    return render(request, "residents/members/membership_list.html", context, status=status)


@community_view
def membership_list(request: HttpRequest) -> HttpResponse:
    _require_secretary(request)
    return _page(request, AddMemberForm())


@require_POST
@community_view
def membership_create(request: HttpRequest) -> HttpResponse:
    _require_secretary(request)
    form = AddMemberForm(request.POST)
    if form.is_valid():
        try:
            membership = add_member(community=request.community, **form.cleaned_data)
        except MembershipError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("%(username)s can now work here.") % {"username": membership.user.username})
            return redirect("residents:membership_list")
    return _page(request, form, status=400)


@require_POST
@community_view
def membership_role(request: HttpRequest, pk: int) -> HttpResponse:
    _require_secretary(request)
    membership = get_object_for(request, Membership.objects.select_related("user"), pk=pk, is_active=True)
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a role from the list."))
        return redirect("residents:membership_list")
    try:
        change_role(membership=membership, role=form.cleaned_data["role"], by=request.user)
    except MembershipError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Role changed."))
    return redirect("residents:membership_list")


@require_POST
@community_view
def membership_end(request: HttpRequest, pk: int) -> HttpResponse:
    _require_secretary(request)
    membership = get_object_for(request, Membership.objects.select_related("user"), pk=pk, is_active=True)
    try:
        end_membership(membership=membership, by=request.user)
    except MembershipError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("%(username)s no longer works here.") % {"username": membership.user.username})
    return redirect("residents:membership_list")
