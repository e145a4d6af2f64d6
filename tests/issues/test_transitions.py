"""Every state change is a model method that writes the row and a follow-up together."""

import threading
from datetime import timedelta

import pytest
from django.db import connection

from issues.models.choices import FollowUpKind, HandlingMethod, IssueResult, IssueStatus, Satisfaction, TransitionError
from issues.models.issue import Issue, StaleEdit
from issues.models.timeline import FollowUp


def test_it_logs_a_new_item_as_pending_with_a_report_on_the_timeline(log):
    issue = log()
    assert issue.status == IssueStatus.PENDING
    assert issue.followups.get().kind == "report"


def test_it_numbers_items_per_day_within_the_community(log):
    assert [log().code, log().code] == ["MQ20261130-001", "MQ20261130-002"]


def test_it_settles_an_item_to_in_progress_with_partner(log, secretary, police, now):
    issue = log()
    issue.settle(by=secretary, now=now, method=HandlingMethod.TO_POLICE, partner=police.partner, partner_contact=police)
    issue.refresh_from_db()
    assert (issue.status, issue.partner_contact) == (IssueStatus.IN_PROGRESS, police)
    assert issue.followups.filter(to_status=IssueStatus.IN_PROGRESS).exists()


def test_it_settles_on_the_spot_straight_to_done(log, secretary, now):
    issue = log()
    issue.settle(by=secretary, now=now, method=HandlingMethod.ON_THE_SPOT, note="当场答复")
    assert (issue.status, issue.result) == (IssueStatus.RESOLVED, IssueResult.FIXED)


def test_it_refuses_a_transition_the_map_does_not_allow(log, secretary, police, now):
    issue = log()
    with pytest.raises(TransitionError, match="待核实"):
        issue.wait_for_partner(by=secretary, now=now, partner=police.partner, promised_at=now)
    issue.refresh_from_db()
    assert (issue.status, issue.followups.count()) == (IssueStatus.PENDING, 1)


def test_it_calls_back_only_an_item_that_is_done(log, secretary, now):
    issue = log()
    with pytest.raises(TransitionError):
        issue.callback(by=secretary, now=now, satisfaction=Satisfaction.SATISFIED, method="phone")
    assert FollowUp.objects.filter(issue=issue).count() == 1


def test_it_closes_on_a_satisfied_callback(log, secretary, now):
    issue = log()
    issue.resolve(by=secretary, now=now, result=IssueResult.FIXED, note="已修好")
    issue.callback(by=secretary, now=now, satisfaction=Satisfaction.SATISFIED, method="phone")
    assert (issue.status, issue.closed_at) == (IssueStatus.CLOSED, now)


def test_it_reopens_and_escalates_on_an_unsatisfied_callback(log, secretary, now):
    issue = log()
    issue.resolve(by=secretary, now=now, result=IssueResult.PARTLY, note="物业答应再修")
    issue.callback(by=secretary, now=now, satisfaction=Satisfaction.UNSATISFIED, method="phone", note="还是漏")
    issue.refresh_from_db()
    assert (issue.status, issue.escalated, issue.resolved_at) == (IssueStatus.IN_PROGRESS, True, None)


def test_it_pauses_the_clock_while_waiting_for_the_partner(log, secretary, police, now):
    issue = log(settle={"method": HandlingMethod.TO_POLICE, "partner": police.partner})
    due = issue.due_at
    issue.wait_for_partner(by=secretary, now=now, partner=police.partner, promised_at=now + timedelta(days=2))
    issue.resume(by=secretary, now=now + timedelta(days=3))
    issue.refresh_from_db()
    assert issue.due_at == due + timedelta(days=3)


def test_it_keeps_fixed_and_closed_unfixed_apart(log, secretary, now):
    issue = log()
    issue.close_not_ours(by=secretary, now=now, note="属于市政管辖，已解释")
    assert (issue.status, issue.result) == (IssueStatus.NOT_OURS, "")


def test_it_merges_a_duplicate_and_links_both_ways(log, secretary, now):
    first, second = log("遛狗不拴绳"), log("又有人遛狗不拴绳")
    second.merge_into(first, by=secretary, now=now)
    first.refresh_from_db()
    assert second.merged_into == first
    assert first.report_count == 2
    assert list(first.merged.all()) == [second]
    assert first.followups.filter(related_issue=second).exists()


def test_it_refuses_to_merge_an_item_into_itself(log, secretary, now):
    issue = log()
    with pytest.raises(TransitionError):
        issue.merge_into(issue, by=secretary, now=now)
    issue.refresh_from_db()
    assert (issue.status, issue.merged_into, issue.followups.count()) == (IssueStatus.PENDING, None, 1)


def test_it_sees_the_state_another_request_saved_before_changing_it(log, secretary, now):
    issue = log()
    stale = Issue.objects.get(pk=issue.pk)
    issue.resolve(by=secretary, now=now, result=IssueResult.FIXED, note="ok")
    with pytest.raises(TransitionError):
        stale.settle(by=secretary, now=now, method=HandlingMethod.COORDINATE)


@pytest.mark.django_db(transaction=True)
def test_it_lets_only_one_of_two_crossing_merges_succeed(log, secretary, now):
    first, second = log("遛狗不拴绳"), log("又有人遛狗不拴绳")
    barrier = threading.Barrier(2)
    outcomes = {}

    def merge(source, target):
        try:
            # Each thread has its own connection, so each merge is its own PostgreSQL transaction.
            source, target = Issue.objects.get(pk=source.pk), Issue.objects.get(pk=target.pk)
            barrier.wait()
            source.merge_into(target, by=secretary, now=now)
            outcomes[source.pk] = "merged"
        except TransitionError:
            outcomes[source.pk] = "refused"
        finally:
            connection.close()

    threads = [threading.Thread(target=merge, args=pair) for pair in ((first, second), (second, first))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes.values()) == ["merged", "refused"]
    first.refresh_from_db()
    second.refresh_from_db()
    duplicate, kept = (first, second) if outcomes[first.pk] == "merged" else (second, first)
    assert (duplicate.status, duplicate.merged_into) == (IssueStatus.DUPLICATE, kept)
    assert (kept.is_open, kept.merged_into, kept.report_count) == (True, None, 2)
    assert kept.followups.filter(kind=FollowUpKind.REPORT, related_issue=duplicate).count() == 1


def test_it_edits_the_details_with_one_timeline_entry(log, secretary, now):
    issue = log("5号楼楼道堆放杂物")
    version, entries = issue.version, issue.followups.count()
    issue.edit(by=secretary, now=now, version=version, changes={"text": "5号楼楼道堆放杂物，堵了消防通道"})
    issue.refresh_from_db()
    assert (issue.text, issue.version) == ("5号楼楼道堆放杂物，堵了消防通道", version + 1)
    assert issue.followups.count() == entries + 1
    latest = issue.followups.latest("id")
    assert (latest.kind, latest.author, latest.created_at) == (FollowUpKind.NOTE, secretary, now)


def test_it_refuses_a_stale_edit_and_writes_nothing(log, secretary, staff, now):
    issue = log("5号楼楼道堆放杂物")
    shown = issue.version
    Issue.objects.get(pk=issue.pk).edit(by=staff, now=now, version=shown, changes={"text": "第一个人的修改"})
    entries = FollowUp.objects.filter(issue=issue).count()
    with pytest.raises(StaleEdit):
        issue.edit(by=secretary, now=now, version=shown, changes={"text": "第二个人的修改"})
    issue.refresh_from_db()
    assert (issue.text, issue.version) == ("第一个人的修改", shown + 1)
    assert FollowUp.objects.filter(issue=issue).count() == entries
