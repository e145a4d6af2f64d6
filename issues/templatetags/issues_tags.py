from django import template
from django.utils import timezone
from django.utils.translation import gettext as _

from issues.models import Status

register = template.Library()

STATUS_STYLE = {
    Status.PENDING: "warning",
    Status.IN_PROGRESS: "primary",
    Status.WAITING: "info",
    Status.RESOLVED: "success",
    Status.CLOSED: "secondary",
    Status.DUPLICATE: "light",
    Status.NOT_OURS: "light",
}


@register.inclusion_tag("issues/partials/status_badge.html")
def status_badge(issue):
    return {"label": issue.get_status_display(), "style": STATUS_STYLE[Status(issue.status)]}


@register.simple_tag
def due_label(issue, now):
    """ "Overdue 2 days", "due today", "due in 3 days" — for lists and the detail page."""
    if issue.status not in {Status.PENDING, Status.IN_PROGRESS} or not issue.due_at:
        return ""
    days = (timezone.localtime(issue.due_at).date() - timezone.localtime(now).date()).days
    if issue.due_at < now:
        return _("Overdue %(days)s d") % {"days": max(1, -days)} if days < 0 else _("Overdue today")
    if days == 0:
        return _("Due today")
    return _("Due in %(days)s d") % {"days": days}
