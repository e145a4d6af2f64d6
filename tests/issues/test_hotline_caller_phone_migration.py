"""12345 callers' numbers stored as typed before the form normalised them (139 0000 1234,
139-0000-1234, 全角 digits, +86 before the mobile) are rewritten as the form stores them now, so
a new case from the same caller is linked as a repeat."""

from importlib import import_module

from django.apps import apps
from django.db import connection

from issues.hotline.models import HotlineCase
from tests.issues.test_hotline import post_case

migration = import_module("issues.migrations.0035_hotline_caller_phone_plain")


class Editor:
    connection = connection


def test_it_rewrites_numbers_stored_as_typed_in_batches(make_case, monkeypatch):
    typed = {
        "139 0000 1234": "13900001234",
        "139-0000-1234": "13900001234",
        "１３９００００１２３４": "13900001234",
        "+86 139 0000 1235": "13900001235",
        "+86-139-0000-1236": "13900001236",
        "0086 13900001237": "13900001237",
        "010-62345678": "010-62345678",  # a landline keeps its dash
        "13900001238": "13900001238",
        "": "",
    }
    cases = {phone: make_case(caller_phone=phone) for phone in typed}
    monkeypatch.setattr(migration, "BATCH", 2)
    # Only the numbers holding a space, a dash, a '+' or a character outside ASCII are read.
    read = HotlineCase.objects.filter(caller_phone__regex=migration.TYPED).values_list("caller_phone", flat=True)
    assert sorted(read) == sorted(set(typed) - {"13900001238", ""})

    migration.plain_caller_phones(apps, Editor())

    stored = dict(HotlineCase.objects.values_list("pk", "caller_phone"))
    assert {phone: stored[case.pk] for phone, case in cases.items()} == typed


def test_a_case_stored_with_the_old_forms_spaces_is_found_as_the_repeat(staff_client):
    # The old RegexField (^[0-9\-+ ]{5,20}$) stored the number as typed, spaces and dashes kept.
    post_case(staff_client)
    HotlineCase.objects.update(caller_phone="139 0000 1234")

    migration.plain_caller_phones(apps, Editor())

    post_case(staff_client, case_no="20261130-0002", caller_phone="13900001234")
    first, second = HotlineCase.objects.order_by("id")
    assert second.repeat_of == first
