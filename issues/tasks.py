"""Celery tasks of the issues app: thin wrappers that read the clock and call one service."""

from celery import shared_task
from django.utils import timezone

from issues import report_months
from issues.reminders import sweep


@shared_task(acks_late=True)
def sweep_reminders() -> dict:
    """Every minute from beat. Idempotent: redelivery or a second worker creates nothing twice."""
    result = sweep.run_sweep(now=timezone.now())
    return {
        "created": result.created,
        "delivered": result.delivered,
        "failed": result.failed,
        "failed_sources": result.failed_sources,
    }


@shared_task
def fold_report_months() -> int | None:
    """Every minute from beat: the monthly roll-up's changes folded in (one worker at a time)."""
    return report_months.fold_changes()
