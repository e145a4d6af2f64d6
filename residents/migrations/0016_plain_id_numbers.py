"""Every stored ID number rewritten as the forms store it now (crypto.normalise_id_number), so
the "already registered" check finds the person. 0015 read only the numbers whose *masked* form
held a character outside ASCII, and the mask keeps the first three and last four characters as
typed: 110１０５１９４９１２３１002X (全角 only in the middle, which the old pattern's \\d took)
kept its old encryption and hash, as did a first-generation number (15 digits) or a lowercase x
stored before the forms wrote them in the 18 characters. The numbers are decrypted in batches
of 1,000 by primary key (the primary key and the encrypted column only, never the whole roster
at once), each batch committed on its own, and only the rows whose number changes are written,
so a re-run after an interruption simply finishes the job.

The normalising rule is frozen here, as it was when this migration was written: a later change
to residents.crypto does not change what this migration does. The keys are crypto's."""

import re
import unicodedata
from datetime import date

from django.db import migrations, transaction

from residents import crypto

BATCH = 1000
_FIRST_GENERATION_RE = re.compile(r"^\d{15}$", re.ASCII)
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


def _normalise_id_number(value: str) -> str:
    """crypto.normalise_id_number as of this migration: full-width characters read as plain
    ones, spaces and dashes dropped, x as X, and a first-generation number whose date is one
    written in its 18 characters (GB 11643-1999: "19" before the year, then the check
    character); any other value as it is then."""
    value = re.sub(r"[\s-]", "", unicodedata.normalize("NFKC", value or "")).upper()
    if not _FIRST_GENERATION_RE.match(value):
        return value
    digits = f"{value[:6]}19{value[6:]}"
    try:
        date(int(digits[6:10]), int(digits[10:12]), int(digits[12:14]))
    except ValueError:
        return value
    return digits + _ID_CHECK[sum(int(d) * w for d, w in zip(digits, _ID_WEIGHTS, strict=True)) % 11]


def plain_id_numbers(apps, schema_editor):
    Resident = apps.get_model("residents", "Resident")
    numbered = Resident.objects.exclude(id_number_encrypted="").order_by("pk")
    last = 0
    while True:
        rows = list(numbered.filter(pk__gt=last).values_list("pk", "id_number_encrypted")[:BATCH])
        if not rows:
            return
        changed = []
        for pk, token in rows:
            typed = crypto.decrypt(token)
            value = _normalise_id_number(typed)
            if value != typed:
                changed.append(
                    Resident(
                        pk=pk,
                        id_number_encrypted=crypto.encrypt(value),
                        id_number_hash=crypto.lookup_hash(value),
                        id_number_masked=crypto.mask_id_number(value),
                    )
                )
        with transaction.atomic(using=schema_editor.connection.alias):
            Resident.objects.bulk_update(changed, ["id_number_encrypted", "id_number_hash", "id_number_masked"])
        last = rows[-1][0]


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("residents", "0015_plain_digits")]

    operations = [migrations.RunPython(plain_id_numbers, migrations.RunPython.noop, elidable=True)]
