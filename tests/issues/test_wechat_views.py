"""The WeChat batch entry page: access, drafts, the one-pass save, duplicates and bad input."""

from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.translation import gettext

from issues import services
from issues.forms import SPOT_NOTE_REQUIRED
from issues.models.category import IssueCategory
from issues.models.choices import FollowUpKind, HandlingMethod, IssueChannel, IssueStatus
from issues.models.issue import Issue
from issues.models.partner import PartnerKind
from issues.models.timeline import FollowUp
from issues.wechat import views as wechat_views
from issues.wechat.parser import MAX_MESSAGES
from residents.models.resident import Resident
from residents.places import resolve_place
from tests.factories import PartnerContactFactory, ResidentFactory, RoomFactory, UnitFactory
from tests.issues.conftest import NOW

URL = reverse("issues:wechat_paste")
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "wechat"
BATCH = "王秀英 08:01\n3-2-501卫生间顶上渗水了\n\n李阿姨 08:03\n北区车棚有人飞线充电\n\n阳光明媚 08:05\n收到"

pytestmark = pytest.mark.usefixtures("categories")


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def read(client, paste=BATCH):
    return client.post(URL, {"paste": paste, "action": "parse"})


def save(client, paste=BATCH, **rows):
    """Read the paste, then post the drafts back as shown, with ``rows`` changed."""
    response = read(client, paste)
    return post_back(client, response, paste, **rows)


def post_back(client, response, paste, action="save", **rows):
    """Post the drafts of ``response`` back as shown, with ``rows`` changed and ``paste`` as it
    is in the field now (changed since it was read, or not)."""
    data = {"paste": paste, "action": action, "parsed": response.context["parsed"]}
    data["keys"] = response.context.get("keys", "")  # the messages the rows were read from
    for form in response.context["rows"]:
        for name in form.fields:
            value = form[name].value()
            if name == "include":
                if value:
                    data[form.add_prefix(name)] = "on"
            elif value not in (None, ""):
                data[form.add_prefix(name)] = value
    for key, value in rows.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return client.post(URL, data)


# --- access --------------------------------------------------------------------------


def test_it_shows_the_paste_page_to_staff(staff_client):
    assert staff_client.get(URL).status_code == 200


def test_it_sends_an_anonymous_visitor_to_the_login(client):
    assert client.get(URL).status_code == 302


def test_it_refuses_a_read_only_viewer(client, viewer):
    client.force_login(viewer)
    assert client.post(URL, {"paste": BATCH, "action": "parse"}).status_code == 403
    assert not Issue.objects.exists() and not Resident.objects.exists()


def test_it_will_not_add_a_repeat_report_to_another_communitys_item(client, outsider, other_community, staff, room):
    services.ensure_default_categories(other_community)
    theirs = services.log_issue(community=other_community, by=outsider, now=NOW, text="3-2-501卫生间顶上渗水了")
    client.force_login(staff)
    response = save(client, **{"m0-repeat_of": str(theirs.pk), "m0-include": "on"})
    assert response.status_code == 404
    assert theirs.followups.count() == 1


def test_it_shows_an_outsider_nothing_of_ours(client, outsider, log):
    log("3-2-501卫生间顶上渗水了")
    client.force_login(outsider)
    response = read(client)
    assert all(not form.draft.similar for form in response.context["rows"])


# --- drafts --------------------------------------------------------------------------


def test_it_turns_each_message_into_a_draft(staff_client):
    response = read(staff_client)
    assert [f.draft.message.sender for f in response.context["rows"]] == ["王秀英", "李阿姨", "阳光明媚"]


def test_it_suggests_the_category_from_the_text(staff_client):
    rows = read(staff_client).context["rows"]
    assert rows[1].draft.category.name == "电动车充电"


def test_it_resolves_the_room_named_in_the_text(staff_client, room):
    rows = read(staff_client).context["rows"]
    assert rows[0]["place"].value() == "3号楼2单元501"


def test_it_keeps_a_free_place_as_written(staff_client):
    rows = read(staff_client).context["rows"]
    assert rows[1]["place"].value() == "北区车棚"


def test_it_matches_a_sender_to_a_resident_by_name(staff_client, community):
    resident = ResidentFactory(community=community, name="王秀英")
    rows = read(staff_client).context["rows"]
    assert rows[0].draft.reporter == resident


def test_it_matches_a_sender_to_a_resident_by_group_nickname(staff_client, community):
    resident = ResidentFactory(community=community, name="李桂兰", wechat_nickname="李阿姨")
    rows = read(staff_client).context["rows"]
    assert rows[1].draft.reporter == resident


def test_it_leaves_chit_chat_unticked(staff_client):
    rows = read(staff_client).context["rows"]
    assert [f["include"].value() for f in rows] == [True, True, False]


def test_it_warns_when_a_message_looks_like_an_open_item(staff_client, log, room):
    open_item = log("3-2-501卫生间顶上渗水了，楼上没人", place=resolve_place(room.community, "3-2-501"))
    rows = read(staff_client).context["rows"]
    assert rows[0].draft.similar == [open_item]


def test_it_says_when_no_sender_or_time_was_found(staff_client):
    response = read(staff_client, "3号楼门口有人遛狗\n东门路灯不亮")
    assert not response.context["structured"]
    assert len(response.context["rows"]) == 2


# --- saving ---------------------------------------------------------------------------


def test_it_saves_the_ticked_messages_with_text_sender_and_time(staff_client):
    response = save(staff_client)
    assert response.status_code == 302
    issues = list(Issue.objects.order_by("received_at"))
    assert [(i.text, i.sender, i.channel) for i in issues] == [
        ("3-2-501卫生间顶上渗水了", "王秀英", IssueChannel.WECHAT),
        ("北区车棚有人飞线充电", "李阿姨", IssueChannel.WECHAT),
    ]
    assert issues[0].received_at == NOW.replace(hour=8, minute=1)


def test_it_names_the_codes_of_each_day_in_the_saved_message(staff_client):
    """A batch from the night before and this morning gets codes of two days' numbering: the
    message gives each day's range, not one range from yesterday's code to today's."""
    response = save(staff_client, "王秀英 23:10\n3号楼楼道又堆满了杂物\n\n李阿姨 08:03\n北区车棚有人飞线充电")
    codes = sorted(Issue.objects.values_list("code", flat=True))
    assert codes[0].startswith("MQ20261129-") and codes[1].startswith("MQ20261130-")
    text = " ".join(str(m) for m in response.wsgi_request._messages)
    assert codes[0] in text and codes[1] in text
    assert f"{codes[0]} – {codes[1]}" not in text


@pytest.mark.parametrize(
    ("codes", "said"),
    [
        (["MQ20261130-002", "MQ20261130-001", "MQ20261130-003"], "MQ20261130-001 – MQ20261130-003"),
        (["MQ20261130-007", "MQ20261130-009"], "MQ20261130-007 和 MQ20261130-009"),
        (["MQ20261129-999", "MQ20261130-001", "MQ20261129-1000"], "MQ20261129-999 – MQ20261129-1000 和 MQ20261130-001"),
    ],
)
def test_it_names_only_the_codes_the_batch_was_given(codes, said):
    """A colleague's quick entry saved meanwhile took -008: "-007 – -009" would claim it."""
    assert wechat_views._code_ranges(codes) == said


def test_it_saves_a_time_later_than_the_paste_as_the_night_before(staff_client):
    save(staff_client, "王秀英 23:10\n3号楼楼道又堆满了杂物")
    assert Issue.objects.get().received_at == NOW.replace(day=29, hour=23, minute=10)


def test_it_saves_a_dated_time_later_than_the_paste_as_now(staff_client):
    save(staff_client, "王秀英 今天 23:10\n3号楼楼道又堆满了杂物")
    assert Issue.objects.get().received_at == NOW


def test_it_saves_the_category_and_place_as_edited(staff_client, categories):
    save(staff_client, **{"m1-category": str(categories["消防安全"].pk), "m1-place": "北区2号车棚"})
    issue = Issue.objects.get(sender="李阿姨")
    assert (issue.category.name, issue.place_label) == ("消防安全", "北区2号车棚")


def test_it_leaves_an_item_to_investigate_when_no_handling_is_chosen(staff_client):
    save(staff_client)
    assert {(i.status, i.handling_method) for i in Issue.objects.all()} == {(IssueStatus.PENDING, "")}


def test_it_saves_the_handling_method_chosen_on_the_row(staff_client):
    save(staff_client, **{"m1-handling": "m:coordinate"})
    issue = Issue.objects.get(sender="李阿姨")
    assert (issue.status, issue.handling_method) == (IssueStatus.IN_PROGRESS, HandlingMethod.COORDINATE)
    assert Issue.objects.get(sender="王秀英").status == IssueStatus.PENDING


def test_it_closes_an_item_settled_on_the_spot_with_what_was_done(staff_client):
    save(staff_client, **{"m0-handling": "m:on_the_spot", "m0-note": "已联系楼上住户关阀门"})
    issue = Issue.objects.get(sender="王秀英")
    assert (issue.status, issue.result_note) == (IssueStatus.RESOLVED, "已联系楼上住户关阀门")


def test_it_refuses_a_row_settled_on_the_spot_without_what_was_done_and_saves_nothing(staff_client):
    response = save(staff_client, **{"m0-handling": "m:on_the_spot", "m1-handling": "m:coordinate"})
    assert response.status_code == 200
    assert not Issue.objects.exists()
    row = response.context["rows"][0]
    assert row.errors["note"] == [str(SPOT_NOTE_REQUIRED)]
    assert 'value="m:on_the_spot" selected' in row.row_html()
    assert "draft-note draft-note-open is-invalid" in row.row_html()
    assert 'value="m:coordinate" selected' in response.context["rows"][1].row_html()
    assert response.context["form"]["paste"].value() == BATCH


def test_it_refuses_what_was_done_on_a_row_to_investigate_and_keeps_it(staff_client):
    response = save(staff_client, **{"m0-note": "已联系楼上住户"})
    assert not Issue.objects.exists()
    row = response.context["rows"][0]
    assert row.errors["note"] and 'value="已联系楼上住户"' in row.row_html()


def test_it_writes_what_was_done_on_the_handling_step_of_another_method(staff_client):
    save(staff_client, **{"m1-handling": "m:coordinate", "m1-note": "约了物业下午看"})
    issue = Issue.objects.get(sender="李阿姨")
    assert issue.followups.filter(to_status=IssueStatus.IN_PROGRESS, note="约了物业下午看").exists()


@pytest.mark.parametrize(
    ("kind", "method"),
    [
        (PartnerKind.PROPERTY, HandlingMethod.TO_PROPERTY),
        (PartnerKind.POLICE, HandlingMethod.TO_POLICE),
        (PartnerKind.URBAN_MGMT, HandlingMethod.COORDINATE),
    ],
)
def test_it_hands_the_item_to_the_contact_chosen_on_the_row(staff_client, community, kind, method):
    contact = PartnerContactFactory(partner__community=community, partner__kind=kind, name="张经理")
    save(staff_client, **{"m0-handling": f"c:{contact.pk}"})
    issue = Issue.objects.get(sender="王秀英")
    assert (issue.handling_method, issue.partner, issue.partner_contact) == (method, contact.partner, contact)
    assert issue.status == IssueStatus.IN_PROGRESS


def test_it_offers_the_communitys_contacts_on_every_row(staff_client, community, other_community):
    PartnerContactFactory(partner__community=community, partner__name="福海物业", name="张经理", title="经理")
    PartnerContactFactory(partner__community=other_community, name="外社区的人")
    page = read(staff_client).content.decode()
    assert page.count("张经理（经理） · 福海物业</option>") == 3
    assert "外社区的人" not in page


def test_it_refuses_another_communitys_contact_and_saves_nothing(staff_client, other_community):
    contact = PartnerContactFactory(partner__community=other_community)
    response = save(staff_client, **{"m0-handling": f"c:{contact.pk}"})
    assert response.status_code == 200
    assert not Issue.objects.exists()
    assert response.context["rows"][0].errors["handling"] == ["请从列表中选择处理方式或对接人。"]


def test_it_refuses_a_handling_for_a_repeat_report_and_keeps_the_choices(staff_client, log):
    open_item = log("北区车棚有人飞线充电，太危险")
    response = save(staff_client, **{"m1-repeat_of": str(open_item.pk), "m1-handling": "m:coordinate"})
    assert response.status_code == 200
    assert Issue.objects.count() == 1 and open_item.followups.filter(kind=FollowUpKind.REPORT).count() == 1
    row = response.context["rows"][1]
    assert "待核实" in row.errors["handling"][0]
    assert 'value="m:coordinate" selected' in row.row_html()


def test_it_creates_no_duplicates_when_the_same_batch_is_pasted_twice(staff_client):
    save(staff_client)
    save(staff_client)
    assert Issue.objects.count() == 2


def test_it_shows_already_logged_messages_unticked(staff_client):
    save(staff_client)
    rows = read(staff_client).context["rows"]
    assert [(f.draft.logged is not None, f["include"].value()) for f in rows[:2]] == [(True, False), (True, False)]


def test_it_adds_a_message_as_a_repeat_report(staff_client, log):
    open_item = log("北区车棚有人飞线充电，太危险")
    save(staff_client, **{"m1-repeat_of": str(open_item.pk)})
    open_item.refresh_from_db()
    assert open_item.report_count == 2
    assert Issue.objects.count() == 2


def test_it_does_not_add_the_same_repeat_report_twice(staff_client, log):
    open_item = log("北区车棚有人飞线充电，太危险")
    save(staff_client, **{"m1-repeat_of": str(open_item.pk)})
    save(staff_client, **{"m1-repeat_of": str(open_item.pk)})
    assert FollowUp.objects.filter(issue=open_item, kind=FollowUpKind.REPORT, sender="李阿姨").count() == 1


def test_it_knows_a_repeat_report_saved_before_the_time_written_on_its_message(staff_client, log):
    """At 7:00 the messages say 8:03 (a phone's clock ahead, a paste from another time zone): the
    report is saved at 7:00, not in the future. A later paste of the same batch still shows it as
    added and does not add it again (a CI run at 05:38 Beijing time found it added twice)."""
    open_item = log("北区车棚有人飞线充电，太危险")
    with time_machine.travel(NOW.replace(hour=7, minute=0), tick=False):
        save(staff_client, **{"m1-repeat_of": str(open_item.pk)})
    with time_machine.travel(NOW.replace(hour=7, minute=10), tick=False):
        row = read(staff_client).context["rows"][1]
        assert (row.draft.reported_on, row["include"].value()) == (open_item, False)
        save(staff_client, **{"m1-repeat_of": str(open_item.pk)})
    assert FollowUp.objects.filter(issue=open_item, kind=FollowUpKind.REPORT, sender="李阿姨").count() == 1


def test_it_remembers_a_group_nickname_linked_to_a_resident(staff_client, community):
    resident = ResidentFactory(community=community, name="李桂兰")
    save(staff_client, **{"m1-reporter": "李桂兰"})
    resident.refresh_from_db()
    assert resident.wechat_nickname == "李阿姨"
    assert Issue.objects.get(sender="李阿姨").reporter == resident


def test_it_saves_nothing_when_one_row_is_wrong(staff_client, log):
    done = log("北区车棚有人飞线充电，太危险")
    done.close_not_ours(by=done.owner, now=NOW, note="已解释")
    response = save(staff_client, **{"m1-repeat_of": str(done.pk)})
    assert response.status_code == 200
    assert Issue.objects.count() == 1


def test_it_keeps_the_paste_when_a_row_is_wrong(staff_client, categories):
    response = save(staff_client, **{"m0-category": "999999"})
    assert response.context["form"]["paste"].value() == BATCH


def test_it_saves_all_or_nothing(staff_client, monkeypatch):
    calls = []

    def failing_log_issue(**kwargs):
        calls.append(kwargs)
        if len(calls) == 2:
            raise RuntimeError("database went away")
        return real(**kwargs)

    real = services.log_issue
    monkeypatch.setattr(services, "log_issue", failing_log_issue)
    with pytest.raises(RuntimeError):
        save(staff_client)
    assert Issue.objects.count() == 0


def test_it_refuses_to_save_drafts_of_a_paste_changed_after_reading(staff_client):
    save(staff_client, paste=BATCH, parsed=None)
    assert Issue.objects.count() == 0
    assert not FollowUp.objects.exists() and not Resident.objects.exists()


# --- bad input --------------------------------------------------------------------------


def test_it_asks_for_a_paste_when_it_is_empty(staff_client):
    response = read(staff_client, "   ")
    assert response.status_code == 200
    assert response.context["form"].errors["paste"]


def test_it_refuses_a_megabyte_paste_and_keeps_it(staff_client):
    big = "3号楼门口有狗屎\n" * 120_000
    response = read(staff_client, big)
    assert response.context["form"].errors["paste"]
    assert response.context["form"]["paste"].value() == big
    assert not Issue.objects.exists()


def test_it_refuses_binary_junk_with_a_message(staff_client):
    response = read(staff_client, "PK\x03\x04\x14\x00\x06\x00\x08\x00binary\x00\x00")
    assert response.status_code == 200
    assert response.context["form"].errors["paste"]
    assert not Issue.objects.exists()


def test_it_says_no_message_was_found_in_system_lines_only(staff_client):
    response = read(staff_client, "以下为新消息\n—— 以上为历史消息 ——")
    assert response.context["form"].errors["paste"]


# --- query ceiling -----------------------------------------------------------------------


def batch_of(n):
    return "\n".join(f"居民{i} 08:{i % 60:02d}\n{i % 9 + 1}号楼门口有人遛狗不拴绳，第{i}次了" for i in range(n))


@pytest.mark.parametrize("n", [5, 50])
def test_it_reads_the_drafts_in_a_fixed_number_of_queries(staff_client, community, log, n):
    for i in range(3):
        ResidentFactory(community=community, name=f"居民{i}")
        log(f"{i + 1}号楼门口有人遛狗不拴绳")
    with CaptureQueriesContext(connection) as queries:
        response = read(staff_client, batch_of(n))
    assert len(response.context["rows"]) == n
    # Every request since SESSION_SAVE_EVERY_REQUEST also writes its session (savepoint, update,
    # release): the ceiling is on the page's own reads.
    page = [q["sql"] for q in queries.captured_queries if not _session_bookkeeping(q["sql"])]
    assert len(page) <= 12, [sql[:120] for sql in page]


def test_it_reads_the_logged_messages_through_the_index_of_source_keys(staff_client, community):
    """More than 100 keys: PostgreSQL cannot prove the unique index's condition (a key at all)
    from the list alone, and read every item of the community (90 ms at 100k items)."""
    Issue.objects.bulk_create(  # items logged by hand (no key) and a few from WeChat
        Issue(community=community, code=f"MQ-{n}", received_at=NOW, due_at=NOW, text="旧事", source_key=key)
        for n, key in enumerate([""] * 3000 + [f"k{n}" for n in range(100)])
    )
    with CaptureQueriesContext(connection) as queries:
        read(staff_client, batch_of(150))
    (lookup,) = [q["sql"] for q in queries.captured_queries if '"issues_issue"."source_key" IN' in q["sql"]]
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE issues_issue")
        cursor.execute("SET LOCAL enable_seqscan = off")  # a few thousand rows: a scan would do as well
        cursor.execute("EXPLAIN " + lookup)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "issue_unique_source" in plan, plan


def test_it_reads_the_repeat_reports_of_the_messages_through_an_index(staff_client, community, other_community, log):
    """Which messages were already added as repeat reports: by their note, through an index of
    the reports' notes, not by reading every follow-up of the district (150 ms at 160k)."""
    elsewhere = log("别处的事", community=other_community)
    FollowUp.objects.bulk_create(
        FollowUp(issue=elsewhere, kind=FollowUpKind.REPORT, note=f"别处第{n}条", sender="某人", created_at=NOW)
        for n in range(3000)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE issues_followup")
    with CaptureQueriesContext(connection) as queries:
        read(staff_client, batch_of(150))
    (lookup,) = [q["sql"] for q in queries.captured_queries if q["sql"].startswith('SELECT "issues_followup"')]
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a few thousand rows: a scan would do as well
        cursor.execute("EXPLAIN " + lookup)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "followup_report_note" in plan, plan


def _session_bookkeeping(sql):
    return sql.startswith(('UPDATE "django_session"', "SAVEPOINT", "RELEASE SAVEPOINT"))


def test_it_escapes_what_residents_wrote_in_every_row(staff_client, log):
    """The rows are made in Python (forms.DraftForm.row_html): every word from the paste, the
    database or a form is escaped there as the template escaped it."""
    log("<i>3号楼</i>门口有人遛狗不拴绳")
    paste = '<b>老张</b> 08:01\n<script>alert(1)</script>3号楼门口有人遛狗不拴绳"\n\n阿姨" 08:02\n<img src=x>北区车棚'
    response = read(staff_client, paste)
    page = response.content.decode()
    assert "alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;3号楼门口有人遛狗不拴绳&quot;" in page
    assert "&lt;b&gt;老张&lt;/b&gt;" in page and "阿姨&quot;" in page and "&lt;img src=x&gt;" in page
    assert "<img src=x>" not in page and "<b>老张" not in page
    assert "&lt;i&gt;3号楼&lt;/i&gt;门口" in page  # the suggested item's text in the "same problem as" menu


def test_it_keeps_residents_untouched_when_no_nickname_is_linked(staff_client, community):
    ResidentFactory(community=community, name="王秀英")
    save(staff_client)
    assert Resident.objects.get(name="王秀英").wechat_nickname == ""


def test_it_puts_the_digest_of_the_read_paste_in_the_page(staff_client):
    response = read(staff_client)
    assert f'name="parsed" value="{response.context["parsed"]}"' in response.content.decode()


def test_it_links_the_page_from_quick_entry(staff_client):
    assert URL in staff_client.get(reverse("issues:issue_create")).content.decode()


AGAIN = "王秀英 昨天 21:40\n3-2-501卫生间顶上渗水了\n\n王秀英 08:01\n3-2-501 还在漏，卫生间顶上渗水"


def test_it_points_out_an_earlier_message_of_the_same_paste(staff_client, room):
    rows = read(staff_client, AGAIN).context["rows"]
    assert rows[1].draft.similar_rows == [0]


def test_it_adds_a_later_message_as_a_repeat_of_an_earlier_one_in_the_paste(staff_client, room):
    save(staff_client, AGAIN, **{"m1-repeat_of": "row:0"})
    issue = Issue.objects.get()
    assert (issue.report_count, issue.followups.filter(sender="王秀英").count()) == (2, 2)


def test_it_asks_to_tick_the_earlier_message_a_repeat_points_to(staff_client, room):
    response = save(staff_client, AGAIN, **{"m0-include": None, "m1-repeat_of": "row:0"})
    assert response.context["rows"][1].errors["repeat_of"]
    assert Issue.objects.count() == 0


# --- what each message is -------------------------------------------------------------------

SECRETARY_DAY = (FIXTURES / "secretary_day.txt").read_text()


def test_it_leaves_a_residents_thanks_unticked(staff_client):
    rows = read(staff_client, "孙大爷 08:10\n8号楼电梯又停了\n赵叔 08:21\n感谢王书记帮忙").context["rows"]
    assert [(f.draft.kind, f["include"].value()) for f in rows] == [("item", True), ("thanks", False)]


def test_it_leaves_a_residents_greeting_unticked(staff_client):
    rows = read(staff_client, "孙大爷 08:10\n8号楼电梯又停了\n赵叔 08:21\n各位邻居早上好").context["rows"]
    assert [(f.draft.kind, f["include"].value()) for f in rows] == [("item", True), ("thanks", False)]


def test_it_logs_a_residents_thanks_the_secretary_ticks(staff_client):
    save(staff_client, "张建国 08:20\n谢谢社区", **{"m0-include": "on"})
    assert list(Issue.objects.values_list("text", flat=True)) == ["谢谢社区"]


def test_it_saves_a_residents_thanks_as_no_item(staff_client):
    save(staff_client, "孙大爷 08:10\n8号楼电梯又停了\n张建国 08:20\n谢谢社区！\n赵叔 08:21\n辛苦了")
    assert list(Issue.objects.values_list("text", flat=True)) == ["8号楼电梯又停了"]


def test_it_saves_the_same_senders_next_line_with_the_first(staff_client, categories):
    save(staff_client, "王秀英 08:01\n3号楼门口又有狗屎\n王秀英 08:02\n麻烦快点")
    [issue] = Issue.objects.all()
    assert (issue.text, issue.category) == ("3号楼门口又有狗屎\n麻烦快点", categories["养犬"])


def test_it_logs_the_same_senders_next_line_apart_when_ticked(staff_client):
    save(staff_client, "王秀英 08:01\n3号楼门口又有狗屎\n王秀英 08:02\n麻烦快点", **{"m1-include": "on"})
    assert sorted(Issue.objects.values_list("text", flat=True)) == ["3号楼门口又有狗屎", "麻烦快点"]


def test_it_saves_a_neighbours_same_here_as_a_second_report_on_the_item(staff_client):
    save(staff_client, "孙大爷 08:10\n8号楼电梯又停了\n周阿姨 08:11\n我家也是")
    [issue] = Issue.objects.all()
    assert issue.report_count == 2
    assert issue.followups.filter(kind=FollowUpKind.REPORT, sender="周阿姨", note="我家也是").exists()


def test_it_adds_a_same_here_to_the_item_logged_from_an_earlier_paste(staff_client):
    save(staff_client, "孙大爷 08:10\n8号楼电梯又停了")
    save(staff_client, "孙大爷 08:10\n8号楼电梯又停了\n周阿姨 08:11\n同样的问题")
    [issue] = Issue.objects.all()
    assert (issue.report_count, issue.followups.filter(sender="周阿姨").count()) == (2, 1)


def test_it_offers_two_problems_of_one_message_as_two_drafts_with_their_categories(staff_client):
    rows = read(staff_client, "王秀英 08:01\n楼道灯坏了，还有门口垃圾没人清").context["rows"]
    assert [(f.draft.message.text, f.draft.category.name) for f in rows] == [
        ("楼道灯坏了，", "设施损坏"),
        ("还有门口垃圾没人清", "环境卫生"),
    ]


def test_it_saves_two_problems_of_one_message_as_two_items(staff_client):
    save(staff_client, "王秀英 08:01\n楼道灯坏了，还有门口垃圾没人清")
    assert sorted(Issue.objects.values_list("category__name", "sender")) == [
        ("环境卫生", "王秀英"),
        ("设施损坏", "王秀英"),
    ]


def test_it_leaves_the_offices_reply_unticked(staff_client, community):
    rows = read(staff_client, f"孙大爷 08:10\n8号楼电梯又停了\n{community.name}居委会 08:15\n收到，明天联系物业")
    assert [(f.draft.kind, f["include"].value()) for f in rows.context["rows"]] == [("item", True), ("office", False)]


def test_it_knows_a_staff_members_display_name_in_the_group(staff_client, staff):
    rows = read(staff_client, f"孙大爷 08:10\n8号楼电梯又停了\n{staff.first_name} 08:15\n好的，我们马上安排")
    assert rows.context["rows"][1].draft.kind == "office"


def test_it_reads_the_secretary_day_sample_into_three_items(staff_client):
    save(staff_client, SECRETARY_DAY)
    assert Issue.objects.count() == 3
    assert Issue.objects.get(text__startswith="8号楼").report_count == 2


# --- dates of another year ------------------------------------------------------------------

LAST_YEAR = (FIXTURES / "last_year.txt").read_text()


def test_it_asks_which_dates_to_use_for_a_paste_of_a_past_year(staff_client):
    response = read(staff_client, LAST_YEAR)
    assert 'id="dates-choice"' in response.content.decode()


def test_it_does_not_ask_about_the_dates_of_this_mornings_paste(staff_client):
    assert 'id="dates-choice"' not in read(staff_client).content.decode()


def test_it_saves_nothing_from_a_past_year_until_the_dates_are_chosen(staff_client):
    response = save(staff_client, LAST_YEAR)
    assert response.status_code == 200 and response.context["form"].errors["dates"]
    assert not Issue.objects.exists()


def test_it_saves_a_past_years_paste_with_todays_date_when_chosen(staff_client):
    save(staff_client, LAST_YEAR, dates="today")
    assert Issue.objects.get(sender="王秀英").received_at == NOW.replace(hour=7, minute=55)


def test_it_saves_a_past_years_paste_with_the_dates_as_written_when_chosen(staff_client):
    save(staff_client, LAST_YEAR, dates="written")
    assert Issue.objects.get(sender="王秀英").received_at == NOW.replace(year=2023, month=12, day=6, hour=7, minute=55)


# --- categories -----------------------------------------------------------------------------


def test_it_adds_the_missing_default_categories_and_keeps_a_communitys_own(staff_client, community):
    IssueCategory.objects.filter(community=community, name="养犬").update(keywords="狗", sort_order=0)
    IssueCategory.objects.filter(community=community, name="供暖").delete()
    IssueCategory.objects.create(community=community, name="快递", keywords="快递")
    staff_client.get(URL)
    mine = {c.name: c for c in IssueCategory.objects.in_community(community)}
    assert (mine["养犬"].keywords, "快递" in mine, "供暖" in mine) == ("狗", True, True)
    assert len(mine) == len(services.DEFAULT_CATEGORIES) + 1


def test_it_does_not_add_back_a_category_the_community_switched_off(staff_client, community):
    IssueCategory.objects.filter(community=community, name="供暖").update(is_active=False)
    staff_client.get(URL)
    assert IssueCategory.objects.filter(community=community, name="供暖").count() == 1


def test_it_gives_the_second_problem_of_a_message_the_place_of_the_first(staff_client, room):
    rows = read(staff_client, "王秀英 08:01\n3号楼楼道灯坏了，还有门口垃圾没人清").context["rows"]
    assert [f["place"].value() for f in rows] == ["3号楼楼道", "3号楼楼道"]


def test_it_gives_a_second_problem_told_on_with_another_word_the_place_of_the_first(staff_client, room):
    """A reviewer's finding: "还有垃圾没人清" (no spot named) lost the building it had before."""
    rows = read(staff_client, "王秀英 08:01\n3号楼楼道灯坏了，还有垃圾没人清").context["rows"]
    assert [f["place"].value() for f in rows] == ["3号楼楼道", "3号楼楼道"]


def test_it_gives_a_sentence_about_another_matter_no_place_of_the_one_before(staff_client, room):
    rows = read(staff_client, "王秀英 08:01\n3号楼电梯又坏了！小区里狗也不拴绳。").context["rows"]
    assert [f["place"].value() for f in rows] == ["3号楼电梯", ""]


def test_it_gives_a_later_problem_the_place_of_the_first_only_where_it_points_back(staff_client, room):
    """A tester's finding: one place was carried down a message's every problem."""
    paste = "王秀英 08:01\n反映几个问题：\n1. 3号楼楼道灯坏了\n2. 门口垃圾桶满了没人清\n3. 物业电话一直打不通"
    rows = read(staff_client, paste).context["rows"]
    assert [f["place"].value() for f in rows] == ["3号楼楼道", "3号楼楼道", ""]


@pytest.mark.parametrize("later", ["还没修好", "又漏了", "楼上还在漏", "08:02 还没修好"])
def test_it_gives_a_follow_up_of_the_same_sender_the_place_of_their_report(staff_client, room, later):
    """A tester's finding: "还没修好" twenty minutes after 王秀英's leak in 3-2-501 had no place
    (and, sent within minutes, was no place to log it on its own either)."""
    at, _sep, text = later.rpartition(" ")
    paste = f"王秀英 08:01\n3-2-501卫生间顶上渗水了\n\n李阿姨 08:10\n谢谢\n\n王秀英 {at or '08:25'}\n{text}"
    rows = read(staff_client, paste).context["rows"]
    assert [(f.draft.message.sender, f["place"].value()) for f in rows] == [
        ("王秀英", "3号楼2单元501"),
        ("李阿姨", ""),
        ("王秀英", "3号楼2单元501"),
    ]


@pytest.mark.parametrize(
    ("sender", "text"),
    [("王秀英", "楼道又堆满了纸箱"), ("王秀英", "小区里狗不拴绳"), ("李阿姨", "还没修好")],
)
def test_it_gives_another_matter_or_another_senders_message_no_place_before(staff_client, room, sender, text):
    paste = f"王秀英 08:01\n3-2-501卫生间顶上渗水了\n\n{sender} 08:25\n{text}"
    rows = read(staff_client, paste).context["rows"]
    assert [f["place"].value() for f in rows] == ["3号楼2单元501", ""]


def test_it_logs_a_follow_up_at_the_place_of_the_report_before(staff_client, room):
    paste = "王秀英 08:01\n3-2-501卫生间顶上渗水了\n\n王秀英 08:25\n楼上还在漏"
    save(staff_client, paste)
    assert [(i.text, i.room_id) for i in Issue.objects.order_by("pk")] == [
        ("3-2-501卫生间顶上渗水了", room.pk),
        ("楼上还在漏", room.pk),
    ]


def test_it_flags_a_message_whose_header_date_does_not_exist(staff_client):
    paste = "李阿姨 2026/11/30 07:50\n门口垃圾没人清\n孙姐 2026/2/30 21:00\n井盖松动了"
    rows = read(staff_client, paste).context["rows"]
    assert [(f.draft.message.sender, f.draft.sent_at is None) for f in rows] == [("李阿姨", False), ("孙姐", True)]
    assert ["draft-bad-date" in f.row_html() for f in rows] == [False, True]
    assert "2026/2/30" in rows[1].row_html()


BAD_DATE = "李阿姨 2026/11/30 07:50\n门口垃圾没人清\n孙姐 2026/2/30 21:00\n井盖松动了"


def test_it_asks_for_the_time_of_a_message_whose_header_date_does_not_exist(staff_client):
    """A tester's finding: 孙姐's message (2026/2/30) was logged at the time of saving without a word."""
    rows = read(staff_client, BAD_DATE).context["rows"]
    assert ['class="form-control form-control-sm draft-received"' in f.row_html() for f in rows] == [False, True]
    assert rows[1]["received_at"].value() is None


def test_it_saves_nothing_until_the_time_of_a_message_with_no_such_date_is_filled_in(staff_client):
    response = save(staff_client, BAD_DATE, **{"m1-place": "7号楼门口"})
    assert Issue.objects.count() == 0
    row = response.context["rows"][1]
    assert row.errors["received_at"] == [
        gettext("The date %(date)s does not exist: fill in when it was sent.") % {"date": "2026/2/30"}
    ]
    assert "draft-received is-invalid" in row.row_html()
    assert row["place"].value() == "7号楼门口"  # nothing typed is lost


def test_it_logs_a_message_with_no_such_date_at_the_time_filled_in(staff_client):
    save(staff_client, BAD_DATE, **{"m1-received_at": "2026-11-29T21:00"})
    issue = Issue.objects.get(sender="孙姐")
    assert issue.received_at == NOW.replace(day=29, hour=21, minute=0)


def test_it_refuses_a_time_filled_in_after_now(staff_client):
    response = save(staff_client, BAD_DATE, **{"m1-received_at": "2026-12-30T21:00"})
    assert Issue.objects.count() == 0
    assert response.context["rows"][1].errors["received_at"] == [gettext("The time received cannot be in the future.")]
    assert 'value="2026-12-30T21:00"' in response.context["rows"][1].row_html()


def test_it_keeps_the_time_filled_in_when_the_paste_is_read_again(staff_client):
    first = read(staff_client, BAD_DATE)
    again = post_back(
        staff_client,
        first,
        BAD_DATE + "\n王秀英 2026/11/30 08:00\n收到",
        action="parse",
        **{"m1-received_at": "2026-11-29T21:00"},
    )
    assert again.context["rows"][1]["received_at"].value() == "2026-11-29T21:00"


def test_it_needs_no_time_for_a_message_with_no_such_date_left_unticked(staff_client):
    save(staff_client, BAD_DATE, **{"m1-include": None})
    assert list(Issue.objects.values_list("sender", flat=True)) == ["李阿姨"]


# --- same problem? ---------------------------------------------------------------------


def test_it_does_not_warn_of_an_open_item_in_another_building(staff_client, community, log, room, categories):
    """A tester's finding (seed_demo): 3-2-501's leak was "maybe the same problem" as 7号楼1单元502's."""
    RoomFactory(unit=UnitFactory(building__community=community, building__number="7", number="1"), room_no="502")
    log("卫生间顶上渗水，楼上没人在家", place=resolve_place(community, "7-1-502"), category=categories["漏水"])
    rows = read(staff_client, "王秀英 08:01\n3-2-501 卫生间顶上渗水").context["rows"]
    assert (rows[0].draft.similar, rows[0].draft.similar_rows) == ([], [])


def test_it_does_not_point_out_an_earlier_message_in_another_building(staff_client, community, room):
    RoomFactory(unit=UnitFactory(building__community=community, building__number="7", number="1"), room_no="502")
    paste = "李阿姨 08:00\n7-1-502 卫生间顶上渗水\n\n王秀英 08:01\n3-2-501 卫生间顶上渗水"
    rows = read(staff_client, paste).context["rows"]
    assert rows[1].draft.similar_rows == []


def test_it_lists_another_flats_item_but_starts_on_a_new_item(staff_client, community, log, room, categories):
    """The flat above may be the cause (it is listed as maybe the same problem), but 501's leak is
    not 601's: folded into it by default, 501 would get no item of its own (a reviewer's finding)."""
    above = RoomFactory(unit=room.unit, room_no="601", floor_no=6)
    issue = log("卫生间顶上渗水了", place=resolve_place(community, "3-2-601"), category=categories["漏水"])
    assert above.pk == issue.room_id
    (row,) = read(staff_client, "王秀英 08:01\n3-2-501 卫生间顶上渗水了").context["rows"]
    assert [i.pk for i in row.draft.similar] == [issue.pk]
    assert row["repeat_of"].value() == ""


def test_it_starts_on_the_open_item_of_the_same_flat(staff_client, community, log, room, categories):
    issue = log("卫生间顶上渗水了", place=resolve_place(community, "3-2-501"), category=categories["漏水"])
    (row,) = read(staff_client, "王秀英 08:01\n3-2-501 卫生间顶上又渗水了").context["rows"]
    assert row["repeat_of"].value() == str(issue.pk)


REPEAT = "老张 08:03\n北区车棚又有人飞线充电了"


def test_it_offers_the_open_item_at_the_same_place_as_the_repeat_when_the_message_says_again(
    staff_client, community, log, categories
):
    """A tester's finding: "又" and the same place and problem, yet the row defaulted to 新事项."""
    charging = categories["电动车充电"]
    issue = log("北区车棚有人从楼上飞线给电动车充电", place=resolve_place(community, "北区车棚"), category=charging)
    (row,) = read(staff_client, REPEAT).context["rows"]
    assert (row["repeat_of"].value(), row.draft.similar[0].same_place) == (str(issue.pk), True)


def test_it_saves_the_message_as_offered_as_a_repeat_report(staff_client, community, log, categories):
    charging = categories["电动车充电"]
    issue = log("北区车棚有人从楼上飞线给电动车充电", place=resolve_place(community, "北区车棚"), category=charging)
    save(staff_client, REPEAT)
    issue.refresh_from_db()
    assert (Issue.objects.count(), issue.report_count) == (1, 2)


def test_it_offers_a_new_item_when_only_the_words_are_alike(staff_client, community, log):
    log("3号楼门口又有人遛狗不拴绳", place=resolve_place(community, "3号楼门口"))
    (row,) = read(staff_client, "王秀英 08:01\n又有人遛狗不拴绳").context["rows"]
    assert (len(row.draft.similar), row["repeat_of"].value()) == (1, "")


# --- reading the paste again ------------------------------------------------------------------

#: BATCH with one forgotten message added between its first two.
BATCH_PLUS = BATCH.replace("\n\n李阿姨 08:03", "\n\n张大爷 08:02\n东门路灯不亮了\n\n李阿姨 08:03")


def choose_and_read_again(client, community, paste=BATCH_PLUS, action="parse", **more):
    contact = PartnerContactFactory(partner__community=community, name="孙丽")
    fire = IssueCategory.objects.in_community(community).get(name="消防安全")
    first = read(client)
    chosen = {
        "m0-handling": f"c:{contact.pk}",
        "m0-note": "已电话告知物业孙丽",
        "m0-reporter": "王秀英",
        "m0-urgency": "urgent",
        "m1-category": str(fire.pk),
        "m1-place": "北区2号车棚",
        "m1-handling": "m:coordinate",
        "m1-include": None,  # unticked
        "m2-include": "on",  # 收到, ticked by hand
        **more,
    }
    return post_back(client, first, paste, action=action, **chosen), contact, fire


def shown(form):
    return {
        name: form[name].value() for name in ("include", "category", "place", "reporter", "handling", "note", "urgency")
    }


def test_it_keeps_the_choices_of_unchanged_messages_when_the_paste_is_read_again(staff_client, community):
    response, contact, fire = choose_and_read_again(staff_client, community)
    rows = response.context["rows"]
    assert [form.draft.message.sender for form in rows] == ["王秀英", "张大爷", "李阿姨", "阳光明媚"]
    assert shown(rows[0]) == {
        "include": True,
        "category": str(rows[0].draft.category.pk),  # as suggested: not changed on the row
        "place": "3-2-501",
        "reporter": "王秀英",
        "handling": f"c:{contact.pk}",
        "note": "已电话告知物业孙丽",
        "urgency": "urgent",
    }
    assert shown(rows[2]) == {
        "include": False,
        "category": str(fire.pk),
        "place": "北区2号车棚",
        "reporter": "",
        "handling": "m:coordinate",
        "note": None,
        "urgency": "normal",
    }
    assert rows[3]["include"].value() is True
    assert [form.added for form in rows] == [False, True, False, False]
    assert "draft-added" in rows[1].row_html() and "draft-added" not in rows[0].row_html()
    assert (rows[1]["include"].value(), rows[1]["handling"].value()) == (True, None)


def test_it_saves_the_choices_kept_through_a_second_reading(staff_client, community):
    response, contact, _ = choose_and_read_again(staff_client, community)
    post_back(staff_client, response, BATCH_PLUS)
    leak = Issue.objects.get(sender="王秀英")
    assert (leak.partner_contact, leak.urgency) == (contact, "urgent")
    assert leak.followups.filter(note="已电话告知物业孙丽").exists()
    assert not Issue.objects.filter(sender="李阿姨").exists()
    assert Issue.objects.filter(sender="张大爷").exists()


def test_it_keeps_the_choices_when_a_changed_paste_is_saved_without_reading_it(staff_client, community):
    """The save button is greyed once the paste changes; without script it still posts."""
    response, contact, _ = choose_and_read_again(staff_client, community, action="save")
    assert not Issue.objects.exists()
    assert response.context["rows"][0]["handling"].value() == f"c:{contact.pk}"


def test_it_suggests_afresh_for_a_message_whose_text_was_changed(staff_client, community):
    paste = BATCH.replace("北区车棚有人飞线充电", "北区车棚有人飞线充电，线从窗户拉下来的")
    response, _, _ = choose_and_read_again(staff_client, community, paste=paste)
    row = response.context["rows"][1]
    assert (row["include"].value(), row["handling"].value(), row.added) == (True, None, True)
    assert response.context["rows"][0]["reporter"].value() == "王秀英"


def test_it_drops_a_kept_choice_that_is_no_longer_on_offer(staff_client, community, other_community):
    stranger = PartnerContactFactory(partner__community=other_community)
    response, _, _ = choose_and_read_again(staff_client, community, **{"m0-handling": f"c:{stranger.pk}"})
    assert response.context["rows"][0]["handling"].value() is None


def test_it_points_a_kept_same_problem_choice_to_the_earlier_message_where_it_is_now(staff_client, room):
    first = read(staff_client, AGAIN)
    paste = "张大爷 昨天 21:00\n东门路灯不亮了\n\n" + AGAIN
    response = post_back(staff_client, first, paste, action="parse", **{"m1-repeat_of": "row:0"})
    rows = response.context["rows"]
    assert rows[2].draft.similar_rows == [1]
    assert rows[2]["repeat_of"].value() == "row:1"


def test_it_keeps_a_new_item_chosen_over_the_suggested_open_item(staff_client, community, log, categories):
    log("3-2-501卫生间顶上渗水了", place=resolve_place(community, "3-2-501"), category=categories["漏水"])
    first = read(staff_client)
    assert first.context["rows"][0]["repeat_of"].value() != ""
    response = post_back(staff_client, first, BATCH_PLUS, action="parse", **{"m0-repeat_of": ""})
    assert response.context["rows"][0]["repeat_of"].value() == ""


def test_it_says_beside_the_save_button_why_it_is_greyed(staff_client):
    page = read(staff_client).content.decode()
    assert 'id="stale-hint" role="status" hidden>' in page
    assert 'aria-describedby="stale-hint"' in page and 'id="btn-reparse"' in page


# --- urgency ----------------------------------------------------------------------------------

URGENT_BATCH = (
    "王秀英 08:01\n3号楼2单元楼道漏水了，急！\n\n"
    "钱阿姨 08:02\n11号楼有老人独居，好几天没见出门了\n\n"
    "李阿姨 08:03\n北区车棚有人飞线充电\n\n"
    "何奶奶 08:04\n3号楼2单元楼道堆满了纸箱，消防通道堵了"
)


def test_it_suggests_the_urgency_from_the_message(staff_client):
    rows = read(staff_client, URGENT_BATCH).context["rows"]
    assert [form["urgency"].value() for form in rows] == ["urgent", "urgent", "normal", "key"]
    assert 'value="urgent" selected>紧急</option>' in rows[0].row_html()


def test_it_saves_the_urgency_of_each_row_with_its_due_time(staff_client):
    save(staff_client, URGENT_BATCH, **{"m1-urgency": "key"})
    leak, alone, chargers = (Issue.objects.get(sender=s) for s in ("王秀英", "钱阿姨", "李阿姨"))
    assert (leak.urgency, alone.urgency, chargers.urgency) == ("urgent", "key", "normal")
    assert leak.due_at - leak.received_at == timedelta(hours=24)
    assert chargers.due_at - chargers.received_at > timedelta(days=10)


def test_it_refuses_an_urgency_not_on_the_list(staff_client):
    response = save(staff_client, URGENT_BATCH, **{"m0-urgency": "extreme"})
    assert response.context["rows"][0].errors["urgency"]
    assert not Issue.objects.exists()


@pytest.mark.parametrize("action", ["parse", "save"])
@pytest.mark.parametrize(
    "field",
    [
        {"m0-category": "²"},
        {"m0-repeat_of": "row:²"},
        {"m0-repeat_of": "²"},
        {"m0-repeat_of": "9" * 5000},
    ],
)
def test_a_tampered_id_in_a_row_is_refused_or_dropped_not_a_500(staff_client, field, action):
    """str.isdigit() takes ² (which int() refuses) and digits past a bigint (review: a 500 when
    read again or saved); such a value is dropped on reading again and refused on saving."""
    first = read(staff_client)
    response = post_back(staff_client, first, BATCH, action=action, **field)
    assert response.status_code == 200
    assert not Issue.objects.exists()


# --- numbers on the shared screen -------------------------------------------------------------

NUMBERS = "王秀英 08:01\n3-2-501漏水，回电13812345678，身份证110105198803150012"


def test_it_masks_phone_and_id_numbers_in_the_drafts(staff_client):
    page = read(staff_client, NUMBERS).content.decode()
    table = page[page.index('id="drafts"') :]
    assert "13812345678" not in table and "110105198803150012" not in table
    assert "回电138****5678，身份证110***********0012" in table


def test_it_saves_the_message_with_its_numbers_as_written(staff_client):
    save(staff_client, NUMBERS)
    assert Issue.objects.get().text == "3-2-501漏水，回电13812345678，身份证110105198803150012"


def test_it_masks_the_numbers_in_the_same_problem_menu(staff_client, community, log, categories):
    log("3-2-501漏水，回电13812345678", place=resolve_place(community, "3-2-501"), category=categories["漏水"])
    page = read(staff_client, NUMBERS).content.decode()
    table = page[page.index('id="drafts"') :]
    assert "13812345678" not in table and "138****5" in table


# --- what was done, for every handling method -------------------------------------------------


def test_it_shows_what_was_done_for_a_method_other_than_on_the_spot(staff_client):
    response = save(staff_client, **{"m0-handling": "m:to_property", "m1-handling": "m:on_the_spot"})
    assert "draft-note draft-note-open" in response.context["rows"][0].row_html()


def test_it_saves_a_paste_of_the_most_messages_it_reads(staff_client, community):
    """Every draft posts about eight fields: Django's default limit of 1,000 fields a request
    refused the save of more than about 125 drafts with a bare 400 (the paste reads 500)."""
    paste = "\n".join(f"居民{i} 08:{i % 60:02d}\n{i % 9 + 1}号楼门口堆放纸箱，编号{i}" for i in range(MAX_MESSAGES))
    response = read(staff_client, paste)
    fields = sum(len(form.fields) for form in response.context["rows"])
    assert fields > 1000  # the limit this is about
    response = post_back(staff_client, response, paste)
    assert response.status_code == 302
    assert Issue.objects.in_community(community).count() == MAX_MESSAGES
