"""manage.py restore FOLDER: bring a backup back into an EMPTY database and media folder, then
check the row counts against the backup's manifest."""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from fuhai.backups import BackupError, Target, restore


class Command(BaseCommand):
    help = "Restore a folder written by `manage.py backup` into an empty database and media folder."

    def add_arguments(self, parser):
        parser.add_argument("folder", help="A folder written by `manage.py backup`.")
        parser.add_argument("--database-url", default="", help="The empty database (default: the app's).")
        parser.add_argument("--database-name", default="", help="Another database name on the same server.")
        parser.add_argument("--media-root", default="", help="The empty media folder (default: MEDIA_ROOT).")

    def handle(self, *args, folder, database_url, database_name, media_root, **options):
        if not settings.IS_POSTGRES and not database_url:
            raise CommandError("Backups are restored into PostgreSQL: set DATABASE_URL or --database-url.")
        started = time.monotonic()
        target = Target.from_settings(database_url, name=database_name)
        try:
            counts = restore(folder, target=target, media_root=media_root or settings.MEDIA_ROOT)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            f"Restored {sum(counts.values())} rows in {len(counts)} tables into {target.name} "
            f"in {time.monotonic() - started:.1f} s; the row counts match the backup."
        )
