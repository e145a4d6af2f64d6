"""Writes that span models in the activities app: sign-up, sign-in, volunteers, photos, drafts."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from django.contrib.admin.models import DELETION, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.db.models import Model, QuerySet
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from activities.hours import MAX_HOURS, format_hours
from activities.models import (
    Activity,
    ActivityPhoto,
    ActivitySettings,
    CheckInClosed,
    Commendation,
    Notice,
    NoticeTopic,
    ParticipantRole,
    Participation,
    round_hours,
)
from issues.models.task import Task
from issues.photos import cleaned
from residents.masking import mask_numbers_in_text
from residents.models.community import Community
from residents.models.resident import Resident
from residents.selectors import display_name, search_residents

if TYPE_CHECKING:
    from django.contrib.auth.models import User


class OverCapacity(Exception):
    """Every place is taken; only the organiser may sign up more people."""

    def __init__(self, activity: Activity, signed_up: int):
        super().__init__(activity.title)
        self.activity = activity
        self.signed_up = signed_up


def _locked_activity(activity: Activity) -> Activity:
    # Two desks signing up the last place at once: the activity row is the lock.
    return Activity.objects.select_for_update().get(pk=activity.pk)


def _participation_for(activity: Activity, *, resident: Resident | None, name: str) -> Participation | None:
    rows = Participation.objects.select_related("resident").filter(activity=activity)
    if resident is not None:
        return rows.filter(resident=resident).first()
    return rows.filter(resident__isnull=True, name=name).first()


def sign_up(
    activity: Activity, *, resident: Resident, by: User | None, now: datetime, allow_over_capacity: bool = False
) -> Participation:
    """Put a resident on the list. A full activity raises OverCapacity unless the organiser
    has seen the warning and allows it; signing up twice keeps the first sign-up."""
    with transaction.atomic():
        locked = _locked_activity(activity)
        participation = _participation_for(activity, resident=resident, name=resident.name)
        if participation and participation.signed_up_at:
            return participation
        signed_up = locked.participations.filter(signed_up_at__isnull=False).count()
        if locked.is_full(signed_up) and not allow_over_capacity:
            raise OverCapacity(locked, signed_up)
        if participation is None:
            participation = Participation(activity=activity, resident=resident, name=resident.name)
        participation.signed_up_at = now
        participation.recorded_by = by
        participation.save()
        return participation


def check_in(
    activity: Activity, *, by: User | None, now: datetime, resident: Resident | None = None, name: str = ""
) -> Participation:
    """Sign a person in: a resident found by the search, or a walk-in by name.

    Raises activities.models.AlreadyCheckedIn when the same person signs in a second time and
    CheckInClosed outside the sign-in hours (from two hours before the start to the end of the day)."""
    if not activity.is_check_in_open(now):
        raise CheckInClosed(activity.title)
    name = resident.name if resident is not None else " ".join(name.split())
    with transaction.atomic():
        _locked_activity(activity)
        participation = _participation_for(activity, resident=resident, name=name)
        if participation is None:
            try:
                with transaction.atomic():
                    return Participation.objects.create(
                        activity=activity, resident=resident, name=name, checked_in_at=now, recorded_by=by
                    )
            except IntegrityError:
                participation = _participation_for(activity, resident=resident, name=name)
        participation.check_in(by=by, now=now)
        return participation


def default_hours(activity: Activity) -> Decimal:
    """A volunteer's hours when none are typed: the activity's length, rounded by the rule, and
    a day's at most, as typed hours are (an activity over several days is not served day and night)."""
    rule = ActivitySettings.for_community(activity.community).hours_rounding
    return round_hours(min(activity.duration_hours, MAX_HOURS), rule)


def record_volunteer(
    activity: Activity,
    *,
    by: User | None,
    now: datetime,
    resident: Resident | None = None,
    name: str = "",
    volunteer_role: str = "",
    hours: Decimal | None = None,
) -> Participation:
    """Record (or update) a volunteer with their task and hours, rounded by the community's rule;
    an empty task keeps the one recorded before.

    Once sign-in has opened a volunteer who serves is present: signed in now, or, recorded after
    the day from the paper list, from the start. Recorded earlier they are only planned: not
    present and their hours not counted (models.SERVED) until they sign in at the desk or are
    recorded again once the activity is on."""
    name = resident.name if resident is not None else " ".join(name.split())
    rule = ActivitySettings.for_community(activity.community).hours_rounding
    hours = round_hours(hours if hours is not None else min(activity.duration_hours, MAX_HOURS), rule)
    with transaction.atomic():
        _locked_activity(activity)
        participation = _participation_for(activity, resident=resident, name=name) or Participation(
            activity=activity, resident=resident, name=name
        )
        participation.role = ParticipantRole.VOLUNTEER
        # Re-recorded hours with the 岗位 left empty keep the one recorded before.
        participation.volunteer_role = volunteer_role or participation.volunteer_role
        participation.hours = hours
        if participation.checked_in_at is None and now >= activity.check_in_opens_at:
            participation.checked_in_at = now if activity.is_check_in_open(now) else activity.starts_at
        participation.recorded_by = by
        participation.save()
        return participation


@transaction.atomic
def add_photos(activity: Activity, *, by: User, photos: list, caption: str = "") -> list[ActivityPhoto]:
    """Save photos, re-encoded with their thumbnails (issues.photos), as the activity's evidence."""
    photos = [cleaned(photo) for photo in photos]
    return [
        ActivityPhoto.objects.create(
            activity=activity,
            file=photo,
            thumbnail=photo.thumbnail,
            caption=caption,
            content_type=photo.content_type,
            size=photo.size,
            uploaded_by=by,
        )
        for photo in photos
    ]


# --- deleting ------------------------------------------------------------------------


def deleted_with_activity(participations: list[Participation], photos: int) -> str:
    """What goes when an activity is deleted, as its confirmation and the history say it
    (12 sign-ins, 3 volunteers with 4.5 hours, 2 photos); "" when nothing does."""
    served = [p for p in participations if p.role == ParticipantRole.VOLUNTEER and p.checked_in_at]
    present = sum(1 for p in participations if p.checked_in_at)
    signed_up = sum(1 for p in participations if p.signed_up_at and not p.checked_in_at)
    hours = sum((p.hours or Decimal(0) for p in served), Decimal(0))
    parts = []
    if present:
        parts.append(ngettext("%(n)s sign-in", "%(n)s sign-ins", present) % {"n": present})
    if signed_up:
        parts.append(ngettext("%(n)s sign-up", "%(n)s sign-ups", signed_up) % {"n": signed_up})
    if served:
        parts.append(
            ngettext("%(n)s volunteer with %(hours)s hours", "%(n)s volunteers with %(hours)s hours", len(served))
            % {"n": len(served), "hours": format_hours(hours)}
        )
    if photos:
        parts.append(ngettext("%(n)s photo", "%(n)s photos", photos) % {"n": photos})
    return pgettext("list separator", ", ").join(parts)


def _stored_files(record: Model) -> list:
    if isinstance(record, Activity):
        return [file for photo in record.photos.all() for file in (photo.file, photo.thumbnail)]
    if isinstance(record, ActivityPhoto):
        return [record.file, record.thumbnail]
    if isinstance(record, Commendation):
        return [record.photo, record.photo_thumbnail]
    return []


def delete_record(record: Model, *, by: User, note: str) -> None:
    """Delete an activity, a volunteer, a photo, a commendation or a notice with what goes with
    it, and write the deletion into the admin's history (who, which record, when, and ``note``:
    what went with it), where the project keeps deletions; numbers in the record's name are
    masked there as anywhere. Its photos' files are removed once the deletion is committed, so a
    deletion rolled back keeps them."""
    files = [(file.storage, file.name) for file in _stored_files(record) if file]
    content_type_id = ContentType.objects.get_for_model(record).pk
    with transaction.atomic():
        LogEntry.objects.create(
            user_id=by.pk,
            content_type_id=content_type_id,
            object_id=str(record.pk),
            object_repr=mask_numbers_in_text(str(record))[:200],
            action_flag=DELETION,
            change_message=note,
        )
        # A 晨会 task linked to it (a generic link: no foreign key to clear it) keeps its own
        # title and loses the link, which would lead nowhere.
        Task.objects.filter(link_type_id=content_type_id, link_id=record.pk).update(link_type=None, link_id=None)
        record.delete()
        transaction.on_commit(lambda: [storage.delete(name) for storage, name in files])


# --- finding people at the desk -----------------------------------------------------


def find_residents(community: Community, query: str, *, limit: int = 20) -> QuerySet[Resident]:
    """Residents living here whom the desk's search finds (the rule of every search box)."""
    if not (query or "").strip():
        return Resident.objects.none()
    residents = Resident.objects.in_community(community).active().select_related("room__unit__building")
    return search_residents(residents, query).order_by("name", "id")[:limit]


#: Suggestions for a 锦旗's giver start at two characters (a surname alone matches half the roll)
#: and stop at eight: more means typing on, not scrolling.
GIVER_MIN_CHARS = 2
GIVER_SUGGESTIONS = 8


def giver_suggestions(community: Community, typed: str, *, chosen: Resident | None = None) -> list[Resident]:
    """Living residents of the community whom the desk's search finds for ``typed`` (name,
    pinyin initials or room), the chosen giver first even when the search no longer finds them."""
    # A NUL byte (pasted or tampered) is refused by PostgreSQL; it is never part of a name.
    typed = typed.replace("\x00", "").strip()
    found = list(find_residents(community, typed, limit=GIVER_SUGGESTIONS)) if len(typed) >= GIVER_MIN_CHARS else []
    if chosen is None:
        return found
    return [chosen, *(r for r in found if r.pk != chosen.pk)][:GIVER_SUGGESTIONS]


def residents_named(community: Community, name: str) -> QuerySet[Resident]:
    """Residents living here whose name is exactly ``name``: a walk-in typed with it may be one of
    them, who would be counted twice if also signed in from the search."""
    residents = Resident.objects.in_community(community).active().select_related("room__unit__building")
    return residents.filter(name=name).order_by("id")


# --- the 活动简报 ---------------------------------------------------------------------------


def draft_briefing(activity: Activity, *, community_name: str) -> str:
    """A first draft of the 活动简报 from the record, for staff to edit and copy.

    Names of residents never appear: only counts, the organiser and partner organisations."""
    participations = list(activity.participations.all())
    present = [p for p in participations if p.checked_in_at]
    volunteers = [p for p in present if p.role == ParticipantRole.VOLUNTEER]
    hours = sum((p.hours or Decimal(0) for p in volunteers), Decimal(0))
    start = timezone.localtime(activity.starts_at)
    opening = [
        _("On %(date)s, %(community)s held the activity “%(title)s” (%(platform)s) at %(venue)s.")
        % {
            "date": date_format(start, "DATETIME_FORMAT" if start.hour or start.minute else "DATE_FORMAT"),
            "community": community_name,
            "title": activity.title,
            "platform": activity.get_platform_display(),
            "venue": activity.venue,
        }
    ]
    partners = "、".join(p.name for p in activity.partners.all())
    if partners:
        opening.append(_("It was held together with %(partners)s.") % {"partners": partners})
    participants = [p for p in present if p.role == ParticipantRole.PARTICIPANT]
    figures = [_("%(count)s residents took part.") % {"count": len(participants)}]
    if volunteers:
        figures.append(
            _("%(count)s volunteers served, %(hours)s hours in all.")
            % {"count": len(volunteers), "hours": format_hours(hours)}
        )
    if activity.organiser:
        figures.append(_("Organiser: %(name)s.") % {"name": display_name(activity.organiser)})
    # Sentences run on within a paragraph, as a Chinese 简报 is written; the description is its own paragraph.
    separator = "" if (translation.get_language() or "").startswith("zh") else " "
    paragraphs = [separator.join(opening), activity.description.strip(), separator.join(figures)]
    return "\n\n".join(p for p in paragraphs if p)


# --- notices --------------------------------------------------------------------------------

DEFAULT_NOTICE_TEMPLATES = [
    (
        NoticeTopic.SEASON,
        "流感季节温馨提醒",
        "【温馨提醒】各位居民朋友：近期气温变化大，正值流感高发季节。请大家注意保暖，勤洗手、常通风，"
        "到人员密集场所请佩戴口罩；家中老人和孩子如有发热、咳嗽等症状，请及时就医。"
        "符合条件的居民可到社区卫生服务站接种流感疫苗。——{office}",
    ),
    (
        NoticeTopic.FIRE,
        "冬季消防安全提醒",
        "【温馨提醒】冬季天干物燥，是火灾高发期。请大家：不在楼道堆放杂物，保持消防通道畅通；"
        "电动自行车请到车棚充电，严禁飞线充电、入户充电；使用取暖设备时人走断电；"
        "燃气用完及时关闭阀门。发现火情请立即拨打119。——{office}",
    ),
    (
        NoticeTopic.UTILITIES,
        "停水通知",
        "【停水通知】因管线维修，X月X日（周X）X:00至X:00，X号楼、X号楼将暂停供水。"
        "请各位居民提前做好储水准备，用水时注意关好水龙头，以免来水时跑水。给您带来不便，敬请谅解。"
        "——{office}",
    ),
    (
        NoticeTopic.EVENT,
        "活动招募",
        "【活动招募】社区将于X月X日X:00在新时代文明实践站举办“XXXX”活动，欢迎居民朋友踊跃参加！"
        "名额有限，请到社区居委会或在群内接龙报名。——{office}",
    ),
]


def ensure_notice_templates(community: Community) -> None:
    """A community's notice library starts with a few templates; later edits are kept."""
    if Notice.objects.in_community(community).templates().exists():
        return
    Notice.objects.bulk_create(
        Notice(
            community=community,
            topic=topic,
            title=title,
            text=text.format(office=f"{community.name}社区居委会"),
            is_template=True,
        )
        for topic, title, text in DEFAULT_NOTICE_TEMPLATES
    )
