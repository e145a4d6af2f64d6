"""Writes of the 民情日记 that span models: logging an item, repeat reports, follow-ups."""

from __future__ import annotations

import copy
from datetime import datetime
from typing import TYPE_CHECKING

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from issues.models.category import IssueCategory
from issues.models.choices import ATTEMPT_KINDS, FollowUpKind, HandlingMethod, IssueChannel, IssueStatus, default_due
from issues.models.issue import Issue
from issues.models.locking import lock_and_refresh
from issues.models.task import UNFINISHED_TASK_STATES, Task, TaskEvent, TaskStatus
from issues.models.timeline import Attachment, FollowUp
from issues.photos import cleaned
from issues.similar import Match, Probe, similar_open_items
from residents.models.community import Community
from residents.models.place import Building, Room
from residents.models.resident import Resident
from residents.places import Place
from residents.selectors import display_name

if TYPE_CHECKING:
    from django.contrib.auth.models import User

#: The standard categories, after the 12345 hotline's classification of 民生 complaints, with the
#: words residents use for each (a tie goes to the earlier, so the catch-all 设施损坏 comes late).
#: Names communities already have are kept as they are (养犬 is 12345's 文明养犬, 噪音 its 噪音扰民);
#: ``ensure_default_categories`` adds the missing ones and never changes a community's own.
DEFAULT_CATEGORIES = [
    ("养犬", "狗,犬,遛狗,拴绳,牵绳,狗屎,狗粪,犬吠,狗叫,咬人,犬证,宠物,养猫"),
    ("消防安全", "消防,灭火,着火,起火,烟,消防通道,堆物,楼道堆放,堆了,杂物,纸箱,易燃,灭火器"),
    ("电动车充电", "电动车,充电,飞线,电瓶,充电桩,车棚,电动自行车"),
    ("物业管理", "物业,保安,门禁,物业费,保洁,门卫"),
    ("环境卫生", "垃圾,不卫生,卫生差,清扫,打扫,异味,臭,老鼠,蟑螂,污水,没人清,脏"),
    ("绿化", "树,绿化,草坪,修剪,树枝,枯枝,花坛,杂草"),
    ("停车", "停车,车位,占道,僵尸车,乱停,挡路,地锁"),
    ("噪音", "噪音,噪声,吵,广场舞,音响,喇叭,扰民"),
    ("漏水", "漏水,渗水,水管,返水,滴水,跑水,屋顶漏,发霉,漏,天花板"),
    ("邻里纠纷", "邻居,纠纷,吵架,矛盾"),
    ("电梯", "电梯,困人,停运"),
    ("供暖", "暖气,供暖,不热,采暖,暖气片,室温"),
    ("供水", "停水,没水,水压,水小,自来水,水质,水发黄,水浑,二次供水"),
    ("供电", "停电,没电,跳闸,电表,电压,断电"),
    ("燃气", "燃气,煤气,天然气,漏气,燃气表"),
    # A full bin is a matter of keeping the place clean (环境卫生, by 垃圾), not of sorting waste.
    ("垃圾分类", "垃圾分类,分类,厨余,厨余垃圾,可回收,有害垃圾,桶站,大件垃圾"),
    ("施工扰民", "装修,施工,电钻,砸墙,工地,渣土"),
    ("治安", "小偷,被偷,被盗,偷车,撬锁,可疑,陌生人,撬,诈骗,打架,监控"),
    ("小广告", "小广告,广告,贴条,涂鸦,传单"),
    ("违建", "违建,私搭乱建,搭建,违章,圈地,封阳台"),
    ("为老服务", "独居,助餐,养老,助浴,高龄,失能,陪诊,老年卡,老人"),
    ("社保民政", "社保,低保,医保,养老金,救助,补贴,残疾,民政,退休,失业"),
    ("医疗卫生", "疫苗,接种,看病,医院,卫生服务站,体检,流感"),
    ("证件办理", "居住证,户口,身份证,开证明,办证"),
    ("设施损坏", "坏了,损坏,路灯,井盖,破损,不亮,松动,灯,扶手,台阶,健身器材,座椅,外墙,瓷砖,墙皮,脱落"),
    ("其他", ""),
]


def ensure_default_categories(community: Community) -> list[IssueCategory]:
    """Add the standard categories a community does not have yet (by name), after its own, and
    return all its categories. A community's own categories, keywords and order are never
    changed; one it does not want is switched off (inactive), so it is not added again."""
    have = list(IssueCategory.objects.in_community(community))
    names = {category.name for category in have}
    missing = [(name, keywords) for name, keywords in DEFAULT_CATEGORIES if name not in names]
    if not missing:
        return have
    start = max((category.sort_order for category in have), default=-1) + 1
    IssueCategory.objects.bulk_create(
        [
            IssueCategory(community=community, name=name, keywords=keywords, sort_order=start + i)
            for i, (name, keywords) in enumerate(missing)
        ],
        ignore_conflicts=True,
    )
    return list(IssueCategory.objects.in_community(community))


def suggest_category(community: Community, text: str) -> IssueCategory | None:
    """The active category whose keywords cover most of the text (longer words weigh more)."""
    return best_category(IssueCategory.objects.in_community(community).filter(is_active=True), text)


def best_category(categories, text: str, *, keywords: list[list[str]] | None = None) -> IssueCategory | None:
    """The rule of suggest_category over categories already read (a WeChat batch reads them once);
    ``keywords``: each category's keyword_list(), when the caller took them once for many texts."""
    best, best_hits = None, 0
    if keywords is None:
        keywords = [category.keyword_list() for category in categories]
    for category, words in zip(categories, keywords, strict=True):
        hits = sum(text.count(word) * len(word) for word in words)
        if hits > best_hits:
            best, best_hits = category, hits
    return best


def find_similar(
    community: Community,
    *,
    text: str,
    room: Room | None = None,
    building: Building | None = None,
    category: IssueCategory | None = None,
    place_text: str = "",
    exclude: Issue | None = None,
    limit: int = 5,
) -> list[Issue]:
    """Open items that look like the same problem: same place and category, or similar text,
    never in another building; best first (issues.similar: one SQL
    statement, then the found items with their list data). ``place_text`` is the place as written
    (北区车棚), a place of its own where no building is known. Each item carries why:
    ``similarity`` (the share of shared character pairs, 0–1) and ``same_place`` (place and
    category in common)."""
    probe = Probe(
        text=text,
        room_id=room.pk if room else None,
        building_id=building.pk if building else None,
        category_id=category.pk if category else None,
        exclude_id=exclude.pk if exclude else None,
        place_text=place_text,
    )
    (matches,) = similar_open_items(community, [probe], limit=limit)
    return similar_items(matches)


def similar_items(matches: list[Match], loaded: dict[int, Issue] | None = None) -> list[Issue]:
    """The matched items, read with their list data (unless already ``loaded``), with their reason."""
    if loaded is None:
        loaded = Issue.objects.with_list_data().in_bulk([match.issue_id for match in matches])
    found = []
    for match in matches:
        if match.issue_id not in loaded:  # deleted in between
            continue
        issue = copy.copy(loaded[match.issue_id])
        issue.similarity, issue.same_place = match.score, match.same_place
        found.append(issue)
    return found


def next_code(community: Community, received_at: datetime) -> str:
    """MQ + date + running number of the day within the community: MQ20261129-003."""
    prefix = f"MQ{timezone.localtime(received_at):%Y%m%d}-"
    last = (
        Issue.objects.in_community(community)
        .filter(code__startswith=prefix)
        .order_by("-code")
        .values_list("code", flat=True)
        .first()
    )
    number = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{prefix}{number:03d}"


def log_issue(
    *,
    community: Community,
    by: User,
    now: datetime,
    text: str,
    channel: str = IssueChannel.WECHAT,
    received_at: datetime | None = None,
    sender: str = "",
    reporter: Resident | None = None,
    reporter_name: str = "",
    place: Place | None = None,
    category: IssueCategory | None = None,
    urgency: str = "normal",
    owner=None,
    settle: dict | None = None,
    source_key: str = "",
) -> Issue:
    """Write a new item of the 民情日记, as 待核实, or settled at once when ``settle`` gives
    the handling method (and partner, contact, due date). An item already logged under
    ``source_key`` (a quick entry posted twice) is returned instead of a second one."""
    place = place or Place()
    received_at = received_at or now
    for attempt in range(5):
        try:
            with transaction.atomic():
                issue = Issue(
                    community=community,
                    code=next_code(community, received_at),
                    received_at=received_at,
                    channel=channel,
                    text=text,
                    sender=sender,
                    reporter=reporter,
                    reporter_name=reporter_name if reporter is None else reporter.name,
                    room=place.room,
                    building=place.building,
                    place_text=place.text,
                    category=category,
                    urgency=urgency,
                    due_at=default_due(received_at, urgency),
                    owner=owner or by,
                    created_by=by,
                    source_key=source_key,
                )
                issue.save()
                issue.add_entry(
                    kind=FollowUpKind.REPORT,
                    by=by,
                    now=now,
                    note=_("Logged"),
                    channel=channel,
                    sender=sender,
                    received_at=received_at,
                    to_status=IssueStatus.PENDING,
                )
                if settle:
                    issue.settle(by=by, now=now, **settle)
                return issue
        except IntegrityError:
            # The unique source key lost a race: the other request saved this very entry.
            already = source_key and Issue.objects.in_community(community).filter(source_key=source_key).first()
            if already:
                return already
            # Two people logged an item in the same second and took the same number: retry.
            if attempt == 4:
                raise
    raise AssertionError("unreachable")


def add_report(
    issue: Issue,
    *,
    by: User,
    now: datetime,
    text: str,
    channel: str,
    sender: str = "",
    received_at: datetime | None = None,
    threshold: int = 3,
) -> FollowUp:
    """Another resident (or the same one again) reports an open item: count it, keep the
    report on the timeline with its own source and time, and flag the item for escalation
    at the threshold or when someone has already tried and it came back."""
    with transaction.atomic():
        lock_and_refresh(issue)
        tried = issue.followups.filter(kind__in=ATTEMPT_KINDS).exists()
        issue.report_count = F("report_count") + 1
        issue.version = F("version") + 1
        issue.save(update_fields=["report_count", "version", "updated_at"])
        issue.refresh_from_db(fields=["report_count", "version"])
        if (issue.report_count >= threshold or tried) and not issue.escalated:
            issue.escalated = True
            issue.save(update_fields=["escalated"])
        return issue.add_entry(
            kind=FollowUpKind.REPORT,
            by=by,
            now=now,
            note=text,
            channel=channel,
            sender=sender,
            received_at=received_at or now,
        )


def add_followup(
    issue: Issue,
    *,
    by: User,
    now: datetime,
    kind: str,
    note: str = "",
    partner=None,
    partner_contact=None,
    promised_at: datetime | None = None,
    photos: list[UploadedFile] = (),
) -> FollowUp:
    """A note, call, visit or joint visit on the timeline, with optional photos.
    A partner promise on an open item also puts the item in 等待对接方."""
    with transaction.atomic():
        if kind == FollowUpKind.PROMISE and issue.allowed(IssueStatus.WAITING):
            followup = issue.wait_for_partner(
                by=by,
                now=now,
                partner=partner or issue.partner,
                partner_contact=partner_contact or issue.partner_contact,
                promised_at=promised_at,
                note=note,
            )
        else:
            followup = issue.add_entry(
                kind=kind,
                by=by,
                now=now,
                note=note,
                partner=partner,
                partner_contact=partner_contact,
                promised_at=promised_at,
            )
            Issue.objects.filter(pk=issue.pk).update(version=F("version") + 1, updated_at=now)
        attach_photos(issue, followup=followup, photos=photos, by=by)
        return followup


def attach_photos(issue: Issue, *, followup: FollowUp, photos: list[UploadedFile], by: User) -> list[Attachment]:
    """Save photos, re-encoded with their thumbnails (issues.photos), on an item's timeline entry."""
    photos = [cleaned(photo) for photo in photos]
    return [
        Attachment.objects.create(
            issue=issue,
            followup=followup,
            file=photo,
            thumbnail=photo.thumbnail,
            content_type=photo.content_type,
            size=photo.size,
            uploaded_by=by,
        )
        for photo in photos
    ]


def undo_close(issue: Issue, *, by: User, now: datetime, note: str) -> FollowUp:
    """The 撤销 of 已办结 or 非职责/已解释 (issues.steps.undo_step, which holds the item's lock and has
    checked that the closing's entry is still the last): :meth:`Issue.reopen`, and the morning-meeting
    tasks the closing marked done go back to what they were."""
    with transaction.atomic():
        lock_and_refresh(issue)
        closed_at = issue.followups.order_by("-pk").values_list("created_at", flat=True).first()
        entry = issue.reopen(by=by, now=now, note=note, undone=True)
        issue.tasks.unfinish_with_item(closed_at=closed_at, by=by, now=now, note=note)
        return entry


def handling_needs_partner(method: str) -> bool:
    return method in {HandlingMethod.TO_PROPERTY, HandlingMethod.TO_POLICE, HandlingMethod.WHISTLE}


# --- morning meeting tasks ---------------------------------------------------------------


def add_task(
    *,
    community: Community,
    by: User,
    now: datetime,
    title: str,
    day,
    assignee=None,
    helpers=(),
    issue: Issue | None = None,
    link=None,
    visits=(),
) -> Task:
    """Give out a task at the morning meeting; its first TaskEvent says who gave it to whom.
    ``visits`` are due visits (SpecialStatus rows) of the same community the task is for."""
    if issue is not None and issue.community_id != community.pk:
        raise ValueError("the item belongs to another community")
    if link is not None and getattr(link, "community_id", None) != community.pk:
        raise ValueError("the linked record belongs to another community")
    if any(status.community_id != community.pk for status in visits):
        raise ValueError("a visit of another community")
    with transaction.atomic():
        task = Task(
            community=community,
            title=title,
            day=day,
            assignee=assignee,
            issue=issue,
            link=link,
            created_by=by,
            created_at=now,
        )
        task.next_reminder_at = task.reminder_due()
        task.save()
        if helpers:
            task.helpers.set(helpers)
        if visits:
            task.visits.set(visits)
        TaskEvent.objects.create(
            task=task,
            version=task.version,
            by=by,
            at=now,
            to_status=task.status,
            to_assignee=assignee,
            note=_("Given out at the morning meeting"),
        )
        if issue is not None:
            issue.add_entry(
                kind=FollowUpKind.NOTE,
                by=by,
                now=now,
                note=_("Morning meeting task “%(title)s”: %(status)s")
                % {"title": title, "status": TaskStatus(task.status).label},
            )
            hand_item_to_assignee(task, by=by, now=now)
    return task


def hand_item_to_assignee(task: Task, *, by: User, now: datetime, previous_assignee_id: int | None = None) -> bool:
    """The item a morning-meeting task is for goes to the task's assignee, as the office expects,
    when it is open or waiting for its callback (待回访: most such items have had their callback
    reminder already, so the task itself is the assignee's prompt) and nobody has it, or the one
    who logged it (the secretary, from the 8:30 WeChat batch) or the task's previous assignee has
    it: its later reminders, if any, then go to the assignee.
    The change is an entry on the item's timeline. An item another staff member handles stays
    theirs, and its timeline says who was given the task. Returns whether the item changed hands."""
    issue = task.issue
    if issue is None or task.assignee_id is None:
        return False
    with transaction.atomic():
        lock_and_refresh(issue)
        if not issue.has_work_left or issue.owner_id == task.assignee_id:
            return False
        before = issue.owner
        if issue.owner_id not in {None, issue.created_by_id, previous_assignee_id}:
            issue.add_entry(
                kind=FollowUpKind.NOTE,
                by=by,
                now=now,
                note=_("Morning meeting task “%(title)s” given to %(assignee)s; %(owner)s keeps the item.")
                % {"title": task.title, "assignee": display_name(task.assignee), "owner": display_name(before)},
            )
            return False
        issue.owner_id = task.assignee_id
        issue.version = F("version") + 1
        issue.save(update_fields=["owner", "version", "updated_at"])
        issue.refresh_from_db(fields=["version"])
        issue.add_entry(
            kind=FollowUpKind.NOTE,
            by=by,
            now=now,
            note=_("Owner: %(before)s → %(after)s, with the morning meeting task “%(title)s”.")
            % {"before": display_name(before) or "—", "after": display_name(task.assignee), "title": task.title},
        )
        return True


hand_item_to_assignee.alters_data = True


def carry_over_tasks(*, community: Community | None = None, now: datetime) -> int:
    """Copy each unfinished task of an earlier day to ``now``'s day, marked as carried.

    Idempotent: a task is carried once (one-to-one ``carried_from``), and rows another caller
    is carrying are skipped, so the sweep and the board may both call it. Returns how many
    tasks were carried."""
    today = timezone.localdate(now)
    carried = 0
    with transaction.atomic():
        candidates = Task.objects.select_for_update(skip_locked=True, of=("self",)).filter(
            day__lt=today, status__in=UNFINISHED_TASK_STATES, carried_to__isnull=True
        )
        if community is not None:
            candidates = candidates.filter(community=community)
        for old in candidates.prefetch_related("helpers", "visits"):
            new = Task(
                community_id=old.community_id,
                title=old.title,
                day=today,
                assignee_id=old.assignee_id,
                issue_id=old.issue_id,
                link_type_id=old.link_type_id,
                link_id=old.link_id,
                carried_from=old,
                created_by=None,
                created_at=now,
            )
            new.next_reminder_at = new.reminder_due()
            new.save()
            new.helpers.set(old.helpers.all())
            new.visits.set([status for status in old.visits.all() if not status.visited_since(old.day)])
            TaskEvent.objects.create(
                task=new,
                version=new.version,
                at=now,
                to_status=new.status,
                to_assignee_id=old.assignee_id,
                note=_("Carried over from %(day)s") % {"day": old.day.isoformat()},
            )
            carried += 1
    return carried
