"""Getting a file to the preview: upload, start, preview, and the discard of a dry run.

`import_batch_upload` stores the file in PostgreSQL (`ImportUpload`) and queues the
preview task; `import_batch_start` makes a batch for a file read in place (the
command line). `import_batch_preview` reads and validates the file and classifies every
row (`analysis.py`); it writes only the batch and its rows, and the stored bytes are
deleted in the transaction that stores its outcome, so a check interrupted by a dying
worker runs again from the start (`check_runs.py`). `import_batch_discard` deletes a
batch that was only checked.
"""

from __future__ import annotations

import hashlib
import tempfile
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from apps.core.audit import audit_record
from apps.core.cpr import redact_cpr
from apps.core.gc_pause import cyclic_gc_paused
from apps.imports.analysis import analyse_sheet, set_progress
from apps.imports.check_runs import (
    CheckSuperseded,
    check_claim,
    check_finish,
    upload_gone_message,
)
from apps.imports.errors import ImportRefused
from apps.imports.models import BatchStatus, ImportBatch, ImportRow, ImportUpload
from apps.imports.readers import extension_of, read_file
from apps.imports.services.common import batch_counts, log_redacted


def import_batch_upload(
    *, actor, municipality, uploaded_file, requested_kind: str = ""
) -> ImportBatch:
    """Store an uploaded file in PostgreSQL (`ImportUpload`) and queue its preview, in one
    transaction: the worker that checks it, on any host, reads the bytes from the database,
    and no batch exists without its bytes. The uploader's own file name is kept only as
    text for the history."""
    from apps.imports.tasks import preview_import_batch  # the task module imports this one

    ext = extension_of(uploaded_file.name)
    digest = hashlib.sha256()
    content = bytearray()
    for chunk in uploaded_file.chunks():
        digest.update(chunk)
        content += chunk
    with transaction.atomic():
        batch = ImportBatch.objects.create(
            municipality=municipality,
            uploaded_by=actor,
            file_name=redact_cpr(Path(uploaded_file.name).name)[:255],
            requested_kind=requested_kind or "",
        )
        ImportUpload.objects.create(
            batch=batch,
            extension=ext,
            size=len(content),
            sha256=digest.hexdigest(),
            content=bytes(content),
        )
        del content
        result = preview_import_batch.enqueue(batch.pk)
        ImportBatch.objects.filter(pk=batch.pk).update(task_id=str(result.id)[:64])
    batch.refresh_from_db()
    return batch


def import_batch_start(*, municipality, actor, path: Path, requested_kind: str = "") -> ImportBatch:
    """A batch for a file read in place (the command line): nothing is copied or deleted."""
    return ImportBatch.objects.create(
        municipality=municipality,
        uploaded_by=actor if actor is not None and actor.pk else None,
        file_name=redact_cpr(Path(path).name)[:255],
        requested_kind=requested_kind or "",
    )


def import_batch_discard(*, batch: ImportBatch) -> None:
    """Delete a batch that was only checked, never applied, with its rows (a dry run from
    the command line): it must not wait in HR's history as "Klar til godkendelse". The
    upload's audit entry stays, so the check is still on record."""
    if batch.status == BatchStatus.APPLIED or batch.applied_at is not None:
        raise ValueError("an applied import is history and is never discarded")
    with transaction.atomic():
        ImportRow.objects.filter(batch=batch).delete()
        ImportBatch.objects.filter(pk=batch.pk).delete()


def _read_upload(batch: ImportBatch):
    """Read the batch's uploaded bytes from the database. The reader needs a file (it reads
    in a child process under limits), so the bytes go to a temporary file that lives only
    for this read in this process."""
    upload = ImportUpload.objects.filter(batch_id=batch.pk).first()
    if upload is None:
        raise ImportRefused(upload_gone_message())
    with tempfile.TemporaryDirectory(prefix="import-") as folder:
        target = Path(folder) / f"upload.{upload.extension}"
        target.write_bytes(upload.content)
        del upload
        return read_file(target, batch.file_name, batch.requested_kind or None)


def import_batch_preview(*, batch: ImportBatch, path: Path | None = None) -> ImportBatch:
    """Read, validate and classify the batch's file; refuse the whole file with a Danish
    message when it is not an importable spreadsheet. Changes no domain data.

    Rule: safe to run again from the start (`check_runs.py`): a run first clears what an
    interrupted run left, writes only while the batch is still its own, and stores the
    outcome and deletes the upload in one transaction, so a worker killed at any point
    leaves the upload for the next try. A batch that already has its outcome is returned
    as it is."""
    if not check_claim(batch):
        return batch
    refused = None
    try:
        with cyclic_gc_paused():
            if path is not None:
                sheet = read_file(path, batch.file_name, batch.requested_kind or None)
            else:
                sheet = _read_upload(batch)
            set_progress(batch, 10)
            analyse_sheet(batch, sheet)
    except CheckSuperseded:
        return batch
    except ImportRefused as exc:
        refused = exc.message
    except Exception as exc:
        log_redacted("Import batch %s could not be read", batch.pk, exc=exc)
        refused = _("Filen kunne ikke læses. Intet er ændret.")
    try:
        check_finish(batch, refused=refused)
    except CheckSuperseded:
        return batch
    audit_record(
        actor=batch.uploaded_by,
        action="imports.batch.uploaded",
        obj=batch,
        context={**batch_counts(batch), "file_name": batch.file_name, "status": batch.status},
    )
    return batch
