"""manage.py backup: a dated folder with the database (pg_dump custom format), the photos and a
manifest of row counts. The encryption key is not in it: keep FIELD_ENCRYPTION_KEY apart."""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from fuhai.backups import BackupError, Target, backup


class Command(BaseCommand):
    help = "Write a dated backup folder: the database (pg_dump -Fc), MEDIA_ROOT as a tar and the row counts."

    def add_arguments(self, parser):
        parser.add_argument("destination", help="Folder the dated backup goes in, e.g. /srv/fuhai/backups.")
        parser.add_argument("--database-url", default="", help="Another database than the app's.")

    def handle(self, *args, destination, database_url, **options):
        if not settings.IS_POSTGRES and not database_url:
            raise CommandError("Backups are made of PostgreSQL: set DATABASE_URL to the PostgreSQL database.")
        started = time.monotonic()
        try:
            folder = backup(
                destination,
                target=Target.from_settings(database_url),
                media_root=settings.MEDIA_ROOT,
                now=timezone.localtime(),
            )
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"Backup written to {folder} in {time.monotonic() - started:.1f} s.")
