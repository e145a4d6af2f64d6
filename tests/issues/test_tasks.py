"""Morning-meeting tasks: one method changes them, every change is on the record once."""

import threading
from datetime import timedelta

import pytest
from django.db import connection

from issues import services
from issues.models.choices import TransitionError
from issues.models.reminder import Notification, Reminder
from issues.models.task import BoardToken, StaleTask, Task, TaskEvent, TaskStatus
from issues.models.timeline import FollowUp
from issues.reminders import sweep
from tests.factories import IssueFactory, TaskFactory


@pytest.fixture
def task(community, staff, secretary, now):
    return services.add_task(
        community=community, by=secretary, now=now, title="入户走访3号楼王奶奶", day=now.date(), assignee=staff
    )


def test_it_records_who_gave_out_a_task(task, secretary):
    event = task.events.get()
    assert (event.by, event.to_status, event.to_assignee) == (secretary, TaskStatus.TODO, task.assignee)


def test_it_marks_a_task_done_with_one_event(task, staff, now):
    task.move(by=staff, now=now, status=TaskStatus.DONE, version=task.version)
    task.refresh_from_db()
    assert (task.status, task.version, task.done_at) == (TaskStatus.DONE, 2, now)
    assert task.events.filter(to_status=TaskStatus.DONE).count() == 1


def test_it_gives_a_task_to_another_person(task, secretary, grid_worker, now):
    task.move(by=secretary, now=now, assignee=grid_worker)
    task.refresh_from_db()
    assert task.assignee == grid_worker
    assert task.events.last().from_assignee_id != grid_worker.pk


def test_it_refuses_a_move_from_a_stale_board(task, staff, secretary, now):
    task.move(by=staff, now=now, status=TaskStatus.DOING, version=1)
    with pytest.raises(StaleTask):
        Task.objects.get(pk=task.pk).move(by=secretary, now=now, status=TaskStatus.DONE, version=1)
    task.refresh_from_db()
    assert (task.status, task.events.count()) == (TaskStatus.DOING, 2)


def test_it_refuses_a_transition_the_map_does_not_allow(task, staff, now):
    task.move(by=staff, now=now, status=TaskStatus.DONE)
    with pytest.raises(TransitionError):
        task.move(by=staff, now=now, status=TaskStatus.POSTPONED)
    task.refresh_from_db()
    assert (task.status, task.events.count()) == (TaskStatus.DONE, 2)


def test_it_writes_nothing_when_nothing_changes(task, staff, now):
    assert task.move(by=staff, now=now, status=TaskStatus.TODO) is None
    assert task.events.count() == 1


def test_it_notes_the_task_on_the_linked_item(community, secretary, staff, now):
    issue = IssueFactory(community=community)
    task = services.add_task(community=community, by=secretary, now=now, title="回访", day=now.date(), issue=issue)
    task.move(by=staff, now=now, status=TaskStatus.DONE)
    notes = FollowUp.objects.filter(issue=issue).values_list("note", flat=True)
    assert any("回访" in note for note in notes) and len(notes) == 2


def test_it_refuses_to_link_another_communitys_item(community, other_community, secretary, now):
    with pytest.raises(ValueError):
        services.add_task(
            community=community,
            by=secretary,
            now=now,
            title="x",
            day=now.date(),
            issue=IssueFactory(community=other_community),
        )
    assert not Task.objects.exists() and not TaskEvent.objects.exists()


def test_it_carries_an_unfinished_task_over_once(task, now):
    tomorrow = now + timedelta(days=1)
    assert services.carry_over_tasks(now=tomorrow) == 1
    assert services.carry_over_tasks(now=tomorrow) == 0
    carried = Task.objects.get(carried_from=task)
    assert (carried.day, carried.status, carried.assignee_id) == (tomorrow.date(), TaskStatus.TODO, task.assignee_id)


def test_it_does_not_carry_a_finished_task(task, staff, now):
    task.move(by=staff, now=now, status=TaskStatus.DONE)
    assert services.carry_over_tasks(now=now + timedelta(days=1)) == 0


def test_it_reminds_the_assignee_of_a_task_left_unfinished(task, staff, now):
    evening = now.replace(hour=17, minute=31)
    sweep.run_sweep(now=evening)
    sweep.run_sweep(now=evening + timedelta(minutes=1))
    reminder = Reminder.objects.get(object_id=task.pk, content_type__model="task")
    assert Notification.objects.get(reminder=reminder).recipient == staff


def test_it_does_not_remind_of_a_task_done_in_time(task, staff, now):
    task.move(by=staff, now=now, status=TaskStatus.DONE)
    sweep.run_sweep(now=now.replace(hour=18))
    assert not Reminder.objects.filter(content_type__model="task").exists()


def test_it_carries_over_from_the_sweep(task, now):
    sweep.run_sweep(now=now + timedelta(days=1))
    assert Task.objects.filter(carried_from=task).count() == 1


@pytest.mark.django_db(transaction=True)
def test_it_ends_two_simultaneous_moves_in_one_state_recorded_once(community, staff, secretary):
    task = TaskFactory(community=community, assignee=staff)
    from django.utils import timezone

    now = timezone.now()
    outcomes = []
    barrier = threading.Barrier(2)

    def move(status):
        try:
            barrier.wait()
            Task.objects.get(pk=task.pk).move(by=secretary, now=now, status=status, version=1)
            outcomes.append(status)
        except StaleTask:
            outcomes.append("stale")
        finally:
            connection.close()

    threads = [threading.Thread(target=move, args=(s,)) for s in (TaskStatus.DONE, TaskStatus.POSTPONED)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    task.refresh_from_db()
    assert sorted(outcomes, key=str) == sorted([task.status, "stale"], key=str)
    assert TaskEvent.objects.filter(task=task).count() == 1


def test_it_accepts_only_the_right_secret_for_a_board_link(community, secretary, now):
    row, token = BoardToken.create_link(community=community, label="会议室电视", by=secretary, now=now)
    assert BoardToken.active_for(token) == row
    assert BoardToken.active_for(token[:-1] + ("A" if token[-1] != "A" else "B")) is None


def test_it_refuses_a_revoked_board_link(community, secretary, now):
    row, token = BoardToken.create_link(community=community, label="会议室电视", by=secretary, now=now)
    row.revoke(now=now)
    assert BoardToken.active_for(token) is None
