"""12345 callers' numbers stored as typed before the form stored them as the resident form does
(139 0000 1234, 139-0000-1234, 全角 digits, +86 before the mobile) are rewritten as the form
stores them now, so a new case from the same caller, stored as 13900001234, is linked as a
repeat (the look-up is an exact match on caller_phone, a plain indexed column). Only the rows
whose number holds a space, a dash, a '+' or a character outside ASCII are read, in batches of
1,000 by primary key, each committed on its own; only those whose number changes are written.

The normalising rule is frozen here, as it was when this migration was written
(residents.importer.normalise_phone): a later change there does not change what this does."""

import re
import unicodedata

from django.db import migrations, transaction

BATCH = 1000
TYPED = r"\s|[-+]|[^\x01-\x7f]"
_COUNTRY_CODE_RE = re.compile(r"^(?:\+|00)?86-?(1[0-9-]*)$", re.ASCII)
_MOBILE_RE = re.compile(r"^1[0-9]{10}$", re.ASCII)


def _normalise_phone(value: str) -> str:
    """Full-width characters read as plain ones, spaces dropped, the country code before a
    mobile (+86, 0086, 86) and a mobile's dashes dropped; a landline keeps its dash."""
    phone = re.sub(r"\s", "", unicodedata.normalize("NFKC", value or ""))
    if (code := _COUNTRY_CODE_RE.match(phone)) and _MOBILE_RE.match(mobile := code[1].replace("-", "")):
        return mobile
    return phone.replace("-", "") if phone.startswith("1") else phone


def plain_caller_phones(apps, schema_editor):
    HotlineCase = apps.get_model("issues", "HotlineCase")
    typed = HotlineCase.objects.filter(caller_phone__regex=TYPED).order_by("pk")
    last = 0
    while True:
        rows = list(typed.filter(pk__gt=last).values_list("pk", "caller_phone")[:BATCH])
        if not rows:
            return
        changed = [
            HotlineCase(pk=pk, caller_phone=phone)
            for pk, stored in rows
            if (phone := _normalise_phone(stored)) != stored
        ]
        with transaction.atomic(using=schema_editor.connection.alias):
            HotlineCase.objects.bulk_update(changed, ["caller_phone"])
        last = rows[-1][0]


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("issues", "0034_issue_comm_status_stats")]

    operations = [migrations.RunPython(plain_caller_phones, migrations.RunPython.noop, elidable=True)]
