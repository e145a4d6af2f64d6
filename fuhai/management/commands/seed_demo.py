"""Build the demo community 福海佳园 with plausible data. Safe to run twice."""

import random
from datetime import datetime, time, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from activities.models import Activity, Commendation, CommendationKind, Platform
from issues import services as issue_services
from issues.hotline.services import log_case
from issues.models.category import IssueCategory
from issues.models.choices import FollowUpKind, HandlingMethod, IssueResult
from issues.models.issue import Issue
from issues.models.partner import Partner, PartnerContact, PartnerKind
from issues.patrol.models import PatrolStop
from issues.projects.models import Milestone, Project
from residents import services as resident_services
from residents.models.care import RiskTier, SpecialCategory, SpecialStatus, SupplyItem, SupplyStock, Visit, VisitMethod
from residents.models.community import Community, Membership, Role
from residents.models.place import Building, Room, Unit, Zone
from residents.models.resident import Gender, PopulationType, Resident
from residents.places import resolve_place

DEMO_PASSWORD = "fuhai2024"
STAFF = [
    ("secretary", "王月圆", Role.SECRETARY),
    ("staff1", "李晓红", Role.STAFF),
    ("staff2", "陈志强", Role.STAFF),
    ("grid1", "张建国", Role.GRID),
    ("grid2", "刘芳", Role.GRID),
]
SURNAMES = (
    "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎"
    "余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
)
GIVEN = (
    "秀英桂兰玉珍淑华建国建华志明国强文军海燕丽娟红梅春生德福宝林秋菊凤英金凤永刚立新晓东雪梅俊杰子涵欣怡"
    "浩然一诺思远佳怡雨轩明轩"
)
PARTNERS = [
    (
        PartnerKind.PROPERTY,
        "福海物业服务有限公司",
        "010-6555 0101",
        [("赵刚", "项目经理", "13910010001"), ("孙丽", "客服主管", "13910010002")],
    ),
    (PartnerKind.POLICE, "福海社区警务站", "010-6555 0110", [("刘建军", "社区民警", "13910010003")]),
    (PartnerKind.OWNERS, "福海佳园物业管理委员会", "", [("周文华", "主任", "13910010004")]),
    (PartnerKind.DESIGN, "京华文化墙设计工作室", "010-6555 0202", [("吴迪", "设计师", "13910010005")]),
    (PartnerKind.URBAN_MGMT, "福海街道城管执法队", "010-6555 0303", [("郑伟", "队员", "13910010006")]),
    (PartnerKind.UTILITIES, "供暖服务中心", "96069", []),
]
SPECIAL = [
    (SpecialCategory.LIVING_ALONE, RiskTier.HIGH),
    (SpecialCategory.SOLITARY, RiskTier.HIGH),
    (SpecialCategory.ADVANCED_AGE, RiskTier.KEY),
    (SpecialCategory.EMPTY_NEST, RiskTier.KEY),
    (SpecialCategory.DISABILITY, RiskTier.KEY),
    (SpecialCategory.MIN_LIVING, RiskTier.GENERAL),
]


#: What the office has in its storeroom when the demo starts.
STOCK = {
    SupplyItem.FIRE_BLANKET: 30,
    SupplyItem.EXTINGUISHER: 10,
    SupplyItem.SMOKE_ALARM: 20,
    SupplyItem.GAS_ALARM: 10,
    SupplyItem.GIFT: 40,
}

#: The patrol walks these shared places first (by the names the demo's items use), then 南区 and 北区.
ROUTE_PLACES = ["东门", "中心广场", "北区车棚"]


class Command(BaseCommand):
    help = "Create the demo community 福海佳园 with staff logins, places, residents and partners."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Run even with DEBUG off.")

    def handle(self, *args, force: bool = False, **options):
        if not settings.DEBUG and not force:
            raise CommandError("DEBUG is off: seed_demo would add demo people to a real database. Use --force.")
        with transaction.atomic():
            community = self.seed()
        self.stdout.write(self.style.SUCCESS(f"Demo community {community.name} is ready."))
        self.stdout.write(f"Demo logins (password {DEMO_PASSWORD}):")
        for username, name, role in STAFF:
            self.stdout.write(f"  {username:<10} {name}  {Role(role).label}")
        self.stdout.write(f"  {'street1':<10} 街道干部  {Role.VIEWER.label}")

    def seed(self) -> Community:
        rng = random.Random(2024)
        community, _ = Community.objects.get_or_create(name="福海佳园", subdistrict="福海街道", district="朝阳区")
        other, _ = Community.objects.get_or_create(name="福海东里", subdistrict="福海街道", district="朝阳区")
        users = {}
        for username, name, role in STAFF:
            users[username] = self.user(username, name)
            Membership.objects.get_or_create(user=users[username], community=community, defaults={"role": role})
        viewer = self.user("street1", "街道干部")
        for c in (community, other):
            Membership.objects.get_or_create(user=viewer, community=c, defaults={"role": Role.VIEWER})

        zones = [
            Zone.objects.get_or_create(community=community, name=n, defaults={"sort_order": i})[0]
            for i, n in enumerate(["南区", "北区"])
        ]
        for number in range(1, 13):
            building, _ = Building.objects.get_or_create(
                community=community,
                number=str(number),
                defaults={
                    "zone": zones[0] if number <= 6 else zones[1],
                    "floors": 6 if number <= 8 else 18,
                    "has_elevator": number > 8,
                },
            )
            for u in range(1, 4):
                unit, _ = Unit.objects.get_or_create(building=building, number=str(u))
                for floor in range(1, building.floors + 1):
                    for door in (1, 2):
                        Room.objects.get_or_create(
                            unit=unit,
                            room_no=f"{floor}{door:02d}",
                            defaults={"floor_no": floor, "community": community},
                        )

        if not Resident.objects.in_community(community).exists():
            self.residents(community, rng, [users["staff1"], users["staff2"], users["grid1"]])
        if not Visit.objects.in_community(community).exists():
            self.visits(community, rng)
        for kind, name, phone, contacts in PARTNERS:
            partner, _ = Partner.objects.get_or_create(
                community=community, name=name, defaults={"kind": kind, "phone": phone}
            )
            for person, title, mobile in contacts:
                PartnerContact.objects.get_or_create(
                    partner=partner, name=person, defaults={"title": title, "phone": mobile}
                )
        self.supplies_and_route(community, zones)
        issue_services.ensure_default_categories(community)
        if not Issue.objects.in_community(community).exists():
            self.issues(community, users)
        if not Project.objects.in_community(community).exists():
            self.projects(community, users["secretary"], timezone.now())
        return community

    def projects(self, community: Community, secretary, now) -> None:
        """The culture wall with the design company: safety of the mounting comes first, and
        its promised date has already slipped once."""
        today = timezone.localdate(now)
        project = Project.objects.create(
            community=community,
            title="北门文化墙",
            partner=Partner.objects.get(community=community, name="京华文化墙设计工作室"),
            owner=secretary,
            description="北门围墙文化墙：社会主义核心价值观和社区公约。挂装牢固、安全第一，施工期间设置围挡。",
            started_on=today - timedelta(days=20),
            created_by=secretary,
            created_at=now - timedelta(days=20),
        )
        for title, promised, earlier, done in [
            ("设计方案定稿", -10, None, -9),
            ("挂装结构安全检查（膨胀螺栓、承重）", 1, -3, None),
            ("安装完成并验收", 14, None, None),
        ]:
            milestone = Milestone(
                project=project,
                title=title,
                promised_on=today + timedelta(days=promised),
                earlier_promises=[(today + timedelta(days=earlier)).isoformat()] if earlier else [],
                done_on=today + timedelta(days=done) if done else None,
                created_at=now - timedelta(days=20),
            )
            milestone.start_clock(now)
            milestone.save()

    def supplies_and_route(self, community: Community, zones: list[Zone]) -> None:
        """Stock for the first visits (a fire blanket per 独居老人) and a patrol route whose stops
        cover every place of the demo's items: the shared places by name, then the two zones."""
        for item, quantity in STOCK.items():
            SupplyStock.objects.get_or_create(community=community, item=item, defaults={"quantity": quantity})
        if PatrolStop.objects.in_community(community).exists():
            return
        for position, name in enumerate(ROUTE_PLACES):
            PatrolStop.objects.create(community=community, position=position, name=name)
        for position, zone in enumerate(zones, start=len(ROUTE_PLACES)):
            PatrolStop.objects.create(community=community, position=position, zone=zone)

    def issues(self, community: Community, users: dict) -> None:
        """A morning's worth of the 民情日记 in every state, so each page has something to show."""
        now = timezone.now()
        categories = {c.name: c for c in IssueCategory.objects.in_community(community)}
        property_co = Partner.objects.get(community=community, name="福海物业服务有限公司")
        police = Partner.objects.get(community=community, name="福海社区警务站")
        manager = property_co.contacts.first()
        officer = police.contacts.first()
        secretary, staff1, grid1 = users["secretary"], users["staff1"], users["grid1"]
        rows = [
            ("3号楼门口又有人遛狗不拴绳，孩子吓哭了", "李阿姨", "3号楼门口", "养犬", staff1, "to_police", officer, 3),
            ("5号楼2单元楼道堆放纸箱杂物，堵住消防通道", "", "5-2-301", "消防安全", grid1, "to_property", manager, 2),
            ("北区车棚有人从楼上飞线给电动车充电", "老张", "北区车棚", "电动车充电", grid1, "to_property", manager, 1),
            ("8号楼电梯这周停了两次", "", "8号楼", "物业管理", staff1, "to_property", manager, 1),
            ("2号楼前的大树枯枝要掉下来了", "王大爷", "2号楼", "绿化", staff1, None, None, 1),
            ("晚上广场舞音响太吵，影响休息", "", "中心广场", "噪音", secretary, "coordinate", None, 1),
            ("卫生间顶上渗水，楼上没人在家", "", "7-1-502", "漏水", staff1, None, None, 1),
            ("小区东门路灯不亮", "", "东门", "设施损坏", grid1, "on_the_spot", None, 1),
        ]
        for i, (text, sender, place, category, owner, method, contact, reports) in enumerate(rows):
            received = now - timedelta(days=i % 4, hours=i)
            settle = None
            if method:
                settle = {
                    "method": method,
                    "partner": contact.partner if contact else None,
                    "partner_contact": contact,
                    "note": "当场修复" if method == HandlingMethod.ON_THE_SPOT else "",
                }
            issue = issue_services.log_issue(
                community=community,
                by=secretary,
                now=received,
                received_at=received,
                text=text,
                sender=sender,
                place=resolve_place(community, place),
                category=categories[category],
                owner=owner,
                settle=settle,
            )
            for n in range(reports - 1):
                if n == 0 and contact:
                    issue_services.add_followup(
                        issue, by=owner, now=received, kind=FollowUpKind.CALL, note="已电话沟通，对方答应处理"
                    )
                issue_services.add_report(issue, by=secretary, now=received, text="群里又有人反映", channel="wechat")
        done = Issue.objects.in_community(community).filter(text__startswith="8号楼电梯").first()
        if done:
            done.resolve(by=staff1, now=now, result=IssueResult.FIXED, note="物业已更换电梯控制板")
        self.hotline(community, secretary, staff1, now)
        self.morning(community, users, now)

    def morning(self, community: Community, users: dict, now) -> None:
        """Today's meeting: tasks on the board, the constitution event, two banners."""

        today = timezone.localdate(now)
        at = timezone.make_aware(timezone.datetime.combine(today, timezone.datetime.min.time()))
        Activity.objects.create(
            community=community,
            title="宪法宣传进社区",
            platform=Platform.POLICY,
            starts_at=at + timedelta(hours=9, minutes=30),
            ends_at=at + timedelta(hours=11),
            organiser=users["staff2"],
            capacity=40,
            description="在新时代文明实践站开展宪法宣传，发放宣传册，讲解与居民生活相关的法律知识。",
            created_by=users["secretary"],
        )
        for giver, inscription, staff in [
            ("3号楼王阿姨一家", "为民解忧 情暖人心", users["staff1"]),
            ("7号楼李先生", "办事高效 服务贴心", users["secretary"]),
        ]:
            Commendation.objects.create(
                community=community,
                kind=CommendationKind.BANNER,
                received_on=today,
                giver_name=giver,
                inscription=inscription,
                credited_staff=staff,
                created_by=users["secretary"],
            )
        dog = Issue.objects.in_community(community).filter(text__contains="遛狗").first()
        tasks = [
            ("入户走访3号楼独居老人，送灭火毯", users["staff1"], None),
            ("与社区民警联合上门，核查犬证", users["staff1"], dog),
            ("文化墙施工现场查看安装安全", users["secretary"], None),
            ("与物业经理沟通消防通道和车棚充电线路", users["grid1"], None),
            ("宪法宣传活动签到和照片", users["staff2"], None),
        ]
        for title, assignee, issue in tasks:
            issue_services.add_task(
                community=community,
                by=users["secretary"],
                now=now,
                title=title,
                day=today,
                assignee=assignee,
                issue=issue,
            )

    def hotline(self, community: Community, secretary, owner, now) -> None:
        """A month of 12345 cases: last month fully called back, this month under way."""

        texts = [
            ("complaint", "楼下餐馆油烟扰民，晚上排风机噪音大", "6号楼"),
            ("help", "家中老人独居，暖气不热，请社区帮忙联系供暖", "9-1-1201"),
            ("complaint", "小区东门共享单车乱停堵住出入口", "东门"),
            ("suggestion", "建议在北区增设电动车充电桩", "北区车棚"),
            ("consult", "咨询老年卡办理地点和所需材料", ""),
            ("complaint", "楼道里有人私拉电线给电动车充电", "4-2-502"),
        ]
        answers = [("solved", "satisfied"), ("partly", "basic"), ("solved", "satisfied"), ("unsolved", "unsatisfied")]
        # Last month's from its 3rd, in Beijing's calendar (35 days back from an early day of the
        # month lands in the month before it); this month's from two days ago.
        first = timezone.localdate(now).replace(day=1)
        last_month = (first - timedelta(days=1)).replace(day=3)
        months = [timezone.make_aware(datetime.combine(last_month, time(9, 0))), now - timedelta(days=2)]
        number = 0
        for month_index, start in enumerate(months):
            for i, (kind, text, place) in enumerate(texts):
                number += 1
                dispatched = start + timedelta(days=i % 3, hours=i)
                if dispatched > now:
                    continue
                case = log_case(
                    community=community,
                    by=secretary,
                    now=dispatched,
                    case_no=f"{timezone.localtime(dispatched):%Y%m%d}{number:04d}",
                    dispatched_at=dispatched,
                    text=text,
                    request_type=kind,
                    caller_name=f"{'赵钱孙李周吴'[i]}女士",
                    caller_phone=f"1391000{number:04d}",
                    place=resolve_place(community, place),
                    owner=owner,
                )
                if month_index == 1 and i >= 3:
                    continue  # this month's latest cases are still running their clocks
                contact = dispatched + timedelta(hours=1 if i != 2 else 30)
                if contact + timedelta(days=1) > now:
                    continue  # no reply written in the future: it showed as 已办结 with a 办结 time to come
                case.record_first_contact(by=owner, now=contact, at=contact, method="phone")
                solved, satisfaction = answers[i % len(answers)]
                case.record_reply(
                    by=owner,
                    now=contact + timedelta(days=1),
                    result=solved,
                    reply_text="已协调相关单位处理并答复来电人",
                )
                if month_index == 0:
                    case.record_city_callback(
                        by=owner,
                        now=contact + timedelta(days=3),
                        contacted=True,
                        solved=solved,
                        satisfaction=satisfaction,
                    )

    def user(self, username: str, name: str):
        user, created = get_user_model().objects.get_or_create(username=username, defaults={"first_name": name})
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        return user

    def residents(self, community: Community, rng: random.Random, responsible: list) -> None:
        today = timezone.localdate()
        rooms = list(Room.objects.in_community(community).order_by("id"))
        people = []
        for room in rng.sample(rooms, k=int(len(rooms) * 0.45)):
            for _ in range(rng.choice([1, 1, 2, 2, 3])):
                name = rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, rng.choice([1, 2])))
                age = rng.choice([rng.randint(3, 17), rng.randint(18, 59), rng.randint(60, 95)])
                people.append(
                    Resident(
                        community=community,
                        room=room,
                        name=name,
                        gender=rng.choice([Gender.MALE, Gender.FEMALE]),
                        birth_date=today - timedelta(days=age * 365 + rng.randint(0, 364)),
                        phone=f"1{rng.choice('3589')}{rng.randint(0, 9)}{rng.randint(10000000, 99999999)}",
                        population_type=rng.choice(
                            [PopulationType.REGISTERED] * 4 + [PopulationType.RESIDENT, PopulationType.FLOATING]
                        ),
                    )
                )
        for person in people:
            person.save()  # save() fills the pinyin initials used by search
        elderly = [p for p in people if p.age(today) >= 75]
        for person in rng.sample(elderly, k=min(40, len(elderly))):
            category, tier = rng.choice(SPECIAL)
            SpecialStatus.objects.create(
                resident=person,
                category=category,
                tier=tier,
                visit_interval_days=0,
                responsible=rng.choice(responsible),
                valid_from=today - timedelta(days=rng.randint(30, 700)),
            )

    def visits(self, community: Community, rng: random.Random) -> None:
        """Two and a half months of visits to the special residents, so that 月探访率 is neither
        0 % nor 100 %: about four in five are visited at their interval (now and then a few days
        late), the rest not since their status began."""
        today = timezone.localdate()
        statuses = SpecialStatus.objects.in_community(community).select_related("resident__room", "responsible")
        for status in statuses.order_by("id"):
            if rng.random() < 0.2 or status.responsible is None:
                continue
            day = today - timedelta(days=75 - rng.randint(0, status.visit_interval_days))
            while day < today:
                resident_services.record_visit(
                    community=community,
                    recorded_by=status.responsible,
                    residents=[status.resident],
                    staff=[status.responsible],
                    visited_on=day,
                    today=today,
                    room=status.resident.room,
                    method=rng.choice([VisitMethod.HOME, VisitMethod.HOME, VisitMethod.PHONE]),
                )
                day += timedelta(days=status.visit_interval_days + rng.choice([0, 0, 0, 3, 10]))
