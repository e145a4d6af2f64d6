from django.db import migrations
from django.db.models import F, Q
from django.utils import timezone

OPEN_STATES = ["pending", "in_progress", "waiting"]


def follow_deadlines(apps, schema_editor):
    """Until now 延期 and 重办 moved only a 12345 case's deadline, and its item stayed due (and
    overdue, on the board and in the reminders) by the old one. The open items of cases extended
    or redone take the case's deadline, and their reminder clocks are woken so that the next
    sweep counts their reminders again from it. Only those cases are read: a few rows."""
    HotlineCase = apps.get_model("issues", "HotlineCase")
    Issue = apps.get_model("issues", "Issue")
    IssueClock = apps.get_model("issues", "IssueClock")
    stale = HotlineCase.objects.filter(
        Q(extension_reason__gt="") | Q(redo_count__gt=0),
        issue__status__in=OPEN_STATES,
        issue__due_at__lt=F("resolution_deadline"),
    ).values_list("issue_id", "resolution_deadline")
    now = timezone.now()
    for issue_id, deadline in stale.iterator():
        Issue.objects.filter(pk=issue_id).update(due_at=deadline, version=F("version") + 1)
        IssueClock.objects.filter(issue_id=issue_id).update(next_reminder_at=now)


class Migration(migrations.Migration):
    dependencies = [("issues", "0027_notification_page")]

    operations = [migrations.RunPython(follow_deadlines, migrations.RunPython.noop)]
