"""The patrol pages: access, taps by fetch and by form, new problems, route, end, queries."""

import io
import re
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from issues import services
from issues.models.choices import IssueChannel, IssueStatus
from issues.models.issue import Issue
from issues.models.timeline import Attachment
from issues.patrol.models import Outcome, Patrol, PatrolCheck, PatrolStop
from residents.places import Place
from tests.factories import BuildingFactory, IssueFactory, PatrolFactory, PatrolStopFactory

FETCH = {"HTTP_X_REQUESTED_WITH": "fetch"}


@pytest.fixture
def patrol(community, staff):
    return PatrolFactory(community=community, staff=staff)


@pytest.fixture
def walker(client, staff):
    client.force_login(staff)
    return client


def url(name, *args):
    return reverse(f"issues:{name}", args=args)


def png(name="photo.png"):
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def tap_data(issue, outcome="still", **extra):
    return {"client_id": str(uuid.uuid4()), "issue": issue.pk, "outcome": outcome, **extra}


# --- start ---------------------------------------------------------------------------


def test_it_starts_a_patrol_for_the_user(walker, staff):
    response = walker.post(url("patrol_start"))
    patrol = Patrol.objects.get()
    assert (patrol.staff, response.url) == (staff, url("patrol_detail", patrol.pk))


def test_it_continues_the_patrol_under_way_instead_of_starting_another(walker, patrol):
    walker.post(url("patrol_start"))
    assert Patrol.objects.count() == 1


def test_it_does_not_let_a_viewer_start_a_patrol(client, viewer):
    client.force_login(viewer)
    assert client.post(url("patrol_start")).status_code == 403


def test_it_offers_a_viewer_to_see_the_route_not_to_edit_it(client, viewer, walker):
    """A 街道 viewer was offered 编辑路线 onto a page where they can only look (tester)."""
    assert "编辑路线" in walker.get(url("patrol_start")).content.decode()
    client.force_login(viewer)  # the walker's client: logged in as the viewer from here
    page = client.get(url("patrol_start")).content.decode()
    assert "查看路线" in page and "编辑路线" not in page


def test_it_shows_the_start_page_with_a_link_in_the_issues_menu(walker):
    response = walker.get(url("patrol_start"))
    assert url("patrol_start").encode() in response.content


# --- the walking page ------------------------------------------------------------------


def test_it_lists_open_items_in_the_order_of_the_route(walker, patrol, community, log):
    PatrolStopFactory(community=community, name="消防通道", position=0)
    PatrolStopFactory(community=community, name="电动车棚", position=1)
    log("电动车棚有人飞线充电")
    log("消防通道被私家车堵了")
    content = walker.get(url("patrol_detail", patrol.pk)).content.decode()
    assert content.index("消防通道被私家车堵了") < content.index("电动车棚有人飞线充电")


def test_it_lists_items_matching_no_stop_at_the_end(walker, patrol, community, log):
    PatrolStopFactory(community=community, name="电动车棚", position=0)
    log("东门路灯不亮", place=Place(text="东门"))
    log("电动车棚有人飞线充电")
    content = walker.get(url("patrol_detail", patrol.pk)).content.decode()
    assert content.index("电动车棚有人飞线充电") < content.index("其他地点") < content.index("东门路灯不亮")


def test_it_leaves_items_with_no_place_off_the_walk(walker, patrol, community, log):
    """A desk enquiry listed under 其他地点 with 还在/已解决/更严重: one tap on 已解决 closed a
    colleague's item that no walk can check (a tester's finding)."""
    PatrolStopFactory(community=community, name="电动车棚", position=0)
    log("咨询老年卡办理地点和所需材料")
    log("东门路灯不亮", place=Place(text="东门"))
    content = walker.get(url("patrol_detail", patrol.pk)).content.decode()
    assert "东门路灯不亮" in content and "咨询老年卡办理地点和所需材料" not in content


def test_it_keeps_an_item_with_no_place_under_the_stop_its_text_names(walker, patrol, community, log):
    PatrolStopFactory(community=community, name="电动车棚", position=0)
    log("电动车棚有人飞线充电")
    assert "电动车棚有人飞线充电" in walker.get(url("patrol_detail", patrol.pk)).content.decode()


def test_it_keeps_an_item_with_no_place_that_this_walk_already_tapped(walker, patrol, log):
    issue = log("咨询老年卡办理地点和所需材料")
    walker.post(url("patrol_check", patrol.pk), tap_data(issue, "still"), **FETCH)
    assert f'id="item-{issue.pk}"' in walker.get(url("patrol_detail", patrol.pk)).content.decode()


def test_it_leaves_closed_items_off_the_walking_page(walker, patrol, community, log):
    IssueFactory(community=community, text="早已办结的事", place_text="东门", status=IssueStatus.CLOSED)
    log("东门路灯不亮", place=Place(text="东门"))
    response = walker.get(url("patrol_detail", patrol.pk))
    assert response.status_code == 200 and "东门路灯不亮" in response.content.decode()
    assert "早已办结的事" not in walker.get(url("patrol_detail", patrol.pk)).content.decode()


def test_it_hides_another_communitys_patrol(client, outsider, patrol):
    client.force_login(outsider)
    assert client.get(url("patrol_detail", patrol.pk)).status_code == 404


def test_it_sends_a_colleague_to_the_record_of_a_walk_that_is_not_theirs(secretary_client, patrol):
    response = secretary_client.get(url("patrol_detail", patrol.pk))
    assert response.url == url("patrol_summary", patrol.pk)


@pytest.mark.parametrize("rows", [5, 50])
def test_it_keeps_the_walking_page_queries_bounded(walker, patrol, community, django_assert_max_num_queries, rows):
    services.ensure_default_categories(community)
    building = BuildingFactory(community=community, number="3")
    PatrolStopFactory(community=community, name="", building=building, position=0)
    PatrolStopFactory(community=community, name="电动车棚", position=1)
    for n in range(rows):
        IssueFactory(community=community, building=building if n % 2 else None, text=f"电动车棚问题{n}")
    with django_assert_max_num_queries(11):
        response = walker.get(url("patrol_detail", patrol.pk))
    assert response.content.decode().count('class="card patrol-item') == rows


# --- taps ------------------------------------------------------------------------------


def test_it_records_a_tap_sent_by_fetch(walker, patrol, log):
    issue = log()
    response = walker.post(url("patrol_check", patrol.pk), tap_data(issue), **FETCH)
    assert (response.status_code, response.json()["status"]) == (201, "saved")


def test_it_answers_a_resent_tap_as_a_duplicate_and_records_it_once(walker, patrol, log):
    data = tap_data(log())
    walker.post(url("patrol_check", patrol.pk), data, **FETCH)
    response = walker.post(url("patrol_check", patrol.pk), data, **FETCH)
    assert (response.json()["status"], PatrolCheck.objects.count()) == ("duplicate", 1)


def test_it_resolves_an_item_tapped_solved(walker, patrol, log):
    issue = log()
    walker.post(url("patrol_check", patrol.pk), tap_data(issue, "solved"), **FETCH)
    issue.refresh_from_db()
    assert issue.status == IssueStatus.RESOLVED


def test_it_keeps_a_tap_photo_behind_the_access_checked_view(walker, patrol, log):
    issue = log()
    walker.post(url("patrol_check", patrol.pk), tap_data(issue, photo=png()), **FETCH)
    attachment = Attachment.objects.get()
    assert (attachment.issue, walker.get(url("attachment_file", attachment.pk)).status_code) == (issue, 200)


def test_it_refuses_a_tap_photo_that_is_not_a_picture(walker, patrol, log):
    fake = SimpleUploadedFile("photo.jpg", b"not a picture", content_type="image/jpeg")
    response = walker.post(url("patrol_check", patrol.pk), tap_data(log(), photo=fake), **FETCH)
    assert (response.status_code, "photo" in response.json()["errors"]) == (400, True)
    assert not PatrolCheck.objects.exists() and not Attachment.objects.exists()


def test_it_redirects_a_tap_posted_without_javascript(walker, patrol, log):
    response = walker.post(url("patrol_check", patrol.pk), tap_data(log()))
    assert (response.status_code, response.url) == (302, url("patrol_detail", patrol.pk))


def test_a_tap_without_javascript_posts_the_id_the_page_gave_it(walker, patrol, log):
    """With JavaScript off the browser posts the check form as the page rendered it: its
    client_id must already hold an id, or the tap fails with "this field is required"."""
    issue = log(place=Place(text="3号楼门口"))
    page = walker.get(url("patrol_detail", patrol.pk)).content.decode()
    form = page.split(f'id="item-{issue.pk}"', 1)[1].split('class="patrol-undo', 1)[0]
    client_id = re.search(r'name="client_id" value="([^"]*)"', form).group(1)
    tap = {"client_id": client_id, "issue": issue.pk, "outcome": "still"}
    response = walker.post(url("patrol_check", patrol.pk), tap)
    assert (response.status_code, response.url) == (302, url("patrol_detail", patrol.pk))
    assert PatrolCheck.objects.get().client_id == uuid.UUID(client_id)


def test_it_refuses_a_tap_on_an_item_that_is_no_longer_open(walker, patrol, community):
    issue = IssueFactory(community=community, status=IssueStatus.CLOSED)
    response = walker.post(url("patrol_check", patrol.pk), tap_data(issue), **FETCH)
    assert response.status_code == 409
    issue.refresh_from_db()
    assert issue.status == IssueStatus.CLOSED and not PatrolCheck.objects.exists()


def test_it_refuses_a_tap_after_the_patrol_ended(walker, patrol, staff, log, now):
    patrol.end(by=staff, now=now, places=[], checklist={})
    response = walker.post(url("patrol_check", patrol.pk), tap_data(log()), **FETCH)
    assert response.status_code == 409
    assert not PatrolCheck.objects.exists()


def test_it_hides_another_communitys_item_from_a_tap(walker, patrol, other_community):
    issue = IssueFactory(community=other_community)
    assert walker.post(url("patrol_check", patrol.pk), tap_data(issue), **FETCH).status_code == 404


def test_it_hides_another_communitys_patrol_from_a_tap(client, outsider, patrol, log):
    client.force_login(outsider)
    assert client.post(url("patrol_check", patrol.pk), tap_data(log()), **FETCH).status_code == 404


def test_it_does_not_let_a_colleague_tap_on_someone_elses_walk(secretary_client, patrol, log):
    response = secretary_client.post(url("patrol_check", patrol.pk), tap_data(log()), **FETCH)
    assert response.status_code == 403


def test_it_does_not_let_a_viewer_tap(client, viewer, community, log):
    patrol = PatrolFactory(community=community, staff=viewer)
    client.force_login(viewer)
    assert client.post(url("patrol_check", patrol.pk), tap_data(log()), **FETCH).status_code == 403


# --- 撤销 a tap ---------------------------------------------------------------------------


def tap_then_undo(client, patrol, issue, outcome="still"):
    data = tap_data(issue, outcome)
    client.post(url("patrol_check", patrol.pk), data, **FETCH)
    return client.post(url("patrol_undo", patrol.pk), {"client_id": data["client_id"]}, **FETCH)


def test_it_takes_back_a_tap_sent_by_fetch(walker, patrol, log):
    response = tap_then_undo(walker, patrol, log())
    assert (response.status_code, response.json()["status"]) == (200, "undone")
    assert not PatrolCheck.objects.exists()


def test_it_lets_the_walker_tap_again_after_taking_a_tap_back(walker, patrol, log):
    issue = log()
    tap_then_undo(walker, patrol, issue, "solved")
    response = walker.post(url("patrol_check", patrol.pk), tap_data(issue, "still"), **FETCH)
    assert (response.status_code, PatrolCheck.objects.get().outcome) == (201, "still")


def test_it_answers_a_resent_undo_as_a_duplicate(walker, patrol, log):
    issue = log()
    data = tap_data(issue)
    walker.post(url("patrol_check", patrol.pk), data, **FETCH)
    walker.post(url("patrol_undo", patrol.pk), {"client_id": data["client_id"]}, **FETCH)
    again = walker.post(url("patrol_undo", patrol.pk), {"client_id": data["client_id"]}, **FETCH)
    assert again.json()["status"] == "duplicate"
    assert issue.followups.filter(kind="note").count() == 1


def test_it_lowers_the_escalation_flag_when_the_worse_tap_taken_back_raised_it(walker, patrol, log):
    issue = log()
    tap_then_undo(walker, patrol, issue, "worse")
    issue.refresh_from_db()
    assert not issue.escalated


def test_it_keeps_the_escalation_flag_the_item_had_before_a_worse_tap_taken_back(walker, patrol, log):
    issue = log()
    Issue.objects.filter(pk=issue.pk).update(escalated=True)
    tap_then_undo(walker, patrol, issue, "worse")
    issue.refresh_from_db()
    assert issue.escalated


def test_it_refuses_to_take_back_a_tap_after_the_item_moved_on(walker, patrol, log, secretary, now):
    issue = log()
    data = tap_data(issue, "solved")
    walker.post(url("patrol_check", patrol.pk), data, **FETCH)
    issue.refresh_from_db()
    issue.callback(by=secretary, now=now, satisfaction="satisfied", method="phone")
    response = walker.post(url("patrol_undo", patrol.pk), {"client_id": data["client_id"]}, **FETCH)
    assert (response.status_code, PatrolCheck.objects.count()) == (409, 1)


def test_it_hides_another_communitys_patrol_from_an_undo(client, outsider, patrol, log):
    client.force_login(outsider)
    response = client.post(url("patrol_undo", patrol.pk), {"client_id": str(uuid.uuid4())}, **FETCH)
    assert response.status_code == 404


def test_it_does_not_let_a_colleague_take_back_a_tap_on_someone_elses_walk(secretary_client, patrol, log):
    response = secretary_client.post(url("patrol_undo", patrol.pk), {"client_id": str(uuid.uuid4())}, **FETCH)
    assert response.status_code == 403


def test_it_shows_a_tapped_item_as_recorded_with_an_undo_button(walker, patrol, log):
    issue = log()
    data = tap_data(issue, "worse")
    walker.post(url("patrol_check", patrol.pk), data, **FETCH)
    content = walker.get(url("patrol_detail", patrol.pk)).content.decode()
    assert f'name="client_id" value="{data["client_id"]}"' in content
    assert 'class="patrol-undo mt-1"' in content


# --- new problems -----------------------------------------------------------------------


def test_it_asks_for_the_description_before_the_categories_on_the_new_problem_form(walker, patrol, community):
    services.ensure_default_categories(community)
    content = walker.get(url("patrol_detail", patrol.pk)).content.decode()
    assert content.index('id="id_text"') < content.index('name="category"')


def find_data(text="井盖松动有响声", **extra):
    return {"client_id": str(uuid.uuid4()), "place": "街坊路", "text": text, "decision": "", **extra}


def test_it_logs_a_new_problem_with_channel_patrol(walker, patrol):
    response = walker.post(url("patrol_find", patrol.pk), find_data(), **FETCH)
    issue = Issue.objects.get()
    assert (response.status_code, issue.channel, issue.place_text) == (201, IssueChannel.PATROL, "街坊路")


def test_it_offers_the_matching_open_item_before_logging(walker, patrol, log):
    issue = log("街坊路井盖松动有响声")
    response = walker.post(url("patrol_find", patrol.pk), find_data(), **FETCH)
    assert (response.json()["status"], response.json()["similar"][0]["id"], Issue.objects.count()) == (
        "similar",
        issue.pk,
        1,
    )


def test_it_adds_the_find_as_a_repeat_when_chosen(walker, patrol, log):
    issue = log("街坊路井盖松动有响声")
    walker.post(url("patrol_find", patrol.pk), find_data(decision=str(issue.pk)), **FETCH)
    issue.refresh_from_db()
    assert (issue.report_count, Issue.objects.count()) == (2, 1)


def test_it_answers_a_new_problem_with_its_card_for_the_stop_it_was_logged_at(walker, patrol, community):
    """After 保存问题 the stop still said 这里没有未办结事项 until a reload (a tester's finding)."""
    PatrolStopFactory(community=community, name="消防通道", position=0)
    lane = PatrolStopFactory(community=community, name="街坊路", position=1)
    body = walker.post(url("patrol_find", patrol.pk), find_data(), **FETCH).json()
    issue = Issue.objects.get()
    assert (body["issue"], body["stop"]) == (issue.pk, lane.pk)
    assert f'id="item-{issue.pk}"' in body["html"] and "井盖松动有响声" in body["html"]
    assert "已记录：新问题" in body["html"]


def test_it_puts_a_new_problem_that_matches_no_stop_under_other_places(walker, patrol, community):
    PatrolStopFactory(community=community, name="消防通道", position=0)
    body = walker.post(url("patrol_find", patrol.pk), find_data(place=""), **FETCH).json()
    assert body["stop"] == "" and f'id="item-{body["issue"]}"' in body["html"]


def test_it_answers_a_resent_new_problem_with_its_card_too(walker, patrol):
    data = find_data()
    walker.post(url("patrol_find", patrol.pk), data, **FETCH)
    body = walker.post(url("patrol_find", patrol.pk), data, **FETCH).json()
    assert body["status"] == "duplicate" and f'id="item-{body["issue"]}"' in body["html"]


def test_it_lists_a_new_problem_under_its_stop_after_a_reload(walker, patrol, community):
    PatrolStopFactory(community=community, name="消防通道", position=0)
    PatrolStopFactory(community=community, name="街坊路", position=1)
    walker.post(url("patrol_find", patrol.pk), find_data(), **FETCH)
    content = walker.get(url("patrol_detail", patrol.pk)).content.decode()
    lane = content[content.index('data-place="街坊路"') :]
    assert "井盖松动有响声" in lane and "已记录：新问题" in lane


def test_it_logs_the_find_anyway_when_told_it_is_new(walker, patrol, log):
    log("街坊路井盖松动有响声")
    walker.post(url("patrol_find", patrol.pk), find_data(decision="new"), **FETCH)
    assert Issue.objects.count() == 2


def test_it_answers_a_resent_find_as_a_duplicate_without_asking_again(walker, patrol):
    data = find_data()
    walker.post(url("patrol_find", patrol.pk), data, **FETCH)
    response = walker.post(url("patrol_find", patrol.pk), data, **FETCH)
    assert (response.json()["status"], Issue.objects.count()) == ("duplicate", 1)


def test_it_keeps_what_was_typed_when_the_find_is_too_short(walker, patrol):
    response = walker.post(url("patrol_find", patrol.pk), find_data(text="井", place="电动车棚北侧"))
    assert response.status_code == 400
    assert "电动车棚北侧" in response.content.decode()


def test_it_hides_another_communitys_item_from_a_repeat(walker, patrol, other_community):
    other = IssueFactory(community=other_community)
    response = walker.post(url("patrol_find", patrol.pk), find_data(decision=str(other.pk)), **FETCH)
    assert response.status_code == 404


def test_it_hides_another_communitys_patrol_from_a_find(client, outsider, patrol):
    client.force_login(outsider)
    assert client.post(url("patrol_find", patrol.pk), find_data(), **FETCH).status_code == 404


@pytest.fixture
def others_check(other_community, outsider, now):
    """A find on another community's walk, whose id a POST to our walk reuses."""
    patrol = PatrolFactory(community=other_community, staff=outsider)
    issue = IssueFactory(community=other_community, text="别的社区的井盖丢了")
    return PatrolCheck.objects.create(patrol=patrol, issue=issue, outcome=Outcome.NEW, created_at=now)


def test_it_refuses_a_find_whose_id_another_communitys_walk_used(walker, patrol, others_check):
    response = walker.post(url("patrol_find", patrol.pk), find_data(client_id=str(others_check.client_id)), **FETCH)
    body = response.json()
    assert others_check.issue.code not in response.content.decode() and "html" not in body
    assert (response.status_code, body["status"], len(body["errors"]["__all__"])) == (409, "invalid", 1)


def test_it_refuses_a_tap_whose_id_another_communitys_walk_used(walker, patrol, log, others_check):
    data = tap_data(log("街坊路井盖松动"), client_id=str(others_check.client_id))
    response = walker.post(url("patrol_check", patrol.pk), data, **FETCH)
    assert (response.status_code, PatrolCheck.objects.filter(patrol=patrol).count()) == (409, 0)


# --- end and record ---------------------------------------------------------------------


def test_it_ends_the_patrol_with_checklist_and_places(walker, patrol, community):
    PatrolStopFactory(community=community, name="电动车棚")
    data = {"summary": "车棚飞线已劝阻", "places": ["电动车棚"], "check_ebike": "problem", "check_fire_lane": "ok"}
    response = walker.post(url("patrol_end", patrol.pk), data)
    patrol.refresh_from_db()
    assert response.url == url("patrol_summary", patrol.pk)
    assert (patrol.places, patrol.checklist, patrol.ended_at is not None) == (
        ["电动车棚"],
        {"ebike": "problem", "fire_lane": "ok"},
        True,
    )


def test_it_starts_the_end_checklist_from_what_the_walk_recorded(walker, patrol, log):
    walker.post(url("patrol_check", patrol.pk), tap_data(log("电动车棚有人飞线充电"), "still"), **FETCH)
    form = walker.get(url("patrol_end", patrol.pk)).context["form"]
    assert (form["check_ebike"].value(), form["check_greenery"].value()) == ("problem", None)


def test_it_shows_the_record_of_an_ended_walk(walker, patrol, staff, log, now):
    walker.post(url("patrol_check", patrol.pk), tap_data(log()), **FETCH)
    patrol.end(by=staff, now=now, places=["街坊路"], checklist={"adverts": "problem"})
    content = walker.get(url("patrol_summary", patrol.pk)).content.decode()
    assert "街坊路" in content and 'id="patrol-record"' in content


def test_it_hides_another_communitys_record(client, outsider, patrol):
    client.force_login(outsider)
    assert client.get(url("patrol_summary", patrol.pk)).status_code == 404


def test_it_lets_a_viewer_read_a_record(client, viewer, patrol):
    client.force_login(viewer)
    assert client.get(url("patrol_summary", patrol.pk)).status_code == 200


# --- route -------------------------------------------------------------------------------


def test_it_adds_a_shared_place_to_the_end_of_the_route(walker, community):
    PatrolStopFactory(community=community, name="街坊路", position=0)
    walker.post(url("patrol_route"), {"name": "电动车棚"})
    assert [s.label for s in PatrolStop.objects.in_community(community)] == ["街坊路", "电动车棚"]


def test_it_refuses_a_stop_with_two_places(walker, community):
    building = BuildingFactory(community=community)
    response = walker.post(url("patrol_route"), {"name": "电动车棚", "building": building.pk})
    assert (response.status_code, PatrolStop.objects.count()) == (200, 0)


def test_it_moves_a_stop_down_the_route(walker, community):
    first = PatrolStopFactory(community=community, name="街坊路", position=0)
    PatrolStopFactory(community=community, name="电动车棚", position=1)
    walker.post(url("patrol_stop_move", first.pk), {"direction": "down"})
    assert PatrolStop.objects.in_community(community).last() == first


def test_it_removes_a_stop(walker, community):
    stop = PatrolStopFactory(community=community)
    walker.post(url("patrol_stop_move", stop.pk), {"delete": "1"})
    assert not PatrolStop.objects.exists()


def test_it_hides_another_communitys_stop(client, outsider, community):
    stop = PatrolStopFactory(community=community)
    client.force_login(outsider)
    assert client.post(url("patrol_stop_move", stop.pk), {"direction": "up"}).status_code == 404


def test_it_does_not_let_a_viewer_change_the_route(client, viewer, community):
    client.force_login(viewer)
    assert client.post(url("patrol_route"), {"name": "街坊路"}).status_code == 403


def test_it_checks_the_outcome_of_every_stored_tap(walker, patrol, log):
    walker.post(url("patrol_check", patrol.pk), tap_data(log(), "worse"), **FETCH)
    assert PatrolCheck.objects.get().outcome == Outcome.WORSE
