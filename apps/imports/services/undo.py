"""Undo: restore the last applied import of a kind while nothing has touched its rows.

Rows the import created are deleted and the values it replaced restored, in one
transaction under the municipality's import lock; a row changed since, or data registered
on a created row since, refuses the whole undo.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.audit import audit_record
from apps.imports.errors import ImportRefused
from apps.imports.handlers import Handler, decode
from apps.imports.models import BatchStatus, ImportBatch, ImportRow, RowAction
from apps.imports.retention import purged_message
from apps.imports.services.common import (
    audit_rows,
    batch_counts,
    check_actor,
    handler_for,
    lock_municipality,
    prepare_existing,
    row_pages,
    same_values,
    send_applied,
)


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
    check_actor(batch, actor)
    with transaction.atomic():
        lock_municipality(batch.municipality_id)
        batch = (
            ImportBatch.objects.select_for_update().select_related("municipality").get(pk=batch.pk)
        )
        blocker = undo_blocker(batch)
        if blocker:
            raise ImportRefused(blocker)
        handler = handler_for(batch)
        conflicts = deleted = restored = 0
        dependents = False
        now = timezone.now()
        for page in row_pages(batch, [RowAction.NEW, RowAction.CHANGED]):
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
        send_applied(batch)
    return batch


def _undo_page(batch, handler: Handler, page: list[ImportRow], actor, now):
    """Undo one page of rows; returns (conflicts, deleted, restored, has dependents)."""
    existing = prepare_existing(handler, page)
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
        elif not same_values(handler, current, row.data):
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
        audit_rows(
            actor,
            handler.audit_action.replace(".imported", ".import_undone"),
            batch,
            handler,
            (
                (
                    obj.pk,
                    handler.object_repr(obj),
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
