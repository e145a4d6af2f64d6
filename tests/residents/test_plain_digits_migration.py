"""Phones and ID numbers stored in 全角 digits before the forms read them as plain ones are
rewritten as the forms now store them, so the search and the "already registered" check find
them: 0015 the rows whose phone or masked ID number holds such a digit, 0016 every ID number
(全角 digits only in its middle, which the mask does not keep, a first-generation number)."""

import base64
import hashlib
import hmac
from importlib import import_module

from django.apps import apps
from django.db import connection

from residents import crypto
from residents.models.resident import Resident
from residents.selectors import search_residents
from tests.factories import ResidentFactory
from tests.residents.conftest import ID_NUMBER

migration = import_module("residents.migrations.0015_plain_digits")
id_numbers = import_module("residents.migrations.0016_plain_id_numbers")
#: Another valid number (GB 11643), typed in plain digits.
PLAIN_ID_NUMBER = "110105199003070017"


class Editor:
    connection = connection


def stored_as_typed(resident: Resident, id_number: str) -> None:
    """What the old code stored for a number it took as typed (its \\d read ０–９): encrypted,
    hashed and masked without reading the full-width digits as plain ones."""
    digest = hmac.new(crypto._hash_key(), id_number.encode(), hashlib.sha256).digest()
    Resident.objects.filter(pk=resident.pk).update(
        id_number_encrypted=crypto.encrypt(id_number),
        id_number_hash=base64.b32encode(digest).decode().rstrip("=").lower(),
        id_number_masked=crypto.mask_id_number(id_number),
    )


def stored_numbers(*residents: Resident) -> list[tuple]:
    rows = Resident.objects.filter(pk__in=[r.pk for r in residents]).order_by("pk")
    return list(rows.values_list("pk", "id_number_encrypted", "id_number_hash", "id_number_masked"))


def test_it_rewrites_full_width_phones_and_id_numbers_as_plain_digits(community):
    full = ResidentFactory(community=community, name="王秀英")
    Resident.objects.filter(pk=full.pk).update(
        phone="１３８１２３４８０００", emergency_phone="０１０－６２３４５６７８"
    )
    stored_as_typed(full, "１１０１０５１９４９１２３１００２X")
    plain = ResidentFactory(community=community, name="李建国", phone="13900001111")
    plain.set_id_number(PLAIN_ID_NUMBER)
    plain.save()
    before = Resident.objects.values_list("pk", "phone", "id_number_encrypted").get(pk=plain.pk)
    assert list(Resident.objects.in_community(community).with_id_number(ID_NUMBER)) == []

    migration.plain_digits(apps, Editor())

    full.refresh_from_db()
    assert (full.phone, full.emergency_phone) == ("13812348000", "010-62345678")
    assert crypto.decrypt(full.id_number_encrypted) == ID_NUMBER and full.id_number_masked == "110***********002X"
    assert list(Resident.objects.in_community(community).with_id_number(ID_NUMBER)) == [full]
    assert list(search_residents(Resident.objects.all(), "8000")) == [full]
    # A row typed in plain digits is not touched (not even re-encrypted).
    assert Resident.objects.values_list("pk", "phone", "id_number_encrypted").get(pk=plain.pk) == before


def test_0016_rewrites_an_id_number_full_width_only_between_its_ends(community):
    # Switched to 全角 after 110, back for 002X: the mask (first three, last four) is plain, so
    # 0015 did not read it and the "already registered" check missed the person.
    typed = "110" + "１０５１９４９１２３１" + "002X"
    mixed = ResidentFactory(community=community, name="王秀英")
    stored_as_typed(mixed, typed)
    migration.plain_digits(apps, Editor())
    assert list(Resident.objects.in_community(community).with_id_number(ID_NUMBER)) == []

    id_numbers.plain_id_numbers(apps, Editor())

    mixed.refresh_from_db()
    assert crypto.decrypt(mixed.id_number_encrypted) == ID_NUMBER and mixed.id_number_masked == "110***********002X"
    assert list(Resident.objects.in_community(community).with_id_number(ID_NUMBER)) == [mixed]


def test_0016_rewrites_every_number_stored_as_typed_in_batches_and_leaves_the_rest(community, monkeypatch):
    typed = {
        "王秀英": "110" + "１０５１９４９１２３１" + "002X",
        "张淑芬": "110105491231002",  # first generation: found by its 18 characters since
        "刘桂兰": "11010519491231002x",
    }
    rows = {name: ResidentFactory(community=community, name=name) for name in typed}
    for name, number in typed.items():
        stored_as_typed(rows[name], number)
    plain = ResidentFactory(community=community, name="李建国")
    plain.set_id_number(PLAIN_ID_NUMBER)
    plain.save()
    none = ResidentFactory(community=community, name="孙志强")
    before = stored_numbers(plain, none)
    monkeypatch.setattr(id_numbers, "BATCH", 2)

    id_numbers.plain_id_numbers(apps, Editor())

    for row in rows.values():
        row.refresh_from_db()
        assert (crypto.decrypt(row.id_number_encrypted), row.id_number_masked) == (ID_NUMBER, "110***********002X")
    found = Resident.objects.in_community(community).with_id_number(ID_NUMBER)
    assert sorted(found.values_list("name", flat=True)) == sorted(typed)
    # A number stored as the forms store it now, or none, is not touched (not even re-encrypted).
    assert stored_numbers(plain, none) == before
