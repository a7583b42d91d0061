"""Who runs the check of an uploaded file, and how an interrupted check runs again.

Rule: the check (the preview task) of an uploaded file may be run again from the start when
the worker running it dies: the task recovery puts the task back in the queue
(`apps.scheduling.recovery`, up to TASK_RECOVERY_MAX_ATTEMPTS tries), and the upload stays in
PostgreSQL until a run has stored the check's outcome. So a run

- starts with `check_claim`: under a lock on the batch it deletes whatever an interrupted
  run left (rows, counts, kind) and records this process as the batch's worker; a batch
  that already has its outcome, or that the imports watchdog failed, is not checked again;
- writes each chunk of rows in a transaction that first takes `check_hold`: the batch must
  still be checked by this process, so a run that was paused, counted as dead and taken
  over by a later run stops without writing a row (`CheckSuperseded`);
- ends with `check_finish`, which stores the outcome (ready, or refused with the reason)
  and deletes the upload in one transaction.

`check_retry` says, from the task queue, whether the check is being run again (shown to HR
while the page polls the batch), and `check_tasks` what the watchdog needs to know.
"""

from __future__ import annotations

import os
import socket
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.processes import process_started
from apps.imports.errors import ImportRefused
from apps.imports.models import BatchStatus, ImportBatch, ImportRow, ImportUpload

PENDING = (BatchStatus.QUEUED, BatchStatus.PROCESSING)


class CheckSuperseded(Exception):
    """A later run of the same check took the batch over; this run leaves it alone."""


def stopped_message() -> str:
    return _("Kontrollen af filen blev afbrudt og er ikke gennemført. Upload filen igen.")


def upload_gone_message() -> str:
    return _("Den uploadede fil findes ikke længere. Upload filen igen.")


def _owner(batch: ImportBatch) -> tuple:
    return (batch.worker_host, batch.worker_pid, batch.worker_started)


def check_claim(batch: ImportBatch) -> bool:
    """Start a run of the batch's check in this process (module rule); False when the batch
    is no longer waiting for its check (then `batch` is refreshed and nothing is changed)."""
    pid = os.getpid()
    start = {
        "status": BatchStatus.PROCESSING,
        "progress": 1,
        "worker_host": socket.gethostname()[:255],
        "worker_pid": pid,
        "worker_started": process_started(pid),
        "heartbeat_at": timezone.now(),
        "kind": "",
        "columns": [],
        "ignored_columns": [],
        "dropped_columns": [],
        "message": "",
        "total_rows": 0,
        "created_count": 0,
        "updated_count": 0,
        "unchanged_count": 0,
        "rejected_count": 0,
        "warning_count": 0,
    }
    with transaction.atomic():
        status = (
            ImportBatch.objects.select_for_update()
            .filter(pk=batch.pk)
            .values_list("status", flat=True)
            .first()
        )
        if status not in PENDING:
            if status is not None:
                batch.refresh_from_db()
            return False
        ImportRow.objects.filter(batch_id=batch.pk).delete()  # an interrupted run's output
        ImportBatch.objects.filter(pk=batch.pk).update(**start)
    for name, value in start.items():
        setattr(batch, name, value)
    return True


def check_hold(batch: ImportBatch) -> None:
    """Inside a transaction: lock the batch for this run's next write, or stop the run
    (ImportRefused when the watchdog failed the check, CheckSuperseded when another run
    has it)."""
    current = (
        ImportBatch.objects.select_for_update(no_key=True)
        .filter(pk=batch.pk)
        .values_list("status", "worker_host", "worker_pid", "worker_started")
        .first()
    )
    if current is None or tuple(current[1:]) != _owner(batch):
        raise CheckSuperseded
    if current[0] != BatchStatus.PROCESSING:
        raise ImportRefused(stopped_message())


def check_finish(batch: ImportBatch, *, refused: str | None = None) -> None:
    """Store the check's outcome, ready or refused with the Danish reason `refused`, and
    delete the upload, in one transaction. A check the watchdog failed meanwhile stays
    failed (its rows are deleted); one another run took over is left to it."""
    with transaction.atomic():
        current = (
            ImportBatch.objects.select_for_update()
            .filter(pk=batch.pk)
            .values_list("status", "worker_host", "worker_pid", "worker_started", "message")
            .first()
        )
        if current is None or tuple(current[1:4]) != _owner(batch):
            raise CheckSuperseded
        status, message = current[0], current[4]
        if status != BatchStatus.PROCESSING:
            if status != BatchStatus.REFUSED:
                raise CheckSuperseded
            refused = message or stopped_message()
        if refused is not None:
            ImportRow.objects.filter(batch_id=batch.pk).delete()
            batch.status = BatchStatus.REFUSED
            batch.message = refused
            batch.created_count = batch.updated_count = batch.unchanged_count = 0
            batch.rejected_count = batch.warning_count = batch.total_rows = 0
        else:
            batch.status = BatchStatus.READY
            batch.message = ""
        batch.progress = 100
        batch.save()
        ImportUpload.objects.filter(batch_id=batch.pk).delete()


@dataclass(frozen=True)
class CheckTask:
    """What the task queue knows about a batch's check: the task's status and how many
    workers have claimed it (each claim is one try)."""

    status: str
    tries: int


def check_tasks(task_ids) -> dict[str, CheckTask]:
    """task id → CheckTask for these preview tasks, in one query (empty for a task backend
    other than the database, which keeps no such record)."""
    try:
        from django_tasks_db.models import DBTaskResult
    except ImportError:  # another task backend: nothing to ask
        return {}
    ids = []
    for task_id in task_ids:
        try:
            ids.append(uuid.UUID(task_id))
        except (TypeError, ValueError):
            continue
    if not ids:
        return {}
    return {
        str(pk): CheckTask(status, len(worker_ids or []))
        for pk, status, worker_ids in DBTaskResult.objects.filter(id__in=ids).values_list(
            "id", "status", "worker_ids"
        )
    }


@dataclass(frozen=True)
class CheckRetry:
    """A check being run again after its worker stopped: try `attempt` of `of`, `waiting`
    while it is back in the queue and not yet started again."""

    attempt: int
    of: int
    waiting: bool


def check_retry(batch: ImportBatch) -> CheckRetry | None:
    """Whether the batch's check is being run again (one query), for HR's progress page."""
    if not batch.is_pending or not batch.task_id:
        return None
    task = check_tasks([batch.task_id]).get(batch.task_id)
    if task is None:
        return None
    of = settings.TASK_RECOVERY_MAX_ATTEMPTS
    if task.status == "READY" and task.tries:
        return CheckRetry(attempt=task.tries + 1, of=of, waiting=True)
    if task.status == "RUNNING" and task.tries > 1:
        return CheckRetry(attempt=task.tries, of=of, waiting=False)
    return None
