"""One reminder sweep, synchronously, through the same service the beat job calls."""

from datetime import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from issues.reminders import sweep


class Command(BaseCommand):
    help = "Run one reminder sweep now (for cron-only deployments and checks)."

    def add_arguments(self, parser):
        parser.add_argument("--now", help="Pretend it is this time (ISO 8601), e.g. 2026-11-30T08:30+08:00")

    def handle(self, *args, now: str | None = None, **options):
        when = timezone.now()
        if now:
            try:
                when = datetime.fromisoformat(now)
            except ValueError:
                raise CommandError(f"--now {now!r} is not an ISO 8601 time, e.g. 2026-11-30T08:30+08:00") from None
            if timezone.is_naive(when):
                when = timezone.make_aware(when)
        result = sweep.run_sweep(now=when)
        self.stdout.write(
            f"claimed {result.claimed} items, created {result.created} reminders and {result.digests} digests, "
            f"delivered {result.delivered}, failed {result.failed}, pushed forward {len(result.pushed_forward)}"
        )
