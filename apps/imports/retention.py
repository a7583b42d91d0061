"""How long an import's row details (names, HR ids, old and new values) are kept.

Also here: failing checks that will never finish (the process checking the file died or
stalled) and deleting their stored uploads, run every minute by the imports watchdog.

Rule: the row details of an import are personal data kept only to preview, confirm and undo
it. After IMPORT_ROWS_RETENTION_DAYS (default 90) they are deleted; the batch itself (who,
when, file name, kind, counts) stays in the import history. A purged import can no longer
be confirmed or undone.
"""

from __future__ import annotations

import datetime
import os
import socket
import uuid

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.audit import audit_record
from apps.core.formatting import format_date
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


def _stuck_message() -> str:
    return _("Kontrollen af filen blev afbrudt og er ikke gennemført. Upload filen igen.")


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


def process_started(pid: int) -> str:
    """When process `pid` started (clock ticks since boot, Linux), to tell it from a later
    process that got the same id; "" where the system does not say."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[19]
    except (OSError, IndexError):
        return ""


def process_alive(host: str, pid: int | None, started: str = "") -> bool | None:
    """Whether process `pid` on `host` (started at `started`) still runs; None when this
    host cannot tell."""
    if not pid or host != socket.gethostname()[:255]:
        return None
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return not started or process_started(pid) in ("", started)


def _finished_tasks(task_ids: list[str]) -> set[str]:
    """Of these preview tasks, the ones the task queue has finished (or failed) already."""
    if not task_ids:
        return set()
    try:
        from django_tasks_db.models import DBTaskResult
    except ImportError:  # another task backend: nothing to ask
        return set()
    ids = []
    for task_id in task_ids:
        try:
            ids.append(uuid.UUID(task_id))
        except ValueError:
            continue
    return {
        str(pk)
        for pk in DBTaskResult.objects.filter(
            id__in=ids, status__in=["SUCCESSFUL", "FAILED"]
        ).values_list("id", flat=True)
    }


def _abandon_reason(batch: ImportBatch, now, finished: set[str]) -> str | None:
    stale = now - datetime.timedelta(minutes=settings.IMPORT_CHECK_STALE_MINUTES)
    if batch.status == BatchStatus.PROCESSING:
        if process_alive(batch.worker_host, batch.worker_pid, batch.worker_started) is False:
            return _worker_gone_message()
        if (batch.heartbeat_at or batch.created_at) < stale:
            return _stalled_message()
        return None
    if batch.task_id and batch.task_id in finished:
        return _worker_gone_message()
    if batch.created_at < now - STUCK_AFTER:
        return _stuck_message()
    return None


def import_batches_release_stuck(*, now: datetime.datetime | None = None) -> int:
    """Fail the checks that will never finish, so HR sees a Danish message instead of a
    progress bar that never moves, and delete their uploaded files. Returns how many.

    Rule: a check being run is failed at once when its process (same host, recorded pid)
    is gone, e.g. the worker was killed by a file, and otherwise when it has shown no
    progress for IMPORT_CHECK_STALE_MINUTES; a queued check is failed when its task has
    ended without it, or six hours after upload (no worker ran it). Run every minute by
    `tasks.watch_import_checks` and nightly."""
    now = now or timezone.now()
    pending = list(
        ImportBatch.objects.filter(status__in=[BatchStatus.QUEUED, BatchStatus.PROCESSING])
    )
    finished = _finished_tasks([b.task_id for b in pending if b.status == BatchStatus.QUEUED])
    released = 0
    for candidate in pending:
        message = _abandon_reason(candidate, now, finished)
        if message is None:
            continue
        with transaction.atomic():
            batch = (
                ImportBatch.objects.select_for_update(skip_locked=True)
                .filter(pk=candidate.pk, status=candidate.status)
                .first()
            )
            if batch is None or _abandon_reason(batch, now, finished) is None:
                continue  # it moved on meanwhile
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
                context={"file_name": batch.file_name, "worker_pid": batch.worker_pid},
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
