"""Recognising rows an import left exactly as they are, before any cell is cleaned.

Rule: a row of a new file is "unchanged" without being cleaned only when (1) its raw cells
are the same, byte for byte and type for type, as a row the municipality's last applied
import of the same kind accepted without a remark, (2) that import read the same columns
against the same catalogues with the same cleaning code (the fingerprint), and (3) the
stored row still has the version that import left it at, so nothing has changed it since.
Then cleaning it again would give the same values, the same key and the same comparison:
"unchanged". Every other row is cleaned and compared in full. Only versioned kinds with a
plain key column (trainees, supervisors) are recognised this way.
"""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path

from django.db import connection

from apps.imports.models import BatchStatus, ImportBatch, ImportRow, RowAction

_CODE_DIR = Path(__file__).resolve().parent


@functools.cache
def _code_digest() -> bytes:
    """The cleaning code's own fingerprint: a deployment that changes how cells are cleaned
    or rows checked makes every earlier row hash unrecognisable."""
    digest = hashlib.blake2b(digest_size=16)
    files = [*sorted(_CODE_DIR.glob("*.py")), *sorted((_CODE_DIR / "handlers").glob("*.py"))]
    rules = _CODE_DIR.parent / "trainees" / "rules.py"
    for path in [*files, rules]:
        if path.is_file():
            digest.update(path.read_bytes())
    return digest.digest()


def supports_skip(handler) -> bool:
    return bool(handler.versioned and getattr(handler, "key_field", None))


def fingerprint(handler, identifiers: list[str]) -> bytes:
    """What a row's cleaning depends on besides its cells: kind, columns, catalogues, code."""
    lookups = handler.lookups
    state = (
        handler.kind,
        tuple(identifiers),
        sorted((name, sorted(bucket.items())) for name, bucket in lookups.index.items()),
        sorted((name, sorted(labels.items())) for name, labels in lookups.labels.items()),
    )
    digest = hashlib.blake2b(repr(state).encode(), digest_size=16, key=_code_digest())
    return digest.digest()


def row_hash(seed: bytes, cells: tuple) -> str:
    """The hash of a row's raw cells (values and their types) under the fingerprint. The
    repr of the cells tells their types apart as well as their values: the reader gives
    text ('1'), numbers (1 and 1.0), True, None, dates and times, each written differently."""
    return hashlib.blake2b(repr(cells).encode(), digest_size=16, key=seed).hexdigest()


def known_rows(batch: ImportBatch, handler) -> dict[str, tuple[str, str, int, int]]:
    """row hash → (key, label, pk, version) of the rows the municipality's last applied
    import of this kind accepted, whose stored row still has the version it left: one
    query whatever the number of rows."""
    if not supports_skip(handler) or connection.vendor != "postgresql":
        return {}
    model = handler.model
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    key_column = quote(model._meta.get_field(handler.key_field).column)
    rows = quote(ImportRow._meta.db_table)
    batches = quote(ImportBatch._meta.db_table)
    sql = (
        f"SELECT r.row_hash, r.key, r.label, t.{quote(model._meta.pk.column)}, t.version "  # noqa: S608
        f"FROM {rows} r "
        f"JOIN {table} t ON t.municipality_id = %s AND t.{key_column} = r.key "
        "AND t.version = r.version "
        "WHERE r.row_hash <> '' AND r.action = ANY(%s) AND r.batch_id = ("
        f"SELECT b.id FROM {batches} b WHERE b.municipality_id = %s AND b.kind = %s "
        "AND b.status = %s AND b.rows_purged_at IS NULL AND b.id <> %s "
        "ORDER BY b.applied_at DESC, b.id DESC LIMIT 1)"
    )
    actions = [RowAction.NEW, RowAction.CHANGED, RowAction.UNCHANGED]
    with connection.cursor() as cursor:
        cursor.execute(
            sql,
            [
                batch.municipality_id,
                actions,
                batch.municipality_id,
                handler.kind,
                BatchStatus.APPLIED,
                batch.pk,
            ],
        )
        return {h: (key, label, pk, version) for h, key, label, pk, version in cursor}
