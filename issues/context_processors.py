from django.db.models import IntegerField
from django.db.models.expressions import RawSQL

#: The bell counts to 99 and then says "99+": someone who never opens it would otherwise have
#: every page count their years of unread reminders (2,453 unread: 11.5 ms a page; capped: 0.5).
BELL_CAP = 99

# Written out rather than built with the ORM (a Subquery with Count and OuterRef): it is
# compiled again on every page, and the ORM's build of it cost 0.6 ms of CPU per request, half
# of the memberships' query. Correlated on the outer "residents_membership" row; served by the
# notification_page index (recipient, read_at DESC, id DESC) and the reminder's primary key.
UNREAD_SQL = f"""
    SELECT count(*) FROM (
      SELECT 1 FROM issues_notification n
      JOIN issues_reminder r ON r.id = n.reminder_id
      WHERE n.recipient_id = "residents_membership"."user_id"
        AND n.read_at IS NULL
        AND r.community_id = "residents_membership"."community_id"
      LIMIT {BELL_CAP + 1}
    ) AS unread
"""


def unread_notifications() -> RawSQL:
    """The bell's unread count of a membership (its person, in its community), up to
    BELL_CAP + 1, as an expression over the membership row: residents.scoping reads it with the
    memberships, one query per page for both (registered in IssuesConfig.ready)."""
    return RawSQL(UNREAD_SQL, [], output_field=IntegerField())


def notifications(request) -> dict:
    """The bell's unread count for logged-in staff, as read with the membership."""
    user = getattr(request, "user", None)
    membership = getattr(request, "membership", None)
    if user is None or not user.is_authenticated or membership is None:
        return {}
    unread = membership.unread_notifications
    return {"unread_notifications": unread, "unread_label": f"{BELL_CAP}+" if unread > BELL_CAP else str(unread)}
