from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations


class Migration(migrations.Migration):
    """pg_trgm serves Chinese substring search (3+ characters). It is a trusted
    extension, so the database owner may create it without superuser rights."""

    dependencies = [("residents", "0001_initial")]

    operations = [TrigramExtension()]
