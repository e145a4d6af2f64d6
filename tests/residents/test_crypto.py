"""ID numbers are encrypted at rest, found by a keyed hash and shown masked."""

import io

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured
from django.db import connection

from residents import crypto
from residents.models.resident import Resident
from tests.residents.conftest import ID_NUMBER


def test_it_stores_no_clear_id_number(resident):
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM residents_resident WHERE id = %s", [resident.pk])
        row = cursor.fetchone()
    assert not any(ID_NUMBER in str(value) for value in row)
    assert "110***********002X" in row and resident.id_number_encrypted in row


def test_it_decrypts_the_stored_id_number(resident):
    assert Resident.objects.get(pk=resident.pk).decrypted_id_number() == ID_NUMBER


def test_it_finds_a_resident_by_exact_id_number(resident, community):
    assert list(Resident.objects.in_community(community).with_id_number("11010519491231002x")) == [resident]


def test_it_masks_an_id_number_keeping_three_and_four():
    assert crypto.mask_id_number(ID_NUMBER) == "110***********002X"


def test_it_shows_the_masked_id_number_without_the_key(resident):
    assert resident.id_number_masked == "110***********002X"


@pytest.mark.parametrize("value", [ID_NUMBER, "110105194912310021"[:17] + "X"])
def test_it_checks_the_id_number_check_character(value):
    assert crypto.id_number_is_valid(value) is (value == ID_NUMBER)


def test_it_still_decrypts_old_values_after_a_new_key_is_prepended(monkeypatch):
    old = Fernet.generate_key().decode()
    monkeypatch.setenv("FIELD_ENCRYPTION_KEY", old)
    token = crypto.encrypt(ID_NUMBER)
    monkeypatch.setenv("FIELD_ENCRYPTION_KEY", f"{Fernet.generate_key().decode()},{old}")
    assert crypto.decrypt(token) == ID_NUMBER


def test_it_rotates_a_value_to_the_newest_key(monkeypatch):
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    monkeypatch.setenv("FIELD_ENCRYPTION_KEY", old)
    token = crypto.encrypt(ID_NUMBER)
    monkeypatch.setenv("FIELD_ENCRYPTION_KEY", f"{new},{old}")
    rotated = crypto.rotate(token)
    monkeypatch.setenv("FIELD_ENCRYPTION_KEY", new)
    assert crypto.decrypt(rotated) == ID_NUMBER


def test_it_keeps_the_lookup_hash_through_a_rotation(monkeypatch):
    old = Fernet.generate_key().decode()
    monkeypatch.setenv("FIELD_ENCRYPTION_KEY", old)
    before = crypto.lookup_hash(ID_NUMBER)
    monkeypatch.setenv("FIELD_ENCRYPTION_KEY", f"{Fernet.generate_key().decode()},{old}")
    assert crypto.lookup_hash(ID_NUMBER) == before


def test_it_refuses_to_run_without_a_key_when_debug_is_off(monkeypatch, settings):
    settings.DEBUG = False
    monkeypatch.delenv("FIELD_ENCRYPTION_KEY", raising=False)
    with pytest.raises(ImproperlyConfigured):
        crypto.encrypt(ID_NUMBER)


def test_it_rotates_stored_id_numbers_with_the_command(monkeypatch, resident):
    from django.core.management import call_command

    new = Fernet.generate_key().decode()
    monkeypatch.setenv("FIELD_ENCRYPTION_KEY", f"{new},{crypto._keys()[0]}")
    call_command("rotate_id_numbers", stdout=io.StringIO())
    monkeypatch.setenv("FIELD_ENCRYPTION_KEY", new)
    assert Resident.objects.get(pk=resident.pk).decrypted_id_number() == ID_NUMBER


@pytest.mark.parametrize(
    ("value", "says"),
    [
        ("11010519900230001X", "19900230"),  # 30 February
        ("110105189912310011", "18991231"),  # before 1900
        ("11010519491231002", "18"),
        ("110105194912310021", "最后一位"),
    ],
)
def test_it_says_what_is_wrong_with_an_id_number(value, says):
    assert says in crypto.id_number_error(value) and not crypto.id_number_is_valid(value)


def test_it_accepts_a_valid_id_number_and_reads_its_date_of_birth():
    assert crypto.id_number_error(ID_NUMBER) is None
    assert crypto.id_number_birth_date(ID_NUMBER).isoformat() == "1949-12-31"


# GB 11643-1999: "19" goes before the two-digit year, then the check character is worked out
# over the 17 digits with the weights 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2, sum mod 11 -> "10X98765432".
@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        # 7+9+0+5+0+20+2+9+42+3+0+81+20+15+8+8+6 = 235, 235 mod 11 = 4 -> "8"
        ("110105710923123", "110105197109231238"),
        ("110105 710923 123", "110105197109231238"),
        ("110105-710923-123", "110105197109231238"),
        # 7+9+0+5+0+20+2+9+24+27+7+18+30+5+0+0+4 = 167, 167 mod 11 = 2 -> "X"
        ("110105491231002", ID_NUMBER),
        # 29 February 1996: 7+9+0+5+0+20+2+9+54+18+0+18+20+45+0+0+8 = 215, 215 mod 11 = 6 -> "6"
        ("110105960229004", "110105199602290046"),
    ],
)
def test_it_writes_a_first_generation_number_in_its_eighteen_characters(typed, stored):
    assert crypto.normalise_id_number(typed) == stored
    assert crypto.id_number_error(crypto.normalise_id_number(typed)) is None


def test_it_leaves_an_eighteen_character_number_as_it_is():
    assert crypto.normalise_id_number("1101 0519 4912 3100 2x") == ID_NUMBER


# A Chinese input method in 全角 mode types １１０… and Ｘ: the same person's number, so the same
# characters (and the same look-up hash) as the plain form, never a mix of the two widths.
@pytest.mark.parametrize(
    "typed",
    [
        "１１０１０５４９１２３１００２",
        "１１０１０５１９４９１２３１００２ｘ",
        "１１０１０５　４９１２３１－００２",
        "110105491231002",
    ],
)
def test_it_reads_full_width_digits_as_plain_ones(typed):
    assert crypto.normalise_id_number(typed) == ID_NUMBER
    assert crypto.lookup_hash(typed) == crypto.lookup_hash(ID_NUMBER)


def test_it_refuses_digits_of_other_scripts():
    # Arabic-Indic digits are digits to Python's \d and int(), but no ID card has them.
    value = crypto.normalise_id_number("١١٠١٠٥١٩٤٩١٢٣١٠٠٢X")
    assert crypto.id_number_error(value) is not None


@pytest.mark.parametrize(
    ("typed", "digits"),
    [
        ("110105711323123", "711323"),  # month 13
        ("110105000229123", "000229"),  # 1900 was no leap year
    ],
)
def test_it_says_a_first_generation_number_has_no_date(typed, digits):
    value = crypto.normalise_id_number(typed)
    assert value == typed
    error = crypto.id_number_error(value)
    assert digits in error and "15" in error


def test_it_finds_a_resident_by_the_first_generation_form_of_the_number(resident, community):
    assert list(Resident.objects.in_community(community).with_id_number("110105491231002")) == [resident]


def test_it_stores_a_first_generation_number_as_eighteen_characters(resident):
    resident.set_id_number("110105710923123")
    assert resident.id_number_masked == "110***********1238"
    assert resident.id_number_hash == crypto.lookup_hash("110105197109231238")
    assert crypto.decrypt(resident.id_number_encrypted) == "110105197109231238"
