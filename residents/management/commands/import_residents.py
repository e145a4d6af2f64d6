"""python manage.py import_residents FILE.xlsx [--dry-run] [--community NAME]"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from residents import importer
from residents.models.community import Community


class Command(BaseCommand):
    help = "Import the office's Excel roster of residents: all rows or none, with a row-by-row report."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="Check every row, save nothing.")
        parser.add_argument("--community", help="Name of the community (needed when there are several).")

    def handle(self, *args, file: Path, dry_run: bool, community: str | None, **options):
        communities = Community.objects.filter(name=community) if community else Community.objects.all()
        if communities.count() != 1:
            raise CommandError("Name the community with --community (exactly one must match).")
        target = communities.get()
        if not file.exists():
            raise CommandError(f"{file} does not exist.")
        try:
            with file.open("rb") as handle:
                report = importer.read(handle, community=target, size=file.stat().st_size)
        except importer.ImportFileError as exc:
            raise CommandError(str(exc)) from None
        for line, message in report.errors:
            self.stderr.write(f"第{line}行：{message}")
        if not report.ok:
            raise CommandError(f"{len(report.errors)} rows have errors: nothing was imported.")
        if dry_run:
            self.stdout.write(f"{len(report.rows)} rows are fine (dry run: nothing saved).")
            return
        created = importer.save(report, community=target)
        self.stdout.write(f"{created} residents imported into {target}.")
