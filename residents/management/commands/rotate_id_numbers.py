"""Re-encrypt every stored ID number with the newest key of FIELD_ENCRYPTION_KEY."""

from django.core.management.base import BaseCommand
from django.db import transaction

from residents import crypto
from residents.models.resident import Resident


class Command(BaseCommand):
    help = "Re-encrypt stored ID numbers with the first key in FIELD_ENCRYPTION_KEY (after prepending a new key)."

    def handle(self, *args, **options):
        count = 0
        with transaction.atomic():
            rows = Resident.objects.exclude(id_number_encrypted="").select_for_update().only("id_number_encrypted")
            for resident in rows.iterator(chunk_size=500):
                resident.id_number_encrypted = crypto.rotate(resident.id_number_encrypted)
                resident.save(update_fields=["id_number_encrypted"])
                count += 1
        self.stdout.write(f"{count} ID numbers re-encrypted with the newest key.")
