"""Residents saved before the surname readings get their pinyin initials recomputed."""

from importlib import import_module

from django.apps import apps
from django.db import connection

from residents.models.resident import Resident
from residents.selectors import search_residents
from tests.factories import ResidentFactory

migration = import_module("residents.migrations.0008_recompute_name_initials")


class Editor:
    connection = connection


def test_it_recomputes_old_initials_of_special_surnames_in_batches(community, monkeypatch):
    names = ["单田芳", "曾志伟", "解缙", "仇英", "区志强", "查良镛", "覃海", "王秀兰"]
    for name in names:
        ResidentFactory(community=community, name=name)
    # As saved before: the everyday reading of the first character.
    old = {"单田芳": "dtf", "曾志伟": "czw", "解缙": "jj", "仇英": "cy", "区志强": "qzq", "查良镛": "cly", "覃海": "th"}
    for name, initials in old.items():
        Resident.objects.filter(name=name).update(name_initials=initials)
    monkeypatch.setattr(migration, "BATCH", 3)
    migration.recompute(apps, Editor())
    got = dict(Resident.objects.values_list("name", "name_initials"))
    assert got == {
        "单田芳": "stf",
        "曾志伟": "zzw",
        "解缙": "xj",
        "仇英": "qy",
        "区志强": "ozq",
        "查良镛": "zly",
        "覃海": "qh",
        "王秀兰": "wxl",
    }


def test_the_search_box_finds_an_old_resident_by_the_surname_reading(community):
    resident = ResidentFactory(community=community, name="单田芳")
    Resident.objects.filter(pk=resident.pk).update(name_initials="dtf")
    migration.recompute(apps, Editor())
    assert resident in search_residents(Resident.objects.in_community(community), "stf")
