"""The 民情日记 pages: quick entry, detail, transitions, list, export, diary, partners."""

from datetime import datetime, timedelta
from io import BytesIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from PIL import Image

from issues.models.choices import IssueResult, IssueStatus
from issues.models.issue import Issue
from issues.models.timeline import Attachment, FollowUp
from issues.views.item import ISSUE_STEPS
from residents.scoping import SESSION_KEY
from tests.factories import IssueCategoryFactory, IssueFactory, MembershipFactory, PartnerFactory, ResidentFactory


def png_bytes() -> bytes:
    buffer = BytesIO()
    Image.new("RGB", (8, 8), "red").save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture
def issue(community, log):
    return log("5号楼楼道堆放杂物，堵了消防通道")


# --- access -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["issue_detail", "issue_edit", "followup_create", "issue_resolve", "issue_settle", "issue_merge"]
)
def test_it_gives_404_for_another_communitys_item(client, outsider, issue, name):
    client.force_login(outsider)
    response = client.post(reverse(f"issues:{name}", args=[issue.pk]), {"note": "x", "result": "fixed"})
    assert response.status_code == 404
    issue.refresh_from_db()
    assert issue.status == IssueStatus.PENDING


def test_it_lets_a_team_member_see_the_item(staff_client, issue):
    assert staff_client.get(reverse("issues:issue_detail", args=[issue.pk])).status_code == 200


def test_it_forbids_a_read_only_viewer_to_log_items(client, viewer):
    client.force_login(viewer)
    response = client.post(
        reverse("issues:issue_create"), {"channel": "wechat", "text": "测试", "outcome": "investigate"}
    )
    assert response.status_code == 403
    assert not Issue.objects.exists()


def test_it_lists_only_the_communitys_items(client, outsider, issue, other_community):
    theirs = IssueFactory(community=other_community)
    client.force_login(outsider)
    response = client.get(reverse("issues:issue_list"))
    assert response.status_code == 200 and theirs.code in response.content.decode()
    assert issue.code not in client.get(reverse("issues:issue_list")).content.decode()


def test_it_gives_404_for_another_communitys_photo(client, outsider, issue, secretary, now):
    from issues import services

    services.add_followup(
        issue, by=secretary, now=now, kind="photo", photos=[SimpleUploadedFile("a.png", png_bytes(), "image/png")]
    )
    client.force_login(outsider)
    assert client.get(reverse("issues:attachment_file", args=[Attachment.objects.get().pk])).status_code == 404


# --- quick entry --------------------------------------------------------------------------


def entry(**data):
    base = {"channel": "wechat", "text": "3号楼门口有人遛狗不拴绳", "urgency": "normal", "outcome": "investigate"}
    return {**base, **data}


def test_it_logs_an_item_for_investigation_and_keeps_the_channel(staff_client, community, room):
    response = staff_client.post(reverse("issues:issue_create"), entry(channel="phone", place="3-2-501"))
    assert response.status_code == 302
    assert response.url.endswith("?channel=phone")
    issue = Issue.objects.get()
    assert (issue.status, issue.room, issue.channel, issue.category.name) == (
        IssueStatus.PENDING,
        room,
        "phone",
        "养犬",
    )


def test_it_settles_an_item_with_a_contact(staff_client, police):
    staff_client.post(
        reverse("issues:issue_create"),
        entry(outcome="settle", handling_method="to_police", partner_contact=police.pk),
    )
    issue = Issue.objects.get()
    assert (issue.status, issue.partner, issue.partner_contact) == (IssueStatus.IN_PROGRESS, police.partner, police)


def test_it_asks_for_the_handling_method_when_settling_and_keeps_the_text(staff_client):
    response = staff_client.post(reverse("issues:issue_create"), entry(outcome="settle"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "3号楼门口有人遛狗不拴绳" in body
    assert "请选择处理方式" in body
    assert not Issue.objects.exists()


def test_it_refuses_empty_text(staff_client):
    response = staff_client.post(reverse("issues:issue_create"), entry(text="   ", place="北区车棚"))
    assert "请填写居民反映的内容" in response.content.decode()
    assert "北区车棚" in response.content.decode()
    assert not Issue.objects.exists() and not Attachment.objects.exists()


def test_it_refuses_oversized_text_and_keeps_it(staff_client):
    text = "漏" * 2001
    response = staff_client.post(reverse("issues:issue_create"), entry(text=text))
    assert not Issue.objects.exists()
    assert text in response.content.decode()


def test_it_refuses_a_due_date_in_the_past(staff_client):
    response = staff_client.post(
        reverse("issues:issue_create"), entry(outcome="settle", handling_method="coordinate", due_date="2020-01-01")
    )
    assert "办理时限已过" in response.content.decode()
    assert not Issue.objects.exists()


def test_it_keeps_an_unknown_room_as_written(staff_client, room):
    staff_client.post(reverse("issues:issue_create"), entry(place="9-9-909"))
    issue = Issue.objects.get()
    assert (issue.room, issue.place_text) == (None, "9-9-909")


def test_it_matches_the_reporter_to_a_resident(staff_client, community):
    resident = ResidentFactory(community=community, name="王秀英")
    staff_client.post(reverse("issues:issue_create"), entry(reporter_name="王秀英"))
    assert Issue.objects.get().reporter == resident


def test_it_adds_the_same_problem_as_a_repeat_report(staff_client, issue):
    response = staff_client.post(
        reverse("issues:issue_create"), entry(text="5号楼楼道又堆满杂物了", same_as=issue.pk, sender="李阿姨")
    )
    assert response.status_code == 302
    issue.refresh_from_db()
    assert (Issue.objects.count(), issue.report_count) == (1, 2)


def test_it_offers_the_open_item_while_typing(staff_client, issue):
    response = staff_client.get(reverse("issues:issue_suggest"), {"text": "5号楼楼道堆放杂物"})
    assert issue.code in response.content.decode()


def test_it_suggests_the_room_and_category_while_typing(staff_client, room, categories):
    body = staff_client.get(reverse("issues:issue_suggest"), {"text": "楼上漏水", "place": "3-2-501"}).content.decode()
    assert "3号楼2单元501" in body
    assert f'data-suggested-category="{categories["漏水"].pk}"' in body


def test_it_saves_an_item_when_redis_is_down(staff_client, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    response = staff_client.post(reverse("issues:issue_create"), entry())
    assert response.status_code == 302
    assert Issue.objects.count() == 1


def test_it_attaches_a_photo_at_entry(staff_client):
    staff_client.post(
        reverse("issues:issue_create"), entry(photos=SimpleUploadedFile("p.png", png_bytes(), "image/png"))
    )
    assert Attachment.objects.get().content_type == "image/png"


def test_it_refuses_a_file_that_is_not_a_photo(staff_client):
    response = staff_client.post(
        reverse("issues:issue_create"), entry(photos=SimpleUploadedFile("p.jpg", b"not an image", "image/jpeg"))
    )
    assert "这不是照片" in response.content.decode()
    assert not Issue.objects.exists()
    assert not Attachment.objects.exists()


# --- detail, timeline, transitions ----------------------------------------------------------


def test_it_adds_a_note_to_the_timeline_with_htmx(staff_client, issue):
    response = staff_client.post(
        reverse("issues:followup_create", args=[issue.pk]),
        {"kind": "call", "note": "已致电物业"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert "已致电物业" in response.content.decode()
    assert "<html" not in response.content.decode()


def test_it_asks_what_happened_for_an_empty_note(staff_client, issue):
    response = staff_client.post(reverse("issues:followup_create", args=[issue.pk]), {"kind": "call", "note": ""})
    assert response.status_code == 400
    assert issue.followups.count() == 1


def test_it_resolves_with_a_result(staff_client, issue):
    staff_client.post(reverse("issues:issue_resolve", args=[issue.pk]), {"result": "fixed", "note": "已清理"})
    issue.refresh_from_db()
    assert (issue.status, issue.result) == (IssueStatus.RESOLVED, IssueResult.FIXED)


def test_it_explains_a_forbidden_transition_and_changes_nothing(staff_client, issue):
    response = staff_client.post(
        reverse("issues:issue_callback", args=[issue.pk]), {"satisfaction": "satisfied", "method": "phone"}
    )
    assert response.status_code == 400
    assert "办结后才能回访" in response.content.decode()
    issue.refresh_from_db()
    assert issue.status == IssueStatus.PENDING


def test_it_merges_by_number(staff_client, issue, log):
    other = log("楼道堆物")
    staff_client.post(reverse("issues:issue_merge", args=[other.pk]), {"target_code": issue.code})
    other.refresh_from_db()
    assert other.merged_into == issue


def test_it_tells_the_second_editor_and_keeps_their_text(staff_client, issue):
    url = reverse("issues:issue_edit", args=[issue.pk])
    form = {"text": "第一次修改", "urgency": "normal", "version": issue.version}
    staff_client.post(url, form)
    response = staff_client.post(url, {**form, "text": "第二个人的修改"})
    body = response.content.decode()
    assert "其他人刚刚修改了" in body
    assert "第二个人的修改" in body
    issue.refresh_from_db()
    assert issue.text == "第一次修改"


# --- list, search, export, diary ---------------------------------------------------------------


@pytest.mark.parametrize("q", ["拴绳", "遛狗不拴"])
def test_it_finds_chinese_substrings(staff_client, log, q):
    wanted = log("3号楼门口有人遛狗不拴绳")
    log("5号楼楼道堆物")
    response = staff_client.get(reverse("issues:issue_list"), {"q": q})
    assert [i.pk for i in response.context["object_list"]] == [wanted.pk]


def test_it_filters_overdue_items(staff_client, community, now):
    IssueFactory(community=community, text="早就过期", due_at=now.replace(year=2025))
    IssueFactory(community=community, text="还没到期", due_at=now.replace(year=2030))
    response = staff_client.get(reverse("issues:issue_list"), {"overdue": "on"})
    assert [i.text for i in response.context["object_list"]] == ["早就过期"]


def test_the_lists_tab_does_not_say_open_items_over_a_list_of_every_item(staff_client, log):
    """The tab read 未办结事项 and was lit over the whole list, closed items included (found by
    a tester); it names the list, and still opens on the open items."""
    page = staff_client.get(reverse("issues:issue_list")).content.decode()
    url = reverse("issues:issue_list")
    assert f'<a class="nav-link active" href="{url}?open=on">事项列表</a>' in page
    assert ">未办结事项</a>" not in page


def test_a_reversed_date_range_is_said_not_answered_with_nothing(staff_client, log):
    """1 December to 1 November showed 共 0 条 and no word (found by a tester)."""
    log("3号楼门口有人遛狗不拴绳")
    response = staff_client.get(
        reverse("issues:issue_list"), {"received_min": "2026-12-01", "received_max": "2026-11-01"}
    )
    body = response.content.decode()
    # Named by its label, not the form's field name ("received"), and saying why nothing is listed.
    assert "请先修改以下筛选条件，改好后才会列出结果：" in body
    errors = body.split('id="filter-errors"')[1].split("</ul>")[0]
    assert "<li>接件日期：第一个日期晚于第二个日期，请对调。</li>" in errors and "received" not in errors
    assert 'value="2026-12-01"' in body  # what was typed is kept


@pytest.mark.parametrize(
    ("params", "said"),
    [
        ({"owner": 999999}, "责任人：不在可选的选项中（可能已删除），请重新选择。"),
        ({"partner": 999999}, "对接单位：不在可选的选项中（可能已删除），请重新选择。"),
        ({"status": "zzz"}, "状态：不在可选的选项中（可能已删除），请重新选择。"),
        ({"received_min": "12/01/2026"}, "接件日期：请填写有效的日期，格式如 2026-12-01。"),
        ({"received_max": "2026-13-45"}, "接件日期：请填写有效的日期，格式如 2026-12-01。"),
    ],
)
def test_a_filter_not_understood_is_said_once_in_plain_words_and_counts_nothing(staff_client, log, params, said):
    """A tester saw Django's "责任人：选择一个有效的选项： 该选择不在可用的选项中。" (two colons, no
    advice) twice, under the select and in the alert, and "共 0 条" over a list that was only
    withheld until the filter is corrected."""
    log("5号楼楼道堆放杂物")
    page = staff_client.get(reverse("issues:issue_list"), params).content.decode()
    errors = page.split('id="filter-errors"')[1].split("</div>")[0]
    assert f"<li>{said}</li>" in errors
    assert page.count(said.split("：")[1]) == 1 and "选择一个有效的选项" not in page
    assert "共 0 条" not in page and "共 1 条" not in page


def test_a_filter_not_understood_is_said_in_english_too(staff_client, log):
    staff_client.cookies["django_language"] = "en"
    page = staff_client.get(reverse("issues:issue_list"), {"owner": 999999, "received_max": "x"}).content.decode()
    assert "This is not one of the choices (it may have been removed); choose again." in page
    assert "Enter a real date, such as 2026-12-01." in page
    assert "0 items" not in page


def test_the_owners_are_offered_in_pinyin_order(staff_client, community):
    """By code point 张 came before 李 and 王, and 陈 last: not how a Beijing office reads names."""
    for username, name in [("a", "张伟"), ("b", "王芳"), ("c", "陈静"), ("d", "李娜"), ("e", "刘洋")]:
        MembershipFactory(community=community, user__username=username, user__first_name=name)
    page = staff_client.get(reverse("issues:issue_list")).content.decode()
    select = page[page.index('<select name="owner"') :].split("</select>")[0]
    in_pinyin_order = ["陈静", "李娜", "刘洋", "王芳", "张伟"]
    assert sorted(["张伟", "王芳", "陈静", "李娜", "刘洋"], key=select.index) == in_pinyin_order


def test_the_lists_filters_offer_all_first_not_dashes(staff_client, log):
    page = staff_client.get(reverse("issues:issue_list")).content.decode()
    for name in ("category", "channel", "owner", "partner", "building"):
        select = page[page.index(f'<select name="{name}"') :]
        assert select[: select.index("</option>")].endswith('<option value="" selected>全部'), name
    assert "---------" not in page


def test_the_list_draws_each_item_once_for_a_pc_and_a_phone(staff_client, log):
    """The list drew every row twice, as a card for phones and as a table row for PCs, one of
    them hidden: a fifth of the page's bytes and of its Python calls. Now one table row per item,
    which fuhai.css lays out as a card on a phone (tests/browser: the phone's card)."""
    issues = [log(text) for text in ("3号楼门口有人遛狗不拴绳", "5号楼楼道堆放杂物")]
    page = staff_client.get(reverse("issues:issue_list")).content.decode()
    for issue in issues:
        assert page.count(issue.code) == 1
        assert page.count(reverse("issues:issue_detail", args=[issue.pk]) + '"') == 2  # its number and its text
    assert 'class="table table-hover align-middle bg-white table-cards" id="issue-table"' in page
    assert "One row per item" not in page  # the template's comment stays in the template


def test_the_phone_filter_button_says_how_many_filters_are_set(staff_client, log, community):
    """On a phone the filters fold away under a button: after filtering, nothing on the page said
    that a category or a state was still chosen. The button counts them; the search words are
    in view and not counted."""
    log("5号楼楼道堆放杂物")
    category = IssueCategoryFactory(community=community)
    url = reverse("issues:issue_list")
    plain = staff_client.get(url, {"q": "楼道"}).content.decode()
    assert 'id="filters-toggle">筛选条件</button>' in plain
    chosen = {"q": "楼道", "category": category.pk, "status": ["pending", "in_progress"], "overdue": "on"}
    page = staff_client.get(url, chosen).content.decode()
    assert 'id="filters-toggle">筛选条件 <span class="badge text-bg-primary">3</span></button>' in page
    assert 'class="collapse d-lg-contents" id="more-filters"' in page  # folded: nothing to correct


def test_a_filter_not_understood_opens_the_folded_filters(staff_client, log):
    """On a phone the alert named a filter that was out of sight, inside the folded panel: the
    panel is open when a filter has to be corrected."""
    log("5号楼楼道堆放杂物")
    page = staff_client.get(reverse("issues:issue_list"), {"owner": 999999}).content.decode()
    assert 'id="filter-errors"' in page
    # Above the filters: below the open panel, a phone showed only a red box saying 全部.
    assert page.index('id="filter-errors"') < page.index('id="issue-filter"')
    assert 'class="collapse d-lg-contents show" id="more-filters"' in page
    assert 'aria-expanded="true" id="filters-toggle"' in page


@pytest.mark.parametrize("rows", [5, 50])
def test_it_keeps_list_queries_bounded(staff_client, community, django_assert_max_num_queries, rows):
    partner = PartnerFactory(community=community)
    IssueFactory.create_batch(rows, community=community, partner=partner)
    with django_assert_max_num_queries(12):
        response = staff_client.get(reverse("issues:issue_list"))
    assert len(response.context["object_list"]) == min(rows, 30)


@pytest.mark.parametrize("rows", [5, 50])
def test_it_keeps_detail_queries_bounded(staff_client, issue, secretary, now, django_assert_max_num_queries, rows):
    FollowUp.objects.bulk_create(
        [FollowUp(issue=issue, kind="note", note=f"第{i}次", author=secretary, created_at=now) for i in range(rows)]
    )
    with django_assert_max_num_queries(10):
        assert staff_client.get(reverse("issues:issue_detail", args=[issue.pk])).status_code == 200


@pytest.mark.parametrize("rows", [5, 50])
def test_it_keeps_partner_list_queries_bounded(staff_client, community, django_assert_max_num_queries, rows):
    for _ in range(rows):
        IssueFactory(community=community, partner=PartnerFactory(community=community))
    with django_assert_max_num_queries(8):
        assert staff_client.get(reverse("issues:partner_list")).status_code == 200


def test_it_exports_the_filtered_list_with_masked_numbers(staff_client, log):
    log("我的电话13812348000，楼上漏水")
    response = staff_client.get(reverse("issues:issue_export"))
    sheet = load_workbook(BytesIO(response.content)).active
    header = [c.value for c in sheet[1]]
    assert header[:6] == ["编号", "接件时间", "来源", "反映人", "地点", "内容"]
    assert sheet.cell(row=2, column=6).value == "我的电话138****8000，楼上漏水"


def test_it_shows_the_days_diary_with_counts(staff_client, issue, now):
    response = staff_client.get(reverse("issues:issue_diary_day", args=[now.date().isoformat()]))
    assert response.context["counts"]["logged"] == 1
    assert issue.code in response.content.decode()


def test_it_lists_a_partners_open_items(staff_client, log, police):
    issue = log(settle={"method": "to_police", "partner": police.partner, "partner_contact": police})
    response = staff_client.get(reverse("issues:partner_detail", args=[police.partner.pk]))
    assert issue.code in response.content.decode()


def test_the_partner_list_says_how_long_their_oldest_open_item_has_waited(staff_client, community):
    """最长等待 counted only items in 等待对接方 and was blank beside a partner whose items were
    in 办理中, while the partner's own page said 已等待 2 日 (a tester's finding)."""
    now = timezone.now()  # the page's own clock
    busy = PartnerFactory(community=community, name="福海物业")
    IssueFactory(community=community, partner=busy, status="in_progress", received_at=now - timedelta(days=3, hours=1))
    IssueFactory(community=community, partner=busy, status="in_progress", received_at=now - timedelta(hours=5))
    waiting = PartnerFactory(community=community, name="供暖服务中心")
    IssueFactory(
        community=community,
        partner=waiting,
        status="waiting",
        received_at=now - timedelta(days=9),
        waiting_since=now - timedelta(days=1, hours=2),
    )
    idle = PartnerFactory(community=community, name="城管执法队")
    IssueFactory(community=community, partner=idle, status="closed", received_at=now - timedelta(days=30))
    page = staff_client.get(reverse("issues:partner_list")).content.decode()

    def row(name):
        return page[page.index(name) :].split("</tr>")[0]

    assert "已等3天1小时" in row("福海物业")
    assert "已等1天2小时" in row("供暖服务中心") and "9天" not in row("供暖服务中心")  # since it was handed over
    assert "已等" not in row("城管执法队")


@pytest.mark.parametrize(
    "language, days, hours, short, headings",
    [
        ("zh-hans", "已等3天4小时", "已等5小时3分钟", "已等不到1分钟", ("最长等待", "最久一件", "等待时长")),
        (
            "en",
            "waiting 3\xa0d\xa04\xa0h",
            "waiting 5\xa0h\xa03\xa0min",
            "waiting less\xa0than\xa01\xa0min",
            ("Longest wait", "oldest item", "Time waiting"),
        ),
    ],
)
@time_machine.travel(datetime(2026, 12, 7, 8, 30, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False)
def test_the_partner_pages_write_the_wait_as_the_office_does(
    staff_client, community, language, days, hours, short, headings
):
    """The partner pages said 3 日，4 小时 (timesince's words) where every other page writes a
    time as 已超时21小时4分钟: days and hours from a day on, hours and minutes under a day."""
    staff_client.cookies["django_language"] = language
    now = timezone.now()
    partner = PartnerFactory(community=community, name="供暖服务中心")
    oldest = IssueFactory(
        community=community,
        partner=partner,
        status="waiting",
        received_at=now - timedelta(days=9),
        waiting_since=now - timedelta(days=3, hours=4),
    )
    newer = IssueFactory(
        community=community, partner=partner, status="in_progress", received_at=now - timedelta(hours=5, minutes=3)
    )
    # Received "a few minutes from now" (a PC's clock ahead; the form allows five): not 0分钟.
    newest = IssueFactory(
        community=community, partner=partner, status="in_progress", received_at=now + timedelta(minutes=4)
    )
    listed = staff_client.get(reverse("issues:partner_list")).content.decode()
    detail = staff_client.get(reverse("issues:partner_detail", args=[partner.pk])).content.decode()

    def row(page, text):
        return page[page.index(text) :].split("</tr>")[0]

    assert days in row(listed, "供暖服务中心")
    assert days in row(detail, oldest.code) and hours in row(detail, newer.code) and short in row(detail, newest.code)
    # The list's column is its partner's longest wait (a phone's card says whose), the page's each item's.
    longest, oldest_item, waiting = headings
    assert f'<th class="text-nowrap">{longest}</th>' in listed and oldest_item in row(listed, "供暖服务中心")
    assert f'<th class="text-nowrap">{waiting}</th>' in detail


def test_the_diary_names_the_contact_without_brackets_in_brackets(staff_client, log, police, now):
    """当日办理 read （刘警官（福海社区警务站））."""
    log(settle={"method": "to_police", "partner": police.partner, "partner_contact": police})
    page = staff_client.get(reverse("issues:issue_diary_day", args=[now.date().isoformat()])).content.decode()
    assert "· 刘警官（福海社区警务站）" in page and "（刘警官（" not in page


@pytest.mark.parametrize("rows", [5, 50])
def test_it_keeps_diary_and_partner_page_queries_bounded(
    staff_client, community, secretary, now, django_assert_max_num_queries, rows
):
    partner = PartnerFactory(community=community)
    for issue in IssueFactory.create_batch(rows, community=community, partner=partner, status="in_progress"):
        FollowUp.objects.create(issue=issue, kind="call", note="已联系", author=secretary, created_at=now)
    with django_assert_max_num_queries(8):
        assert staff_client.get(reverse("issues:issue_diary_day", args=[now.date().isoformat()])).status_code == 200
    with django_assert_max_num_queries(8):
        assert staff_client.get(reverse("issues:partner_detail", args=[partner.pk])).status_code == 200


def test_it_labels_a_response_templates_name_as_such(staff_client):
    body = staff_client.get(reverse("issues:template_list")).content.decode()
    assert "答复名称" in body
    assert "职务" not in body


@pytest.mark.parametrize("rows", [5, 50])
def test_it_keeps_category_template_and_notification_lists_bounded(
    staff_client, staff, community, now, django_assert_max_num_queries, rows
):
    from django.contrib.contenttypes.models import ContentType

    from issues.models.category import IssueCategory, ResponseTemplate
    from issues.models.reminder import Notification, Reminder

    categories = IssueCategory.objects.bulk_create(
        [IssueCategory(community=community, name=f"分类{n}") for n in range(rows)]
    )
    ResponseTemplate.objects.bulk_create(
        [
            ResponseTemplate(community=community, title=f"答复{n}", text="已转物业", category=categories[n])
            for n in range(rows)
        ]
    )
    issue = IssueFactory(community=community)
    content_type = ContentType.objects.get_for_model(Issue)
    reminders = Reminder.objects.bulk_create(
        [
            Reminder(
                community=community,
                content_type=content_type,
                object_id=issue.pk,
                kind="overdue",
                due_at=now + timedelta(minutes=n),
                title=f"提醒{n}",
                created_at=now,
            )
            for n in range(rows)
        ]
    )
    Notification.objects.bulk_create([Notification(reminder=r, recipient=staff) for r in reminders])
    for name in ("issues:category_list", "issues:template_list", "issues:notification_list"):
        with django_assert_max_num_queries(10):
            assert staff_client.get(reverse(name)).status_code == 200


# --- the declared steps of an item -----------------------------------------------------------


def step_input(name: str, other: Issue) -> dict:
    """A valid form for each declared step; ``other`` is the item a merge points to."""
    return {
        "settle": {"handling_method": "coordinate"},
        "resolve": {"result": "fixed", "note": "已清理"},
        "callback": {"satisfaction": "satisfied", "method": "phone"},
        "resume": {"note": "对接方退回社区"},
        "not_ours": {"note": "属于市政管辖，已解释"},
        "reopen": {"note": "居民说又堆上了"},
        "merge": {"target_code": other.code},
    }[name]


@pytest.mark.parametrize("name", ISSUE_STEPS)
def test_it_carries_out_every_declared_step_at_its_url(secretary_client, secretary, issue, log, now, name):
    other = log("楼道堆物")
    if name == "callback":
        issue.resolve(by=secretary, now=now, result=IssueResult.FIXED, note="已清理")
    entries = issue.followups.count()
    response = secretary_client.post(reverse(f"issues:issue_{name}", args=[issue.pk]), step_input(name, other))
    assert (response.status_code, response.url) == (302, reverse("issues:issue_detail", args=[issue.pk]))
    assert issue.followups.count() == entries + 1
    [message] = get_messages(response.wsgi_request)
    assert (message.level_tag, issue.code in message.message) == ("success", True)


@pytest.mark.parametrize("name", ISSUE_STEPS)
def test_it_opens_the_steps_own_panel_when_its_form_is_empty(secretary_client, issue, name):
    step = ISSUE_STEPS[name]
    response = secretary_client.post(reverse(f"issues:issue_{name}", args=[issue.pk]), {})
    assert (response.status_code, response.context["open_panel"]) == (400, step.prefix)
    form = response.context[step.prefix]
    assert (type(form), form.is_bound, bool(form.errors)) == (step.form_class, True, True)
    issue.refresh_from_db()
    assert (issue.status, issue.followups.count()) == (IssueStatus.PENDING, 1)


@pytest.mark.parametrize("name", ISSUE_STEPS)
def test_it_gives_404_for_every_step_of_another_communitys_item(client, outsider, issue, log, name):
    other = log("楼道堆物")
    client.force_login(outsider)
    response = client.post(reverse(f"issues:issue_{name}", args=[issue.pk]), step_input(name, other))
    assert response.status_code == 404
    issue.refresh_from_db()
    assert (issue.status, issue.followups.count()) == (IssueStatus.PENDING, 1)


@pytest.mark.parametrize("name", ISSUE_STEPS)
def test_it_forbids_a_read_only_viewer_every_step(client, viewer, issue, log, name):
    other = log("楼道堆物")
    client.force_login(viewer)
    response = client.post(reverse(f"issues:issue_{name}", args=[issue.pk]), step_input(name, other))
    assert response.status_code == 403
    issue.refresh_from_db()
    assert (issue.status, issue.followups.count()) == (IssueStatus.PENDING, 1)


EDITS = [("issue_edit", "get"), ("issue_edit", "post"), ("followup_create", "post"), ("issue_undo", "post")]
EDITS += [(f"issue_{name}", "post") for name in ISSUE_STEPS]


@pytest.mark.parametrize(("name", "method"), EDITS)
def test_a_read_only_member_gets_404_for_another_communitys_item_to_change(two_community_viewer, issue, name, method):
    """/issues/9/ was a 404 to a 街道 viewer working in their other community, /issues/9/edit/ a
    403 无权操作: an item of another community is a 404 on every page, as get_object_for says."""
    response = getattr(two_community_viewer, method)(reverse(f"issues:{name}", args=[issue.pk]))
    assert response.status_code == 404


@pytest.mark.parametrize(("name", "method"), EDITS)
def test_a_read_only_member_gets_403_for_their_own_communitys_item_to_change(
    two_community_viewer, issue, community, name, method
):
    session = two_community_viewer.session
    session[SESSION_KEY] = community.pk
    session.save()
    response = getattr(two_community_viewer, method)(reverse(f"issues:{name}", args=[issue.pk]))
    assert response.status_code == 403


@pytest.mark.parametrize(("status", "shown"), [(IssueStatus.IN_PROGRESS, True), (IssueStatus.CLOSED, False)])
def test_the_escalation_badge_is_shown_while_the_item_is_open(staff_client, community, status, shown):
    """需升级 stayed red on an item 已回访归档: a call to act on an item nobody can act on."""
    issue = IssueFactory(community=community, status=status, escalated=True)
    detail = staff_client.get(reverse("issues:issue_detail", args=[issue.pk])).content.decode()
    listed = staff_client.get(reverse("issues:issue_list")).content.decode()
    assert ('badge text-bg-danger">需升级' in detail, 'badge text-bg-danger">需升级' in listed) == (shown, shown)
