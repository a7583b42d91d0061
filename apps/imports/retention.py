"""How long an import's row details (names, HR ids, old and new values) are kept.

Also here: failing checks that will never finish (their task ended without them, their
upload is gone, or they stalled; a check whose worker died is first run again by the task
recovery) and deleting their stored uploads, run every minute by the imports watchdog.

Rule: the row details of an import are personal data kept only to preview, confirm and undo
it. After IMPORT_ROWS_RETENTION_DAYS (default 90) they are deleted; the batch itself (who,
when, file name, kind, counts) stays in the import history. A purged import can no longer
be confirmed or undone.
"""

from __future__ import annotations

import datetime
import socket

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.audit import audit_record
from apps.core.formatting import format_date
from apps.core.processes import pid_alive
from apps.imports.check_runs import CheckTask, check_tasks, stopped_message, upload_gone_message
from apps.imports.models import BatchStatus, ImportBatch, ImportRow, ImportUpload


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


def _worker_gone_message() -> str:
    return _(
        "Kontrollen af filen blev afbrudt, fordi processen, der læste filen, stoppede "
        "undervejs. Filen er slettet, og intet er ændret. Upload filen igen; sker det igen, "
        "så gem filen på ny fra Excel, eller kontakt supporten."
    )


def _stalled_message() -> str:
    return _(
        "Kontrollen af filen blev afbrudt, fordi den ikke kom videre i %(minutes)s minutter. "
        "Filen er slettet, og intet er ændret. Upload filen igen."
    ) % {"minutes": settings.IMPORT_CHECK_STALE_MINUTES}


def _retries_exhausted_message(tries: int) -> str:
    return _(
        "Kontrollen af filen blev afbrudt %(tries)s gange, fordi processen, der læste filen, "
        "stoppede undervejs. Filen er slettet, og intet er ændret. Upload filen igen; sker "
        "det igen, så gem filen på ny fra Excel, eller kontakt supporten."
    ) % {"tries": tries}


def process_alive(host: str, pid: int | None, started: str = "") -> bool | None:
    """Whether process `pid` on `host` (started at `started`) still runs; None when this
    host cannot tell."""
    if not pid or host != socket.gethostname()[:255]:
        return None
    return pid_alive(pid, started)


def _abandon_reason(
    batch: ImportBatch, now, task: CheckTask | None, has_upload: bool
) -> str | None:
    stale = now - datetime.timedelta(minutes=settings.IMPORT_CHECK_STALE_MINUTES)
    silent = (batch.heartbeat_at or batch.created_at) < stale
    if task is not None:  # a check queued as a task: the task recovery may run it again
        if task.status == "FAILED" or (
            task.status == "SUCCESSFUL" and batch.status == BatchStatus.QUEUED
        ):
            if task.tries > 1:
                return _retries_exhausted_message(task.tries)
            return _worker_gone_message()
        if not has_upload:
            return upload_gone_message()
        if task.status != "READY" and batch.status == BatchStatus.PROCESSING:
            return _stalled_message() if silent else None
    elif batch.status == BatchStatus.PROCESSING:
        if process_alive(batch.worker_host, batch.worker_pid, batch.worker_started) is False:
            return _worker_gone_message()
        if silent:
            return _stalled_message()
        return None
    if batch.created_at < now - STUCK_AFTER:
        return stopped_message()
    return None


def import_batches_release_stuck(*, now: datetime.datetime | None = None) -> int:
    """Fail the checks that will never finish, so HR sees a Danish message instead of a
    progress bar that never moves, and delete their uploaded files. Returns how many.

    Rule: a check queued as a task whose worker stopped is left to the task recovery,
    which runs it again from the start (`check_runs.py`, HR sees "forsøg 2 af 3"); it is
    failed when its task has ended without it (after TASK_RECOVERY_MAX_ATTEMPTS tries, or
    it failed), when its upload is gone, when it has shown no progress for
    IMPORT_CHECK_STALE_MINUTES while running, or six hours after upload (no worker ran
    it). A check without a task (the command line) is failed at once when its process
    (same host, recorded pid) is gone, and otherwise after IMPORT_CHECK_STALE_MINUTES
    without progress. Run every minute by `tasks.watch_import_checks` and nightly."""
    now = now or timezone.now()
    pending = list(
        ImportBatch.objects.filter(status__in=[BatchStatus.QUEUED, BatchStatus.PROCESSING])
    )
    tasks = check_tasks([b.task_id for b in pending if b.task_id])
    uploads = set(ImportUpload.objects.filter(batch__in=pending).values_list("batch_id", flat=True))
    released = 0
    for candidate in pending:
        task = tasks.get(candidate.task_id)
        if _abandon_reason(candidate, now, task, candidate.pk in uploads) is None:
            continue
        with transaction.atomic():
            batch = (
                ImportBatch.objects.select_for_update(skip_locked=True)
                .filter(pk=candidate.pk, status=candidate.status)
                .first()
            )
            if batch is None:
                continue  # it moved on meanwhile
            task = check_tasks([batch.task_id]).get(batch.task_id) if batch.task_id else None
            has_upload = ImportUpload.objects.filter(batch=batch).exists()
            message = _abandon_reason(batch, now, task, has_upload)
            if message is None:
                continue
            ImportUpload.objects.filter(batch=batch).delete()
            ImportRow.objects.filter(batch=batch).delete()
            batch.status = BatchStatus.REFUSED
            batch.message = message
            batch.progress = 100
            batch.save(update_fields=["status", "message", "progress"])
            audit_record(
                actor=None,
                action="imports.batch.check_failed",
                obj=batch,
                context={
                    "file_name": batch.file_name,
                    "worker_pid": batch.worker_pid,
                    "tries": task.tries if task else None,
                },
            )
            released += 1
    return released


def import_uploads_sweep(*, now: datetime.datetime | None = None) -> int:
    """Delete stored uploads older than six hours whose batch is no longer waiting to be
    checked (a check that ended without deleting them). Returns how many."""
    cutoff = (now or timezone.now()) - STUCK_AFTER
    deleted, _by_model = (
        ImportUpload.objects.filter(created_at__lt=cutoff)
        .exclude(batch__status__in=[BatchStatus.QUEUED, BatchStatus.PROCESSING])
        .delete()
    )
    return deleted


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
