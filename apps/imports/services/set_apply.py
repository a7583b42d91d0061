"""Commit, set-based: a previewed batch's new rows written inside PostgreSQL.

Rule: a new row is written exactly as the row-by-row commit would write it (its preview
values over the model's defaults, the columns derived from them, the kind's constants)
and gets the same audit entry (the preview's changes, who, when, which batch and row),
but with one statement whatever the file's length instead of reading every row back into
Python: `INSERT … SELECT` from the batch's `ImportRow`s, and the audit entries from what
that insert returned. Only kinds that say how their derived columns and audit text are
computed in SQL (`Handler.derived_sql`, `Handler.repr_sql`) are written this way; the
others, and changed rows, go through `commit.py` page by page.
"""

from __future__ import annotations

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection
from django.utils import timezone

from apps.core.audit import audit_entry
from apps.core.models import AuditEntry
from apps.imports.bulk import _NO_DEFAULT, _columns, _defaults
from apps.imports.handlers import Handler
from apps.imports.models import ImportBatch, ImportRow, RowAction


def supports_set_apply(handler: Handler) -> bool:
    return (
        connection.vendor == "postgresql"
        and handler.derived_sql is not None
        and handler.repr_sql is not None
        and handler.key_field is not None
        and handler.audit_action is not None
    )


def new_rows_taken(batch: ImportBatch, handler: Handler) -> bool:
    """Whether a row the preview found new has been created since (by another import or
    by hand): then the batch is stale. One query."""
    quote = connection.ops.quote_name
    model = handler.model
    sql = (
        f"SELECT EXISTS (SELECT 1 FROM {quote(ImportRow._meta.db_table)} r "  # noqa: S608
        f"JOIN {quote(model._meta.db_table)} t ON t.municipality_id = %s "
        f"AND t.{quote(model._meta.get_field(handler.key_field).column)} = r.key "
        "WHERE r.batch_id = %s AND r.action = %s)"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [batch.municipality_id, batch.pk, RowAction.NEW])
        return cursor.fetchone()[0]


def _source(handler: Handler, field, base: dict) -> str:
    """What a new row's column is written from: the kind's SQL for a derived column, else
    the preview's value (`n`, by the column's type), else the default or the kind's
    constant (`d`): what `jsonb_populate_record` over the defaults would give, without
    building a record per row. A value the preview left out is absent from its data, a
    blank one is null; a NOT NULL column cannot be null, so there a null means absent."""
    if field.attname in handler.derived_sql:
        return f"({handler.derived_sql[field.attname]})"
    quote = connection.ops.quote_name
    value, default = f"n.{quote(field.attname)}", f"d.{quote(field.column)}"
    if base.get(field.attname) is None:
        return value
    if field.null:
        return f"CASE WHEN r.data ? '{field.attname}' THEN {value} ELSE {default} END"
    return f"COALESCE({value}, {default})"


def insert_new_rows(batch: ImportBatch, handler: Handler, actor) -> int:
    """Write the batch's new rows and one audit entry each; returns how many."""
    model = handler.model
    quote = connection.ops.quote_name
    fields = _columns(model)
    base = {name: value for name, value in _defaults(fields).items() if value is not _NO_DEFAULT}
    base.update(handler.new_values({}))  # the kind's constants (municipality, version)
    targets = ", ".join(quote(f.column) for f in fields)
    sources = ", ".join(_source(handler, field, base) for field in fields)
    record = ", ".join(
        f"{quote(f.attname)} {f.db_type(connection)}"
        for f in fields
        if f.attname not in handler.derived_sql
    )
    key_column = quote(model._meta.get_field(handler.key_field).column)
    table = quote(model._meta.db_table)
    entry = audit_entry(
        actor=actor, action=handler.audit_action, municipality_id=batch.municipality_id
    )
    audit_columns = (
        "occurred_at, actor_id, actor_label, role, municipality_id, action, object_type, "
        "object_id, object_repr, changes, context"
    )
    rows = quote(ImportRow._meta.db_table)
    # The written rows come back whole (`w`) for their audit text; each is joined to its
    # ImportRow again by key for the preview's changes and its row number.
    sql = (
        f"WITH w AS (INSERT INTO {table} ({targets}) "  # noqa: S608 - names from the models
        f"SELECT {sources} FROM {rows} r, "
        f"(SELECT * FROM jsonb_populate_record(NULL::{table}, %(base)s::jsonb)) d, "
        f"jsonb_to_record(r.data) AS n({record}) "
        "WHERE r.batch_id = %(batch)s AND r.action = %(new)s ORDER BY r.row_number "
        "RETURNING *) "
        f"INSERT INTO {quote(AuditEntry._meta.db_table)} ({audit_columns}) "
        "SELECT %(now)s, %(actor)s, %(actor_label)s, %(role)s, %(municipality)s, %(action)s, "
        f"%(object_type)s, w.{quote(model._meta.pk.column)}::text, "
        f"left({handler.repr_sql}, 255), r.changes, "
        "jsonb_build_object('batch', %(batch)s::bigint, 'row', r.row_number, 'created', true) "
        f"FROM w JOIN {rows} r ON r.batch_id = %(batch)s AND r.action = %(new)s "
        f"AND r.key = w.{key_column} ORDER BY r.row_number"
    )
    params = {
        "base": json.dumps(base, cls=DjangoJSONEncoder),
        "batch": batch.pk,
        "new": RowAction.NEW,
        "now": timezone.now(),
        "actor": entry.actor_id,
        "actor_label": entry.actor_label,
        "role": entry.role,
        "municipality": batch.municipality_id,
        "action": handler.audit_action,
        "object_type": model._meta.label_lower,
    }
    with connection.cursor() as cursor:
        # Sorting a file's rows by row number in memory, not in temporary files.
        cursor.execute("SET LOCAL work_mem = '64MB'")
        # A batch's rows were just written, so the statistics know nothing of its id: the
        # planner would take the batch for a few rows and join the written rows back to
        # their ImportRows by a nested loop, 50,000 × 50,000 comparisons (minutes, not
        # seconds). A hash join is right for a batch of any size.
        cursor.execute("SET LOCAL enable_nestloop = off")
        # Compiling the statement to machine code (JIT) costs 0.2 s and it runs once.
        cursor.execute("SET LOCAL jit = off")
        cursor.execute(sql, params)
        count = cursor.rowcount
        cursor.execute("SET LOCAL enable_nestloop TO DEFAULT")
        cursor.execute("SET LOCAL jit TO DEFAULT")
        return count
