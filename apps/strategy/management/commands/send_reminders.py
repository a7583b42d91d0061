"""`manage.py send_reminders [--dry-run]`: the daily follow-up reminders, run by hand."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from apps.strategy.reminders import send_follow_up_reminders


class Command(BaseCommand):
    help = "Send the automatic follow-up reminders (and on Mondays the weekly digest)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Count what would be sent; send nothing."
        )

    def handle(self, *args, dry_run=False, **options):
        counts = send_follow_up_reminders(today=timezone.localdate(), dry_run=dry_run)
        prefix = "Ville sende" if dry_run else "Sendt"
        self.stdout.write(
            f"{prefix}: {counts['due_soon']} om 14 dage, {counts['overdue']} overskredne, "
            f"{counts['digest']} ugentlige overblik."
        )
