"""The words of the 民情日记: channels, urgencies, handling methods, states and the transition map
between them, results and callback answers, kinds of timeline entry, and the default due date.
Plain choices and rules, so every module of the app can use them without importing the model."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import models
from django.utils.translation import gettext_lazy as _


class IssueChannel(models.TextChoices):
    WECHAT = "wechat", _("WeChat group")
    WALK_IN = "walk_in", _("Walk-in")
    PHONE = "phone", _("Phone call")
    PATROL = "patrol", _("Patrol")
    HOME_VISIT = "home_visit", _("Home visit")
    HOTLINE = "hotline", _("12345 hotline")
    GRID = "grid", _("Grid")
    OTHER = "other", _("Other")


class Urgency(models.TextChoices):
    URGENT = "urgent", _("Urgent (24 h)")
    KEY = "key", _("Important (3-5 working days)")
    NORMAL = "normal", _("Normal")


class HandlingMethod(models.TextChoices):
    ON_THE_SPOT = "on_the_spot", _("Settled on the spot")
    COORDINATE = "coordinate", _("Community coordinates")
    TO_PROPERTY = "to_property", _("Passed to the property company")
    TO_POLICE = "to_police", _("Passed to the police")
    WHISTLE = "whistle", _("Whistle call to departments")
    EXPLAIN = "explain", _("Explained to the resident")


class IssueStatus(models.TextChoices):
    PENDING = "pending", _("To investigate")
    IN_PROGRESS = "in_progress", _("In progress")
    WAITING = "waiting", _("Waiting for partner")
    RESOLVED = "resolved", _("Done, awaiting callback")
    CLOSED = "closed", _("Called back, closed")
    DUPLICATE = "duplicate", _("Duplicate")
    NOT_OURS = "not_ours", _("Not our duty / explained")


#: Which state may follow which. Every transition method checks this map.
TRANSITIONS: dict[str, frozenset[str]] = {
    IssueStatus.PENDING: frozenset(
        {IssueStatus.IN_PROGRESS, IssueStatus.RESOLVED, IssueStatus.DUPLICATE, IssueStatus.NOT_OURS}
    ),
    IssueStatus.IN_PROGRESS: frozenset(
        {IssueStatus.WAITING, IssueStatus.RESOLVED, IssueStatus.DUPLICATE, IssueStatus.NOT_OURS}
    ),
    IssueStatus.WAITING: frozenset(
        {IssueStatus.IN_PROGRESS, IssueStatus.RESOLVED, IssueStatus.DUPLICATE, IssueStatus.NOT_OURS}
    ),
    IssueStatus.RESOLVED: frozenset({IssueStatus.CLOSED, IssueStatus.IN_PROGRESS}),
    IssueStatus.CLOSED: frozenset({IssueStatus.IN_PROGRESS}),
    IssueStatus.NOT_OURS: frozenset({IssueStatus.IN_PROGRESS}),
    IssueStatus.DUPLICATE: frozenset(),
}
OPEN_STATES = frozenset({IssueStatus.PENDING, IssueStatus.IN_PROGRESS, IssueStatus.WAITING})
#: Reaching one of these ends what the item's open morning-meeting tasks were for (getting it
#: done; in 已办结, its callback): they are marked done with it (Issue._move).
TASKS_DONE_STATES = frozenset({IssueStatus.RESOLVED, IssueStatus.CLOSED, IssueStatus.NOT_OURS})
#: Open and not paused on a partner: the office's clock is running (due dates, overdue, reminders).
CLOCK_RUNNING_STATES = frozenset({IssueStatus.PENDING, IssueStatus.IN_PROGRESS})


class IssueResult(models.TextChoices):
    FIXED = "fixed", _("Solved")
    PARTLY = "partly", _("Partly solved")
    NOT_FIXED = "not_fixed", _("Not solved, explained")


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", _("Satisfied")
    BASIC = "basic", _("Basically satisfied")
    UNSATISFIED = "unsatisfied", _("Unsatisfied")


class CallbackMethod(models.TextChoices):
    PHONE = "phone", _("By phone")
    IN_PERSON = "in_person", _("In person")


class TransitionError(Exception):
    """A state change that the transition map or the item's data does not allow."""


class FollowUpKind(models.TextChoices):
    NOTE = "note", _("Note")
    CALL = "call", _("Phone call")
    VISIT = "visit", _("Visit")
    JOINT_VISIT = "joint_visit", _("Joint visit with partner")
    PROMISE = "promise", _("Partner promise")
    STATE = "state", _("State change")
    REPORT = "report", _("Repeat report")
    CALLBACK = "callback", _("Callback")
    PHOTO = "photo", _("Photo")
    PATROL = "patrol", _("Patrol check")


#: Follow-ups that count as an attempt to fix the problem: a repeat report after one of
#: these means the attempt failed, and the item is flagged for escalation.
ATTEMPT_KINDS = frozenset(
    {FollowUpKind.CALL, FollowUpKind.VISIT, FollowUpKind.JOINT_VISIT, FollowUpKind.PROMISE, FollowUpKind.PATROL}
)


URGENCY_WORKING_DAYS = {Urgency.KEY: 5, Urgency.NORMAL: 10}


def default_due(received_at: datetime, urgency: str) -> datetime:
    """紧急 within 24 hours; 重点 5 working days; 一般 10 working days (weekends skipped)."""
    if urgency == Urgency.URGENT:
        return received_at + timedelta(hours=24)
    due, days = received_at, URGENCY_WORKING_DAYS[Urgency(urgency)]
    while days:
        due += timedelta(days=1)
        if due.weekday() < 5:
            days -= 1
    return due
