"""Project-level Celery tasks; each is a thin wrapper around one service."""

from celery import shared_task
from django.utils import timezone

from fuhai import services


@shared_task
def heartbeat(name: str = "beat") -> None:
    services.record_heartbeat(name=name, now=timezone.now())
