from django import template
from django.utils import timezone
from django.utils.translation import gettext as _

from issues.models.choices import CLOCK_RUNNING_STATES, IssueStatus

register = template.Library()

STATUS_STYLE = {
    IssueStatus.PENDING: "warning",
    IssueStatus.IN_PROGRESS: "primary",
    IssueStatus.WAITING: "info",
    IssueStatus.RESOLVED: "success",
    IssueStatus.CLOSED: "secondary",
    IssueStatus.DUPLICATE: "light",
    IssueStatus.NOT_OURS: "light",
}


@register.inclusion_tag("issues/partials/status_badge.html")
def status_badge(issue):
    return {"label": issue.get_status_display(), "style": STATUS_STYLE[IssueStatus(issue.status)]}


@register.simple_tag
def due_label(issue, now):
    """ "Overdue 2 days", "due today", "due in 3 days" — for lists and the detail page."""
    if issue.status not in CLOCK_RUNNING_STATES or not issue.due_at:
        return ""
    days = (timezone.localtime(issue.due_at).date() - timezone.localtime(now).date()).days
    if issue.due_at < now:
        return _("Overdue %(days)s d") % {"days": max(1, -days)} if days < 0 else _("Overdue today")
    if days == 0:
        return _("Due today")
    return _("Due in %(days)s d") % {"days": days}
