from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce

from issues.models.reminder import Notification


def unread_notifications() -> Subquery:
    """The bell's unread count of a membership (its person, in its community), as an expression
    over the membership row: residents.scoping reads it with the memberships, one query per
    page for both (registered in IssuesConfig.ready)."""
    unread = (
        Notification.objects.unread()
        .filter(recipient=OuterRef("user"), reminder__community=OuterRef("community"))
        .order_by()
        .values("recipient")
        .annotate(n=Count("id"))
        .values("n")
    )
    return Coalesce(Subquery(unread), 0)


def notifications(request) -> dict:
    """The bell's unread count for logged-in staff, as read with the membership."""
    user = getattr(request, "user", None)
    membership = getattr(request, "membership", None)
    if user is None or not user.is_authenticated or membership is None:
        return {}
    return {"unread_notifications": membership.unread_notifications}
