"""An item's morning-meeting tasks follow it: settled or closed, its open tasks are done with it
(as on the board: a TaskEvent and a note on the item); merged, they follow it to the item it repeats."""

import threading
import time
import uuid
from datetime import timedelta

import pytest
import time_machine
from django.db import connection, transaction
from django.urls import reverse

from issues import services
from issues.models.choices import FollowUpKind, IssueStatus
from issues.models.issue import Issue
from issues.models.reminder import Reminder
from issues.models.task import Task, TaskStatus
from issues.patrol.models import Outcome
from issues.patrol.services import record_check, undo_check
from issues.reminders import sweep
from tests.factories import PatrolFactory


@pytest.fixture
def item(log, staff, now):
    issue = log("3号楼楼道灯不亮", owner=staff)
    issue.settle(by=staff, now=now, method="coordinate")
    return issue


@pytest.fixture
def task(item, community, secretary, staff, now):
    return services.add_task(
        community=community, by=secretary, now=now, title="联系物业换灯泡", day=now.date(), assignee=staff, issue=item
    )


def test_it_marks_the_open_tasks_of_an_item_done_when_the_item_is_done(item, task, staff, now):
    item.resolve(by=staff, now=now + timedelta(hours=1), result="fixed", note="已换灯泡")
    task.refresh_from_db()
    event = task.events.last()
    assert (task.status, task.done_at, task.next_reminder_at) == (TaskStatus.DONE, now + timedelta(hours=1), None)
    assert (event.by, event.from_status, event.to_status, event.note) == (
        staff,
        TaskStatus.TODO,
        TaskStatus.DONE,
        "事项已办结",
    )


def test_it_notes_the_finished_task_on_the_timeline_before_the_state_change(item, task, staff, now):
    item.resolve(by=staff, now=now, result="fixed", note="已换灯泡")
    *_, note, state = item.followups.order_by("pk")
    assert (note.kind, note.note) == (FollowUpKind.NOTE, "晨会任务“联系物业换灯泡”：已完成")
    assert (state.kind, state.to_status) == (FollowUpKind.STATE, IssueStatus.RESOLVED)


def test_it_marks_the_tasks_done_when_the_item_is_closed_as_not_our_duty(item, task, staff, now):
    item.close_not_ours(by=staff, now=now, note="属于燃气公司职责")
    task.refresh_from_db()
    assert task.status == TaskStatus.DONE


def test_it_marks_a_callback_task_done_when_the_callback_is_recorded(item, community, secretary, staff, now):
    item.resolve(by=staff, now=now, result="fixed", note="已换灯泡")
    callback = services.add_task(
        community=community, by=secretary, now=now, title="回访", day=now.date(), assignee=staff, issue=item
    )
    item.callback(by=staff, now=now + timedelta(hours=2), satisfaction="satisfied", method="phone")
    callback.refresh_from_db()
    assert callback.status == TaskStatus.DONE


def test_it_leaves_the_tasks_of_other_items_and_the_rows_carried_over_from_alone(
    item, task, log, community, secretary, staff, now
):
    other = services.add_task(
        community=community, by=secretary, now=now, title="别的事", day=now.date(), issue=log("5号楼电梯停运")
    )
    services.carry_over_tasks(community=community, now=now + timedelta(days=1))
    item.resolve(by=staff, now=now + timedelta(days=1), result="fixed", note="已换灯泡")
    carried = Task.objects.get(carried_from=task)
    task.refresh_from_db()
    other.refresh_from_db()
    assert (carried.status, task.status, other.status) == (TaskStatus.DONE, TaskStatus.TODO, TaskStatus.TODO)


def test_it_sends_no_1730_reminder_for_a_task_whose_item_was_done(item, task, staff, now):
    item.resolve(by=staff, now=now + timedelta(hours=3), result="fixed", note="已换灯泡")
    sweep.run_sweep(now=now.replace(hour=17, minute=31))
    assert not Reminder.objects.filter(content_type__model="task", object_id=task.pk).exists()


def test_it_says_in_the_message_how_many_tasks_were_marked_done(staff_client, item, task, now):
    with time_machine.travel(now + timedelta(hours=1), tick=False):
        response = staff_client.post(
            reverse("issues:issue_resolve", args=[item.pk]), {"result": "fixed", "note": "已换灯泡"}, follow=True
        )
    assert "关联的 1 项晨会任务已同时标为完成。" in response.content.decode()


def test_it_does_not_mention_tasks_when_the_item_has_none(staff_client, item, now):
    with time_machine.travel(now + timedelta(hours=1), tick=False):
        response = staff_client.post(
            reverse("issues:issue_resolve", args=[item.pk]), {"result": "fixed", "note": "已换灯泡"}, follow=True
        )
    assert "晨会任务" not in response.content.decode()


def test_it_puts_the_tasks_back_when_the_done_is_undone(staff_client, item, task, staff, now):
    task.move(by=staff, now=now, status=TaskStatus.DOING)
    with time_machine.travel(now + timedelta(hours=1), tick=False) as clock:
        staff_client.post(reverse("issues:issue_resolve", args=[item.pk]), {"result": "fixed", "note": "已换灯泡"})
        clock.shift(timedelta(seconds=5))
        staff_client.post(
            reverse("issues:issue_undo", args=[item.pk]), {"token": staff_client.session["undo"]["token"]}
        )
    item.refresh_from_db()
    task.refresh_from_db()
    assert (item.status, task.status, task.done_at) == (IssueStatus.IN_PROGRESS, TaskStatus.DOING, None)


def test_it_leaves_a_task_changed_on_the_board_since_the_closing_as_it_is(item, task, staff, secretary, now):
    item.resolve(by=staff, now=now, result="fixed", note="已换灯泡")
    Task.objects.get(pk=task.pk).move(by=secretary, now=now, assignee=secretary)
    services.undo_close(item, by=staff, now=now + timedelta(seconds=5), note="撤销")
    task.refresh_from_db()
    assert (item.status, task.status) == (IssueStatus.IN_PROGRESS, TaskStatus.DONE)


def test_it_puts_the_tasks_back_when_a_patrols_solved_tap_is_taken_back(community, item, task, staff, now):
    patrol = PatrolFactory(community=community, staff=staff, started_at=now)
    check, _new = record_check(patrol, issue=item, by=staff, now=now, outcome=Outcome.SOLVED, client_id=uuid.uuid4())
    assert Task.objects.get(pk=task.pk).status == TaskStatus.DONE
    undo_check(check, by=staff, now=now + timedelta(seconds=5))
    assert Task.objects.get(pk=task.pk).status == TaskStatus.TODO


def test_it_moves_the_open_tasks_of_a_duplicate_to_the_item_it_repeats(item, task, log, staff, now):
    original = log("3号楼一层灯坏了")
    item.merge_into(original, by=staff, now=now)
    task.refresh_from_db()
    event = task.events.last()
    assert (task.issue, task.status, task.version) == (original, TaskStatus.TODO, 2)
    assert event.note == f"事项{item.code}已并入{original.code}"
    assert original.followups.filter(note="晨会任务“联系物业换灯泡”：待办").exists()


def test_it_marks_the_tasks_of_a_duplicate_done_when_the_item_it_repeats_is_done(item, task, log, staff, now):
    original = log("3号楼一层灯坏了")
    original.settle(by=staff, now=now, method="on_the_spot", note="已修好")
    item.merge_into(original, by=staff, now=now)
    task.refresh_from_db()
    assert (task.issue, task.status) == (original, TaskStatus.DONE)


@pytest.mark.django_db(transaction=True)
def test_it_settles_an_item_while_its_task_is_being_moved_on_the_board_without_a_deadlock(item, task, staff, now):
    """The board's move holds the task and then writes its note on the item; the closing holds the
    item and then takes the tasks. Waiting for each other, one of them was killed as a deadlock:
    the closing skips a task being moved, which ends as its mover leaves it."""
    task_locked, errors = threading.Event(), []

    def move_on_the_board():
        try:
            with transaction.atomic():
                moving = Task.objects.select_for_update().get(pk=task.pk)
                task_locked.set()
                time.sleep(0.5)  # the item's closing takes the item's row meanwhile
                moving.move(by=staff, now=now, status=TaskStatus.DOING)
        except Exception as exc:  # the deadlock error is what this test is about
            errors.append(exc)
        finally:
            connection.close()

    board = threading.Thread(target=move_on_the_board)
    board.start()
    task_locked.wait()
    try:
        Issue.objects.get(pk=item.pk).resolve(by=staff, now=now, result="fixed", note="已换灯泡")
    except Exception as exc:
        errors.append(exc)
    board.join()
    task.refresh_from_db()
    assert (errors, Issue.objects.get(pk=item.pk).status, task.status) == (
        [],
        IssueStatus.RESOLVED,
        TaskStatus.DOING,
    )
