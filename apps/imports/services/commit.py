"""Commit: write every accepted row of a previewed batch in one transaction, or nothing.

Under the municipality's import lock; refused when the data changed after the preview.
New rows are written set-based inside PostgreSQL where the kind allows it
(`set_apply.py`), else COPYed; changed rows are bulk-updated and their audit entries
COPYed, page by page, so the number of queries grows only by one per page of 2,000 rows.
"""

from __future__ import annotations

from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.audit import audit_record
from apps.core.cpr import redact_cpr
from apps.imports.bulk import RawJSON, insert_rows
from apps.imports.errors import ImportRefused
from apps.imports.handlers import Handler, decode
from apps.imports.metrics import IMPORT_APPLY_SECONDS
from apps.imports.models import BatchStatus, ImportBatch, ImportRow, RowAction
from apps.imports.services.common import (
    audit_rows,
    batch_counts,
    check_actor,
    handler_for,
    lock_municipality,
    log_redacted,
    prepare_existing,
    row_pages,
    same_values,
    send_applied,
)
from apps.imports.services.set_apply import insert_new_rows, new_rows_taken, supports_set_apply


def stale_message() -> str:
    return _("Data er ændret, siden filen blev kontrolleret. Upload filen igen. Intet er ændret.")


@IMPORT_APPLY_SECONDS.time()
def import_batch_commit(*, batch: ImportBatch, actor) -> ImportBatch:
    """Write every accepted row of a previewed batch in one transaction, or nothing.

    Holds the municipality's import lock; refuses when the batch is not ready, when another
    import runs, or when a row changed after the preview (compared by version or values).
    New rows are COPYed, changed rows bulk-updated, audit entries COPYed, page by page."""
    check_actor(batch, actor)
    created = updated = 0
    with transaction.atomic():
        lock_municipality(batch.municipality_id)
        batch = (
            ImportBatch.objects.select_for_update().select_related("municipality").get(pk=batch.pk)
        )
        if batch.status != BatchStatus.READY:
            raise ImportRefused(_("Importen er allerede gennemført, fortrudt eller afvist."))
        handler = handler_for(batch)
        now = timezone.now()
        try:
            actions = [RowAction.NEW, RowAction.CHANGED]
            if supports_set_apply(handler):
                if new_rows_taken(batch, handler):
                    raise ImportRefused(stale_message())
                created = insert_new_rows(batch, handler, actor)
                actions = [RowAction.CHANGED]
            for page in row_pages(batch, actions, changes_as_text=True):
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
        send_applied(batch)
    return batch


def _context(batch, row, *, created: bool) -> RawJSON:
    return RawJSON(
        f'{{"batch": {int(batch.pk)}, "row": {int(row.row_number)}, '
        f'"created": {"true" if created else "false"}}}'
    )


def _commit_page(batch, handler: Handler, page: list[ImportRow], actor, now) -> tuple[int, int]:
    existing = prepare_existing(handler, page)
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
        elif not same_values(handler, current, row.old):
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
        # The preview stored each row's changes as the audit trail shows them ([old, new],
        # readable); they are written on as stored text.
        pks = handler.pk_by_key([row.key for row, _values in new_rows])
        items = [
            (
                pks[row.key],
                handler.repr_of(values),
                RawJSON(row.changes_text),
                _context(batch, row, created=True),
            )
            for row, values in new_rows
        ]
        items += [
            (
                obj.pk,
                handler.object_repr(obj),
                RawJSON(row.changes_text),
                _context(batch, row, created=False),
            )
            for obj, row in zip(changed_objects, changed_rows, strict=True)
        ]
        audit_rows(actor, handler.audit_action, batch, handler, items)
    return len(new_rows), len(changed_objects)
