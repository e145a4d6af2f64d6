"""Writes of the residents app that other apps ask for."""

from residents.models.resident import Resident
from residents.services import remember_nickname
from tests.factories import ResidentFactory


def test_it_remembers_a_group_nickname(community):
    resident = ResidentFactory(community=community, name="李桂兰")
    assert remember_nickname(resident, "李阿姨")
    assert Resident.objects.get(pk=resident.pk).wechat_nickname == "李阿姨"


def test_it_keeps_a_nickname_already_remembered(community):
    resident = ResidentFactory(community=community, name="李桂兰", wechat_nickname="李阿姨")
    assert not remember_nickname(resident, "桂兰")
    assert Resident.objects.get(pk=resident.pk).wechat_nickname == "李阿姨"


def test_it_refuses_a_nickname_another_resident_goes_by(community):
    ResidentFactory(community=community, name="王秀英", wechat_nickname="阿姨")
    resident = ResidentFactory(community=community, name="李桂兰")
    assert not remember_nickname(resident, "阿姨")
    assert Resident.objects.get(pk=resident.pk).wechat_nickname == ""


def test_it_does_not_remember_the_name_as_a_nickname(community):
    resident = ResidentFactory(community=community, name="李桂兰")
    assert not remember_nickname(resident, "李桂兰")
    assert Resident.objects.get(pk=resident.pk).wechat_nickname == ""
