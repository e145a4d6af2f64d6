"""Cross-app pages composed from the apps' selectors."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from issues import selectors as issue_selectors
from residents import selectors as resident_selectors
from residents.scoping import switch_community


@login_required
def home(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    context = {"today": timezone.localdate(), "now": now}
    if request.community is not None:
        context["resident_counts"] = resident_selectors.community_counts(request.community)
        context["partner_count"] = issue_selectors.partner_count(request.community)
        context["issues"] = issue_selectors.home_summary(request.community, request.user, now)
    return render(request, "fuhai/home.html", context)


@login_required
@require_POST
def switch_community_view(request: HttpRequest, community_id: int) -> HttpResponse:
    community = switch_community(request, community_id)
    messages.success(request, _("Now working in %(community)s.") % {"community": community.name})
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "home"
    return redirect(target)


def healthz(request: HttpRequest) -> JsonResponse:
    """For the load balancer: the web process is up and the database answers."""
    connection.ensure_connection()
    return JsonResponse({"ok": True})
