"""Import services: upload, preview, commit and undo of an HR spreadsheet (STYLE.md B8).

The view, the background task and the `import_spreadsheet` command all call these:

- `import_batch_upload` stores the file outside the web root under a generated name and
  queues the preview task.
- `import_batch_preview` reads and validates the file and classifies every row as new,
  changed (old → new per field), unchanged or rejected (Excel row, column, Danish reason).
  It writes only the batch and its rows; the file is deleted afterwards.
- `import_batch_commit` writes every accepted row in one transaction, or none, under a
  per-municipality lock; it refuses when the data changed after the preview.
- `import_batch_undo` restores the last import of a kind while nothing has touched its rows.

Writes are bulk and the number of queries does not grow with the number of rows (except
one per chunk of 2,000 rows). Audit: one event per upload, commit and undo with counts, and
one entry per created or changed trainee or supervisor.
"""

from __future__ import annotations

import itertools
import logging
import os
import socket
import traceback
import uuid
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.audit import audit_entry, audit_record
from apps.core.cpr import redact_cpr
from apps.core.models import AuditEntry
from apps.imports.analysis import CHUNK, analyse_sheet, set_progress
from apps.imports.bulk import insert_rows
from apps.imports.handlers import HANDLERS, Handler, TraineeChildHandler, decode
from apps.imports.models import BatchStatus, ImportBatch, ImportRow, RowAction
from apps.imports.readers import ImportRefused, extension_of, read_file
from apps.imports.retention import process_started, purged_message
from apps.imports.signals import import_applied

logger = logging.getLogger(__name__)

LOCK_NAMESPACE = 7419  # pg advisory lock class for "an import of municipality N is running"


def log_redacted(message: str, *args, exc: BaseException) -> None:
    """Log an unexpected error with its traceback, CPR numbers blanked: an exception's text
    may quote a cell of the file."""
    trace = "".join(traceback.format_exception(exc))
    logger.error(message + "\n%s", *args, redact_cpr(trace))


def busy_message() -> str:
    return _("En anden import for kommunen er i gang. Vent, til den er færdig, og prøv igen.")


def stale_message() -> str:
    return _("Data er ændret, siden filen blev kontrolleret. Upload filen igen. Intet er ændret.")


# --- locking -----------------------------------------------------------------------------


def lock_municipality(municipality_id: int) -> None:
    """Take the municipality's import lock for the current transaction, or refuse at once.

    PostgreSQL: a transaction-level advisory lock, so two imports of the same municipality
    never interleave while other municipalities import in parallel. SQLite (development)
    serialises writers itself."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_try_advisory_xact_lock(%s, %s)", [LOCK_NAMESPACE, municipality_id]
        )
        if not cursor.fetchone()[0]:
            raise ImportRefused(busy_message())


# --- upload ------------------------------------------------------------------------------


def upload_dir() -> Path:
    path = Path(settings.UPLOAD_DIR)
    path.mkdir(parents=True, exist_ok=True)
    return path


def import_batch_upload(
    *, actor, municipality, uploaded_file, requested_kind: str = ""
) -> ImportBatch:
    """Store an uploaded file under a generated name outside the web root and queue its
    preview. The uploader's own file name is kept only as text for the history."""
    from apps.imports.tasks import preview_import_batch  # the task module imports this one

    ext = extension_of(uploaded_file.name)
    stored_name = f"{uuid.uuid4().hex}.{ext}"
    target = upload_dir() / stored_name
    with target.open("wb") as out:
        for chunk in uploaded_file.chunks():
            out.write(chunk)
    try:
        batch = ImportBatch.objects.create(
            municipality=municipality,
            uploaded_by=actor,
            file_name=redact_cpr(Path(uploaded_file.name).name)[:255],
            stored_name=stored_name,
            requested_kind=requested_kind or "",
        )
        result = preview_import_batch.enqueue(batch.pk)
        ImportBatch.objects.filter(pk=batch.pk).update(task_id=str(result.id)[:64])
    except BaseException:
        target.unlink(missing_ok=True)
        raise
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


# --- preview -----------------------------------------------------------------------------


def _refuse(batch: ImportBatch, message: str) -> None:
    batch.rows.all().delete()
    batch.status = BatchStatus.REFUSED
    batch.message = message
    batch.progress = 100
    batch.created_count = batch.updated_count = batch.unchanged_count = 0
    batch.rejected_count = batch.warning_count = batch.total_rows = 0
    batch.save()


def import_batch_preview(*, batch: ImportBatch, path: Path | None = None) -> ImportBatch:
    """Read, validate and classify the batch's file; refuse the whole file with a Danish
    message when it is not an importable spreadsheet. Changes no domain data."""
    stored = path is None
    path = Path(path) if path is not None else upload_dir() / batch.stored_name
    batch.status = BatchStatus.PROCESSING
    batch.worker_host, batch.worker_pid = socket.gethostname()[:255], os.getpid()
    batch.worker_started = process_started(batch.worker_pid)
    ImportBatch.objects.filter(pk=batch.pk).update(
        status=BatchStatus.PROCESSING,
        progress=1,
        worker_host=batch.worker_host,
        worker_pid=batch.worker_pid,
        worker_started=batch.worker_started,
        heartbeat_at=timezone.now(),
    )
    try:
        sheet = read_file(path, batch.file_name, batch.requested_kind or None)
        set_progress(batch, 10)
        analyse_sheet(batch, sheet)
    except ImportRefused as exc:
        _refuse(batch, exc.message)
    except Exception as exc:
        log_redacted("Import batch %s could not be read", batch.pk, exc=exc)
        _refuse(batch, _("Filen kunne ikke læses. Intet er ændret."))
    finally:
        if stored and batch.stored_name:
            (upload_dir() / batch.stored_name).unlink(missing_ok=True)
            batch.stored_name = ""
            ImportBatch.objects.filter(pk=batch.pk).update(stored_name="")
    audit_record(
        actor=batch.uploaded_by,
        action="imports.batch.uploaded",
        obj=batch,
        context={**batch_counts(batch), "file_name": batch.file_name, "status": batch.status},
    )
    return batch


def batch_counts(batch: ImportBatch) -> dict:
    return {
        "kind": batch.kind,
        "created": batch.created_count,
        "updated": batch.updated_count,
        "unchanged": batch.unchanged_count,
        "rejected": batch.rejected_count,
        "warnings": batch.warning_count,
    }


# --- commit ------------------------------------------------------------------------------


def _handler_for(batch: ImportBatch) -> Handler:
    return HANDLERS[batch.kind](batch.municipality, set(batch.columns))


def _row_pages(batch: ImportBatch, actions):
    """The batch's rows of `actions` in pages of CHUNK, streamed by one server-side cursor
    so memory stays flat whatever the file's length."""
    rows = (
        ImportRow.objects.filter(batch=batch, action__in=actions)
        .order_by("id")
        .values_list("row_number", "action", "key", "data", "old", "changes", named=True)
        .iterator(chunk_size=CHUNK)
    )
    yield from itertools.batched(rows, CHUNK)


def _prepare_existing(handler: Handler, rows: list[ImportRow]) -> dict[str, dict]:
    keys = sorted({row.key for row in rows})
    if isinstance(handler, TraineeChildHandler):
        handler.load_trainees(sorted({key.split("|")[0] for key in keys}))
    return handler.load_existing(keys)


def _same(handler: Handler, current: dict, stored: dict) -> bool:
    values = decode(handler.model, stored)
    return all(current.get(name) == value for name, value in values.items())


def _check_actor(batch: ImportBatch, actor) -> None:
    # Only the platform operator (a superuser bound to no municipality) imports anywhere.
    if actor is None or (
        getattr(actor, "is_superuser", False) and getattr(actor, "municipality_id", None) is None
    ):
        return
    if getattr(actor, "municipality_id", None) != batch.municipality_id:
        raise ImportRefused(_("Du kan kun importere til din egen kommune."))


def _audit_rows(actor, action: str, batch: ImportBatch, handler: Handler, items) -> int:
    """Per-row audit entries, written with COPY: `items` yields (pk, repr, changes, context)."""
    base = audit_entry(actor=actor, action=action, municipality_id=batch.municipality_id)
    now = timezone.now()
    object_type = handler.model._meta.label_lower
    common = {
        "occurred_at": now,
        "actor_id": base.actor_id,
        "actor_label": base.actor_label,
        "role": base.role,
        "municipality_id": batch.municipality_id,
        "action": action,
        "object_type": object_type,
    }
    return insert_rows(
        AuditEntry,
        (
            {
                **common,
                "object_id": str(pk),
                "object_repr": text[:255],
                "changes": changes,
                "context": context,
            }
            for pk, text, changes, context in items
        ),
    )


def import_batch_commit(*, batch: ImportBatch, actor) -> ImportBatch:
    """Write every accepted row of a previewed batch in one transaction, or nothing.

    Holds the municipality's import lock; refuses when the batch is not ready, when another
    import runs, or when a row changed after the preview (compared by version or values).
    New rows are COPYed, changed rows bulk-updated, audit entries COPYed, page by page."""
    _check_actor(batch, actor)
    created = updated = 0
    with transaction.atomic():
        lock_municipality(batch.municipality_id)
        batch = (
            ImportBatch.objects.select_for_update().select_related("municipality").get(pk=batch.pk)
        )
        if batch.status != BatchStatus.READY:
            raise ImportRefused(_("Importen er allerede gennemført, fortrudt eller afvist."))
        handler = _handler_for(batch)
        now = timezone.now()
        try:
            for page in _row_pages(batch, [RowAction.NEW, RowAction.CHANGED]):
                c, u = _commit_page(batch, handler, page, actor, now)
                created, updated = created + c, updated + u
        except DatabaseError as exc:
            log_redacted("Import batch %s failed to apply", batch.pk, exc=exc)
            raise ImportRefused(
                _("Importen kunne ikke gennemføres, og intet er ændret: %(error)s")
                % {"error": redact_cpr(str(exc).splitlines()[0][:200])}
            ) from exc
        batch.status = BatchStatus.APPLIED
        batch.applied_at = timezone.now()
        batch.applied_by = actor if actor is not None and actor.pk else None
        batch.created_count = created
        batch.updated_count = updated
        batch.save()
        audit_record(
            actor=actor, action="imports.batch.committed", obj=batch, context=batch_counts(batch)
        )
        _send_applied(batch)
    return batch


def _commit_page(batch, handler: Handler, page: list[ImportRow], actor, now) -> tuple[int, int]:
    existing = _prepare_existing(handler, page)
    new_rows, changed_objects, changed_rows = [], [], []
    update_fields: set[str] = set()
    for row in page:
        current = existing.get(row.key)
        values = decode(handler.model, row.data)
        if row.action == RowAction.NEW:
            if current is not None:
                raise ImportRefused(stale_message())
            new_rows.append((row, values))
            continue
        if current is None:
            raise ImportRefused(stale_message())
        if handler.versioned:
            if current["version"] != row.old.get("_version"):
                raise ImportRefused(stale_message())
        elif not _same(handler, current, row.old):
            raise ImportRefused(stale_message())
        obj = handler.model(pk=current["pk"], **values, **handler.derived(values))
        fields = {name for name in row.old if not name.startswith("_")}
        fields |= set(handler.derived({name: values[name] for name in fields}))
        if handler.versioned:
            obj.version = current["version"] + 1
            obj.updated_at = now
            fields |= {"version", "updated_at"}
        update_fields |= fields
        changed_objects.append(obj)
        changed_rows.append(row)
    insert_rows(handler.model, (handler.new_values(values) for _row, values in new_rows))
    if changed_objects:
        handler.model.objects.bulk_update(changed_objects, sorted(update_fields), batch_size=500)
    if handler.audit_action:
        pks = handler.pk_by_key([row.key for row, _values in new_rows])
        items = [
            (
                pks[row.key],
                handler.repr_of(values),
                {
                    name: [None, handler.shown(name, value)]
                    for name, value in values.items()
                    if value not in (None, "")
                },
                {"batch": batch.pk, "row": row.row_number, "created": True},
            )
            for row, values in new_rows
        ]
        items += [
            (
                obj.pk,
                str(obj),
                row.changes,
                {"batch": batch.pk, "row": row.row_number, "created": False},
            )
            for obj, row in zip(changed_objects, changed_rows, strict=True)
        ]
        _audit_rows(actor, handler.audit_action, batch, handler, items)
    return len(new_rows), len(changed_objects)


def _send_applied(batch: ImportBatch) -> None:
    transaction.on_commit(
        lambda: import_applied.send(
            sender=ImportBatch, batch=batch, municipality_id=batch.municipality_id
        )
    )


# --- undo --------------------------------------------------------------------------------


def undo_blocker(batch: ImportBatch) -> str | None:
    """Why this batch cannot be undone now (None when it can, as far as batches go)."""
    if batch.rows_purged_at is not None:
        return purged_message(batch)
    if batch.status != BatchStatus.APPLIED:
        return _("Kun en gennemført import kan fortrydes.")
    later = ImportBatch.objects.filter(
        municipality_id=batch.municipality_id,
        kind=batch.kind,
        status=BatchStatus.APPLIED,
        applied_at__gt=batch.applied_at,
    )
    if later.exists():
        return _("Kun den seneste import af denne type kan fortrydes.")
    return None


def import_batch_undo(*, batch: ImportBatch, actor) -> ImportBatch:
    """Undo the last applied import of its kind: delete the rows it created and restore the
    values it replaced, provided nothing has changed those rows since (version and time for
    trainees and supervisors, the written values for placements and absence)."""
    _check_actor(batch, actor)
    with transaction.atomic():
        lock_municipality(batch.municipality_id)
        batch = (
            ImportBatch.objects.select_for_update().select_related("municipality").get(pk=batch.pk)
        )
        blocker = undo_blocker(batch)
        if blocker:
            raise ImportRefused(blocker)
        handler = _handler_for(batch)
        conflicts = deleted = restored = 0
        dependents = False
        now = timezone.now()
        for page in _row_pages(batch, [RowAction.NEW, RowAction.CHANGED]):
            c, d, r, blocked = _undo_page(batch, handler, page, actor, now)
            conflicts, deleted, restored = conflicts + c, deleted + d, restored + r
            dependents = dependents or blocked
        # Refusing here rolls back every page already undone above.
        if conflicts:
            raise ImportRefused(
                _(
                    "Importen kan ikke fortrydes, fordi %(n)s af dens rækker er ændret siden. "
                    "Intet er ændret."
                )
                % {"n": conflicts}
            )
        if dependents:
            raise ImportRefused(
                _(
                    "Importen kan ikke fortrydes, fordi der siden er registreret data, som "
                    "hører til de rækker, den oprettede. Intet er ændret."
                )
            )
        batch.status = BatchStatus.UNDONE
        batch.undone_at = timezone.now()
        batch.save()
        audit_record(
            actor=actor,
            action="imports.batch.undone",
            obj=batch,
            context={
                **batch_counts(batch),
                "deleted": deleted,
                "restored": restored,
            },
        )
        _send_applied(batch)
    return batch


def _undo_page(batch, handler: Handler, page: list[ImportRow], actor, now):
    """Undo one page of rows; returns (conflicts, deleted, restored, has dependents)."""
    existing = _prepare_existing(handler, page)
    conflicts = 0
    delete_pks, restore_objects, restore_rows = [], [], []
    fields: set[str] = set()
    for row in page:
        current = existing.get(row.key)
        if current is None:
            conflicts += 1
            continue
        if handler.versioned:
            written = 1 if row.action == RowAction.NEW else row.old["_version"] + 1
            if current["version"] != written or current["updated_at"] > batch.applied_at:
                conflicts += 1
                continue
        elif not _same(handler, current, row.data):
            conflicts += 1
            continue
        if row.action == RowAction.NEW:
            delete_pks.append(current["pk"])
            continue
        old = decode(handler.model, row.old)
        obj = handler.model(pk=current["pk"], **{**current_values(current), **old})
        for name, value in handler.derived(old).items():
            setattr(obj, name, value)
        row_fields = set(old) | set(handler.derived(old))
        if handler.versioned:
            obj.version = current["version"] + 1
            obj.updated_at = now
            row_fields |= {"version", "updated_at"}
        fields |= row_fields
        restore_objects.append(obj)
        restore_rows.append(row)
    if conflicts:
        return conflicts, 0, 0, False
    if delete_pks and handler.dependents_of_new(delete_pks):
        return 0, 0, 0, True
    handler.model.objects.filter(pk__in=delete_pks).delete()
    if restore_objects:
        handler.model.objects.bulk_update(restore_objects, sorted(fields), batch_size=500)
    if handler.audit_action:
        _audit_rows(
            actor,
            handler.audit_action.replace(".imported", ".import_undone"),
            batch,
            handler,
            (
                (
                    obj.pk,
                    str(obj),
                    {name: [new, old] for name, (old, new) in row.changes.items()},
                    {"batch": batch.pk},
                )
                for obj, row in zip(restore_objects, restore_rows, strict=True)
            ),
        )
    return 0, len(delete_pks), len(restore_objects), False


def current_values(current: dict) -> dict:
    """Field values of a loaded row without its bookkeeping keys (pk, version, updated_at)."""
    return {k: v for k, v in current.items() if k not in {"pk", "version", "updated_at"}}
