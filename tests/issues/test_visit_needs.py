"""A need found on a home visit opens a 民情日记 item in the same step, when asked."""

from datetime import date

from issues.models.choices import IssueChannel, IssueStatus
from issues.models.issue import Issue
from residents import services as resident_services
from residents.models.care import VisitOutcome
from tests.factories import ResidentFactory

TODAY = date(2026, 11, 30)


def visit(community, staff, resident, **kwargs):
    return resident_services.record_visit(
        community=community,
        recorded_by=staff,
        residents=[resident],
        staff=[staff],
        visited_on=TODAY,
        today=TODAY,
        room=resident.room,
        **kwargs,
    )


def test_it_logs_the_needs_of_a_visit_as_an_item(community, staff, room):
    resident = ResidentFactory(community=community, room=room, name="王秀英")
    record = visit(community, staff, resident, needs="卫生间顶上漏水，希望帮忙联系楼上", log_needs=True)
    issue = Issue.objects.get()
    assert (issue.channel, issue.status, issue.reporter, issue.room) == (
        IssueChannel.HOME_VISIT,
        IssueStatus.PENDING,
        resident,
        room,
    )
    assert issue.text == "卫生间顶上漏水，希望帮忙联系楼上"
    assert issue.source_key == f"visit:{record.pk}"


def test_it_logs_nothing_when_not_asked(community, staff, room):
    resident = ResidentFactory(community=community, room=room)
    visit(community, staff, resident, needs="想申请助餐服务")
    assert not Issue.objects.exists()


def test_it_logs_nothing_for_empty_needs(community, staff, room):
    resident = ResidentFactory(community=community, room=room)
    visit(community, staff, resident, needs="  ", log_needs=True)
    assert not Issue.objects.exists()


def test_a_need_noted_at_a_door_nobody_opened_names_no_reporter(community, staff, room):
    """未遇: what the visitor noted (a neighbour's word, a smell at the door) is not the resident's
    report (review: the absent resident was named as its reporter)."""
    resident = ResidentFactory(community=community, room=room, name="王秀英")
    needs = "邻居说老人住院了，请联系家属"
    visit(community, staff, resident, needs=needs, log_needs=True, outcome=VisitOutcome.NOT_HOME)
    issue = Issue.objects.get()
    assert (issue.reporter, issue.reporter_name, issue.room) == (None, "", room)
