import pytest

from tests.factories import BuildingFactory, ResidentFactory, RoomFactory, UnitFactory

ID_NUMBER = "11010519491231002X"


@pytest.fixture
def room(community):
    unit = UnitFactory(building=BuildingFactory(community=community, number="3"), number="2")
    return RoomFactory(unit=unit, room_no="501")


@pytest.fixture
def resident(community, room):
    resident = ResidentFactory(community=community, room=room, name="王秀英", phone="13812348000")
    resident.set_id_number(ID_NUMBER)
    resident.save()
    return resident


@pytest.fixture
def login(client):
    def as_user(user):
        client.force_login(user)
        return client

    return as_user


@pytest.fixture(autouse=True)
def field_key(monkeypatch):
    """Tests run with DEBUG off, where the dev-only key is refused: give them a key."""
    monkeypatch.setenv("FIELD_ENCRYPTION_KEY", "a2V5LWZvci1mdWhhaS10ZXN0cy1vbmx5LTMyYnl0ZXM=")
