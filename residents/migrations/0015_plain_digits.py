"""Phones and ID numbers typed in 全角 mode before the forms read such digits as plain ones (their
patterns' \\d took ０–９, so they were stored as typed): a full-width phone was not found by its
last four digits, and a full-width ID number hashed apart from the same person's plain one, so
the "already registered" check missed it. Each is rewritten as the forms now store it
(importer.normalise_phone, crypto.normalise_id_number). Only rows holding a character outside
ASCII in a phone or in the masked ID number are read (a masked number keeps its first three and
last four characters as typed), so on a roster typed in plain digits nothing is decrypted."""

import re

from django.db import migrations
from django.db.models import Q

from residents import crypto
from residents.importer import normalise_phone

NON_ASCII = r"[^\x01-\x7f]"


def plain_digits(apps, schema_editor):
    Resident = apps.get_model("residents", "Resident")
    typed = Resident.objects.filter(
        Q(phone__regex=NON_ASCII) | Q(emergency_phone__regex=NON_ASCII) | Q(id_number_masked__regex=NON_ASCII)
    )
    for row in typed.order_by("pk").iterator(chunk_size=500):
        changed = []
        for field in ("phone", "emergency_phone"):
            value = normalise_phone(getattr(row, field))
            if value != getattr(row, field):
                setattr(row, field, value)
                changed.append(field)
        if row.id_number_encrypted and re.search(NON_ASCII, row.id_number_masked):
            value = crypto.normalise_id_number(crypto.decrypt(row.id_number_encrypted))
            row.id_number_encrypted = crypto.encrypt(value)
            row.id_number_hash = crypto.lookup_hash(value)
            row.id_number_masked = crypto.mask_id_number(value)
            changed += ["id_number_encrypted", "id_number_hash", "id_number_masked"]
        if changed:
            row.save(update_fields=changed)


class Migration(migrations.Migration):
    dependencies = [("residents", "0014_accesslog_field_emergency_phone")]

    operations = [migrations.RunPython(plain_digits, migrations.RunPython.noop, elidable=True)]
