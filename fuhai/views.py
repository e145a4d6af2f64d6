"""Cross-app pages composed from the apps' selectors."""

from datetime import timedelta

import redis
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import redirect, render
from django.template import loader
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fuhai.models import Heartbeat
from fuhai.reports.street import lands_on_overview
from issues import selectors as issue_selectors
from issues.selectors.names import hide_names
from residents import selectors as resident_selectors
from residents.models.community import Community, Role
from residents.scoping import switch_community

#: The home page's own tasks and visits: a phone's first screen, the rest one tap away.
HOME_TASK_LIMIT = 8
HOME_VISIT_LIMIT = 5


@login_required
def home(request: HttpRequest) -> HttpResponse:
    if lands_on_overview(request.memberships):
        return redirect("reports:street")
    now = timezone.now()
    today = timezone.localdate(now)
    context = {"today": today, "now": now}
    if request.community is not None:
        # The figures of both apps as columns of one row: one query, not three.
        columns = resident_selectors.community_count_columns(request.community)
        columns["active_partners"] = issue_selectors.partner_count_column(request.community)
        # A grid worker's day is on foot: 巡查 is a button here, back to their walk under way.
        context["patrols"] = request.membership.role == Role.GRID
        if context["patrols"]:
            columns["ongoing_patrol"] = issue_selectors.ongoing_patrol_column(request.community, request.user)
        row = Community.objects.filter(pk=request.community.pk).values(**columns).get()
        context["partner_count"] = row.pop("active_partners")
        context["ongoing_patrol"] = row.pop("ongoing_patrol", None)
        context["resident_counts"] = row
        context["issues"] = issue_selectors.home_summary(request.community, request.user, now)
        summary = context["issues"]
        hide_names(request.membership, [*summary["mine"], *(case.issue for case in summary["hotline"])])
        context["first_run"] = not context["issues"]["logged_any"]
        context["tasks"], context["tasks_total"] = issue_selectors.open_tasks_of(
            request.user, request.community, today, limit=HOME_TASK_LIMIT
        )
        # The visits this person is responsible for, as the visit plan lists them (every one of
        # theirs, of a category their role may not see too), so that its count and the plan's agree.
        mine = (
            resident_selectors.due_statuses(request.community, day=today)
            .to_visit_for(request.membership)
            .filter(responsible=request.user)
        )
        # A few rows more than shown: a resident in two categories is due twice.
        visits, context["visits_total"] = resident_selectors.first_due_per_resident(mine, rows=3 * HOME_VISIT_LIMIT)
        context["visits"] = visits[:HOME_VISIT_LIMIT]
        for status in context["visits"]:
            status.late = status.is_overdue(today)
    return render(request, "fuhai/home.html", context)


@login_required
@require_POST
def switch_community_view(request: HttpRequest, community_id: int) -> HttpResponse:
    community = switch_community(request, community_id)
    messages.success(request, _("Now working in %(community)s.") % {"community": community.name})
    target = request.POST.get("next", "")
    # Only a path on this site: redirect() would take a bare word such as "abc" for a URL name.
    if not target.startswith("/") or not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "home"
    return redirect(target)


BEAT_SILENT_AFTER = timedelta(minutes=5)


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return False
    return True


def _broker_ok() -> bool:
    url = settings.CELERY_BROKER_URL
    if not url.startswith(("redis://", "rediss://")):
        return True  # the filesystem broker of `make run` is a folder on this machine
    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1).ping())
    except redis.RedisError:
        return False


def healthz(request: HttpRequest) -> JsonResponse:
    """For the load balancer and monitoring, in JSON: the database answers, the broker answers,
    and beat wrote its heartbeat within 5 minutes (else every reminder has stopped). 503 when
    any of them fails. Three cheap round trips, no login."""
    now = timezone.now()
    database = _database_ok()
    beat_age = None
    if database:
        last_seen = Heartbeat.objects.filter(name="beat").values_list("last_seen", flat=True).first()
        beat_age = int((now - last_seen).total_seconds()) if last_seen else None
    beat = beat_age is not None and beat_age <= BEAT_SILENT_AFTER.total_seconds()
    broker = _broker_ok()
    ok = database and broker and beat
    body = {"ok": ok, "database": database, "broker": broker, "beat": beat, "beat_age_seconds": beat_age}
    return JsonResponse(body, status=200 if ok else 503)


def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 page, with the request id that is also in the error's log line. Rendered
    without context processors: the error may have come from one of them."""
    body = loader.get_template("500.html").render({"request_id": getattr(request, "id", "")})
    return HttpResponseServerError(body)
