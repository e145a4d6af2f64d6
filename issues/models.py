"""The 民情日记 and everything that must be followed up."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from residents.models import Building, Community, CommunityQuerySet, Resident, Room, mask_phone


class PartnerKind(models.TextChoices):
    PROPERTY = "property", _("Property company")
    OWNERS = "owners", _("Property committee / owners' committee")
    POLICE = "police", _("Community police / police station")
    URBAN_MGMT = "urban_mgmt", _("Urban management")
    SUBDISTRICT = "subdistrict", _("Subdistrict office")
    UTILITIES = "utilities", _("Water, power, gas, heating")
    DESIGN = "design", _("Design / construction")
    BUILDING_HEAD = "building_head", _("Building head")
    OTHER = "other", _("Other")


class Partner(models.Model):
    """An outside organisation the office works with (对接单位). Partners have no accounts."""

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="partners")
    kind = models.CharField(_("kind"), max_length=20, choices=PartnerKind.choices)
    name = models.CharField(_("name"), max_length=100)
    phone = models.CharField(_("office phone"), max_length=30, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    note = models.TextField(_("note"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    objects = CommunityQuerySet.as_manager()

    class Meta:
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        ordering = ["kind", "name"]
        constraints = [models.UniqueConstraint(fields=["community", "name"], name="partner_unique_name")]

    def __str__(self) -> str:
        return self.name


class PartnerContact(models.Model):
    """A person at a partner (对接人): the property manager, the community police officer."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(_("name"), max_length=50)
    title = models.CharField(_("title"), max_length=50, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("partner contact")
        verbose_name_plural = _("partner contacts")
        ordering = ["partner", "name"]

    def __str__(self) -> str:
        return f"{self.name}（{self.partner}）"

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)


class IssueCategory(models.Model):
    """A problem category (问题分类). Each community edits its own list; keywords drive the
    suggestion made from an item's text."""

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="issue_categories")
    name = models.CharField(_("name"), max_length=30)
    keywords = models.CharField(
        _("keywords"),
        max_length=300,
        blank=True,
        help_text=_("Words in a message that suggest this category, separated by commas"),
    )
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    objects = CommunityQuerySet.as_manager()

    class Meta:
        verbose_name = _("issue category")
        verbose_name_plural = _("issue categories")
        ordering = ["sort_order", "name"]
        constraints = [models.UniqueConstraint(fields=["community", "name"], name="category_unique_name")]

    def __str__(self) -> str:
        return self.name

    def keyword_list(self) -> list[str]:
        return [k.strip() for k in self.keywords.replace("，", ",").split(",") if k.strip()]


class Channel(models.TextChoices):
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


class Status(models.TextChoices):
    PENDING = "pending", _("To investigate")
    IN_PROGRESS = "in_progress", _("In progress")
    WAITING = "waiting", _("Waiting for partner")
    RESOLVED = "resolved", _("Done, awaiting callback")
    CLOSED = "closed", _("Called back, closed")
    DUPLICATE = "duplicate", _("Duplicate")
    NOT_OURS = "not_ours", _("Not our duty / explained")


#: Which state may follow which. Every transition method checks this map.
TRANSITIONS: dict[str, frozenset[str]] = {
    Status.PENDING: frozenset({Status.IN_PROGRESS, Status.RESOLVED, Status.DUPLICATE, Status.NOT_OURS}),
    Status.IN_PROGRESS: frozenset({Status.WAITING, Status.RESOLVED, Status.DUPLICATE, Status.NOT_OURS}),
    Status.WAITING: frozenset({Status.IN_PROGRESS, Status.RESOLVED, Status.DUPLICATE, Status.NOT_OURS}),
    Status.RESOLVED: frozenset({Status.CLOSED, Status.IN_PROGRESS}),
    Status.CLOSED: frozenset({Status.IN_PROGRESS}),
    Status.NOT_OURS: frozenset({Status.IN_PROGRESS}),
    Status.DUPLICATE: frozenset(),
}
OPEN_STATES = frozenset({Status.PENDING, Status.IN_PROGRESS, Status.WAITING})


class Result(models.TextChoices):
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


class IssueQuerySet(CommunityQuerySet):
    def open(self) -> IssueQuerySet:
        return self.filter(status__in=OPEN_STATES)

    def overdue(self, now: datetime) -> IssueQuerySet:
        """Open, not paused on a partner, and past the due time."""
        return self.filter(status__in={Status.PENDING, Status.IN_PROGRESS}, due_at__lt=now)

    def with_list_data(self) -> IssueQuerySet:
        return self.select_related(
            "category", "owner", "partner", "partner_contact", "room__unit__building", "building", "reporter"
        )


class Issue(models.Model):
    """One item of the 民情日记: what a resident raised, who handles it and how it ended.

    State changes go only through the transition methods below: each checks TRANSITIONS,
    writes the row and a FollowUp in one transaction with the row locked."""

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="issues")
    code = models.CharField(_("number"), max_length=20, editable=False)
    received_at = models.DateTimeField(_("received at"))
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices, default=Channel.WECHAT)
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
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PENDING)
    result = models.CharField(_("result"), max_length=20, choices=Result.choices, blank=True)
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
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    search_text = models.TextField(editable=False, default="")
    # Reminders are data: the sweep claims rows whose next_reminder_at has come (partial index),
    # and triggers up to reminded_until have been handled.
    next_reminder_at = models.DateTimeField(null=True, blank=True, editable=False)
    reminded_until = models.DateTimeField(null=True, blank=True, editable=False)
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
            models.Index(fields=["community", "category", "status"], name="issue_comm_category"),
            models.Index(fields=["community", "owner", "status"], name="issue_comm_owner"),
            models.Index(fields=["community", "partner", "status"], name="issue_comm_partner"),
            models.Index(fields=["room", "status"], name="issue_room_status"),
            models.Index(fields=["building", "status"], name="issue_building_status"),
            models.Index(
                fields=["next_reminder_at"], name="issue_next_reminder", condition=Q(next_reminder_at__isnull=False)
            ),
            # Chinese search indexes (trigram GIN for 3+ characters, bigram GIN for 2) are
            # created in migration 0003: PostgreSQL only, SQLite for `make run` scans.
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.text[:20]}"

    def save(self, *args, **kwargs) -> None:
        self.search_text = " ".join(
            part
            for part in (self.code, self.text, self.place_label, self.reporter_display, self.sender, self.result_note)
            if part
        )
        from issues.reminders import next_trigger_time

        if self.reminded_until is None:
            self.reminded_until = self.received_at
        self.next_reminder_at = next_trigger_time(self)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "next_reminder_at", "search_text"}
        super().save(*args, **kwargs)

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

    def is_overdue(self, now: datetime) -> bool:
        return self.status in {Status.PENDING, Status.IN_PROGRESS} and self.due_at is not None and self.due_at < now

    def allowed(self, target: str) -> bool:
        return target in TRANSITIONS[Status(self.status)]

    # --- transitions -------------------------------------------------------

    def _locked(self) -> Issue:
        """Re-read this row under a lock: the state we check is the state we change."""
        fresh = type(self).objects.select_for_update().get(pk=self.pk)
        self.__dict__.update({k: v for k, v in fresh.__dict__.items() if not k.startswith("_")})
        self._state.fields_cache = {}
        return self

    def _move(self, target: str, *, by, now: datetime, note: str = "", kind: str | None = None, **fields) -> FollowUp:
        if not self.allowed(target):
            raise TransitionError(
                _("An item that is “%(from)s” cannot become “%(to)s”.")
                % {"from": self.get_status_display(), "to": Status(target).label}
            )
        previous = self.status
        if previous == Status.WAITING and self.waiting_since:
            # The clock was paused while the partner had it: give the time back.
            if self.due_at:
                self.due_at += now - self.waiting_since
            self.waiting_since = None
        if target == Status.WAITING:
            self.waiting_since = now
        for name, value in fields.items():
            setattr(self, name, value)
        self.status = target
        self.version = F("version") + 1
        self.save()
        self.refresh_from_db(fields=["version"])
        return FollowUp.objects.create(
            issue=self,
            kind=kind or FollowUpKind.STATE,
            author=by,
            created_at=now,
            note=note,
            from_status=previous,
            to_status=target,
        )

    def settle(
        self, *, by, now: datetime, method: str, due_at=None, partner=None, partner_contact=None, owner=None, note=""
    ) -> FollowUp:
        """Give the item a handling method and contact: 办理中, or 已办结 when settled on the spot."""
        with transaction.atomic():
            self._locked()
            if self.status not in {Status.PENDING, Status.IN_PROGRESS}:
                raise TransitionError(
                    _("An item that is “%(status)s” cannot be given a handling method.")
                    % {"status": self.get_status_display()}
                )
            fields = {"handling_method": method, "partner": partner, "partner_contact": partner_contact}
            if due_at is not None:
                fields["due_at"] = due_at
            if owner is not None:
                fields["owner"] = owner
            if method == HandlingMethod.ON_THE_SPOT:
                fields.update(result=Result.FIXED, result_note=note, resolved_at=now)
                return self._move(Status.RESOLVED, by=by, now=now, note=note, **fields)
            if self.status == Status.IN_PROGRESS:
                # A change of handling on an item already in progress: no state change.
                for name, value in fields.items():
                    setattr(self, name, value)
                self.version = F("version") + 1
                self.save()
                self.refresh_from_db(fields=["version"])
                return FollowUp.objects.create(
                    issue=self,
                    kind=FollowUpKind.NOTE,
                    author=by,
                    created_at=now,
                    note=" ".join(p for p in (str(HandlingMethod(method).label), note) if p),
                    partner=partner,
                    partner_contact=partner_contact,
                )
            return self._move(Status.IN_PROGRESS, by=by, now=now, note=note, **fields)

    settle.alters_data = True

    def wait_for_partner(self, *, by, now: datetime, partner, promised_at, partner_contact=None, note="") -> FollowUp:
        """The partner has promised a date: 等待对接方, the office's clock is paused."""
        with transaction.atomic():
            self._locked()
            return self._move(
                Status.WAITING,
                by=by,
                now=now,
                note=note,
                kind=FollowUpKind.PROMISE,
                partner=partner,
                partner_contact=partner_contact,
                promised_at=promised_at,
            )

    wait_for_partner.alters_data = True

    def resume(self, *, by, now: datetime, note="") -> FollowUp:
        """Back from the partner to the office: 办理中, the clock runs again."""
        with transaction.atomic():
            self._locked()
            return self._move(Status.IN_PROGRESS, by=by, now=now, note=note)

    resume.alters_data = True

    def resolve(self, *, by, now: datetime, result: str, note="") -> FollowUp:
        """Handling is finished with a result; the resident's callback is still due."""
        with transaction.atomic():
            self._locked()
            return self._move(
                Status.RESOLVED, by=by, now=now, note=note, result=result, result_note=note, resolved_at=now
            )

    resolve.alters_data = True

    def callback(self, *, by, now: datetime, satisfaction: str, method: str, note="") -> FollowUp:
        """Record the resident's answer; 不满意 reopens the item instead of closing it."""
        with transaction.atomic():
            self._locked()
            if self.status != Status.RESOLVED:
                raise TransitionError(_("Only an item that is done can be called back."))
            if satisfaction == Satisfaction.UNSATISFIED:
                return self._move(
                    Status.IN_PROGRESS,
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
                Status.CLOSED,
                by=by,
                now=now,
                note=note,
                kind=FollowUpKind.CALLBACK,
                satisfaction=satisfaction,
                callback_method=method,
                closed_at=now,
            )

    callback.alters_data = True

    def close_not_ours(self, *, by, now: datetime, note: str) -> FollowUp:
        """Not the office's duty, or explained to the resident: closed, but not counted as solved."""
        with transaction.atomic():
            self._locked()
            return self._move(
                Status.NOT_OURS,
                by=by,
                now=now,
                note=note,
                handling_method=self.handling_method or HandlingMethod.EXPLAIN,
                closed_at=now,
            )

    close_not_ours.alters_data = True

    def reopen(self, *, by, now: datetime, note: str) -> FollowUp:
        with transaction.atomic():
            self._locked()
            return self._move(Status.IN_PROGRESS, by=by, now=now, note=note, closed_at=None, resolved_at=None)

    reopen.alters_data = True

    def merge_into(self, target: Issue, *, by, now: datetime, note="") -> FollowUp:
        """This item is the same problem as ``target``: close it as 重复, linked both ways,
        and carry its reports over to the target."""
        if target.pk == self.pk or target.community_id != self.community_id:
            raise TransitionError(_("An item cannot be a duplicate of itself or of another community's item."))
        with transaction.atomic():
            # Lock both rows in id order so two merges of the same pair cannot deadlock.
            locked = {
                i.pk: i for i in Issue.objects.select_for_update().filter(pk__in=[self.pk, target.pk]).order_by("pk")
            }
            self.__dict__.update({k: v for k, v in locked[self.pk].__dict__.items() if not k.startswith("_")})
            if target.status == Status.DUPLICATE:
                raise TransitionError(_("The item to merge into is itself a duplicate."))
            followup = self._move(Status.DUPLICATE, by=by, now=now, note=note, merged_into=target, closed_at=now)
            Issue.objects.filter(pk=target.pk).update(
                report_count=F("report_count") + self.report_count, version=F("version") + 1
            )
            target.refresh_from_db()
            FollowUp.objects.create(
                issue=target,
                kind=FollowUpKind.REPORT,
                author=by,
                created_at=now,
                note=_("Merged duplicate %(code)s: %(text)s") % {"code": self.code, "text": self.text},
                related_issue=self,
            )
            return followup

    merge_into.alters_data = True


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


#: Follow-ups that count as an attempt to fix the problem: a repeat report after one of
#: these means the attempt failed, and the item is flagged for escalation.
ATTEMPT_KINDS = frozenset({FollowUpKind.CALL, FollowUpKind.VISIT, FollowUpKind.JOINT_VISIT, FollowUpKind.PROMISE})


class FollowUp(models.Model):
    """One entry of an item's timeline: a note, a call, a visit, a promise, a state change."""

    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="followups")
    kind = models.CharField(_("kind"), max_length=20, choices=FollowUpKind.choices, default=FollowUpKind.NOTE)
    note = models.TextField(_("note"), blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("by")
    )
    created_at = models.DateTimeField(_("time"))
    partner = models.ForeignKey(Partner, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    partner_contact = models.ForeignKey(
        PartnerContact, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    promised_at = models.DateTimeField(_("promised by"), null=True, blank=True)
    from_status = models.CharField(max_length=20, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=Status.choices, blank=True)
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices, blank=True)
    sender = models.CharField(_("sender as received"), max_length=50, blank=True)
    received_at = models.DateTimeField(_("received at"), null=True, blank=True)
    related_issue = models.ForeignKey(Issue, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["issue", "created_at"], name="followup_issue_time")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.created_at:%Y-%m-%d %H:%M}"


def attachment_path(instance: Attachment, filename: str) -> str:
    return f"issues/{instance.issue.community_id}/{instance.issue_id}/{filename}"


class Attachment(models.Model):
    """A photo on an item or one of its follow-ups. Stored under MEDIA_ROOT and served only
    through a view that checks the user may see the item."""

    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="attachments")
    followup = models.ForeignKey(FollowUp, on_delete=models.SET_NULL, null=True, blank=True, related_name="attachments")
    file = models.ImageField(_("photo"), upload_to=attachment_path)
    content_type = models.CharField(max_length=50)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["uploaded_at"]

    def __str__(self) -> str:
        return self.file.name


class ResponseTemplate(models.Model):
    """A reply the staff reuse (常用答复), optionally for one category."""

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="response_templates")
    category = models.ForeignKey(IssueCategory, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    title = models.CharField(_("template name"), max_length=50)
    text = models.TextField(_("text"))

    objects = CommunityQuerySet.as_manager()

    class Meta:
        verbose_name = _("response template")
        verbose_name_plural = _("response templates")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


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


class ReminderSettings(models.Model):
    """Per-community reminder rules. Created with the defaults the first time they are read."""

    community = models.OneToOneField(Community, on_delete=models.CASCADE, related_name="reminder_settings")
    remind_day_before = models.BooleanField(_("remind the day before an item falls due"), default=True)
    meeting_after_days = models.PositiveSmallIntegerField(
        _("put overdue items on the morning meeting after (days)"), default=3
    )
    callback_after_days = models.PositiveSmallIntegerField(_("remind to call back after (days)"), default=1)
    digest_time = models.TimeField(_("daily digest at"), default=time(8, 0))
    wecom_webhook_url = models.URLField(
        _("WeCom group robot webhook"),
        blank=True,
        help_text=_("Messages name items and places, never a resident's phone or ID number."),
    )
    last_digest_on = models.DateField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("reminder settings")
        verbose_name_plural = _("reminder settings")

    def __str__(self) -> str:
        return str(self.community)

    @classmethod
    def for_community(cls, community_id: int) -> ReminderSettings:
        settings_row, _ = cls.objects.get_or_create(community_id=community_id)
        return settings_row


class ReminderKind(models.TextChoices):
    DUE_TOMORROW = "due_tomorrow", _("Due tomorrow")
    DUE_TODAY = "due_today", _("Due today")
    OVERDUE = "overdue", _("Overdue")
    OVERDUE_MEETING = "overdue_meeting", _("Overdue: on the morning meeting")
    PROMISE_DUE = "promise_due", _("Partner's promised date has come")
    CALLBACK_DUE = "callback_due", _("Call the resident back")
    DIGEST = "digest", _("Daily digest")
    VISIT_DUE = "visit_due", _("Home visit due today")
    VISIT_OVERDUE = "visit_overdue", _("Home visit overdue")
    HOTLINE_RESPONSE_50 = "hotline_response_50", _("12345: half the response time used")
    HOTLINE_RESPONSE_80 = "hotline_response_80", _("12345: response time four-fifths used")
    HOTLINE_RESOLUTION_50 = "hotline_resolution_50", _("12345: half the resolution time used")
    HOTLINE_RESOLUTION_80 = "hotline_resolution_80", _("12345: resolution time four-fifths used")


class Reminder(models.Model):
    """One reminder event: (item, kind, due time) exists once, whatever the number of sweeps,
    workers or retries; its notifications and deliveries hang off it."""

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="reminders")
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("content_type", "object_id")
    kind = models.CharField(_("kind"), max_length=30, choices=ReminderKind.choices)
    due_at = models.DateTimeField(_("due"))
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), blank=True)
    link = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "kind", "due_at"], name="reminder_once_per_item_kind_due"
            )
        ]

    def __str__(self) -> str:
        return self.title


class NotificationQuerySet(models.QuerySet):
    def unread(self) -> NotificationQuerySet:
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """The in-app copy of a reminder for one person (the bell)."""

    reminder = models.ForeignKey(Reminder, on_delete=models.CASCADE, related_name="notifications")
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    read_at = models.DateTimeField(null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-reminder__created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["reminder", "recipient"], name="notification_once")]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notification_unread"),
        ]

    def __str__(self) -> str:
        return f"{self.recipient} · {self.reminder}"


class DeliveryChannel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    WECOM = "wecom", _("WeCom group")


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class Delivery(models.Model):
    """One reminder sent through one outside channel, retried with backoff until it goes."""

    reminder = models.ForeignKey(Reminder, on_delete=models.CASCADE, related_name="deliveries")
    channel = models.CharField(max_length=10, choices=DeliveryChannel.choices)
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, related_name="+")
    status = models.CharField(max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [
            models.UniqueConstraint(
                fields=["reminder", "channel", "recipient"], name="delivery_once", condition=Q(recipient__isnull=False)
            ),
            models.UniqueConstraint(
                fields=["reminder", "channel"], name="delivery_once_to_group", condition=Q(recipient__isnull=True)
            ),
        ]
        indexes = [
            models.Index(
                fields=["next_attempt_at"], name="delivery_pending", condition=Q(status__in=["pending", "sending"])
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} · {self.reminder}"


# The 12345 models live in their own module; imported here so Django registers them.
from issues.hotline import HotlineCase, HotlineSettings  # noqa: E402, F401

# --- morning meeting (晨会) ---------------------------------------------------------------

#: When a day's task counts as left unfinished: the assignee is reminded then.
TASK_DAY_ENDS = time(17, 30)


class TaskStatus(models.TextChoices):
    TODO = "todo", _("To do")
    DOING = "doing", _("Under way")
    DONE = "done", _("Done")
    POSTPONED = "postponed", _("Postponed")


#: Which task state may follow which. Task.move checks this map.
TASK_TRANSITIONS: dict[str, frozenset[str]] = {
    TaskStatus.TODO: frozenset({TaskStatus.DOING, TaskStatus.DONE, TaskStatus.POSTPONED}),
    TaskStatus.DOING: frozenset({TaskStatus.TODO, TaskStatus.DONE, TaskStatus.POSTPONED}),
    TaskStatus.POSTPONED: frozenset({TaskStatus.TODO, TaskStatus.DOING, TaskStatus.DONE}),
    TaskStatus.DONE: frozenset({TaskStatus.TODO, TaskStatus.DOING}),
}
UNFINISHED_TASK_STATES = frozenset({TaskStatus.TODO, TaskStatus.DOING, TaskStatus.POSTPONED})


class StaleTask(Exception):
    """The task changed since the board showed it: somebody else moved it first."""


def task_day_end(day) -> datetime:
    from django.utils import timezone

    return timezone.make_aware(datetime.combine(day, TASK_DAY_ENDS))


class TaskQuerySet(CommunityQuerySet):
    def on_day(self, day) -> TaskQuerySet:
        return self.filter(day=day)

    def unfinished(self) -> TaskQuerySet:
        return self.filter(status__in=UNFINISHED_TASK_STATES)

    def with_board_data(self) -> TaskQuerySet:
        return self.select_related("assignee", "issue", "carried_from", "link_type").prefetch_related("helpers")


class Task(models.Model):
    """A task given out at the morning meeting (晨会任务): one person's job for one day.

    Every change goes through :meth:`move` (status, assignee or both), which checks the
    transition map and the optimistic ``version`` under a row lock and writes one TaskEvent,
    and a FollowUp on the linked item, in the same transaction."""

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="tasks")
    title = models.CharField(_("task"), max_length=200)
    day = models.DateField(_("day"))
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="tasks",
        verbose_name=_("assignee"),
    )
    helpers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="helped_tasks", verbose_name=_("helpers")
    )
    status = models.CharField(_("status"), max_length=20, choices=TaskStatus.choices, default=TaskStatus.TODO)
    issue = models.ForeignKey(
        Issue, on_delete=models.SET_NULL, null=True, blank=True, related_name="tasks", verbose_name=_("item")
    )
    # A visit or an activity: those apps sit above issues in the layering, so a generic link.
    link_type = models.ForeignKey(ContentType, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    link_id = models.PositiveBigIntegerField(null=True, blank=True)
    link = GenericForeignKey("link_type", "link_id")
    carried_from = models.OneToOneField(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="carried_to", editable=False
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    # Reminders are data: the sweep claims tasks still unfinished at the end of their day.
    next_reminder_at = models.DateTimeField(null=True, blank=True, editable=False)
    done_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", editable=False
    )
    created_at = models.DateTimeField(_("created at"))

    objects = TaskQuerySet.as_manager()

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        ordering = ["day", "created_at", "id"]
        indexes = [
            models.Index(fields=["community", "day"], name="task_comm_day"),
            models.Index(
                fields=["next_reminder_at"], name="task_next_reminder", condition=Q(next_reminder_at__isnull=False)
            ),
            # The carry-over reads unfinished tasks of past days.
            models.Index(
                fields=["community", "day"],
                name="task_unfinished_day",
                condition=Q(status__in=["todo", "doing", "postponed"]),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_done(self) -> bool:
        return self.status == TaskStatus.DONE

    def allowed(self, target: str) -> bool:
        return target == self.status or target in TASK_TRANSITIONS[TaskStatus(self.status)]

    def move(
        self,
        *,
        by,
        now: datetime,
        status: str | None = None,
        assignee=False,
        version: int | None = None,
        note: str = "",
    ) -> TaskEvent | None:
        """Change the status, the assignee or both: what drag, keyboard and buttons all call.

        ``version`` is the one the board showed: if the task changed since, StaleTask is
        raised and nothing is written, so two people moving it at once end in one state,
        recorded once. ``assignee=False`` leaves the assignee; None unassigns. Returns None
        when nothing changes."""
        with transaction.atomic():
            fresh = Task.objects.select_for_update().get(pk=self.pk)
            self.__dict__.update({k: v for k, v in fresh.__dict__.items() if not k.startswith("_")})
            self._state.fields_cache = {}
            if version is not None and fresh.version != version:
                raise StaleTask
            target = status or self.status
            if not self.allowed(target):
                raise TransitionError(
                    _("A task that is “%(from)s” cannot become “%(to)s”.")
                    % {"from": self.get_status_display(), "to": TaskStatus(target).label}
                )
            new_assignee_id = self.assignee_id if assignee is False else (assignee.pk if assignee else None)
            if target == self.status and new_assignee_id == self.assignee_id and not note:
                return None
            event = TaskEvent(
                task=self,
                by=by,
                at=now,
                note=note,
                from_status=self.status,
                to_status=target,
                from_assignee_id=self.assignee_id,
                to_assignee_id=new_assignee_id,
            )
            self.status = target
            self.assignee_id = new_assignee_id
            self.done_at = now if target == TaskStatus.DONE else None
            self.next_reminder_at = None if target == TaskStatus.DONE else self.reminder_due()
            self.version += 1
            self.save(update_fields=["status", "assignee", "done_at", "next_reminder_at", "version"])
            event.version = self.version
            event.save()
            if self.issue_id and event.from_status != event.to_status:
                FollowUp.objects.create(
                    issue_id=self.issue_id,
                    kind=FollowUpKind.NOTE,
                    author=by,
                    created_at=now,
                    note=_("Morning meeting task “%(title)s”: %(status)s")
                    % {"title": self.title, "status": TaskStatus(target).label},
                )
            return event

    move.alters_data = True

    def reminder_due(self) -> datetime:
        return task_day_end(self.day)


class TaskEvent(models.Model):
    """One change of a task, on the record: who moved it where, when. One row per version."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="events")
    version = models.PositiveIntegerField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    at = models.DateTimeField(_("time"))
    from_status = models.CharField(max_length=20, choices=TaskStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=TaskStatus.choices, blank=True)
    from_assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    to_assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("task change")
        verbose_name_plural = _("task changes")
        ordering = ["task", "version"]
        constraints = [models.UniqueConstraint(fields=["task", "version"], name="task_event_once_per_version")]

    def __str__(self) -> str:
        return f"{self.task} v{self.version}"


class BoardToken(models.Model):
    """A read-only link to a community's board for the meeting-room screen, without a login.

    Only a hash of the secret is stored; the link is shown once, when it is made. Revoked
    links stay on the list so the secretary sees what was handed out."""

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="board_tokens")
    label = models.CharField(_("where it is used"), max_length=50)
    secret_hash = models.CharField(max_length=64, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", editable=False
    )
    created_at = models.DateTimeField(_("created at"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    objects = CommunityQuerySet.as_manager()

    class Meta:
        verbose_name = _("board link")
        verbose_name_plural = _("board links")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.label

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    @staticmethod
    def hash_secret(secret: str) -> str:
        import hashlib

        return hashlib.sha256(secret.encode()).hexdigest()

    @classmethod
    def issue(cls, *, community: Community, label: str, by, now: datetime) -> tuple[BoardToken, str]:
        """Make a new link; returns the row and the token (``<id>.<secret>``), shown once."""
        import secrets

        secret = secrets.token_urlsafe(24)
        row = cls.objects.create(
            community=community, label=label, secret_hash=cls.hash_secret(secret), created_by=by, created_at=now
        )
        return row, f"{row.pk}.{secret}"

    @classmethod
    def resolve(cls, token: str) -> BoardToken | None:
        """The active row for ``token``, or None: forged, malformed and revoked alike."""
        import hmac

        ident, _dot, secret = (token or "").partition(".")
        if not ident.isdigit() or not secret:
            return None
        row = cls.objects.select_related("community").filter(pk=int(ident), revoked_at__isnull=True).first()
        # Constant-time comparison, so the response time does not leak how much of it matched.
        if row is None or not hmac.compare_digest(row.secret_hash, cls.hash_secret(secret)):
            return None
        return row

    def revoke(self, *, now: datetime) -> None:
        """The link stops working at once (the next refresh of the screen is a 404)."""
        BoardToken.objects.filter(pk=self.pk, revoked_at__isnull=True).update(revoked_at=now)
        self.refresh_from_db(fields=["revoked_at"])

    revoke.alters_data = True


# 巡查 (patrol) models live in their own module; imported here so Django registers them.
from issues.patrol import Patrol, PatrolCheck, PatrolStop  # noqa: E402, F401
