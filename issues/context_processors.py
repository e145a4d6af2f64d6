from issues.models.reminder import Notification


def notifications(request) -> dict:
    """The bell's unread count: one indexed count per page for logged-in staff."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or getattr(request, "community", None) is None:
        return {}
    unread = Notification.objects.filter(recipient=user, reminder__community=request.community).unread().count()
    return {"unread_notifications": unread}
