"""Project-level writes that are not any one app's business."""

from datetime import datetime

from fuhai.models import Heartbeat


def record_heartbeat(*, name: str, now: datetime) -> Heartbeat:
    heartbeat, _ = Heartbeat.objects.update_or_create(name=name, defaults={"last_seen": now})
    return heartbeat
