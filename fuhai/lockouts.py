"""Login lockout (django-axes): the form that says when to try again, and the secretary's page
that lists and lifts the locks of the community's own people."""

from datetime import datetime

from axes.backends import AxesStandaloneBackend
from axes.helpers import get_client_ip_address, get_client_username, get_cool_off
from axes.models import AccessAttempt
from axes.utils import reset
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from residents.models.community import Membership
from residents.scoping import community_view


class LockoutBackend(AxesStandaloneBackend):
    """Refuses a locked-out username + address before the password is checked. A check without
    a request (a management command, the shell) has no address to lock, so it passes to the
    next backend instead of raising as django-axes does."""

    def authenticate(self, request: HttpRequest | None, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def client_address(request: HttpRequest) -> str | None:
    """The client's address. Behind the HTTPS proxy every request comes from the proxy, so the
    last X-Forwarded-For entry (the one our proxy appended) is used; without a proxy the header
    is the client's own text and is ignored."""
    if settings.SECURE_PROXY_SSL_HEADER:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        last = forwarded.split(",")[-1].strip()
        if last:
            return last
    return request.META.get("REMOTE_ADDR")


def _locked_until(request: HttpRequest, username: str) -> datetime:
    attempt = (
        AccessAttempt.objects.filter(username=username, ip_address=get_client_ip_address(request))
        .order_by("-attempt_time")
        .first()
    )
    last = attempt.attempt_time if attempt else timezone.now()
    return last + get_cool_off(request)


def _locked_form(form_class, request: HttpRequest, message: str):
    """The login form bound to what was typed (the password is never shown again) with the lock
    as its error. Its clean() does not authenticate: another try would count as a failure."""

    class LockedForm(form_class):
        def clean(self):
            raise ValidationError(message)

    form = LockedForm(request, data=request.POST)
    form.is_valid()
    return form


def lockout_response(request: HttpRequest, original_response=None, credentials=None) -> HttpResponse:
    """The login form again (the site's or the admin's), with a message that says until when
    this username is locked from this computer. 429, so scripts see a refusal."""
    username = get_client_username(request, credentials) or ""
    until = timezone.localtime(_locked_until(request, username))
    message = _(
        "Too many wrong passwords for this username: logging in is locked for %(minutes)d minutes. "
        "Try again after %(time)s, or ask the community secretary to lift the lock."
    ) % {"minutes": int(get_cool_off(request).total_seconds() // 60), "time": until.strftime("%H:%M")}
    admin_login = request.path == reverse("admin:login")
    form = _locked_form(AdminAuthenticationForm if admin_login else AuthenticationForm, request, message)
    if admin_login:
        context = {**admin.site.each_context(request), "form": form, "title": _("Log in"), "app_path": request.path}
        return render(request, "admin/login.html", context, status=429)
    return render(request, "registration/login.html", {"form": form, "next": request.POST.get("next", "")}, status=429)


def _require_secretary(request: HttpRequest) -> None:
    if request.membership is None or not request.membership.is_secretary:
        raise PermissionDenied


def _member_usernames(request: HttpRequest) -> list[str]:
    return list(
        Membership.objects.filter(community=request.community, is_active=True).values_list("user__username", flat=True)
    )


@community_view
def lockout_list(request: HttpRequest) -> HttpResponse:
    """The secretary sees which of the community's people are locked out or close to it."""
    _require_secretary(request)
    since = timezone.now() - get_cool_off(request)
    attempts = AccessAttempt.objects.filter(username__in=_member_usernames(request), attempt_time__gte=since).order_by(
        "-attempt_time"
    )
    rows = [
        {
            "attempt": attempt,
            "locked": attempt.failures_since_start >= settings.AXES_FAILURE_LIMIT,
            "until": attempt.attempt_time + get_cool_off(request),
        }
        for attempt in attempts
    ]
    return render(request, "fuhai/lockout_list.html", {"rows": rows, "limit": settings.AXES_FAILURE_LIMIT})


@require_POST
@community_view
def lockout_lift(request: HttpRequest) -> HttpResponse:
    """Lift every lock of one of the community's people; anyone else's username is a 404."""
    _require_secretary(request)
    username = request.POST.get("username", "")
    if username not in _member_usernames(request):
        raise Http404
    reset(username=username)
    messages.success(request, _("%(username)s can log in again.") % {"username": username})
    return redirect("lockout_list")
