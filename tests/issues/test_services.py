"""Quick-entry helpers: places, reporters, categories, repeats and escalation."""

from datetime import timedelta

from issues import services
from issues.models.choices import FollowUpKind
from residents.places import Place, find_place_in_text, match_reporter, resolve_place
from tests.factories import ResidentFactory


def test_it_resolves_a_typed_room(community, room):
    assert resolve_place(community, "3-2-501").room == room


def test_it_resolves_a_building_and_keeps_the_rest_as_text(community, room):
    place = resolve_place(community, "3号楼门口")
    assert (place.building, place.text) == (room.unit.building, "门口")


def test_it_keeps_an_unknown_place_as_text(community, room):
    place = resolve_place(community, "北区车棚")
    assert (place.room, place.building, place.text) == (None, None, "北区车棚")


def test_it_finds_a_room_inside_a_message(community, room):
    assert find_place_in_text(community, "我是3-2-501的，楼上漏水").room == room


def test_it_suggests_a_category_from_the_text(community, categories):
    assert services.suggest_category(community, "又有人遛狗不拴绳，狗屎也不捡").name == "养犬"


def test_it_matches_a_reporter_by_exact_name(community):
    resident = ResidentFactory(community=community, name="王秀英")
    assert match_reporter(community, "王秀英") == resident


def test_it_does_not_guess_between_two_residents_of_the_same_name(community):
    ResidentFactory.create_batch(2, community=community, name="王秀英")
    assert match_reporter(community, "王秀英") is None


def test_it_finds_an_open_item_with_similar_text(log, community):
    issue = log("3号楼门口有人遛狗不拴绳")
    assert services.find_similar(community, text="今天又看见有人遛狗不拴绳") == [issue]


def test_it_finds_an_open_item_at_the_same_place_and_category(log, community, room, categories):
    issue = log("楼上往下滴水", place=Place(room=room), category=categories["漏水"])
    assert services.find_similar(community, text="卫生间顶上渗水", room=room, category=categories["漏水"]) == [issue]


def test_it_does_not_offer_a_closed_item_as_the_same_problem(log, community, secretary, now):
    issue = log("遛狗不拴绳")
    issue.close_not_ours(by=secretary, now=now, note="已解释")
    assert services.find_similar(community, text="遛狗不拴绳") == []


def test_it_counts_a_repeat_report_with_its_own_source(log, secretary, now):
    issue = log()
    services.add_report(issue, by=secretary, now=now, text="又来了", channel="phone", sender="张阿姨")
    issue.refresh_from_db()
    report = issue.followups.filter(kind=FollowUpKind.REPORT).last()
    assert (issue.report_count, report.channel, report.sender) == (2, "phone", "张阿姨")


def test_it_escalates_at_the_third_report(log, secretary, now):
    issue = log()
    for _ in range(2):
        services.add_report(issue, by=secretary, now=now, text="又来了", channel="wechat")
    issue.refresh_from_db()
    assert issue.escalated


def test_it_escalates_a_repeat_after_a_failed_attempt(log, secretary, police, now):
    issue = log()
    services.add_followup(issue, by=secretary, now=now, kind=FollowUpKind.CALL, note="劝说主人拴绳")
    services.add_report(issue, by=secretary, now=now + timedelta(days=1), text="还是不拴", channel="wechat")
    issue.refresh_from_db()
    assert (issue.report_count, issue.escalated) == (2, True)


def test_it_does_not_escalate_a_second_report_without_an_attempt(log, secretary, now):
    issue = log()
    services.add_report(issue, by=secretary, now=now, text="又来了", channel="wechat")
    issue.refresh_from_db()
    assert not issue.escalated


def test_it_puts_an_item_in_waiting_when_a_partner_promises(log, secretary, police, now):
    issue = log(settle={"method": "to_police", "partner": police.partner, "partner_contact": police})
    services.add_followup(
        issue,
        by=secretary,
        now=now,
        kind=FollowUpKind.PROMISE,
        note="周三联合上门",
        promised_at=now + timedelta(days=2),
    )
    issue.refresh_from_db()
    assert (issue.status, issue.promised_at) == ("waiting", now + timedelta(days=2))


def test_it_gives_due_times_by_urgency(now):
    from issues.models.choices import default_due

    assert default_due(now, "urgent") == now + timedelta(hours=24)
    assert default_due(now, "key") == now + timedelta(days=7)  # Monday + 5 working days = next Monday
    assert default_due(now, "normal") == now + timedelta(days=14)


def test_it_does_not_take_a_bathroom_for_hygiene(community, categories):
    assert services.suggest_category(community, "3-2-501卫生间顶上渗水").name == "漏水"
