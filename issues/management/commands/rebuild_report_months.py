"""Count the monthly roll-up of the 民情日记 figures (issues.models.rollup) again from the items.

Triggers keep it in step with every write; this is for after a repair with the triggers switched
off (a data-only restore, ``session_replication_role = replica``). Writes to items wait meanwhile."""

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from issues.models.rollup import ReportMonth
from issues.report_months import SQL


class Command(BaseCommand):
    help = "Count the monthly report's roll-up again from the items (PostgreSQL)."

    def handle(self, *args, **options):
        if connection.vendor != "postgresql":
            raise CommandError("The monthly roll-up is kept on PostgreSQL only; on SQLite the report counts the items.")
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("LOCK TABLE issues_issue IN SHARE MODE")
            # after a fold under way, which would otherwise add its changes to the new count
            cursor.execute(SQL.FOLD_LOCK.replace("pg_try_advisory_xact_lock", "pg_advisory_xact_lock"))
            cursor.execute(SQL.REBUILD)
        self.stdout.write(f"{ReportMonth.objects.count()} rows of monthly figures counted.")
