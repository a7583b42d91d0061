"""`manage.py import_spreadsheet FILE --municipality CODE`: the HR import for scheduled jobs.

Runs the same preview and commit services as the HR pages. Exit status: 0 when applied with
no rejected rows, 1 when the file was refused, 2 when rows were rejected (the accepted rows
are still applied unless --dry-run). A dry run leaves no batch behind.
"""

import json
import sys
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from apps.imports.errors import ImportRefused
from apps.imports.models import BatchStatus, ImportKind, RowAction
from apps.imports.services import (
    import_batch_commit,
    import_batch_discard,
    import_batch_preview,
    import_batch_start,
)
from apps.organisation.models import Municipality


class Command(BaseCommand):
    help = "Importér et regneark fra HR (elever, praktikperioder, fravær eller vejledere)."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--municipality", required=True, type=int, help="Kommunenummer")
        parser.add_argument("--kind", choices=ImportKind.values, default="")
        parser.add_argument("--dry-run", action="store_true", help="Kontrollér kun")
        parser.add_argument("--json", action="store_true", help="Skriv et JSON-resumé")

    def handle(self, *args, **options):
        try:
            municipality = Municipality.objects.get(code=options["municipality"])
        except Municipality.DoesNotExist:
            raise CommandError(f"Ukendt kommunenummer {options['municipality']}") from None
        path = options["file"]
        if not path.is_file():
            raise CommandError(f"Filen findes ikke: {path}")
        batch = import_batch_start(
            municipality=municipality, actor=None, path=path, requested_kind=options["kind"]
        )
        started = time.perf_counter()
        import_batch_preview(batch=batch, path=path)
        seconds = {"preview": round(time.perf_counter() - started, 3), "apply": 0.0}
        message = batch.message
        applied = False
        if batch.status == BatchStatus.READY and not options["dry_run"]:
            started = time.perf_counter()
            try:
                batch = import_batch_commit(batch=batch, actor=None)
                applied = True
            except ImportRefused as exc:
                message = exc.message
            seconds["apply"] = round(time.perf_counter() - started, 3)
        refused = batch.status == BatchStatus.REFUSED or (
            not applied and not options["dry_run"] and bool(message)
        )
        rejected = [
            {"row": row.row_number, "column": error["column"], "message": error["message"]}
            for row in batch.rows.filter(action=RowAction.REJECTED).order_by("row_number")
            for error in row.errors
        ]
        warnings = [
            {"row": row.row_number, "message": text}
            for row in batch.rows.exclude(warnings=[]).order_by("row_number")
            for text in row.warnings
        ]
        summary = {
            "kind": batch.kind or None,
            "created": batch.created_count,
            "updated": batch.updated_count,
            "unchanged": batch.unchanged_count,
            "rejected": rejected,
            "ignored_columns": batch.ignored_columns,
            "dropped_columns": batch.dropped_columns,
            "warnings": warnings,
            "applied": applied,
            "batch": batch.pk,
            "error": message or None,
            "seconds": seconds,
        }
        if options["dry_run"]:
            # A check only: nothing is left for HR to confirm (or wonder about) in the history.
            import_batch_discard(batch=batch)
        if options["json"]:
            self.stdout.write(json.dumps(summary, ensure_ascii=False))
        else:
            self._print(summary)
        if refused:
            sys.exit(1)
        if rejected:
            sys.exit(2)

    def _print(self, summary: dict) -> None:
        if summary["error"]:
            self.stderr.write(summary["error"])
            return
        self.stdout.write(
            f"{summary['kind']}: {summary['created']} nye, {summary['updated']} ændrede, "
            f"{summary['unchanged']} uændrede, {len(summary['rejected'])} afviste"
            + (" – importeret" if summary["applied"] else " – ikke importeret")
        )
        for item in summary["rejected"]:
            self.stdout.write(f"Række {item['row']}, kolonne {item['column']}: {item['message']}")
        for item in summary["warnings"]:
            self.stdout.write(f"Række {item['row']}: {item['message']}")
        for name in summary["ignored_columns"]:
            self.stdout.write(f"Ignoreret kolonne: {name}")
        for name in summary["dropped_columns"]:
            self.stdout.write(f"Fjernet CPR-kolonne: {name}")
