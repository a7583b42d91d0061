"""How long an import's row details (names, HR ids, old and new values) are kept.

Rule: the row details of an import are personal data kept only to preview, confirm and undo
it. After IMPORT_ROWS_RETENTION_DAYS (default 90) they are deleted; the batch itself (who,
when, file name, kind, counts) stays in the import history. A purged import can no longer
be confirmed or undone.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.audit import audit_record
from apps.core.formatting import format_date
from apps.imports.models import BatchStatus, ImportBatch, ImportRow


def purged_message(batch: ImportBatch) -> str:
    return _(
        "Importens rækker blev slettet %(date)s, %(days)s dage efter upload (databeskyttelse). "
        "Historikken og antallene er bevaret, men importen kan ikke længere godkendes eller "
        "fortrydes."
    ) % {
        "date": format_date(batch.rows_purged_at),
        "days": settings.IMPORT_ROWS_RETENTION_DAYS,
    }


STUCK_AFTER = datetime.timedelta(hours=6)


def import_batches_release_stuck(*, now: datetime.datetime | None = None) -> int:
    """Refuse batches still queued or being checked six hours after upload (the worker was
    stopped mid-check), so HR sees a clear message instead of a progress bar that never
    moves. Returns how many were released."""
    now = now or timezone.now()
    stuck = ImportBatch.objects.filter(
        status__in=[BatchStatus.QUEUED, BatchStatus.PROCESSING], created_at__lt=now - STUCK_AFTER
    )
    return stuck.update(
        status=BatchStatus.REFUSED,
        message=_("Kontrollen af filen blev afbrudt og er ikke gennemført. Upload filen igen."),
    )


def import_rows_purge(*, now: datetime.datetime | None = None) -> int:
    """Delete the row details of imports uploaded more than IMPORT_ROWS_RETENTION_DAYS ago;
    a preview never confirmed in that time expires. Returns the number of rows deleted."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=settings.IMPORT_ROWS_RETENTION_DAYS)
    deleted = 0
    with transaction.atomic():
        batches = list(
            ImportBatch.objects.select_for_update()
            .filter(created_at__lt=cutoff, rows_purged_at__isnull=True)
            .exclude(status__in=[BatchStatus.QUEUED, BatchStatus.PROCESSING])
        )
        for batch in batches:
            count, _by_model = ImportRow.objects.filter(batch=batch).delete()
            deleted += count
            batch.rows_purged_at = now
            if batch.status == BatchStatus.READY:
                batch.status = BatchStatus.REFUSED
                batch.message = _("Forhåndsvisningen udløb uden at blive godkendt.")
            batch.save(update_fields=["rows_purged_at", "status", "message"])
            audit_record(
                actor=None,
                action="imports.batch.rows_purged",
                obj=batch,
                context={"rows": count, "retention_days": settings.IMPORT_ROWS_RETENTION_DAYS},
            )
    return deleted
