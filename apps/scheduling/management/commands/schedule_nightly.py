"""`manage.py schedule_nightly`: book the nightly maintenance chain (idempotent)."""

from django.core.management.base import BaseCommand

from apps.core.formatting import format_datetime
from apps.scheduling.nightly import nightly_schedule


class Command(BaseCommand):
    help = (
        "Booker den natlige kørsel (anonymisering, oprydning i opslagslog, genberegning af "
        "nøgletal). Task-workeren booker derefter selv den næste nat."
    )

    def handle(self, *args, **options):
        run_after = nightly_schedule()
        self.stdout.write(f"Næste natlige kørsel: {format_datetime(run_after)}")
