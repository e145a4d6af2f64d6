from functools import lru_cache

from django import template
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language
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


@lru_cache(maxsize=32)
def status_badge_html(status: str, language: str) -> SafeString:
    # Seven states in each language, rendered once per process: the badge depends on nothing
    # else, and a list shows one a row (translating and escaping it again was most of its time).
    status = IssueStatus(status)
    return format_html('<span class="badge text-bg-{} border">{}</span>', STATUS_STYLE[status], status.label)


@register.simple_tag
def status_badge(issue):
    """The item's state as a coloured badge (a list shows one per row: no included template)."""
    return status_badge_html(issue.status, get_language())


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
