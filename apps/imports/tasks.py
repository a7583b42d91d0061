"""Background tasks of the imports app (Django's tasks framework; `manage.py db_worker`)."""

from django.tasks import task

from apps.imports.models import ImportBatch
from apps.imports.retention import import_batches_release_stuck, import_rows_purge
from apps.imports.services import batch_counts, import_batch_preview


@task()
def preview_import_batch(batch_id: int) -> dict:
    """Read and validate an uploaded batch outside the request, so a large file neither
    times out the upload nor holds a web worker; the page polls the batch's progress."""
    batch = ImportBatch.objects.select_related("municipality", "uploaded_by").get(pk=batch_id)
    import_batch_preview(batch=batch)
    return {"batch": batch.pk, "status": batch.status, **batch_counts(batch)}


@task()
def purge_import_rows_task() -> int:
    """Nightly: release checks that never finished, and delete row details of imports older
    than IMPORT_ROWS_RETENTION_DAYS."""
    import_batches_release_stuck()
    return import_rows_purge()
