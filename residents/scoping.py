"""The one place where a request is scoped to a community.

Every view, export, search and board reads ``request.community`` set here, and fetches
objects through :func:`get_object_for`, so an object of another community is a 404
(never a 403: we do not confirm that it exists).
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth.mixins import AccessMixin
from django.core.exceptions import PermissionDenied
from django.db.models import Expression, Model, QuerySet
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse

from residents.models.community import Community, Membership

SESSION_KEY = "community_id"

#: Figures of a membership that apps above this one read on every page (the bell's unread
#: count from issues): each registers, in its AppConfig.ready(), a function returning an
#: expression over the membership row, so they come with the memberships' one query instead of
#: a query each. residents imports none of those apps.
MEMBERSHIP_FIGURES: dict[str, Callable[[], Expression]] = {}


class CommunityMiddleware:
    """Sets request.membership, request.community and request.memberships for staff."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        request.membership = None
        request.community = None
        request.memberships = []
        if request.user.is_authenticated:
            memberships = list(
                Membership.objects.filter(user=request.user, is_active=True)
                .select_related("community")
                .annotate(**{name: figure() for name, figure in MEMBERSHIP_FIGURES.items()})
                .order_by("community__name")
            )
            request.memberships = memberships
            wanted = request.session.get(SESSION_KEY)
            chosen = next((m for m in memberships if m.community_id == wanted), None)
            chosen = chosen or (memberships[0] if memberships else None)
            if chosen:
                request.membership = chosen
                request.community = chosen.community
        return self.get_response(request)


def community_context(request: HttpRequest) -> dict:
    return {
        "community": getattr(request, "community", None),
        "membership": getattr(request, "membership", None),
        "memberships": getattr(request, "memberships", []),
    }


def switch_community(request: HttpRequest, community_id: int) -> Community:
    """Make another of the user's communities current; a foreign one is a 404."""
    for membership in request.memberships:
        if membership.community_id == community_id:
            request.session[SESSION_KEY] = community_id
            return membership.community
    raise Http404


def scoped(request: HttpRequest, queryset: QuerySet) -> QuerySet:
    """The part of ``queryset`` that belongs to the request's community."""
    if request.community is None:
        return queryset.none()
    return queryset.filter(community=request.community)


def get_object_for(request: HttpRequest, queryset: QuerySet | type[Model], **lookup) -> Model:
    """Fetch one object of the request's community, or raise 404."""
    if isinstance(queryset, type):
        queryset = queryset._default_manager.all()
    return get_object_or_404(scoped(request, queryset), **lookup)


def require_editor(request: HttpRequest) -> None:
    """Read-only roles (街道 viewers) may look, not change."""
    if request.membership is None or not request.membership.can_edit:
        raise PermissionDenied


def require_resident_editor(request: HttpRequest) -> None:
    """Residents' records (a resident, a household, an import of many) are changed by the
    secretary and social workers only (``Membership.can_edit_residents``)."""
    if request.membership is None or not request.membership.can_edit_residents:
        raise PermissionDenied


class CommunityRequiredMixin(AccessMixin):
    """Logged in and a member of at least one community; otherwise login or 403."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if request.community is None:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class EditorRequiredMixin(CommunityRequiredMixin):
    """As CommunityRequiredMixin, and the role may change things (not a 街道 viewer)."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and request.membership and not request.membership.can_edit:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


def community_view(view):
    """Function views: logged in and a member of a community (as CommunityRequiredMixin)."""

    def wrapped(request: HttpRequest, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect(f"{reverse('login')}?next={request.get_full_path()}")
        if request.community is None:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped
