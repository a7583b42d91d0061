"""Background tasks of the imports app (Django's tasks framework; `manage.py db_worker`)."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.tasks import task
from django.utils import timezone

from apps.imports.models import ImportBatch
from apps.imports.retention import (
    import_batches_release_stuck,
    import_rows_purge,
    import_uploads_sweep,
)
from apps.imports.services import batch_counts, import_batch_preview

WATCH_PATH = "apps.imports.tasks.watch_import_checks"
WATCH_INTERVAL = datetime.timedelta(minutes=1)
WATCH_RESULTS_KEPT = datetime.timedelta(hours=1)


@task()
def preview_import_batch(batch_id: int) -> dict:
    """Read and validate an uploaded batch outside the request, so a large file neither
    times out the upload nor holds a web worker; the page polls the batch's progress.
    Safe to run again from the start: the task recovery requeues it when its worker dies
    (`apps/imports/check_runs.py`)."""
    batch = ImportBatch.objects.select_related("municipality", "uploaded_by").get(pk=batch_id)
    import_batch_preview(batch=batch)
    return {"batch": batch.pk, "status": batch.status, **batch_counts(batch)}


@task()
def purge_import_rows_task() -> int:
    """Nightly: release checks that never finished, and delete row details of imports older
    than IMPORT_ROWS_RETENTION_DAYS."""
    import_batches_release_stuck()
    import_uploads_sweep()
    return import_rows_purge()


def watch_schedule(*, now: datetime.datetime | None = None) -> datetime.datetime | None:
    """Book the next run of the imports watchdog unless one is booked; returns when it runs
    (None when the task backend cannot run tasks later, e.g. the immediate backend).

    Rule: at most one booked run at a time, so every caller may call this. The watchdog's
    own finished runs older than an hour are deleted here, so a run a minute adds nothing
    lasting to the task table."""
    if not watch_import_checks.get_backend().supports_defer:
        return None
    from django_tasks_db.models import DBTaskResult

    now = now or timezone.now()
    runs = DBTaskResult.objects.filter(task_path=WATCH_PATH)
    with transaction.atomic():
        booked = runs.filter(status="READY").order_by("run_after").first()
        if booked is not None:
            return booked.run_after
        runs.filter(status="SUCCESSFUL", finished_at__lt=now - WATCH_RESULTS_KEPT).delete()
        run_after = now + WATCH_INTERVAL
        watch_import_checks.using(run_after=run_after).enqueue()
        return run_after


@task()
def watch_import_checks() -> dict:
    """Every minute: book the next run, then fail import checks that cannot finish and
    delete their files (see `retention.import_batches_release_stuck`). Runs
    first thing after a restarted worker, since its booked run is then overdue."""
    watch_schedule()
    return {"failed": import_batches_release_stuck()}
