from datetime import datetime, timedelta
from io import BytesIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from PIL import Image

from tests.factories import ActivityFactory, ResidentFactory

NOW = datetime(2026, 12, 4, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))  # a Friday, 9:00


@pytest.fixture
def now():
    return NOW


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def png_bytes() -> bytes:
    buffer = BytesIO()
    Image.new("RGB", (8, 8), "red").save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture
def wang(community, room):
    return ResidentFactory(community=community, name="王秀英", room=room, phone="13812348000")


@pytest.fixture
def activity(community, secretary, now):
    """宪法宣传 at the station, 9:30 to 11:00 today, organised by the secretary."""
    starts = now + timedelta(minutes=30)
    return ActivityFactory(
        community=community,
        title="宪法宣传活动",
        starts_at=starts,
        ends_at=starts + timedelta(hours=1, minutes=30),
        organiser=secretary,
    )


@pytest.fixture
def desk_open(now):
    """The desk's clock at 9:00, half an hour before the activity: sign-in is open."""
    with time_machine.travel(now, tick=False):
        yield now
