"""`manage.py apply_retention [--dry-run] [--today YYYY-MM-DD]`: anonymise trainees whose
retention period has run out, in municipalities that have switched retention on."""

import datetime

from django.core.management.base import BaseCommand, CommandError

from apps.privacy.services import retention_apply


class Command(BaseCommand):
    help = "Anonymiserer elever, hvis opbevaringsperiode er udløbet."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Vis kun, hvad der sker.")
        parser.add_argument("--today", help="Dato at regne fra (ÅÅÅÅ-MM-DD); standard er i dag.")

    def handle(self, *args, dry_run=False, today=None, **options):
        day = None
        if today:
            try:
                day = datetime.date.fromisoformat(today)
            except ValueError as exc:
                raise CommandError("--today skal være en dato som 2026-01-31.") from exc
        report = retention_apply(today=day, dry_run=dry_run)
        for line in report.lines():
            self.stdout.write(line)
