"""`manage.py purge_audit [--dry-run]`: delete look-up audit events past their retention."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from apps.core.audit import audit_lookups_purge


class Command(BaseCommand):
    help = "Sletter opslag i revisionssporet, der er ældre end AUDIT_LOOKUP_RETENTION_MONTHS."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Vis kun, hvad der slettes.")

    def handle(self, *args, dry_run=False, **options):
        try:
            count = audit_lookups_purge(dry_run=dry_run)
        except DatabaseError as error:
            # The database enforces the retention installed by the last `migrate`.
            raise CommandError(
                "Databasen afviste sletningen: AUDIT_LOOKUP_RETENTION_MONTHS er kortere end "
                "den opbevaringstid, databasen håndhæver. Kør manage.py migrate efter en "
                f"ændring af indstillingen. ({error})"
            ) from error
        months = settings.AUDIT_LOOKUP_RETENTION_MONTHS
        verb = "ville blive slettet" if dry_run else "slettet"
        self.stdout.write(f"{count} opslag ældre end {months} måneder {verb}.")
