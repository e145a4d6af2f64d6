"""The bench's data: communities full of 民情日记, made in SQL (INSERT … SELECT FROM generate_series).

`make_community(index, items, now=…)` builds one community: its staff, categories, partners,
buildings, units and rooms (with the ORM: a few hundred rows), then in SQL its residents, special
statuses and visits, its items (12 months of them, most closed, the recent ones open), their
timelines, the morning-meeting tasks of the last 30 days and 12345 cases. Every value is a
function of (community index, row number), so the same index gives the same community in any
database (the P9 "alone" database is made by the same call). Rows are as the app writes them:
`search_text` as `Issue.save()` joins it (the search indexes are expression indexes over it),
`name_initials` as `Resident.save()` computes it. tests/fuhai/test_bench_data.py checks that.

Imported by scripts/bench_suite.py and by the test; needs Django set up."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import connection
from django.utils import timezone

from issues import services
from issues.models.partner import Partner, PartnerKind
from residents.models.community import Community, Membership, Role
from residents.models.place import PLACE_KEY_SQL, Building, Unit, Zone
from residents.models.resident import name_initials

PROBLEMS = [
    "楼道堆物",
    "楼道里堆了好多纸箱",
    "电动车充电",
    "车棚有人飞线充电",
    "电动车推进楼道充电",
    "噪音扰民",
    "广场舞音响太吵",
    "楼上装修电钻太吵",
    "遛狗不拴绳",
    "狗屎没人清",
    "消防通道占用",
    "消防通道被私家车堵了",
    "卫生间顶上渗水",
    "楼上漏水",
    "暖气不热",
    "电梯又停了",
    "电梯困人",
    "路灯不亮",
    "井盖松动",
    "垃圾好几天没人清",
    "垃圾桶满了溢出来",
    "车位被人占了",
    "僵尸车占道",
    "树枝快断了",
    "枯枝要修剪",
    "单元门口贴满小广告",
    "门禁坏了",
    "停水没通知",
    "水压太小",
    "楼道灯坏了",
    "邻居吵架",
    "私搭乱建封阳台",
    "燃气味道很大",
    "家里跳闸停电",
    "有陌生人挨家敲门",
]
DETAILS = [
    "，麻烦看看",
    "，好几天了",
    "，谢谢",
    "，希望尽快处理",
    "，老人出行不方便",
    "，已经跟物业说过",
    "",
    "，请社区协调",
]
OUTDOOR = ["楼下", "车棚", "单元门口", "楼道", "地下室", "楼顶"]
PLACES = ["小区南门", "中心广场", "东侧绿地", "北门停车场", "垃圾站", "健身器材旁", "幼儿园门口", "菜市场路口"]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧"
GIVEN = ["秀英", "桂兰", "建国", "淑珍", "玉兰", "志强", "凤英", "国华", "丽", "伟", "敏", "静", "军", "洋", "磊", "芳"]
NICKNAMES = [
    "阳光明媚",
    "静待花开",
    "老张",
    "小刘妈妈",
    "孙姐",
    "赵大爷",
    "岁月静好",
    "开心就好",
    "平安是福",
    "荷塘月色",
]
NOTES = ["已电话联系居民", "已现场查看", "已转物业处理", "物业答复本周内解决", "已入户核实", "居民表示满意"]
COMMUNITY_NAMES = ["福海", "百子湾", "双井", "劲松", "潘家园", "垡头", "南磨房", "高碑店", "八里庄", "呼家楼"]
TASK_TITLES = ["入户走访独居老人", "电话回访渗水住户", "联系物业清理楼道堆物", "巡查车棚飞线充电", "准备宣传展板"]

BUILDINGS, UNITS, FLOORS, ROOMS_PER_FLOOR = 20, 3, 10, 2
PASSWORD = "bench-pass-2026"


@dataclass
class BenchCommunity:
    index: int
    community: Community
    secretary: object
    staff: list = field(default_factory=list)
    items: int = 0


def community_name(index: int) -> str:
    return f"{COMMUNITY_NAMES[index % len(COMMUNITY_NAMES)]}{index}号社区"


def _array(values) -> str:
    """A SQL text array literal of fixed words (ours, no quotes in them)."""
    assert all("'" not in v for v in values)
    return "ARRAY[" + ",".join(f"'{v}'" for v in values) + "]::text[]"


def _h(expr: str, salt: int) -> str:
    """A deterministic pseudo-random non-negative integer from a row number and a salt."""
    return f"abs(hashint8(({expr})::bigint * 7919 + {salt})::bigint)"


def make_community(index: int, items: int, *, now: datetime, password_hash: str | None = None) -> BenchCommunity:
    """One community with `items` 民情日记 items and what its pages show; returns who works there."""
    community = Community.objects.create(name=community_name(index), subdistrict="基准街道", district="朝阳区")
    users = get_user_model()
    password_hash = password_hash or make_password(PASSWORD)
    people = [("sec", Role.SECRETARY), ("staff1", Role.STAFF), ("staff2", Role.STAFF), ("grid1", Role.GRID)]
    made = users.objects.bulk_create(
        [
            users(
                username=f"b{index}_{suffix}",
                first_name=GIVEN[n % len(GIVEN)],
                last_name=SURNAMES[index % 30],
                password=password_hash,
            )
            for n, (suffix, _role) in enumerate(people)
        ]
    )
    Membership.objects.bulk_create(
        [Membership(user=user, community=community, role=role) for user, (_s, role) in zip(made, people, strict=True)]
    )
    categories = services.ensure_default_categories(community)
    problem_category = []
    for phrase in PROBLEMS:
        category = services.best_category(categories, phrase)
        problem_category.append(category.pk if category else categories[-1].pk)
    partners = Partner.objects.bulk_create(
        [
            Partner(community=community, kind=PartnerKind.PROPERTY, name=f"{community.name}物业服务中心"),
            Partner(community=community, kind=PartnerKind.POLICE, name="社区民警"),
            Partner(community=community, kind=PartnerKind.URBAN_MGMT, name="街道城管队"),
            Partner(community=community, kind=PartnerKind.UTILITIES, name="供暖公司"),
        ]
    )
    zones = Zone.objects.bulk_create(
        [Zone(community=community, name=name, sort_order=n) for n, name in enumerate(["北区", "南区"])]
    )
    buildings = Building.objects.bulk_create(
        [
            Building(community=community, number=str(b), floors=FLOORS, has_elevator=b % 2 == 0, zone=zones[b % 2])
            for b in range(1, BUILDINGS + 1)
        ]
    )
    Unit.objects.bulk_create([Unit(building=b, number=str(u)) for b in buildings for u in range(1, UNITS + 1)])
    staff_ids = [user.pk for user in made]
    params = {
        "c": community.pk,
        "now": now,
        "today": timezone.localdate(now),  # the office's day: `%(now)s::date` is UTC's, a day behind before 08:00
        "staff": staff_ids,
        "cats": problem_category,
        "partners": [p.pk for p in partners],
        "n": items,
        "ix": index,
    }
    with connection.cursor() as cursor:
        _sql_places_and_people(cursor, params)
        _sql_items(cursor, params)
        _sql_related(cursor, params)
    return BenchCommunity(index=index, community=community, secretary=made[0], staff=made, items=items)


def _sql_places_and_people(cursor, params: dict) -> None:
    cursor.execute(
        f"""
        INSERT INTO residents_room (floor_no, room_no, community_id, unit_id)
        SELECT f, f::text || '0' || r::text, %(c)s, u.id
        FROM residents_unit u JOIN residents_building b ON b.id = u.building_id,
             generate_series(1, {FLOORS}) f, generate_series(1, {ROOMS_PER_FLOOR}) r
        WHERE b.community_id = %(c)s
        """,
        params,
    )
    names = [(s + g, name_initials(s + g)) for s in SURNAMES for g in GIVEN]
    params = {**params, "names": [n for n, _ in names], "initials": [i for _, i in names]}
    # Two residents a room; one in twenty of them on the care roster, each visited every few weeks.
    cursor.execute(
        f"""
        INSERT INTO residents_resident (name, name_initials, gender, birth_date, phone, population_type, status,
            emergency_contact, emergency_phone, wechat_nickname, created_at, community_id, room_id,
            id_number_encrypted, id_number_hash, id_number_masked, relation, place_key)
        SELECT (%(names)s::text[])[1 + n.i], (%(initials)s::text[])[1 + n.i], CASE WHEN k = 1 THEN 'M' ELSE 'F' END,
               date '1930-01-01' + ({_h("r.id * 2 + k", 1)} %% 27000)::int,
               '13' || lpad(({_h("r.id * 2 + k", 2)} %% 1000000000)::text, 9, '0'),
               'registered', 'living', '', '', '', %(now)s, %(c)s, r.id, '', '', '',
               CASE WHEN k = 1 THEN 'head' ELSE 'spouse' END, {PLACE_KEY_SQL}
        FROM residents_room r JOIN residents_unit u ON u.id = r.unit_id
             JOIN residents_building b ON b.id = u.building_id, generate_series(1, 2) k,
             LATERAL (SELECT {_h("r.id * 2 + k", 3)} %% {len(names)} AS i) n
        WHERE r.community_id = %(c)s
        """,
        params,
    )
    cursor.execute(
        f"""
        INSERT INTO residents_specialstatus (category, tier, visit_interval_days, valid_from, note, community_id,
            resident_id, responsible_id, last_visited_on, next_due_on)
        SELECT (ARRAY['alone','empty_nest','aged80','disability'])[1 + {_h("id", 4)} %% 4],
               t.tier, t.days, date '2024-01-01', '', %(c)s, id,
               (%(staff)s::int[])[1 + {_h("id", 5)} %% 3], %(today)s::date - ({_h("id", 6)} %% t.days)::int,
               %(today)s::date - ({_h("id", 6)} %% t.days)::int + t.days
        FROM residents_resident,
             LATERAL (SELECT (ARRAY['high','key','general'])[1 + {_h("id", 7)} %% 3] AS tier) tt,
             LATERAL (SELECT tt.tier, CASE tt.tier WHEN 'high' THEN 7 WHEN 'key' THEN 30 ELSE 90 END AS days) t
        WHERE community_id = %(c)s AND {_h("id", 8)} %% 20 = 0
        """,
        params,
    )
    cursor.execute(
        """
        WITH v AS (
            INSERT INTO residents_visit (visited_on, method, health, mental_state, home_safety, hygiene,
                living_conditions, notes, health_note, needs, created_at, community_id, recorded_by_id, room_id)
            SELECT s.last_visited_on - (k * s.visit_interval_days), 'home', 'good', 'good',
                   CASE WHEN k %% 3 = 0 THEN 'watch' ELSE 'good' END, 'good', 'good',
                   '老人身体尚可，叮嘱注意用电安全', '', '', %(now)s, %(c)s, s.responsible_id, r.room_id
            FROM residents_specialstatus s JOIN residents_resident r ON r.id = s.resident_id,
                 generate_series(0, 3) k
            WHERE s.community_id = %(c)s
            RETURNING id, room_id, recorded_by_id
        ), linked AS (
            INSERT INTO residents_visit_residents (visit_id, resident_id)
            SELECT v.id, (SELECT min(id) FROM residents_resident WHERE room_id = v.room_id) FROM v
        )
        INSERT INTO residents_visit_staff (visit_id, user_id) SELECT id, recorded_by_id FROM v
        """,
        params,
    )


def _sql_items(cursor, params: dict) -> None:
    """The items: received over 12 months; the older, the likelier closed."""
    problems, details = _array(PROBLEMS), _array(DETAILS)
    outdoor, places = _array(OUTDOOR), _array(PLACES)
    nicknames, names = _array(NICKNAMES), _array([s + g for s in SURNAMES[:10] for g in GIVEN[:4]])
    cursor.execute("SELECT array_agg(id ORDER BY id) FROM residents_room WHERE community_id = %(c)s", params)
    params = {**params, "rooms": cursor.fetchone()[0]}
    row = "g::bigint + %(ix)s::bigint * 10000000"  # unique over the communities of one run
    cursor.execute(
        f"""
        DROP TABLE IF EXISTS bench_items;
        CREATE TEMP TABLE bench_items AS
        SELECT g AS n,
               %(now)s::timestamptz - make_interval(days => ({_h(row, 11)} %% 365)::int,
                   secs => ({_h(row, 12)} %% 36000)::int) AS received_at,
               {_h(row, 13)} %% 100 AS roll,
               1 + {_h(row, 14)} %% {len(PROBLEMS)} AS p,
               {_h(row, 15)} %% 100 AS place_roll,
               (%(rooms)s::bigint[])[1 + {_h(row, 16)} %% cardinality(%(rooms)s::bigint[])]
                   AS any_room,
               {_h(row, 17)} AS h
        FROM generate_series(1, %(n)s) g
        """,
        params,
    )
    cursor.execute(
        f"""
        INSERT INTO issues_issue (code, received_at, channel, text, sender, reporter_name, place_text, urgency,
            due_at, handling_method, promised_at, status, result, result_note, satisfaction, callback_method,
            report_count, escalated, waiting_since, resolved_at, first_resolved_at, closed_at, search_text, version,
            created_at, updated_at, building_id, community_id, created_by_id, merged_into_id, owner_id, partner_id,
            partner_contact_id, reporter_id, room_id, category_id, on_meeting_since, source_key)
        SELECT x.code, x.received_at, x.channel, x.text, x.sender, x.reporter_name, x.place_text, x.urgency,
               x.due_at, '', CASE WHEN x.status = 'waiting' THEN x.received_at + interval '5 days' END,
               x.status, x.result, x.result_note, x.satisfaction, x.callback_method,
               1 + (x.h %% 17 = 0)::int, x.h %% 50 = 0,
               CASE WHEN x.status = 'waiting' THEN x.received_at + interval '1 day' END,
               CASE WHEN x.status IN ('resolved', 'closed') THEN x.received_at + interval '3 days' END,
               CASE WHEN x.status IN ('resolved', 'closed') THEN x.received_at + interval '3 days' END,
               CASE WHEN x.status = 'closed' THEN x.received_at + interval '5 days' END,
               concat_ws(' ', x.code, nullif(x.text, ''), nullif(x.place_label, ''), nullif(x.reporter_name, ''),
                         nullif(x.sender, ''), nullif(x.result_note, '')),
               1, x.received_at, x.received_at, x.building_id, %(c)s, x.owner_id, NULL, x.owner_id,
               CASE WHEN x.status = 'waiting' THEN (%(partners)s::bigint[])[1 + x.h %% 4] END,
               NULL, NULL, x.room_id, (%(cats)s::bigint[])[x.p], NULL, ''
        FROM (
            SELECT b.*, s.status,
                   'MQ' || to_char(b.received_at AT TIME ZONE 'Asia/Shanghai', 'YYYYMMDD') || '-'
                       || lpad(b.n::text, 6, '0') AS code,
                   (ARRAY['wechat','wechat','wechat','phone','walk_in','grid','patrol','hotline'])[1 + b.h %% 8]
                       AS channel,
                   CASE WHEN b.place_roll < 60 THEN pl.room_label
                        WHEN b.place_roll < 85 THEN pl.building_label || ({outdoor})[1 + b.h %% {len(OUTDOOR)}]
                        ELSE ({places})[1 + b.h %% {len(PLACES)}] END
                     || ({problems})[b.p] || ({details})[1 + b.h %% {len(DETAILS)}] AS text,
                   CASE WHEN b.h %% 8 < 3 THEN ({nicknames})[1 + b.h %% {len(NICKNAMES)}] ELSE '' END AS sender,
                   CASE WHEN b.h %% 8 >= 3 THEN ({names})[1 + b.h %% 40] ELSE '' END AS reporter_name,
                   CASE WHEN b.place_roll < 60 THEN ''
                        WHEN b.place_roll < 85 THEN ({outdoor})[1 + b.h %% {len(OUTDOOR)}]
                        ELSE ({places})[1 + b.h %% {len(PLACES)}] END AS place_text,
                   CASE WHEN b.place_roll < 60 THEN pl.room_label
                        WHEN b.place_roll < 85 THEN pl.building_label || ' ' || ({outdoor})[1 + b.h %% {len(OUTDOOR)}]
                        ELSE ({places})[1 + b.h %% {len(PLACES)}] END AS place_label,
                   CASE WHEN b.place_roll < 60 THEN b.any_room END AS room_id,
                   CASE WHEN b.place_roll < 85 THEN pl.building_id END AS building_id,
                   CASE WHEN b.h %% 10 = 0 THEN 'urgent' WHEN b.h %% 10 < 3 THEN 'key' ELSE 'normal' END AS urgency,
                   b.received_at + CASE WHEN b.h %% 10 = 0 THEN interval '1 day' WHEN b.h %% 10 < 3
                       THEN interval '7 days' ELSE interval '14 days' END AS due_at,
                   CASE WHEN s.status = 'closed' THEN 'fixed' WHEN s.status = 'resolved' THEN 'fixed' ELSE '' END
                       AS result,
                   CASE WHEN s.status IN ('closed', 'resolved') THEN ({_array(NOTES)})[1 + b.h %% {len(NOTES)}]
                        ELSE '' END AS result_note,
                   CASE WHEN s.status = 'closed' THEN 'satisfied' ELSE '' END AS satisfaction,
                   CASE WHEN s.status = 'closed' THEN 'phone' ELSE '' END AS callback_method,
                   (%(staff)s::int[])[1 + b.h %% 4] AS owner_id
            FROM bench_items b
            JOIN LATERAL (
                SELECT bl.id AS building_id, bl.number || '号楼' AS building_label,
                       bl.number || '号楼' || u.number || '单元' || r.room_no AS room_label
                FROM residents_room r JOIN residents_unit u ON u.id = r.unit_id
                JOIN residents_building bl ON bl.id = u.building_id WHERE r.id = b.any_room
            ) pl ON true
            CROSS JOIN LATERAL (
                SELECT CASE
                    WHEN %(today)s::date - b.received_at::date < 7 THEN
                        (ARRAY['pending','pending','in_progress','in_progress','waiting'])[1 + b.roll %% 5]
                    WHEN %(today)s::date - b.received_at::date < 30 THEN
                        CASE WHEN b.roll < 20 THEN 'in_progress' WHEN b.roll < 30 THEN 'waiting'
                             WHEN b.roll < 50 THEN 'resolved' ELSE 'closed' END
                    ELSE CASE WHEN b.roll < 3 THEN 'in_progress' WHEN b.roll < 5 THEN 'waiting'
                              WHEN b.roll < 10 THEN 'not_ours' WHEN b.roll < 12 THEN 'duplicate'
                              ELSE 'closed' END
                END AS status
            ) s
        ) x
        """,
        params,
    )
    # Each item's reminder clock: open and resolved items are reminded until now, next within a month.
    cursor.execute(
        """
        INSERT INTO issues_issueclock (issue_id, next_reminder_at, reminded_until)
        SELECT i.id,
               CASE WHEN i.status IN ('pending', 'in_progress', 'waiting', 'resolved')
                    THEN %(now)s::timestamptz + make_interval(hours => 24 + (hashtext(i.code) & 1023) %% 720) END,
               CASE WHEN i.status IN ('pending', 'in_progress', 'waiting', 'resolved') THEN %(now)s::timestamptz
                    ELSE i.received_at END
        FROM issues_issue i WHERE i.community_id = %(c)s
        """,
        params,
    )


def _sql_related(cursor, params: dict) -> None:
    """Each item's timeline (received, state changes, a call, the callback), tasks and 12345 cases."""
    cursor.execute(
        """
        INSERT INTO issues_followup (kind, note, created_at, promised_at, from_status, to_status, channel, sender,
            received_at, author_id, partner_id, partner_contact_id, issue_id, related_issue_id)
        SELECT e.kind, e.note, i.received_at + e.after, NULL, e.from_status, e.to_status, '', '', NULL,
               i.owner_id, NULL, NULL, i.id, NULL
        FROM issues_issue i
        CROSS JOIN LATERAL (VALUES
            (0, 'note', '已登记，转交对接人跟进', '', '', interval '10 minutes'),
            (1, 'state', '', 'pending', 'in_progress', interval '1 day'),
            (2, 'call', '已电话联系居民，约定上门查看', '', '', interval '2 days'),
            (3, 'state', '', 'in_progress', 'resolved', interval '3 days'),
            (4, 'callback', '回访：居民满意', 'resolved', 'closed', interval '5 days')
        ) AS e(step, kind, note, from_status, to_status, after)
        WHERE i.community_id = %(c)s AND (e.step = 0
            OR (e.step <= 2 AND i.status NOT IN ('pending'))
            OR (e.step = 3 AND i.status IN ('resolved', 'closed'))
            OR (e.step = 4 AND i.status = 'closed'))
        """,
        params,
    )
    cursor.execute(
        """
        INSERT INTO issues_task (title, day, status, link_id, version, next_reminder_at, done_at, created_at,
            assignee_id, carried_from_id, community_id, created_by_id, issue_id, link_type_id)
        SELECT (%(titles)s::text[])[1 + k], %(today)s::date - d,
               CASE WHEN d = 0 THEN (ARRAY['todo','doing'])[1 + k %% 2] ELSE 'done' END, NULL, 1, NULL,
               CASE WHEN d > 0 THEN %(now)s::timestamptz - make_interval(days => d) END,
               %(now)s::timestamptz - make_interval(days => d), (%(staff)s::int[])[1 + k %% 4], NULL, %(c)s,
               (%(staff)s::int[])[1], NULL, NULL
        FROM generate_series(0, 30) d, generate_series(0, 4) k
        """,
        {**params, "titles": TASK_TITLES},
    )
    cursor.execute(
        """
        INSERT INTO issues_hotlinecase (case_no, request_type, role, urgency, caller_name, caller_phone,
            dispatched_at, response_deadline, resolution_deadline, first_contact_at, first_contact_method,
            site_visit_at, reply_text, result, replied_at, review_note, city_contacted, city_solved,
            city_satisfaction, city_callback_at, returned_reason, extension_reason, redo_count, next_reminder_at,
            reminded_until, community_id, issue_id, repeat_of_id)
        SELECT 'BJ' || to_char(i.received_at, 'YYYYMMDD') || lpad(i.id::text, 8, '0'), 'help', 'main', 'normal',
               i.reporter_name, '', i.received_at, i.received_at + interval '24 hours',
               i.received_at + interval '7 days', i.received_at + interval '2 hours', 'phone', NULL,
               CASE WHEN i.status = 'closed' THEN '已协调物业处理完毕' ELSE '' END,
               CASE WHEN i.status = 'closed' THEN 'solved' ELSE '' END,
               CASE WHEN i.status = 'closed' THEN i.received_at + interval '3 days' END, '', NULL, '', '', NULL,
               '', '', 0,
               CASE WHEN i.status NOT IN ('closed', 'not_ours', 'duplicate') THEN %(now)s::timestamptz
                   + interval '2 days' END,
               %(now)s::timestamptz, %(c)s, i.id, NULL
        FROM issues_issue i WHERE i.community_id = %(c)s AND i.channel = 'hotline'
        """,
        params,
    )


BULK_TABLES = ("issues_issue", "issues_followup", "residents_resident", "issues_task", "issues_hotlinecase")


class deferred_indexes:
    """Drop the bulk tables' GIN indexes (the search) while loading, then build them again from their
    own definitions: building a GIN index once is many times faster than updating it row by row,
    and whatever the migrations made comes back exactly. B-tree indexes stay: each community's
    load reads its own rows by community, which without them would scan every earlier community."""

    def __enter__(self):
        with connection.cursor() as cursor:
            cursor.execute(
                """
                SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
                FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid
                WHERE t.relname = ANY(%s) AND pg_get_indexdef(i.indexrelid) LIKE '%% USING gin %%'
                  AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
                """,
                [list(BULK_TABLES)],
            )
            self.indexes = cursor.fetchall()
            for name, _definition in self.indexes:
                cursor.execute(f"DROP INDEX {name}")
        return self

    def __exit__(self, *exc) -> None:
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # inside a transaction (the tests)
            cursor.execute("SET maintenance_work_mem = '256MB'")
            for _name, definition in self.indexes:
                cursor.execute(definition)
            cursor.execute("ANALYZE")
