"""Phones and ID numbers stored in 全角 digits before the forms read them as plain ones are
rewritten as the forms now store them, so the search and the "already registered" check find
them."""

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


def test_it_rewrites_full_width_phones_and_id_numbers_as_plain_digits(community):
    full = ResidentFactory(community=community, name="王秀英")
    Resident.objects.filter(pk=full.pk).update(
        phone="１３８１２３４８０００", emergency_phone="０１０－６２３４５６７８"
    )
    stored_as_typed(full, "１１０１０５１９４９１２３１００２X")
    plain = ResidentFactory(community=community, name="李建国", phone="13900001111")
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
