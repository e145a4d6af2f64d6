"""巡查: taps write the timeline once, solved moves the item on, the route groups items."""

import uuid
from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction

from issues import selectors
from issues.models.choices import FollowUpKind, IssueChannel, IssueStatus, TransitionError
from issues.models.issue import Issue
from issues.models.timeline import FollowUp
from issues.patrol.models import Outcome, PatrolCheck, PatrolStop
from issues.patrol.services import group_by_stop, record_check, record_find, undo_check
from residents.models.community import Community
from residents.places import Place
from tests.factories import BuildingFactory, PatrolFactory, PatrolStopFactory, UnitFactory


@pytest.fixture
def patrol(community, staff, now):
    return PatrolFactory(community=community, staff=staff, started_at=now)


def tap(patrol, issue, outcome, now, client_id=None, **kwargs):
    return record_check(
        patrol,
        issue=issue,
        outcome=outcome,
        by=patrol.staff,
        now=now,
        client_id=client_id or uuid.uuid4(),
        **kwargs,
    )


def test_it_writes_still_there_on_the_timeline(patrol, log, now):
    issue = log()
    tap(patrol, issue, Outcome.STILL, now)
    assert issue.followups.last().note == "巡查确认：仍未解决"


def test_it_logs_a_patrol_check_as_a_patrol_not_a_visit(patrol, log, now):
    issue = log()
    tap(patrol, issue, Outcome.STILL, now)
    assert issue.followups.last().kind == FollowUpKind.PATROL


def test_it_keeps_the_item_open_when_still_there(patrol, log, now):
    issue = log()
    tap(patrol, issue, Outcome.STILL, now)
    issue.refresh_from_db()
    assert issue.status == IssueStatus.PENDING


def test_it_resolves_the_item_through_the_transition_when_solved(patrol, log, now):
    issue = log()
    tap(patrol, issue, Outcome.SOLVED, now, note="已清理")
    issue.refresh_from_db()
    assert (issue.status, issue.result, issue.resolved_at) == (IssueStatus.RESOLVED, "fixed", now)
    assert issue.followups.last().to_status == IssueStatus.RESOLVED


def test_it_flags_a_worse_item_for_escalation(patrol, log, now):
    issue = log()
    tap(patrol, issue, Outcome.WORSE, now)
    issue.refresh_from_db()
    assert issue.escalated


def test_it_records_a_resent_tap_once(patrol, log, now):
    issue = log()
    client_id = uuid.uuid4()
    first, created = tap(patrol, issue, Outcome.STILL, now, client_id=client_id)
    again, created_again = tap(patrol, issue, Outcome.STILL, now + timedelta(seconds=30), client_id=client_id)
    assert (created, created_again, again.pk) == (True, False, first.pk)
    assert issue.followups.filter(note__startswith="巡查确认").count() == 1


def test_it_logs_a_new_problem_with_channel_patrol(patrol, staff, now):
    check, _ = record_find(
        patrol, by=staff, now=now, client_id=uuid.uuid4(), text="电动车棚有人飞线充电", place=Place()
    )
    assert (check.outcome, check.issue.channel) == (Outcome.NEW, IssueChannel.PATROL)


def test_it_adds_a_repeat_report_to_the_matching_item(patrol, staff, log, now):
    issue = log()
    record_find(patrol, by=staff, now=now, client_id=uuid.uuid4(), text="又有人遛狗", place=Place(), same_as=issue)
    issue.refresh_from_db()
    assert (issue.report_count, Issue.objects.count()) == (2, 1)


def test_it_logs_a_resent_new_problem_once(patrol, staff, now):
    client_id = uuid.uuid4()
    for _ in range(2):
        record_find(patrol, by=staff, now=now, client_id=client_id, text="井盖松动", place=Place())
    assert Issue.objects.count() == 1


def test_it_groups_items_under_the_first_stop_that_covers_them(community, log):
    building = BuildingFactory(community=community, number="7")
    shed = PatrolStopFactory(community=community, name="电动车棚", position=0)
    seven = PatrolStopFactory(community=community, name="", building=building, position=1)
    in_shed = log("电动车棚有人飞线充电")
    at_seven = log("楼道堆物", place=Place(building=building))
    elsewhere = log("东门路灯不亮", place=Place(text="东门"))
    groups = group_by_stop([shed, seven], [in_shed, at_seven, elsewhere])
    assert [(stop, items) for stop, items in groups] == [(shed, [in_shed]), (seven, [at_seven]), (None, [elsewhere])]


def test_it_leaves_an_item_with_no_place_off_the_route_unless_kept(community, log):
    shed = PatrolStopFactory(community=community, name="电动车棚", position=0)
    desk = log("我家老人独居，想申请低保")
    tapped = log("咨询老年卡办理地点和所需材料")
    groups = group_by_stop([shed], [desk, tapped], keep={tapped.pk})
    assert [(stop, items) for stop, items in groups] == [(shed, []), (None, [tapped])]


def test_it_puts_a_room_under_the_stop_of_its_zone(community, log):
    zone = community.zones.create(name="北区")
    unit = UnitFactory(building=BuildingFactory(community=community, number="9", zone=zone))
    room = unit.rooms.create(community=community, floor_no=3, room_no="301")
    stop = PatrolStopFactory(community=community, name="", zone=zone)
    issue = log("卫生间漏水", place=Place(room=room))
    assert stop.covers(issue)


def test_it_lists_a_stops_items_door_by_door(community, log):
    """Under a zone's stop by building, unit and room as people count them, not as they came in
    (a tester walked 南区 as 5, 6, 6, 1, 3, 2, 3…); places as written after; oldest first at one place."""
    zone = community.zones.create(name="南区")
    buildings = {n: BuildingFactory(community=community, number=n, zone=zone) for n in ("3", "5", "12")}
    unit = UnitFactory(building=buildings["3"], number="2")
    room = unit.rooms.create(community=community, floor_no=5, room_no="501")
    stop = PatrolStopFactory(community=community, name="", zone=zone)
    twelve = log("12号楼门口堆物", place=Place(building=buildings["12"]))
    five = log("5号楼楼道灯不亮", place=Place(building=buildings["5"]))
    in_room = log("3-2-501卫生间漏水", place=Place(room=room, building=buildings["3"]))
    three = log("3号楼门口电动车充电", place=Place(building=buildings["3"]))
    three_again = log("3号楼门口又有人充电", place=Place(building=buildings["3"]))
    shed = log("东门车棚灯坏了", place=Place(text="东门车棚"))
    issues = [twelve, five, in_room, three, three_again, shed]
    groups = group_by_stop([stop], issues)
    assert groups == [(stop, [three, three_again, in_room, five, twelve]), (None, [shed])]


def test_it_moves_a_stop_up_the_route(community):
    first = PatrolStopFactory(community=community, position=0)
    second = PatrolStopFactory(community=community, position=1)
    PatrolStop.move(second, up=True)
    assert list(PatrolStop.objects.in_community(community)) == [second, first]


def test_it_refuses_a_stop_that_is_both_a_building_and_a_name(community):
    building = BuildingFactory(community=community)
    with pytest.raises(IntegrityError), transaction.atomic():
        PatrolStopFactory(community=community, building=building, name="街坊路")
    assert not PatrolStop.objects.exists()


def test_it_keeps_the_counts_on_the_record_when_ended(patrol, staff, log, now):
    tap(patrol, log(), Outcome.STILL, now)
    tap(patrol, log("东门路灯不亮"), Outcome.SOLVED, now)
    record_find(patrol, by=staff, now=now, client_id=uuid.uuid4(), text="井盖松动", place=Place())
    patrol.end(by=staff, now=now + timedelta(hours=1), places=["街坊路"], checklist={"manholes": "problem"})
    patrol.refresh_from_db()
    assert (patrol.checked_count, patrol.solved_count, patrol.new_count, patrol.places) == (2, 1, 1, ["街坊路"])
    assert patrol.checklist == {"manholes": "problem"}


def board_patrols(community, since):
    """The board's patrol totals, read as the board reads them: a column of the community's row."""
    row = Community.objects.filter(pk=community.pk).values(patrol=selectors.patrol_board_column(community, since))
    return selectors.patrol_summary_from(row.get()["patrol"])


def test_it_summarises_the_walks_ended_since_the_meeting_for_the_board(patrol, staff, log, now):
    tap(patrol, log(), Outcome.STILL, now)
    patrol.end(by=staff, now=now + timedelta(hours=1), places=[], checklist={})
    PatrolFactory(community=patrol.community, staff=staff, started_at=now)  # still under way
    board = board_patrols(patrol.community, now)
    assert (board["count"], board["checked_count"], board["solved_count"]) == (1, 1, 0)


def test_it_leaves_walks_ended_before_since_off_the_board(patrol, staff, now):
    patrol.end(by=staff, now=now, places=[], checklist={})
    nothing = dict.fromkeys(["count", *selectors.PATROL_FIGURES], 0)
    assert board_patrols(patrol.community, now + timedelta(minutes=1)) == nothing


def test_it_leaves_another_communitys_walks_off_the_board(patrol, staff, now, other_community):
    patrol.end(by=staff, now=now, places=[], checklist={})
    assert board_patrols(other_community, now)["count"] == 0


def test_it_writes_a_patrol_check_for_every_tap(patrol, log, now):
    tap(patrol, log(), Outcome.STILL, now)
    check = PatrolCheck.objects.get()
    assert check.followup == FollowUp.objects.order_by("id").last()


# --- 撤销: a mistaken tap taken back ----------------------------------------------------


def test_it_takes_back_a_still_there_tap_and_says_so_on_the_timeline(patrol, log, now):
    issue = log()
    check, _ = tap(patrol, issue, Outcome.STILL, now)
    undo_check(check, by=patrol.staff, now=now)
    tapped, taken_back = issue.followups.order_by("-pk")[:2][::-1]
    assert (tapped.note, taken_back.kind, taken_back.note.endswith("还在")) == ("巡查确认：仍未解决", "note", True)
    assert not PatrolCheck.objects.exists()


def test_it_reopens_an_item_resolved_by_a_tap_that_is_taken_back(patrol, log, now):
    issue = log()
    check, _ = tap(patrol, issue, Outcome.SOLVED, now)
    undo_check(check, by=patrol.staff, now=now)
    issue.refresh_from_db()
    last = issue.followups.order_by("-pk").first()
    assert (issue.status, issue.resolved_at) == (IssueStatus.IN_PROGRESS, None)
    assert (last.from_status, last.to_status) == (IssueStatus.RESOLVED, IssueStatus.IN_PROGRESS)


def test_it_lowers_the_escalation_flag_a_taken_back_worse_tap_raised(patrol, log, now):
    issue = log()
    check, _ = tap(patrol, issue, Outcome.WORSE, now)
    assert check.raised_flag
    undo_check(check, by=patrol.staff, now=now)
    issue.refresh_from_db()
    assert not issue.escalated


def test_it_keeps_the_flag_an_item_had_before_a_worse_tap_taken_back(patrol, log, now):
    issue = log()
    Issue.objects.filter(pk=issue.pk).update(escalated=True)
    check, _ = tap(patrol, issue, Outcome.WORSE, now)
    assert not check.raised_flag
    undo_check(check, by=patrol.staff, now=now)
    issue.refresh_from_db()
    assert issue.escalated


def test_it_refuses_to_take_back_a_tap_once_the_item_has_moved_on(patrol, log, now, secretary):
    issue = log()
    check, _ = tap(patrol, issue, Outcome.SOLVED, now)
    issue.callback(by=secretary, now=now, satisfaction="satisfied", method="phone")
    with pytest.raises(TransitionError):
        undo_check(check, by=patrol.staff, now=now)
    issue.refresh_from_db()
    assert (issue.status, PatrolCheck.objects.count()) == (IssueStatus.CLOSED, 1)


def test_it_takes_back_a_tap_only_once(patrol, log, now):
    check, _ = tap(patrol, log(), Outcome.STILL, now)
    undo_check(check, by=patrol.staff, now=now)
    assert undo_check(check, by=patrol.staff, now=now) is False


# --- the end page's checklist, from the taps --------------------------------------------


def test_it_marks_a_checklist_row_with_a_problem_still_there(patrol, log, now):
    tap(patrol, log("电动车棚有人飞线充电"), Outcome.STILL, now)
    assert patrol.recorded_checklist() == {"ebike": "problem"}


def test_it_marks_a_checklist_row_fine_when_its_items_were_solved(patrol, log, now):
    tap(patrol, log("街坊路边小广告贴满电线杆"), Outcome.SOLVED, now)
    assert patrol.recorded_checklist() == {"adverts": "ok"}


def test_it_keeps_a_problem_on_the_checklist_when_another_item_of_the_row_was_solved(patrol, log, now):
    tap(patrol, log("街坊路井盖松动有响声"), Outcome.WORSE, now)
    tap(patrol, log("东门井盖缺了一角"), Outcome.SOLVED, now)
    assert patrol.recorded_checklist()["manholes"] == "problem"


def test_a_bathroom_leak_is_no_sanitation_problem_on_the_checklist(patrol, log, now):
    tap(patrol, log("3号楼卫生间顶上渗水"), Outcome.STILL, now)
    assert "sanitation" not in patrol.recorded_checklist()


def test_it_counts_a_new_problem_found_on_the_walk_on_the_checklist(patrol, staff, now):
    record_find(patrol, by=staff, now=now, client_id=uuid.uuid4(), text="消防通道被私家车堵住了", place=Place())
    assert patrol.recorded_checklist()["fire_lane"] == "problem"
