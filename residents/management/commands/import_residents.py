"""python manage.py import_residents FILE.xlsx [--dry-run] [--community NAME]"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from residents import importer
from residents.importing import services
from residents.importing.models import JobStatus
from residents.importing.writer import run_job
from residents.models.community import Community

BAR_WIDTH = 30


class Command(BaseCommand):
    help = (
        "Import the office's Excel roster of residents: every row checked, then all rows written or none, "
        "with a progress bar; the job and its report are kept as on the import page."
    )

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
        job = services.create_job(community=target, by=None, file_name=file.name, report=report)
        self.bar(0, job.total)
        job = run_job(job_id=job.pk, now=timezone.now(), on_progress=lambda done: self.bar(done, job.total))
        self.stderr.write("")
        if job.status != JobStatus.DONE:
            lines = "、".join(str(line) for line in job.report.get("lines", []))
            detail = f" (rows {lines}: ID number registered since the check)" if lines else ""
            raise CommandError(f"Import job {job.pk} failed{detail}: nothing was imported.")
        self.stdout.write(f"{job.done} residents imported into {target} (job {job.pk}).")

    def bar(self, done: int, total: int) -> None:
        """A progress bar on stderr, redrawn in place on a terminal, a line per batch otherwise."""
        filled = BAR_WIDTH * done // total if total else BAR_WIDTH
        text = f"[{'#' * filled}{'-' * (BAR_WIDTH - filled)}] {done}/{total}"
        if self.stderr.isatty():
            self.stderr.write(f"\r{text}", ending="")
            self.stderr.flush()
        else:
            self.stderr.write(text)
