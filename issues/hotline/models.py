"""接诉即办: 12345 hotline cases, their city deadlines and the three monthly rates.

A case is an item of the 民情日记 (channel 12345) with a HotlineCase beside it. The case's
own steps (first contact, reply, the city's callback, 退单/延期/重办) are methods here that
also write the item's timeline, in one transaction."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from django.contrib.postgres.expressions import ArraySubquery
from django.db import connections, models, transaction
from django.db.models import F, Lookup, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from issues.models.choices import (
    OPEN_STATES,
    CallbackMethod,
    FollowUpKind,
    IssueChannel,
    IssueResult,
    IssueStatus,
    Satisfaction,
    TransitionError,
)
from issues.models.issue import Issue
from issues.models.locking import lock_and_refresh
from issues.models.timeline import FollowUp
from residents.masking import mask_phone
from residents.models.community import Community
from residents.models.labels import ChoiceLabels

if TYPE_CHECKING:
    from django.contrib.auth.models import User


class RequestType(models.TextChoices):
    CONSULT = "consult", _("Consultation")
    HELP = "help", _("Request for help")
    COMPLAINT = "complaint", _("Complaint")
    REPORT = "report", _("Report of wrongdoing")
    SUGGESTION = "suggestion", _("Suggestion")


class HostRole(models.TextChoices):
    MAIN = "main", _("Lead handler")
    ASSIST = "assist", _("Assisting")


class HotlineUrgency(models.TextChoices):
    URGENT = "urgent", _("Urgent")
    NORMAL = "normal", _("Normal")
    COMPLEX = "complex", _("Complex")


class ContactMethod(models.TextChoices):
    PHONE = "phone", pgettext_lazy("contact method", "Phone")
    VISIT = "visit", _("Home visit")
    OTHER = "other", _("Other")


class HotlineResult(models.TextChoices):
    SOLVED = "solved", _("Solved")
    PARTLY = "partly", _("Partly solved")
    UNSOLVED = "unsolved", _("Not solved")


class CitySatisfaction(models.TextChoices):
    SATISFIED = "satisfied", _("Satisfied")
    BASIC = "basic", _("Basically satisfied")
    UNSATISFIED = "unsatisfied", _("Unsatisfied")
    NONE = "none", _("Not rated")


#: The city's answers that close the office's own callback of a resolved item.
CITY_CLOSES = {CitySatisfaction.SATISFIED: Satisfaction.SATISFIED, CitySatisfaction.BASIC: Satisfaction.BASIC}


class HotlineSettings(models.Model):
    """Per-community deadlines and rate weights (the city's rules change; the office edits them)."""

    community = models.OneToOneField(Community, on_delete=models.CASCADE, related_name="hotline_settings")
    urgent_response_hours = models.PositiveSmallIntegerField(_("urgent: respond within (hours)"), default=2)
    normal_response_hours = models.PositiveSmallIntegerField(_("others: respond within (hours)"), default=24)
    urgent_resolution_hours = models.PositiveSmallIntegerField(_("urgent: resolve within (hours)"), default=24)
    normal_resolution_days = models.PositiveSmallIntegerField(_("normal: resolve within (days)"), default=7)
    complex_resolution_days = models.PositiveSmallIntegerField(_("complex: resolve within (days)"), default=15)
    partly_weight = models.DecimalField(
        _("weight of “partly solved”"), max_digits=3, decimal_places=2, default=Decimal("0.5")
    )
    basic_weight = models.DecimalField(
        _("weight of “basically satisfied”"), max_digits=3, decimal_places=2, default=Decimal("0.8")
    )
    response_share = models.PositiveSmallIntegerField(_("response rate share of the score (%)"), default=30)
    resolution_share = models.PositiveSmallIntegerField(_("resolution rate share of the score (%)"), default=35)
    satisfaction_share = models.PositiveSmallIntegerField(_("satisfaction rate share of the score (%)"), default=35)

    class Meta:
        verbose_name = _("12345 settings")
        verbose_name_plural = _("12345 settings")

    def __str__(self) -> str:
        return str(self.community)

    @classmethod
    def for_community(cls, community_id: int) -> HotlineSettings:
        row, _ = cls.objects.get_or_create(community_id=community_id)
        return row

    def deadlines(self, dispatched_at: datetime, urgency: str) -> tuple[datetime, datetime]:
        if urgency == HotlineUrgency.URGENT:
            return (
                dispatched_at + timedelta(hours=self.urgent_response_hours),
                dispatched_at + timedelta(hours=self.urgent_resolution_hours),
            )
        days = self.complex_resolution_days if urgency == HotlineUrgency.COMPLEX else self.normal_resolution_days
        return dispatched_at + timedelta(hours=self.normal_response_hours), dispatched_at + timedelta(days=days)


class AnyOf(Lookup):
    """``column = ANY(array)``: with an ARRAY(subquery), PostgreSQL computes the array once and
    looks each element up in the column's index, whatever it guesses of their number (an IN
    subquery may be planned as a scan of the whole table instead)."""

    lookup_name = "any_of"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} = ANY({rhs})", (*lhs_params, *rhs_params)

    def as_sqlite(self, compiler, connection):
        # No arrays in SQLite (`make run`): the same rows as ``IN (subquery)``.
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.rhs.as_sql(compiler, connection, template="(%(subquery)s)")
        return f"{lhs} IN {rhs}", (*lhs_params, *rhs_params)


class HotlineCaseQuerySet(models.QuerySet):
    def in_community(self, community: Community) -> HotlineCaseQuerySet:
        return self.filter(community=community)

    def dispatched_in(self, month: date) -> HotlineCaseQuerySet:
        """Cases belong to the month they were dispatched in (local time)."""
        start = timezone.make_aware(datetime(month.year, month.month, 1))
        end_month = date(month.year + month.month // 12, month.month % 12 + 1, 1)
        end = timezone.make_aware(datetime(end_month.year, end_month.month, 1))
        return self.filter(dispatched_at__gte=start, dispatched_at__lt=end)

    def open_in(self, community: Community) -> HotlineCaseQuerySet:
        """The community's open cases, found from its open 12345 items (the small partial index
        ``issue_hotline_open``; a case's item is of channel 12345, logged so by log_case), each
        looked up by its case's unique ``issue_id`` (``= ANY(ARRAY(…))``): what is open costs
        what is open, never a scan of the community's years of cases."""
        open_items = (
            Issue.objects.in_community(community)
            .filter(channel=IssueChannel.HOTLINE, status__in=OPEN_STATES)
            .order_by()
        )
        return self.in_community(community).filter(AnyOf(F("issue_id"), ArraySubquery(open_items.values("pk"))))

    def listed_in(self, community: Community, month: date, *, open_only: bool = False) -> models.QuerySet:
        """The list's rows, as ``pk`` and ``dispatched_at``, newest first: the month's cases and
        every case still open from an earlier month (an open case never drops out of view
        because the calendar turned); ``open_only``: the open ones of these.

        A UNION ALL of two index reads, so the count and the page's ids cost what is listed,
        not the community's years of cases: the month's range of ``hotline_comm_dispatched``,
        and the earlier open cases found from their items, the community's open 12345 items
        (partial index ``issue_hotline_open``; a case's item is of channel 12345, logged so by
        log_case, and an item's channel never changes), each looked up by its case's unique
        ``issue_id`` (``= ANY(ARRAY(…))``: one index probe per open item, never a scan of the
        earlier cases). The view loads the page's rows by these ids."""
        start = timezone.make_aware(datetime(month.year, month.month, 1))
        end_month = date(month.year + month.month // 12, month.month % 12 + 1, 1)
        end = timezone.make_aware(datetime(end_month.year, end_month.month, 1))
        cases = self.in_community(community)
        this_month = cases.filter(dispatched_at__gte=start, dispatched_at__lt=end)
        if open_only:
            this_month = this_month.filter(issue__status__in=OPEN_STATES)
        earlier_open = self.open_in(community).filter(dispatched_at__lt=start)
        return (
            this_month.order_by()
            .values("pk", "dispatched_at")
            .union(earlier_open.order_by().values("pk", "dispatched_at"), all=True)
            .order_by("-dispatched_at", "-pk")
        )

    def listed_page(
        self, community: Community, month: date, *, number: int, per_page: int, open_only: bool = False
    ) -> tuple[list[int], int]:
        """The ids on page ``number`` of :meth:`listed_in` and how many it lists in all, in one
        query: ``count(*) OVER ()`` beside the page's rows. Django's Paginator read the list
        twice, a count and then the page, each probing every open case (make bench's busy
        community: ~900 listed, 2 ms each). A page past the end has no rows, so nothing to count
        beside: its count is 0 and the view asks again for the last page."""
        listed = self.listed_in(community, month, open_only=open_only).order_by()
        sql, params = listed.query.get_compiler(self.db).as_sql()
        with connections[self.db].cursor() as cursor:
            cursor.execute(
                f"SELECT pk, count(*) OVER () FROM ({sql}) listed "
                "ORDER BY dispatched_at DESC, pk DESC LIMIT %s OFFSET %s",
                [*params, per_page, (number - 1) * per_page],
            )
            rows = cursor.fetchall()
        return [pk for pk, _total in rows], (rows[0][1] if rows else 0)


class HotlineCase(ChoiceLabels, models.Model):
    """The 12345 record of one item: the city's case number, deadlines and callback answers."""

    issue = models.OneToOneField(Issue, on_delete=models.CASCADE, related_name="hotline")
    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="hotline_cases")
    case_no = models.CharField(_("case number"), max_length=40)
    request_type = models.CharField(_("request type"), max_length=20, choices=RequestType.choices)
    role = models.CharField(_("lead or assisting"), max_length=10, choices=HostRole.choices, default=HostRole.MAIN)
    urgency = models.CharField(
        _("urgency"), max_length=10, choices=HotlineUrgency.choices, default=HotlineUrgency.NORMAL
    )
    caller_name = models.CharField(_("caller"), max_length=50, blank=True)
    caller_phone = models.CharField(_("caller phone"), max_length=20, blank=True)
    dispatched_at = models.DateTimeField(_("dispatched at"))
    response_deadline = models.DateTimeField(_("respond by"))
    resolution_deadline = models.DateTimeField(_("resolve by"))
    first_contact_at = models.DateTimeField(_("first contact at"), null=True, blank=True)
    first_contact_method = models.CharField(
        _("first contact by"), max_length=10, choices=ContactMethod.choices, blank=True
    )
    site_visit_at = models.DateTimeField(_("site visit at"), null=True, blank=True)
    reply_text = models.TextField(_("reply (答复口径)"), blank=True)
    result = models.CharField(_("result"), max_length=10, choices=HotlineResult.choices, blank=True)
    replied_at = models.DateTimeField(_("replied at"), null=True, blank=True)
    review_note = models.TextField(_("subdistrict review"), blank=True)
    city_contacted = models.BooleanField(_("city callback: caller reached"), null=True, blank=True)
    city_solved = models.CharField(_("city callback: solved"), max_length=10, choices=HotlineResult.choices, blank=True)
    city_satisfaction = models.CharField(
        _("city callback: satisfaction"), max_length=12, choices=CitySatisfaction.choices, blank=True
    )
    city_callback_at = models.DateTimeField(_("city callback at"), null=True, blank=True)
    returned_reason = models.TextField(_("returned (退单) because"), blank=True)
    extension_reason = models.TextField(_("extended because"), blank=True)
    redo_count = models.PositiveSmallIntegerField(_("times redone"), default=0)
    repeat_of = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="repeats", verbose_name=_("repeat of")
    )
    next_reminder_at = models.DateTimeField(null=True, blank=True, editable=False)
    reminded_until = models.DateTimeField(null=True, blank=True, editable=False)

    objects = HotlineCaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("12345 case")
        verbose_name_plural = _("12345 cases")
        ordering = ["-dispatched_at"]
        constraints = [models.UniqueConstraint(fields=["community", "case_no"], name="hotline_unique_case_no")]
        indexes = [
            # The list's cases of a month, newest first, with the id it pages by: read from the
            # index alone, not from a table row each (issues/migrations/0037).
            models.Index(fields=["community", "-dispatched_at"], include=["id"], name="hotline_comm_dispatched"),
            models.Index(
                fields=["next_reminder_at"], name="hotline_next_reminder", condition=Q(next_reminder_at__isnull=False)
            ),
            models.Index(fields=["community", "caller_phone"], name="hotline_comm_caller"),
            # The list's cases still open from an earlier month, looked up by their open items:
            # what it filters, counts and sorts on is in the index, not in the table.
            models.Index(
                fields=["issue"], include=["community", "dispatched_at", "id"], name="hotline_issue_dispatched"
            ),
        ]

    def __str__(self) -> str:
        return self.case_no

    def save(self, *args, **kwargs) -> None:
        if self.reminded_until is None:
            self.reminded_until = self.dispatched_at
        self.next_reminder_at = next_hotline_trigger(self)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "next_reminder_at"}
        super().save(*args, **kwargs)

    @property
    def masked_caller_phone(self) -> str:
        return mask_phone(self.caller_phone)

    @property
    def is_responded(self) -> bool:
        return self.first_contact_at is not None

    @property
    def is_replied(self) -> bool:
        return bool(self.result)

    def responded_in_time(self, now: datetime) -> bool | None:
        """The 响应率's one rule for the case at ``now``: True if first contacted by the response
        deadline, False if contacted after it or not contacted with the deadline passed, None
        (未到时限) while not contacted with time left, which the rate leaves out. The rates, their
        table and the Excel 台账 all read this (``hotline_month_counts`` is its SQL)."""
        if self.first_contact_at is not None:
            return self.first_contact_at <= self.response_deadline
        return False if self.response_deadline <= now else None

    def _done_and_deadline(self, which: str) -> tuple[datetime | None, datetime]:
        if which == "response":
            return self.first_contact_at, self.response_deadline
        return self.replied_at, self.resolution_deadline

    def finished_late(self, which: str) -> bool:
        """The response or resolution step done, but after its deadline: its clock says so
        instead of ✔ (the 响应率 and the report's 超时工单 count it as missed)."""
        done, deadline = self._done_and_deadline(which)
        return done is not None and done > deadline

    def clock(self, which: str, now: datetime) -> dict | None:
        """Time left on the response or resolution clock; amber from 50 % used, red from 80 %."""
        done, deadline = self._done_and_deadline(which)
        if done is not None:
            return None
        total = (deadline - self.dispatched_at).total_seconds() or 1
        used = (now - self.dispatched_at).total_seconds() / total
        level = "danger" if used >= 0.8 else "warning" if used >= 0.5 else "success"
        return {"deadline": deadline, "left": deadline - now, "used": used, "level": level, "late": now > deadline}

    # --- steps -------------------------------------------------------------------------

    def finished_steps(self) -> set[str]:
        """The steps of the case already recorded, named as the case page names them."""
        recorded = {
            "first_contact": self.first_contact_at,
            "site_visit": self.site_visit_at,
            "reply": self.replied_at,
            "review": self.review_note,
            "city_callback": self.city_callback_at,
            "extend": self.extension_reason,
            "redo": self.redo_count,
            "return": self.returned_reason,
        }
        return {step for step, value in recorded.items() if value}

    def _note(self, *, by: User, now: datetime, kind: str, note: str) -> FollowUp:
        return self.issue.add_entry(kind=kind, by=by, now=now, note=note)

    def record_first_contact(self, *, by: User, now: datetime, at: datetime, method: str, note: str = "") -> FollowUp:
        """The office reached the caller: this stops the response clock; a 待核实 item is 办理中."""
        with transaction.atomic():
            lock_and_refresh(self)
            if at < self.dispatched_at:
                raise TransitionError(_("The first contact cannot be before the case was dispatched."))
            _not_ahead_of(at, now)
            self.first_contact_at, self.first_contact_method = at, method
            self.save()
            text = _("12345 first contact (%(method)s)") % {"method": ContactMethod(method).label}
            return self.issue.take_up(by=by, now=now, kind=FollowUpKind.CALL, note=f"{text} {note}".strip())

    record_first_contact.alters_data = True

    def record_site_visit(self, *, by: User, now: datetime, at: datetime, note: str) -> FollowUp:
        with transaction.atomic():
            lock_and_refresh(self)
            if at < self.dispatched_at:
                raise TransitionError(_("The site visit cannot be before the case was dispatched."))
            _not_ahead_of(at, now)
            self.site_visit_at = at
            self.save()
            return self.issue.take_up(by=by, now=now, kind=FollowUpKind.VISIT, note=note)

    record_site_visit.alters_data = True

    def record_reply(self, *, by: User, now: datetime, result: str, reply_text: str) -> FollowUp:
        """The reply to the city (答复口径) with the result; the item is done, awaiting callback."""
        with transaction.atomic():
            lock_and_refresh(self)
            if not self.first_contact_at:
                raise TransitionError(_("Record the first contact with the caller before replying."))
            self.result, self.reply_text, self.replied_at = result, reply_text, now
            self.save()
            issue_result = {
                HotlineResult.SOLVED: IssueResult.FIXED,
                HotlineResult.PARTLY: IssueResult.PARTLY,
                HotlineResult.UNSOLVED: IssueResult.NOT_FIXED,
            }[HotlineResult(result)]
            issue = Issue.objects.get(pk=self.issue_id)
            if issue.allowed(IssueStatus.RESOLVED):
                return issue.resolve(by=by, now=now, result=issue_result, note=reply_text)
            return self._note(by=by, now=now, kind=FollowUpKind.NOTE, note=reply_text)

    record_reply.alters_data = True

    def record_review(self, *, by: User, now: datetime, note: str) -> FollowUp:
        with transaction.atomic():
            lock_and_refresh(self)
            self.review_note = note
            self.save()
            return self._note(
                by=by, now=now, kind=FollowUpKind.NOTE, note=_("Subdistrict review: %(note)s") % {"note": note}
            )

    record_review.alters_data = True

    def record_city_callback(
        self, *, by: User, now: datetime, contacted: bool, solved: str, satisfaction: str, at: datetime | None = None
    ) -> FollowUp:
        """The city's callback answers, as the monthly rates count them."""
        with transaction.atomic():
            lock_and_refresh(self)
            if not self.replied_at:
                raise TransitionError(_("The city's callback can only be recorded after the case was replied to."))
            if not contacted and (solved or satisfaction not in ("", CitySatisfaction.NONE)):
                # 未联系上 · 满意 was saved and counted in the 满意率.
                raise TransitionError(_("The caller was not reached: leave “Solved” empty and choose “Not rated”."))
            if at is not None:
                if at < self.dispatched_at:
                    raise TransitionError(_("The city's callback cannot be before the case was dispatched."))
                _not_ahead_of(at, now)
            self.city_contacted, self.city_solved, self.city_satisfaction = contacted, solved, satisfaction
            self.city_callback_at = at or now
            self.save()
            note = _("City callback: reached %(contacted)s, %(solved)s, %(satisfaction)s") % {
                "contacted": _("yes") if contacted else _("no"),
                "solved": HotlineResult(solved).label if solved else "—",
                "satisfaction": CitySatisfaction(satisfaction).label if satisfaction else "—",
            }
            issue = Issue.objects.get(pk=self.issue_id)
            if satisfaction in CITY_CLOSES and issue.status == IssueStatus.RESOLVED:
                # The city's callback answers for the office's own: one entry records both.
                return issue.callback(
                    by=by, now=now, satisfaction=CITY_CLOSES[satisfaction], method=CallbackMethod.PHONE, note=note
                )
            return self._note(by=by, now=now, kind=FollowUpKind.CALLBACK, note=note)

    record_city_callback.alters_data = True

    def return_case(self, *, by: User, now: datetime, reason: str) -> FollowUp:
        """退单: the case is not the community's; the item closes as not our duty."""
        with transaction.atomic():
            lock_and_refresh(self)
            self.returned_reason = reason
            self.save()
            issue = Issue.objects.get(pk=self.issue_id)
            return issue.close_not_ours(by=by, now=now, note=_("Returned to 12345: %(reason)s") % {"reason": reason})

    return_case.alters_data = True

    def extend(self, *, by: User, now: datetime, new_deadline: datetime, reason: str) -> FollowUp:
        """延期: a new resolution deadline, asked for before the old one has passed."""
        with transaction.atomic():
            lock_and_refresh(self)
            if now > self.resolution_deadline:
                raise TransitionError(_("The deadline has already passed: an extension must be asked for before it."))
            if new_deadline <= self.resolution_deadline:
                raise TransitionError(_("The new deadline must be later than the current one."))
            _within_a_year(new_deadline, now)
            old = self.resolution_deadline
            self.resolution_deadline, self.extension_reason = new_deadline, reason
            self.save()
            # The item's due date (log_case set it to the deadline) moves with it: the 民情日记, the
            # board and the reminders no longer call it overdue. A date the office kept ahead of the
            # city's stays as far ahead; one set after it (never right for a 12345 case) is the new one.
            issue = Issue.objects.get(pk=self.issue_id)
            ahead = max(old - issue.due_at, timedelta(0)) if issue.due_at else timedelta(0)
            issue.move_due(new_deadline - ahead)
            note = _("Extended from %(old)s to %(new)s: %(reason)s") % {
                "old": timezone.localtime(old).strftime("%Y-%m-%d %H:%M"),
                "new": timezone.localtime(new_deadline).strftime("%Y-%m-%d %H:%M"),
                "reason": reason,
            }
            return self._note(by=by, now=now, kind=FollowUpKind.NOTE, note=note)

    extend.alters_data = True

    def redo(self, *, by: User, now: datetime, new_deadline: datetime, reason: str) -> FollowUp:
        """重办: the city sends the case back; handling starts again with a new deadline."""
        with transaction.atomic():
            lock_and_refresh(self)
            if new_deadline <= now:
                raise TransitionError(_("The new deadline must be in the future."))
            _within_a_year(new_deadline, now)
            self.redo_count += 1
            self.result, self.replied_at, self.resolution_deadline = "", None, new_deadline
            self.save()
            issue = Issue.objects.get(pk=self.issue_id)
            note = _("12345 redo: %(reason)s") % {"reason": reason}
            if issue.allowed(IssueStatus.IN_PROGRESS):
                return issue.reopen(by=by, now=now, note=note, due_at=new_deadline)
            # Still open (the reply said 未解决, or the office reopened it): it keeps its state.
            issue.move_due(new_deadline)
            return self._note(by=by, now=now, kind=FollowUpKind.NOTE, note=note)

    redo.alters_data = True


#: How far ahead of the server's clock a typed time may be (a phone's clock runs a little fast).
CLOCK_SLACK = timedelta(minutes=5)


def _not_ahead_of(at: datetime, now: datetime) -> None:
    """A step's time typed into the future (12-07 for today's call) made the clocks and the
    rates count a contact that had not happened."""
    if at > now + CLOCK_SLACK:
        raise TransitionError(_("The time cannot be in the future."))


def _within_a_year(deadline: datetime, now: datetime) -> None:
    """A deadline years away is a typing slip (9999 for 2026); the item's due date would follow it."""
    if deadline > now + timedelta(days=366):
        raise TransitionError(_("The new deadline is more than a year away: check the year."))


def hotline_triggers(case: HotlineCase) -> list[tuple[str, datetime]]:
    """Reminders at 50 % and 80 % of the response and resolution clocks still running, and when
    one runs out: a sweep that comes after the deadline (a worker down overnight) says 已超时,
    not 已用八成."""
    triggers = []
    if not case.returned_reason:
        if case.first_contact_at is None:
            span = case.response_deadline - case.dispatched_at
            triggers += [("hotline_response_50", case.dispatched_at + span * 0.5)]
            triggers += [("hotline_response_80", case.dispatched_at + span * 0.8)]
            triggers += [("hotline_response_over", case.response_deadline)]
        if case.replied_at is None:
            span = case.resolution_deadline - case.dispatched_at
            triggers += [("hotline_resolution_50", case.dispatched_at + span * 0.5)]
            triggers += [("hotline_resolution_80", case.dispatched_at + span * 0.8)]
            triggers += [("hotline_resolution_over", case.resolution_deadline)]
    return triggers


def next_hotline_trigger(case: HotlineCase) -> datetime | None:
    after = case.reminded_until
    times = [at for _, at in hotline_triggers(case) if after is None or at > after]
    return min(times) if times else None
