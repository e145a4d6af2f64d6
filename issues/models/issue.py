"""The 民情日记 item: its words (channel, urgency, status…) and its state changes."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from issues.models.category import IssueCategory
from issues.models.choices import (
    CLOCK_RUNNING_STATES,
    OPEN_STATES,
    TASKS_DONE_STATES,
    TRANSITIONS,
    CallbackMethod,
    FollowUpKind,
    HandlingMethod,
    IssueChannel,
    IssueResult,
    IssueStatus,
    Satisfaction,
    TransitionError,
    Urgency,
)
from issues.models.clock import IssueClock
from issues.models.locking import lock_and_refresh
from issues.models.partner import Partner, PartnerContact
from issues.models.reminder import ReminderKind, ReminderSettings, local_day, utc_at
from issues.search import plain_width
from residents.models.community import Community, CommunityQuerySet
from residents.models.labels import ChoiceLabels
from residents.models.place import Building, Room
from residents.models.resident import Resident

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from issues.models.timeline import FollowUp


class StaleEdit(Exception):
    """The item changed since the form showed it: somebody else saved first."""


#: What a state change copies from the item onto its timeline entry (a promise says by when).
ENTRY_FIELDS = frozenset({"partner", "partner_contact", "promised_at"})


class IssueQuerySet(CommunityQuerySet):
    def open(self) -> IssueQuerySet:
        return self.filter(status__in=OPEN_STATES)

    def overdue(self, now: datetime) -> IssueQuerySet:
        """Open, not paused on a partner, and past the due time."""
        return self.filter(status__in=CLOCK_RUNNING_STATES, due_at__lt=now)

    def with_list_data(self) -> IssueQuerySet:
        return self.select_related(
            "category", "owner", "partner", "partner_contact", "room__unit__building", "building", "reporter"
        )


#: What the item's reminders fall due by (Issue.reminder_triggers): saving any of them winds its clock.
CLOCK_FIELDS = frozenset({"status", "due_at", "promised_at", "resolved_at", "community", "community_id"})

# Made once, not for every item the reminder sweep reads (it computes the triggers of each).
_ONE_DAY = timedelta(days=1)
#: Reminders of the due day, and of the day before, go out at 8:00 local time.
_MORNING = time(8, 0)
#: A partner's promised day is followed up at 9:00 local time.
_PROMISE_CALL = time(9, 0)


class Issue(ChoiceLabels, models.Model):
    """One item of the 民情日记: what a resident raised, who handles it and how it ended.

    State changes go only through the transition methods below: each checks TRANSITIONS,
    writes the row and a FollowUp in one transaction with the row locked."""

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="issues")
    code = models.CharField(_("number"), max_length=20, editable=False)
    received_at = models.DateTimeField(_("received at"))
    channel = models.CharField(_("channel"), max_length=20, choices=IssueChannel.choices, default=IssueChannel.WECHAT)
    text = models.TextField(_("content"), help_text=_("The message as received, word for word"))
    sender = models.CharField(_("sender as received"), max_length=50, blank=True)
    reporter = models.ForeignKey(
        Resident, on_delete=models.SET_NULL, null=True, blank=True, related_name="issues", verbose_name=_("reporter")
    )
    reporter_name = models.CharField(_("reporter"), max_length=50, blank=True)
    room = models.ForeignKey(Room, on_delete=models.SET_NULL, null=True, blank=True, related_name="issues")
    building = models.ForeignKey(Building, on_delete=models.SET_NULL, null=True, blank=True, related_name="issues")
    place_text = models.CharField(_("place"), max_length=100, blank=True)
    category = models.ForeignKey(
        IssueCategory,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="issues",
        verbose_name=_("category"),
    )
    urgency = models.CharField(_("urgency"), max_length=10, choices=Urgency.choices, default=Urgency.NORMAL)
    due_at = models.DateTimeField(_("due"), null=True, blank=True)
    handling_method = models.CharField(_("handling method"), max_length=20, choices=HandlingMethod.choices, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_issues",
        verbose_name=_("owner"),
    )
    partner = models.ForeignKey(
        Partner, on_delete=models.SET_NULL, null=True, blank=True, related_name="issues", verbose_name=_("partner")
    )
    partner_contact = models.ForeignKey(
        PartnerContact,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="issues",
        verbose_name=_("contact person"),
    )
    promised_at = models.DateTimeField(_("partner promised by"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=IssueStatus.choices, default=IssueStatus.PENDING)
    result = models.CharField(_("result"), max_length=20, choices=IssueResult.choices, blank=True)
    result_note = models.TextField(_("result note"), blank=True)
    satisfaction = models.CharField(_("callback answer"), max_length=20, choices=Satisfaction.choices, blank=True)
    callback_method = models.CharField(_("callback by"), max_length=20, choices=CallbackMethod.choices, blank=True)
    report_count = models.PositiveIntegerField(_("times reported"), default=1)
    escalated = models.BooleanField(_("flagged for escalation"), default=False)
    merged_into = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="merged", verbose_name=_("duplicate of")
    )
    waiting_since = models.DateTimeField(null=True, blank=True, editable=False)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    # When the office first solved the item: kept when a 不满意 callback, a 重办 or a reopening
    # sends it back (resolved_at is then cleared), so the report's 已解决 of that month stays.
    # Cleared only when that solving itself is taken back (撤销, ``reopen(undone=True)``).
    first_resolved_at = models.DateTimeField(_("first resolved at"), null=True, blank=True, editable=False)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    search_text = models.TextField(editable=False, default="")
    # Reminders are data: the item's reminder clock is its IssueClock (issues.models.clock), a narrow row the
    # sweep claims and moves on without rewriting this wide one and its many indexes.
    on_meeting_since = models.DateField(_("put on the morning meeting"), null=True, blank=True, editable=False)
    source_key = models.CharField(max_length=64, blank=True, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = IssueQuerySet.as_manager()

    class Meta:
        verbose_name = _("issue")
        verbose_name_plural = _("issues")
        ordering = ["-received_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["community", "code"], name="issue_unique_code"),
            # Pasting the same WeChat batch twice must not log the same message twice.
            models.UniqueConstraint(
                fields=["community", "source_key"], name="issue_unique_source", condition=~Q(source_key="")
            ),
        ]
        indexes = [
            models.Index(fields=["community", "status", "-received_at"], name="issue_comm_status_recv"),
            models.Index(fields=["community", "-received_at"], name="issue_comm_received"),
            # The reminder sweep and the overdue filter read these; partial so closed items cost nothing.
            models.Index(fields=["due_at"], name="issue_open_due", condition=Q(status__in=["pending", "in_progress"])),
            models.Index(fields=["promised_at"], name="issue_waiting_promised", condition=Q(status="waiting")),
            # The home page's counts and the board's lanes read open items only, through this:
            # ordered for the overdue lane, and the later columns answer the counts' filters
            # from the index alone. Closed history is not in it, so they cost the same after
            # years of it.
            models.Index(
                fields=["community", "due_at", "received_at", "status", "escalated", "on_meeting_since"],
                name="issue_comm_open_due",
                condition=Q(status__in=["pending", "in_progress", "waiting"]),
            ),
            # The 12345 list finds the cases still open from earlier months from these items
            # (HotlineCaseQuerySet.listed_in), not from every earlier case.
            models.Index(
                fields=["community", "id"],
                name="issue_hotline_open",
                condition=Q(channel="hotline", status__in=["pending", "in_progress", "waiting"]),
            ),
            # The week's and the month's figures (settled, closed, fallen due in a window) read
            # these ranges instead of the community's whole history.
            # The board's 待回访 lane: settled items waiting for their callback, the longest first.
            models.Index(
                fields=["community", "resolved_at", "id"],
                name="issue_comm_callback",
                condition=Q(status="resolved"),
            ),
            models.Index(fields=["community", "resolved_at"], name="issue_comm_resolved"),
            # The report's 已解决 of a period: the items first solved in it (first_resolved_at).
            models.Index(fields=["community", "first_resolved_at"], name="issue_comm_first_resolved"),
            models.Index(fields=["community", "closed_at"], name="issue_comm_closed"),
            models.Index(fields=["community", "due_at"], name="issue_comm_due"),
            # The report's "open at the month's end": the items never settled, by receipt.
            models.Index(
                fields=["community", "received_at"],
                name="issue_comm_unsettled",
                condition=models.Q(resolved_at__isnull=True, closed_at__isnull=True),
            ),
            models.Index(fields=["community", "category", "status"], name="issue_comm_category"),
            models.Index(fields=["community", "owner", "status"], name="issue_comm_owner"),
            models.Index(fields=["community", "partner", "status"], name="issue_comm_partner"),
            models.Index(fields=["room", "status"], name="issue_room_status"),
            models.Index(fields=["building", "status"], name="issue_building_status"),
            # Chinese search indexes (trigram GIN for 3+ characters, bigram GIN for 2) are
            # created in migration 0003: PostgreSQL only, SQLite for `make run` scans.
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.text[:20]}"

    def save(self, *args, **kwargs) -> None:
        # 全角 digits and letters as plain ones (issues.search.plain_width, as the search reads
        # what is typed), so 3号楼 finds an item written ３号楼.
        parts = (self.code, self.text, self.place_label, self.reporter_display, self.sender, self.result_note)
        self.search_text = plain_width(" ".join(part for part in parts if part))
        update_fields = kwargs.get("update_fields")
        extra = {"search_text"}
        if self.resolved_at is not None and self.first_resolved_at is None:
            # Solved for the first time (resolve, 当场解决, or an item saved already solved).
            self.first_resolved_at = self.resolved_at
            extra.add("first_resolved_at")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, *extra}
        super().save(*args, **kwargs)
        if update_fields is None or not CLOCK_FIELDS.isdisjoint(update_fields):
            IssueClock.wind(self)

    @property
    def place_label(self) -> str:
        if self.room_id:
            return self.room.label
        if self.building_id:
            label = str(self.building)
            return f"{label} {self.place_text}".strip() if self.place_text else label
        return self.place_text

    @property
    def reporter_display(self) -> str:
        return self.reporter.name if self.reporter_id else self.reporter_name

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATES

    @property
    def has_work_left(self) -> bool:
        """Open, or settled and waiting for its callback (待回访): what a morning-meeting task
        can still be given out for."""
        return self.status in OPEN_STATES or self.status == IssueStatus.RESOLVED

    def is_overdue(self, now: datetime) -> bool:
        return self.status in CLOCK_RUNNING_STATES and self.due_at is not None and self.due_at < now

    def allowed(self, target: str) -> bool:
        return target in TRANSITIONS[IssueStatus(self.status)]

    def hotline_case_terms(self) -> dict | None:
        """What the item's steps and page need of the 12345 case behind an item of channel 12345
        (its number, first contact, reply, deadline and caller); None for any other item, without a query."""
        if self.channel != IssueChannel.HOTLINE:
            return None
        # Read through the reverse relation: the case's module imports this one.
        names = ("case_no", "first_contact_at", "replied_at", "resolution_deadline", "caller_name", "caller_phone")
        return (
            type(self)
            .objects.filter(pk=self.pk, hotline__isnull=False)
            .values(case_pk=F("hotline__pk"), **{name: F(f"hotline__{name}") for name in names})
            .first()
        )

    # --- reminders ---------------------------------------------------------

    def reminder_triggers(self, rules: ReminderSettings | None = None) -> list[tuple[str, datetime]]:
        """When each reminder of this item falls due, given its state now."""
        rules = rules or ReminderSettings.rules_for(self.community_id)
        triggers: list[tuple[str, datetime]] = []
        if self.status in CLOCK_RUNNING_STATES and self.due_at:
            due_day = local_day(self.due_at)
            if rules.remind_day_before:
                triggers.append((ReminderKind.DUE_TOMORROW, utc_at(due_day - _ONE_DAY, _MORNING)))
            triggers.append((ReminderKind.DUE_TODAY, min(utc_at(due_day, _MORNING), self.due_at)))
            triggers.append((ReminderKind.OVERDUE, self.due_at))
            triggers.append((ReminderKind.OVERDUE_MEETING, self.due_at + timedelta(days=rules.meeting_after_days)))
        elif self.status == IssueStatus.WAITING and self.promised_at:
            triggers.append((ReminderKind.PROMISE_DUE, utc_at(local_day(self.promised_at), _PROMISE_CALL)))
        elif self.status == IssueStatus.RESOLVED and self.resolved_at:
            triggers.append((ReminderKind.CALLBACK_DUE, self.resolved_at + timedelta(days=rules.callback_after_days)))
        return triggers

    def next_trigger_time(self, reminded_until: datetime | None) -> datetime | None:
        """The earliest trigger after ``reminded_until``: what the sweep's partial index is ordered by."""
        times = [at for _, at in self.reminder_triggers() if reminded_until is None or at > reminded_until]
        return min(times) if times else None

    # --- timeline and transitions -------------------------------------------

    def add_entry(self, *, kind: str, by: User | None, now: datetime, note: str = "", **fields) -> FollowUp:
        """Write one entry on this item's timeline: the one way every feature adds a follow-up."""
        return self.followups.create(kind=kind, author=by, created_at=now, note=note, **fields)

    def edit(self, *, by: User, now: datetime, version: int, changes: dict) -> FollowUp:
        """Correct the item's details (text, place, category, owner…), not its state.

        ``version`` is the one the form showed: if someone saved in between, StaleEdit is
        raised and nothing is written; otherwise the row and a timeline entry are written in
        one transaction, under the row lock."""
        with transaction.atomic():
            lock_and_refresh(self)
            if self.version != version:
                raise StaleEdit
            for name, value in changes.items():
                setattr(self, name, value)
            self.version += 1
            self.save()
            return self.add_entry(kind=FollowUpKind.NOTE, by=by, now=now, note=_("Details corrected"))

    edit.alters_data = True

    def _move(
        self, target: str, *, by: User, now: datetime, note: str = "", kind: str | None = None, **fields
    ) -> FollowUp:
        if not self.allowed(target):
            raise TransitionError(
                _("An item that is “%(from)s” cannot become “%(to)s”.")
                % {"from": self.get_status_display(), "to": IssueStatus(target).label}
            )
        if target == IssueStatus.RESOLVED and (case := self.hotline_case_terms()) and case["replied_at"] is None:
            # Done only by the case's 答复 (HotlineCase.record_reply): done from the item page or
            # a patrol tap, the case dropped off the open 12345 lists with its city clock running.
            raise TransitionError(
                _("This item is 12345 case %(case_no)s: it is done when the case is replied to, on the case's page.")
                % {"case_no": case["case_no"]}
            )
        previous = self.status
        if previous == IssueStatus.WAITING and self.waiting_since:
            # The clock was paused while the partner had it: give the time back.
            if self.due_at:
                self.due_at += now - self.waiting_since
            self.waiting_since = None
        if target == IssueStatus.WAITING:
            self.waiting_since = now
        for name, value in fields.items():
            setattr(self, name, value)
        self.status = target
        self.version = F("version") + 1
        self.save()
        self.refresh_from_db(fields=["version"])
        if target in TASKS_DONE_STATES:
            # Its open morning-meeting tasks are done with it, before the state entry: the 撤销
            # button expects that entry last (issues.steps.undo_step). The step's message counts them.
            self.finished_tasks = self.tasks.finish_with_item(by=by, now=now)
        # The entry names the partner and the promised date too, so the timeline says by when.
        entry = {name: value for name, value in fields.items() if name in ENTRY_FIELDS}
        return self.add_entry(
            kind=kind or FollowUpKind.STATE, by=by, now=now, note=note, from_status=previous, to_status=target, **entry
        )

    def settle(
        self,
        *,
        by: User,
        now: datetime,
        method: str,
        due_at=None,
        partner=None,
        partner_contact=None,
        owner=None,
        note="",
        promised_at=None,
    ) -> FollowUp:
        """Give the item a handling method and contact: 办理中, or 已办结 when settled on the spot.
        With the date the partner promised, the same step goes on to 等待对接方."""
        with transaction.atomic():
            lock_and_refresh(self)
            if self.status not in CLOCK_RUNNING_STATES:
                raise TransitionError(
                    _("An item that is “%(status)s” cannot be given a handling method.")
                    % {"status": self.get_status_display()}
                )
            fields = {"handling_method": method, "partner": partner, "partner_contact": partner_contact}
            if due_at is not None:
                case = self.hotline_case_terms()
                if case and due_at > case["resolution_deadline"]:
                    raise TransitionError(
                        _("12345 case %(case_no)s must be finished by %(deadline)s: the item cannot be due later.")
                        % {
                            "case_no": case["case_no"],
                            "deadline": timezone.localtime(case["resolution_deadline"]).strftime("%Y-%m-%d %H:%M"),
                        }
                    )
                fields["due_at"] = due_at
            if owner is not None:
                fields["owner"] = owner
            if method == HandlingMethod.ON_THE_SPOT:
                fields.update(result=IssueResult.FIXED, result_note=note, resolved_at=now)
                return self._move(IssueStatus.RESOLVED, by=by, now=now, note=note, **fields)
            if self.status == IssueStatus.IN_PROGRESS:
                # A change of handling on an item already in progress: no state change.
                for name, value in fields.items():
                    setattr(self, name, value)
                self.version = F("version") + 1
                self.save()
                self.refresh_from_db(fields=["version"])
                followup = self.add_entry(
                    kind=FollowUpKind.NOTE,
                    by=by,
                    now=now,
                    note=" ".join(p for p in (str(HandlingMethod(method).label), note) if p),
                    partner=partner,
                    partner_contact=partner_contact,
                )
            else:
                followup = self._move(IssueStatus.IN_PROGRESS, by=by, now=now, note=note, **fields)
            if promised_at is not None:
                return self.wait_for_partner(
                    by=by, now=now, partner=partner, partner_contact=partner_contact, promised_at=promised_at
                )
            return followup

    settle.alters_data = True

    def wait_for_partner(
        self, *, by: User, now: datetime, partner, promised_at, partner_contact=None, note=""
    ) -> FollowUp:
        """The partner has promised a date: 等待对接方, the office's clock is paused."""
        with transaction.atomic():
            lock_and_refresh(self)
            return self._move(
                IssueStatus.WAITING,
                by=by,
                now=now,
                note=note,
                kind=FollowUpKind.PROMISE,
                partner=partner,
                partner_contact=partner_contact,
                promised_at=promised_at,
            )

    wait_for_partner.alters_data = True

    def take_up(self, *, by: User, now: datetime, kind: str, note: str = "") -> FollowUp:
        """A step that shows the office is on the item (a 12345 caller reached, the site seen):
        待核实 becomes 办理中, the step being the entry that moved it; in any other state the
        step is only written down. An item left 待核实 after its caller was reached read, on the
        lists and the board, as if nobody had looked at it."""
        with transaction.atomic():
            lock_and_refresh(self)
            if self.status == IssueStatus.PENDING:
                return self._move(IssueStatus.IN_PROGRESS, by=by, now=now, note=note, kind=kind)
            return self.add_entry(kind=kind, by=by, now=now, note=note)

    take_up.alters_data = True

    def resume(self, *, by: User, now: datetime, note="") -> FollowUp:
        """Back from the partner to the office: 办理中, the clock runs again."""
        with transaction.atomic():
            lock_and_refresh(self)
            return self._move(IssueStatus.IN_PROGRESS, by=by, now=now, note=note)

    resume.alters_data = True

    def resolve(self, *, by: User, now: datetime, result: str, note="") -> FollowUp:
        """Handling is finished with a result; the resident's callback is still due."""
        with transaction.atomic():
            lock_and_refresh(self)
            return self._move(
                IssueStatus.RESOLVED, by=by, now=now, note=note, result=result, result_note=note, resolved_at=now
            )

    resolve.alters_data = True

    def callback(self, *, by: User, now: datetime, satisfaction: str, method: str, note="") -> FollowUp:
        """Record the resident's answer; 不满意 reopens the item instead of closing it."""
        with transaction.atomic():
            lock_and_refresh(self)
            if self.status != IssueStatus.RESOLVED:
                raise TransitionError(_("Only an item that is done can be called back."))
            if satisfaction == Satisfaction.UNSATISFIED:
                return self._move(
                    IssueStatus.IN_PROGRESS,
                    by=by,
                    now=now,
                    note=note,
                    kind=FollowUpKind.CALLBACK,
                    satisfaction=satisfaction,
                    callback_method=method,
                    resolved_at=None,
                    escalated=True,
                )
            return self._move(
                IssueStatus.CLOSED,
                by=by,
                now=now,
                note=note,
                kind=FollowUpKind.CALLBACK,
                satisfaction=satisfaction,
                callback_method=method,
                closed_at=now,
            )

    callback.alters_data = True

    def close_not_ours(self, *, by: User, now: datetime, note: str) -> FollowUp:
        """Not the office's duty, or explained to the resident: closed, but not counted as solved."""
        with transaction.atomic():
            lock_and_refresh(self)
            return self._move(
                IssueStatus.NOT_OURS,
                by=by,
                now=now,
                note=note,
                handling_method=self.handling_method or HandlingMethod.EXPLAIN,
                closed_at=now,
            )

    close_not_ours.alters_data = True

    def reopen(
        self, *, by: User, now: datetime, note: str, due_at: datetime | None = None, undone: bool = False
    ) -> FollowUp:
        """Back to 办理中. The item's first solving stays counted in its month (first_resolved_at),
        unless ``undone``: the 撤销 of the step that solved it, when that was its first solving."""
        fields = {"closed_at": None, "resolved_at": None} | ({"due_at": due_at} if due_at else {})
        with transaction.atomic():
            lock_and_refresh(self)
            if undone and self.resolved_at is not None and self.first_resolved_at == self.resolved_at:
                fields["first_resolved_at"] = None
            return self._move(IssueStatus.IN_PROGRESS, by=by, now=now, note=note, **fields)

    reopen.alters_data = True

    def move_due(self, due_at: datetime) -> None:
        """A due date set by what the item belongs to (a 12345 case's deadline extended or
        redone), whatever the item's state: the row locked, its version moved on (an edit form
        open on it sees the change) and its reminder clock wound again. ``updated_at`` (auto_now,
        written only when named) moves on too: a morning digest sent before the change did not
        list the item at its new date (issues.reminders.digest.due_today_in_digest)."""
        with transaction.atomic():
            lock_and_refresh(self)
            self.due_at = due_at
            self.version = F("version") + 1
            self.save(update_fields=["due_at", "version", "updated_at"])
            self.refresh_from_db(fields=["version"])

    move_due.alters_data = True

    def merge_into(self, target: Issue, *, by: User, now: datetime, note="") -> FollowUp:
        """This item is the same problem as ``target``: close it as 重复, linked both ways,
        and carry its reports over to the target."""
        if target.pk == self.pk or target.community_id != self.community_id:
            raise TransitionError(_("An item cannot be a duplicate of itself or of another community's item."))
        with transaction.atomic():
            # Lock both rows in id order so two merges of the same pair cannot deadlock, and check
            # the locked copy of the target: two crossing merges must not both succeed.
            for row in sorted((self, target), key=lambda issue: issue.pk):
                lock_and_refresh(row)
            if target.status == IssueStatus.DUPLICATE:
                raise TransitionError(_("The item to merge into is itself a duplicate."))
            followup = self._move(IssueStatus.DUPLICATE, by=by, now=now, note=note, merged_into=target, closed_at=now)
            Issue.objects.filter(pk=target.pk).update(
                report_count=F("report_count") + self.report_count, version=F("version") + 1
            )
            target.refresh_from_db()
            self.tasks.follow_duplicate(target, by=by, now=now)
            target.add_entry(
                kind=FollowUpKind.REPORT,
                by=by,
                now=now,
                note=_("Merged duplicate %(code)s: %(text)s") % {"code": self.code, "text": self.text},
                related_issue=self,
            )
            return followup

    merge_into.alters_data = True
