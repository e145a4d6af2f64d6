"""接诉即办: 12345 hotline cases, their city deadlines and the three monthly rates.

A case is an item of the 民情日记 (channel 12345) with a HotlineCase beside it. The case's
own steps (first contact, reply, the city's callback, 退单/延期/重办) are methods here that
also write the item's timeline, in one transaction."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from issues.models import FollowUp, FollowUpKind, Issue, Result, Status, TransitionError
from residents.models import Community, mask_phone


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
    PHONE = "phone", _("Phone")
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


class HotlineCaseQuerySet(models.QuerySet):
    def in_community(self, community: Community) -> HotlineCaseQuerySet:
        return self.filter(community=community)

    def dispatched_in(self, month: date) -> HotlineCaseQuerySet:
        """Cases belong to the month they were dispatched in (local time)."""
        start = timezone.make_aware(datetime(month.year, month.month, 1))
        end_month = date(month.year + month.month // 12, month.month % 12 + 1, 1)
        end = timezone.make_aware(datetime(end_month.year, end_month.month, 1))
        return self.filter(dispatched_at__gte=start, dispatched_at__lt=end)


class HotlineCase(models.Model):
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
            models.Index(fields=["community", "-dispatched_at"], name="hotline_comm_dispatched"),
            models.Index(
                fields=["next_reminder_at"], name="hotline_next_reminder", condition=Q(next_reminder_at__isnull=False)
            ),
            models.Index(fields=["community", "caller_phone"], name="hotline_comm_caller"),
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

    def responded_in_time(self) -> bool:
        return self.first_contact_at is not None and self.first_contact_at <= self.response_deadline

    def clock(self, which: str, now: datetime) -> dict | None:
        """Time left on the response or resolution clock; amber from 50 % used, red from 80 %."""
        if which == "response":
            done, deadline = self.first_contact_at, self.response_deadline
        else:
            done, deadline = self.replied_at, self.resolution_deadline
        if done is not None:
            return None
        total = (deadline - self.dispatched_at).total_seconds() or 1
        used = (now - self.dispatched_at).total_seconds() / total
        level = "danger" if used >= 0.8 else "warning" if used >= 0.5 else "success"
        return {"deadline": deadline, "left": deadline - now, "used": used, "level": level, "late": now > deadline}

    # --- steps -------------------------------------------------------------------------

    def _note(self, *, by, now: datetime, kind: str, note: str) -> FollowUp:
        return FollowUp.objects.create(issue_id=self.issue_id, kind=kind, author=by, created_at=now, note=note)

    def _locked(self) -> HotlineCase:
        fresh = type(self).objects.select_for_update().get(pk=self.pk)
        self.__dict__.update({k: v for k, v in fresh.__dict__.items() if not k.startswith("_")})
        self._state.fields_cache = {}
        return self

    def record_first_contact(self, *, by, now: datetime, at: datetime, method: str, note: str = "") -> FollowUp:
        """The office reached the caller: this stops the response clock."""
        with transaction.atomic():
            self._locked()
            if at < self.dispatched_at:
                raise TransitionError(_("The first contact cannot be before the case was dispatched."))
            self.first_contact_at, self.first_contact_method = at, method
            self.save()
            text = _("12345 first contact (%(method)s)") % {"method": ContactMethod(method).label}
            return self._note(by=by, now=now, kind=FollowUpKind.CALL, note=f"{text} {note}".strip())

    record_first_contact.alters_data = True

    def record_site_visit(self, *, by, now: datetime, at: datetime, note: str) -> FollowUp:
        with transaction.atomic():
            self._locked()
            self.site_visit_at = at
            self.save()
            return self._note(by=by, now=now, kind=FollowUpKind.VISIT, note=note)

    record_site_visit.alters_data = True

    def record_reply(self, *, by, now: datetime, result: str, reply_text: str) -> FollowUp:
        """The reply to the city (答复口径) with the result; the item is done, awaiting callback."""
        with transaction.atomic():
            self._locked()
            if not self.first_contact_at:
                raise TransitionError(_("Record the first contact with the caller before replying."))
            self.result, self.reply_text, self.replied_at = result, reply_text, now
            self.save()
            issue_result = {
                HotlineResult.SOLVED: Result.FIXED,
                HotlineResult.PARTLY: Result.PARTLY,
                HotlineResult.UNSOLVED: Result.NOT_FIXED,
            }[HotlineResult(result)]
            issue = Issue.objects.get(pk=self.issue_id)
            if issue.allowed(Status.RESOLVED):
                return issue.resolve(by=by, now=now, result=issue_result, note=reply_text)
            return self._note(by=by, now=now, kind=FollowUpKind.NOTE, note=reply_text)

    record_reply.alters_data = True

    def record_review(self, *, by, now: datetime, note: str) -> FollowUp:
        with transaction.atomic():
            self._locked()
            self.review_note = note
            self.save()
            return self._note(
                by=by, now=now, kind=FollowUpKind.NOTE, note=_("Subdistrict review: %(note)s") % {"note": note}
            )

    record_review.alters_data = True

    def record_city_callback(
        self, *, by, now: datetime, contacted: bool, solved: str, satisfaction: str, at: datetime | None = None
    ) -> FollowUp:
        """The city's callback answers, as the monthly rates count them."""
        with transaction.atomic():
            self._locked()
            if not self.replied_at:
                raise TransitionError(_("The city's callback can only be recorded after the case was replied to."))
            self.city_contacted, self.city_solved, self.city_satisfaction = contacted, solved, satisfaction
            self.city_callback_at = at or now
            self.save()
            note = _("City callback: reached %(contacted)s, %(solved)s, %(satisfaction)s") % {
                "contacted": _("yes") if contacted else _("no"),
                "solved": HotlineResult(solved).label if solved else "—",
                "satisfaction": CitySatisfaction(satisfaction).label if satisfaction else "—",
            }
            return self._note(by=by, now=now, kind=FollowUpKind.CALLBACK, note=note)

    record_city_callback.alters_data = True

    def return_case(self, *, by, now: datetime, reason: str) -> FollowUp:
        """退单: the case is not the community's; the item closes as not our duty."""
        with transaction.atomic():
            self._locked()
            self.returned_reason = reason
            self.save()
            issue = Issue.objects.get(pk=self.issue_id)
            return issue.close_not_ours(by=by, now=now, note=_("Returned to 12345: %(reason)s") % {"reason": reason})

    return_case.alters_data = True

    def extend(self, *, by, now: datetime, new_deadline: datetime, reason: str) -> FollowUp:
        """延期: a new resolution deadline, asked for before the old one has passed."""
        with transaction.atomic():
            self._locked()
            if now > self.resolution_deadline:
                raise TransitionError(_("The deadline has already passed: an extension must be asked for before it."))
            if new_deadline <= self.resolution_deadline:
                raise TransitionError(_("The new deadline must be later than the current one."))
            old = self.resolution_deadline
            self.resolution_deadline, self.extension_reason = new_deadline, reason
            self.save()
            note = _("Extended from %(old)s to %(new)s: %(reason)s") % {
                "old": timezone.localtime(old).strftime("%Y-%m-%d %H:%M"),
                "new": timezone.localtime(new_deadline).strftime("%Y-%m-%d %H:%M"),
                "reason": reason,
            }
            return self._note(by=by, now=now, kind=FollowUpKind.NOTE, note=note)

    extend.alters_data = True

    def redo(self, *, by, now: datetime, new_deadline: datetime, reason: str) -> FollowUp:
        """重办: the city sends the case back; handling starts again with a new deadline."""
        with transaction.atomic():
            self._locked()
            if new_deadline <= now:
                raise TransitionError(_("The new deadline must be in the future."))
            self.redo_count += 1
            self.result, self.replied_at, self.resolution_deadline = "", None, new_deadline
            self.save()
            issue = Issue.objects.get(pk=self.issue_id)
            return issue.reopen(by=by, now=now, note=_("12345 redo: %(reason)s") % {"reason": reason})

    redo.alters_data = True


def hotline_triggers(case: HotlineCase) -> list[tuple[str, datetime]]:
    """Reminders at 50 % and 80 % of the response and resolution clocks still running."""
    triggers = []
    if not case.returned_reason:
        if case.first_contact_at is None:
            span = case.response_deadline - case.dispatched_at
            triggers += [("hotline_response_50", case.dispatched_at + span * 0.5)]
            triggers += [("hotline_response_80", case.dispatched_at + span * 0.8)]
        if case.replied_at is None:
            span = case.resolution_deadline - case.dispatched_at
            triggers += [("hotline_resolution_50", case.dispatched_at + span * 0.5)]
            triggers += [("hotline_resolution_80", case.dispatched_at + span * 0.8)]
    return triggers


def next_hotline_trigger(case: HotlineCase) -> datetime | None:
    after = case.reminded_until
    times = [at for _, at in hotline_triggers(case) if after is None or at > after]
    return min(times) if times else None


# --- the three rates ---------------------------------------------------------------------


@dataclass
class Rate:
    numerator: Decimal
    denominator: int
    cases: list = field(default_factory=list)

    @property
    def value(self) -> Decimal | None:
        if not self.denominator:
            return None
        return (self.numerator / self.denominator * 100).quantize(Decimal("0.1"))


@dataclass
class MonthRates:
    month: date
    response: Rate
    resolution: Rate
    satisfaction: Rate
    score: Decimal | None


def rates(cases, rules: HotlineSettings, month: date) -> MonthRates:
    """响应率 = first contact within the response deadline ÷ cases dispatched in the month;
    解决率 = (解决 + w·部分解决) ÷ cases with a callback answer on solving;
    满意率 = (满意 + w·基本满意) ÷ cases with a satisfaction answer (未评价 not counted).
    Returned cases (退单) are left out of all three."""
    cases = [c for c in cases if not c.returned_reason]
    response = Rate(Decimal(sum(1 for c in cases if c.responded_in_time())), len(cases), cases)
    solved_cases = [c for c in cases if c.city_solved]
    solved = sum(
        Decimal(1) if c.city_solved == HotlineResult.SOLVED else rules.partly_weight
        for c in solved_cases
        if c.city_solved in {HotlineResult.SOLVED, HotlineResult.PARTLY}
    )
    resolution = Rate(Decimal(solved), len(solved_cases), solved_cases)
    rated = [c for c in cases if c.city_satisfaction and c.city_satisfaction != CitySatisfaction.NONE]
    satisfied = sum(
        Decimal(1) if c.city_satisfaction == CitySatisfaction.SATISFIED else rules.basic_weight
        for c in rated
        if c.city_satisfaction in {CitySatisfaction.SATISFIED, CitySatisfaction.BASIC}
    )
    satisfaction = Rate(Decimal(satisfied), len(rated), rated)
    score = None
    parts = [(response.value, rules.response_share), (resolution.value, rules.resolution_share)]
    parts.append((satisfaction.value, rules.satisfaction_share))
    if all(value is not None for value, _ in parts):
        score = (sum(value * share for value, share in parts) / 100).quantize(Decimal("0.1"))
    return MonthRates(month=month, response=response, resolution=resolution, satisfaction=satisfaction, score=score)


def log_case(
    *,
    community: Community,
    by,
    now: datetime,
    case_no: str,
    dispatched_at: datetime,
    text: str,
    request_type: str,
    urgency: str = HotlineUrgency.NORMAL,
    role: str = HostRole.MAIN,
    caller_name: str = "",
    caller_phone: str = "",
    place=None,
    category=None,
    owner=None,
    response_deadline: datetime | None = None,
    resolution_deadline: datetime | None = None,
) -> HotlineCase:
    """A dispatched case becomes an item of the 民情日记 (channel 12345) with its city record.
    A repeat of an earlier case (same caller, or same place and category) is linked."""
    from issues import services
    from issues.models import Channel, Urgency

    rules = HotlineSettings.for_community(community.pk)
    default_response, default_resolution = rules.deadlines(dispatched_at, urgency)
    place = place or services.Place()
    category = category or services.suggest_category(community, text)
    earlier = HotlineCase.objects.in_community(community).order_by("-dispatched_at")
    condition = Q(caller_phone=caller_phone) if caller_phone else Q(pk__in=[])
    if category and (place.room or place.building):
        same_place = Q(issue__room=place.room) if place.room else Q(issue__building=place.building)
        condition |= same_place & Q(issue__category=category)
    with transaction.atomic():
        repeat_of = earlier.filter(condition).first()
        issue = services.log_issue(
            community=community,
            by=by,
            now=now,
            text=text,
            channel=Channel.HOTLINE,
            received_at=dispatched_at,
            reporter=services.match_reporter(community, caller_name),
            reporter_name=caller_name,
            place=place,
            category=category,
            urgency=Urgency.URGENT if urgency == HotlineUrgency.URGENT else Urgency.KEY,
            owner=owner,
        )
        issue.due_at = resolution_deadline or default_resolution
        issue.save()
        return HotlineCase.objects.create(
            issue=issue,
            community=community,
            case_no=case_no,
            request_type=request_type,
            role=role,
            urgency=urgency,
            caller_name=caller_name,
            caller_phone=caller_phone,
            dispatched_at=dispatched_at,
            response_deadline=response_deadline or default_response,
            resolution_deadline=resolution_deadline or default_resolution,
            repeat_of=repeat_of,
        )
