"""巡查: the walk round the community on a phone.

A community keeps a route (ordered ``PatrolStop`` rows). A ``Patrol`` is one walk by one
person; every tap on an open item is a ``PatrolCheck`` that also writes the item's timeline,
and a problem found on the way is logged as an item with channel 巡查. A tap carries a
UUID made in the browser, unique here, so a tap re-sent after a dropped connection is
recorded once."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models, transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from issues.models.choices import IssueStatus
from issues.models.issue import Issue
from issues.models.timeline import FollowUp
from residents.models.community import Community, CommunityQuerySet
from residents.models.labels import ChoiceLabels
from residents.models.place import Building, Zone

if TYPE_CHECKING:
    from django.contrib.auth.models import User


class ChecklistItem(models.TextChoices):
    FIRE_LANE = "fire_lane", _("Fire lanes")
    STAIRWELL = "stairwell", _("Things stored in stairwells")
    EBIKE = "ebike", _("E-bike charging by trailing cable")
    SANITATION = "sanitation", _("Environment and sanitation")
    GREENERY = "greenery", _("Greenery")
    FACILITIES = "facilities", _("Damaged facilities")
    ADVERTS = "adverts", _("Small adverts")
    MANHOLES = "manholes", _("Manhole covers")


#: Words in an item's category or text that put a tap on it under a checklist row: the end
#: page starts from what the walk recorded instead of 未查 everywhere. Not 卫生 alone: a
#: 卫生间 leak is no 环境卫生 problem.
CHECKLIST_WORDS = {
    ChecklistItem.FIRE_LANE: ("消防通道", "消防车道", "生命通道"),
    ChecklistItem.STAIRWELL: ("楼道", "楼梯间"),
    ChecklistItem.EBIKE: ("电动车充电", "飞线", "充电"),
    ChecklistItem.SANITATION: ("环境卫生", "垃圾", "异味", "污水"),
    ChecklistItem.GREENERY: ("绿化", "树", "草坪", "花坛", "杂草"),
    ChecklistItem.FACILITIES: ("设施损坏", "损坏", "坏了", "破损", "路灯"),
    ChecklistItem.ADVERTS: ("小广告", "广告", "涂鸦"),
    ChecklistItem.MANHOLES: ("井盖",),
}


class ChecklistResult(models.TextChoices):
    OK = "ok", _("Fine")
    PROBLEM = "problem", _("Problem")
    NOT_CHECKED = "", _("Not checked")


class PatrolStop(models.Model):
    """One stop of a community's patrol route: a zone, a building or a shared place by name
    (街坊路, 电动车棚, 消防通道). Open items are shown at the first stop that covers them."""

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="patrol_stops")
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    zone = models.ForeignKey(Zone, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    building = models.ForeignKey(Building, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    name = models.CharField(_("place"), max_length=50, blank=True)

    objects = CommunityQuerySet.as_manager()

    class Meta:
        verbose_name = _("patrol stop")
        verbose_name_plural = _("patrol stops")
        ordering = ["community", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(zone__isnull=False, building__isnull=True, name="")
                    | Q(zone__isnull=True, building__isnull=False, name="")
                    | (Q(zone__isnull=True, building__isnull=True) & ~Q(name=""))
                ),
                name="patrol_stop_one_place",
            )
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        if self.building_id:
            return str(self.building)
        if self.zone_id:
            return str(self.zone)
        return self.name

    def covers(self, issue: Issue) -> bool:
        building = issue.room.unit.building if issue.room_id else issue.building
        if self.building_id:
            return building is not None and building.pk == self.building_id
        if self.zone_id:
            return building is not None and building.zone_id == self.zone_id
        return self.name in issue.place_text or self.name in issue.text

    @classmethod
    def move(cls, stop: PatrolStop, *, up: bool) -> None:
        """Swap a stop with its neighbour; positions are renumbered 0..n-1 on the way."""
        with transaction.atomic():
            stops = list(
                cls.objects.select_for_update().filter(community_id=stop.community_id).order_by("position", "id")
            )
            i = next(n for n, s in enumerate(stops) if s.pk == stop.pk)
            j = i - 1 if up else i + 1
            if 0 <= j < len(stops):
                stops[i], stops[j] = stops[j], stops[i]
            for n, s in enumerate(stops):
                if s.position != n:
                    s.position = n
                    s.save(update_fields=["position"])

    move.alters_data = True


class PatrolQuerySet(CommunityQuerySet):
    def ongoing(self) -> PatrolQuerySet:
        return self.filter(ended_at__isnull=True)

    def ended_since(self, since: datetime) -> PatrolQuerySet:
        return self.filter(ended_at__gte=since)


class Patrol(models.Model):
    """One walk round the community by one person, with its checklist and, once ended, its
    summary: the counts are kept on the row so the record and the board never recount."""

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="patrols")
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="patrols", verbose_name=_("by")
    )
    started_at = models.DateTimeField(_("started"))
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    places = models.JSONField(_("places covered"), default=list, blank=True)
    checklist = models.JSONField(_("checklist"), default=dict, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    checked_count = models.PositiveIntegerField(_("items checked"), default=0)
    solved_count = models.PositiveIntegerField(_("solved"), default=0)
    worse_count = models.PositiveIntegerField(_("worse"), default=0)
    new_count = models.PositiveIntegerField(_("new items"), default=0)
    photo_count = models.PositiveIntegerField(_("photos"), default=0)

    objects = PatrolQuerySet.as_manager()

    class Meta:
        verbose_name = _("patrol")
        verbose_name_plural = _("patrols")
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["community", "ended_at"], name="patrol_community_ended")]

    def __str__(self) -> str:
        return f"{self.staff} {self.started_at:%Y-%m-%d %H:%M}"

    @property
    def is_ongoing(self) -> bool:
        return self.ended_at is None

    def checklist_rows(self) -> list[tuple[str, str, str]]:
        """(key, label, result) for every checklist item, in the fixed order."""
        return [(item.value, item.label, self.checklist.get(item.value, "")) for item in ChecklistItem]

    def recorded_checklist(self) -> dict[str, str]:
        """The checklist as the walk's taps already tell it: a row with a problem still there
        (还在, 更严重, a new or repeated one) is 有问题, a row whose items were all 已解决 is
        正常; rows no tap speaks of stay 未查."""
        checklist: dict[str, str] = {}
        for check in self.checks.select_related("issue__category"):
            issue = check.issue
            words = f"{issue.category.name if issue.category_id else ''} {issue.text}"
            for item, item_words in CHECKLIST_WORDS.items():
                if any(word in words for word in item_words):
                    solved = check.outcome == Outcome.SOLVED and checklist.get(item) != ChecklistResult.PROBLEM
                    checklist[item] = ChecklistResult.OK if solved else ChecklistResult.PROBLEM
        return checklist

    def end(self, *, by: User, now: datetime, places: list[str], checklist: dict[str, str], summary: str = "") -> None:
        """End the walk: keep the places, the checklist and the counts on the record."""
        with transaction.atomic():
            locked = type(self).objects.select_for_update().get(pk=self.pk)
            if locked.ended_at is not None:
                return
            checks = self.checks.all()
            self.ended_at = now
            self.places = places
            self.checklist = {k: v for k, v in checklist.items() if k in ChecklistItem.values and v}
            self.summary = summary
            self.checked_count = checks.filter(outcome__in=CHECK_OUTCOMES).count()
            # 已解决 only when the tap closed the item: on a 12345 item awaiting its case's reply it
            # is a note (record_check), and the record says so apart (Patrol.awaiting_reply).
            self.solved_count = checks.filter(outcome=Outcome.SOLVED, followup__to_status=IssueStatus.RESOLVED).count()
            self.worse_count = checks.filter(outcome=Outcome.WORSE).count()
            self.new_count = checks.filter(outcome=Outcome.NEW).count()
            self.photo_count = checks.aggregate(n=models.Sum("photos"))["n"] or 0
            self.save()

    end.alters_data = True


class Outcome(models.TextChoices):
    STILL = "still", _("Still there")
    SOLVED = "solved", _("Solved")
    WORSE = "worse", _("Worse")
    NEW = "new", _("New problem")
    REPEAT = "repeat", _("Reported again")


#: The taps on an item already in the log (new and repeat come from the new-problem form).
CHECK_OUTCOMES = frozenset({Outcome.STILL, Outcome.SOLVED, Outcome.WORSE})

FOLLOWUP_NOTES = {
    Outcome.STILL: _("Patrol check: still not solved"),
    Outcome.SOLVED: _("Patrol check: solved"),
    Outcome.WORSE: _("Patrol check: worse, to escalate"),
}


class PatrolCheck(ChoiceLabels, models.Model):
    """One tap on the walk: an open item confirmed still there, solved or worse, or a new
    problem logged (or added as a repeat). ``client_id`` is made in the browser per tap."""

    patrol = models.ForeignKey(Patrol, on_delete=models.CASCADE, related_name="checks")
    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="patrol_checks")
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices)
    note = models.TextField(_("note"), blank=True)
    photos = models.PositiveSmallIntegerField(_("photos"), default=0)
    followup = models.ForeignKey(FollowUp, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(_("time"))
    client_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    #: This tap (更严重) is what raised the item's escalation flag: taken back, it lowers it again.
    raised_flag = models.BooleanField(default=False, editable=False)

    class Meta:
        verbose_name = _("patrol check")
        verbose_name_plural = _("patrol checks")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.issue.code} {self.get_outcome_display()}"

    @property
    def awaits_reply(self) -> bool:
        """A 已解决 that did not close its item: a 12345 item is closed only by its case's 答复,
        so the tap was kept as a note for the reply to cite (record_check)."""
        return (
            self.outcome == Outcome.SOLVED
            and self.followup_id is not None
            and self.followup.to_status != IssueStatus.RESOLVED
        )
