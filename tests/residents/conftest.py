import pytest

from tests.factories import ResidentFactory

ID_NUMBER = "11010519491231002X"


@pytest.fixture
def resident(community, room):
    resident = ResidentFactory(community=community, room=room, name="王秀英", phone="13812348000")
    resident.set_id_number(ID_NUMBER)
    resident.save()
    return resident


@pytest.fixture(autouse=True)
def field_key(monkeypatch):
    """Tests run with DEBUG off, where the dev-only key is refused: give them a key."""
    monkeypatch.setenv("FIELD_ENCRYPTION_KEY", "a2V5LWZvci1mdWhhaS10ZXN0cy1vbmx5LTMyYnl0ZXM=")
