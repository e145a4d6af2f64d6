"""The models of the issues app, one module per subject. Import from the defining module
(``issues.models.issue``); this package only makes Django see every model of the app,
including those of the feature packages (12345, patrol, projects)."""

from issues.hotline.models import HotlineCase, HotlineSettings
from issues.models.category import IssueCategory, ResponseTemplate
from issues.models.clock import IssueClock
from issues.models.issue import Issue
from issues.models.partner import Partner, PartnerContact
from issues.models.reminder import Delivery, Notification, Reminder, ReminderSettings
from issues.models.rollup import ReportMonth, ReportMonthChange
from issues.models.task import BoardToken, Task, TaskEvent
from issues.models.timeline import Attachment, FollowUp
from issues.patrol.models import Patrol, PatrolCheck, PatrolStop
from issues.projects.models import Milestone, Project

__all__ = [
    "Attachment",
    "BoardToken",
    "Delivery",
    "FollowUp",
    "HotlineCase",
    "HotlineSettings",
    "Issue",
    "IssueCategory",
    "IssueClock",
    "Milestone",
    "Notification",
    "Partner",
    "PartnerContact",
    "Patrol",
    "PatrolCheck",
    "PatrolStop",
    "Project",
    "Reminder",
    "ReminderSettings",
    "ReportMonth",
    "ReportMonthChange",
    "ResponseTemplate",
    "Task",
    "TaskEvent",
]
