"""What the import services share (preview, commit and undo).

Redacted error logging, a batch's counts for audit and summaries, the municipality's
import lock, the check that the actor imports into their own municipality, paging through
a batch's rows, comparing a stored row with the database, per-row audit entries written
with COPY, and the `import_applied` signal after a commit or undo.
"""

from __future__ import annotations

import itertools
import logging
import traceback

from django.db import connection, transaction
from django.db.models import TextField
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.audit import audit_entry
from apps.core.cpr import redact_cpr
from apps.core.models import AuditEntry
from apps.imports.analysis import CHUNK
from apps.imports.bulk import insert_rows
from apps.imports.errors import ImportRefused
from apps.imports.handlers import HANDLERS, Handler, TraineeChildHandler, decode
from apps.imports.models import ImportBatch, ImportRow
from apps.imports.signals import import_applied

logger = logging.getLogger("apps.imports.services")  # one logger for every phase

LOCK_NAMESPACE = 7419  # pg advisory lock class for "an import of municipality N is running"


def log_redacted(message: str, *args, exc: BaseException) -> None:
    """Log an unexpected error with its traceback, CPR numbers blanked: an exception's text
    may quote a cell of the file."""
    trace = "".join(traceback.format_exception(exc))
    logger.error(message + "\n%s", *args, redact_cpr(trace))


def busy_message() -> str:
    return _("En anden import for kommunen er i gang. Vent, til den er færdig, og prøv igen.")


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


def batch_counts(batch: ImportBatch) -> dict:
    return {
        "kind": batch.kind,
        "created": batch.created_count,
        "updated": batch.updated_count,
        "unchanged": batch.unchanged_count,
        "rejected": batch.rejected_count,
        "warnings": batch.warning_count,
    }


def handler_for(batch: ImportBatch) -> Handler:
    return HANDLERS[batch.kind](batch.municipality, set(batch.columns))


def row_pages(batch: ImportBatch, actions, *, changes_as_text: bool = False):
    """The batch's rows of `actions` in pages of CHUNK, streamed by one server-side cursor
    so memory stays flat whatever the file's length. With `changes_as_text`, `changes` is
    the stored JSON text (`RawJSON`), for writing on to the audit trail unparsed."""
    rows = ImportRow.objects.filter(batch=batch, action__in=actions).order_by("id")
    if changes_as_text:
        rows = rows.annotate(changes_text=Cast("changes", TextField()))
        fields = ("row_number", "action", "key", "data", "old", "changes_text")
    else:
        fields = ("row_number", "action", "key", "data", "old", "changes")
    rows = rows.values_list(*fields, named=True).iterator(chunk_size=CHUNK)
    yield from itertools.batched(rows, CHUNK)


def prepare_existing(handler: Handler, rows: list[ImportRow]) -> dict[str, dict]:
    keys = sorted({row.key for row in rows})
    if isinstance(handler, TraineeChildHandler):
        handler.load_trainees(sorted({key.split("|")[0] for key in keys}))
    return handler.load_existing(keys)


def same_values(handler: Handler, current: dict, stored: dict) -> bool:
    values = decode(handler.model, stored)
    return all(current.get(name) == value for name, value in values.items())


def check_actor(batch: ImportBatch, actor) -> None:
    # Only the platform operator (a superuser bound to no municipality) imports anywhere.
    if actor is None or (
        getattr(actor, "is_superuser", False) and getattr(actor, "municipality_id", None) is None
    ):
        return
    if getattr(actor, "municipality_id", None) != batch.municipality_id:
        raise ImportRefused(_("Du kan kun importere til din egen kommune."))


def audit_rows(actor, action: str, batch: ImportBatch, handler: Handler, items) -> int:
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


def send_applied(batch: ImportBatch) -> None:
    transaction.on_commit(
        lambda: import_applied.send(
            sender=ImportBatch, batch=batch, municipality_id=batch.municipality_id
        )
    )
