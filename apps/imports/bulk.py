"""Fast inserts for imports: PostgreSQL COPY of plain tuples, bulk_create elsewhere.

MACHINE-NOTES.md: reading 50,000 rows and COPYing them into PostgreSQL takes under a
second, while building model instances and multi-row INSERTs for the same rows takes many
times that. Rows are given as dicts of attname → value; every column the dict leaves out
gets the model field's default (auto_now/auto_now_add fields get the current time), so a
COPY writes the same row `Model(**values).save()` would.
"""

from __future__ import annotations

import datetime
import json
import time
from collections.abc import Iterable
from decimal import Decimal

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models
from django.utils import timezone

_NO_DEFAULT = object()
_ENCODE = DjangoJSONEncoder().encode  # one encoder for every value (stateless)


class RawJSON(str):
    """JSON text already serialised (e.g. read as text from a jsonb column): written to a
    JSON column as it is, without parsing and encoding it again."""


def _columns(model: type[models.Model]) -> list[models.Field]:
    return [field for field in model._meta.concrete_fields if not field.primary_key]


def _defaults(fields: list[models.Field]) -> dict:
    now = timezone.now()
    defaults = {}
    for field in fields:
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            defaults[field.attname] = now
        elif field.has_default() or field.null or field.empty_strings_allowed:
            defaults[field.attname] = field.get_default()  # as Model() would fill it in
        else:
            defaults[field.attname] = _NO_DEFAULT
    return defaults


def insert_rows(model: type[models.Model], rows: Iterable[dict]) -> int:
    """Insert `rows` (attname → value dicts) into `model`'s table; returns the count."""
    fields = _columns(model)
    defaults = _defaults(fields)
    json_fields = {f.attname for f in fields if isinstance(f, models.JSONField)}
    names = [f.attname for f in fields]

    pairs = [(name, defaults[name]) for name in names]
    json_positions = [i for i, name in enumerate(names) if name in json_fields]
    required = [name for name in names if defaults[name] is _NO_DEFAULT]

    def dump(value) -> str:
        if isinstance(value, RawJSON):
            return value
        if isinstance(value, (dict, list)) and not value:
            return "[]" if isinstance(value, list) else "{}"
        return _ENCODE(value)

    def as_tuple(values: dict) -> list:
        get = values.get
        out = [get(name, default) for name, default in pairs]
        for name in required:
            if get(name, _NO_DEFAULT) is _NO_DEFAULT:
                raise ValueError(f"{model.__name__}.{name} needs a value")
        for i in json_positions:
            out[i] = dump(out[i])
        return out

    count = 0
    if connection.vendor == "postgresql":
        table = connection.ops.quote_name(model._meta.db_table)
        cols = ", ".join(connection.ops.quote_name(f.column) for f in fields)
        sql = f"COPY {table} ({cols}) FROM STDIN"  # noqa: S608 - names come from the model
        started = time.monotonic()
        with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
            for values in rows:
                copy.write_row(as_tuple(values))
                count += 1
        if connection.queries_logged:  # COPY bypasses Django's cursor; count it like a query
            connection.queries_log.append(
                {"sql": f"{sql} -- {count} rows", "time": f"{time.monotonic() - started:.3f}"}
            )
        return count
    objects = []
    for values in rows:
        objects.append(model(**values))
        count += 1
    model.objects.bulk_create(objects, batch_size=500)
    return count


def copy_rows(model: type[models.Model], names: tuple[str, ...], rows: Iterable[tuple]) -> int:
    """COPY `rows`, tuples of the attnames `names` already as the columns take them (JSON
    as text), into `model`'s table (PostgreSQL); elsewhere through `insert_rows`."""
    if connection.vendor != "postgresql":
        json_names = {n for n in names if isinstance(model._meta.get_field(n), models.JSONField)}
        return insert_rows(
            model,
            (
                {
                    name: json.loads(value) if name in json_names else value
                    for name, value in zip(names, row, strict=True)
                }
                for row in rows
            ),
        )
    quote = connection.ops.quote_name
    columns = ", ".join(quote(model._meta.get_field(name).column) for name in names)
    sql = f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN"  # noqa: S608
    count = 0
    started = time.monotonic()
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        write = copy.write_row
        for row in rows:
            write(row)
            count += 1
    if connection.queries_logged:  # COPY bypasses Django's cursor; count it like a query
        connection.queries_log.append(
            {"sql": f"{sql} -- {count} rows", "time": f"{time.monotonic() - started:.3f}"}
        )
    return count


def converters(model: type[models.Model]) -> dict:
    """attname → function turning a JSON-stored value back into the field's Python value."""
    out = {}
    for field in model._meta.concrete_fields:
        if isinstance(field, models.DateTimeField):
            out[field.attname] = datetime.datetime.fromisoformat
        elif isinstance(field, models.DateField):
            out[field.attname] = datetime.date.fromisoformat
        elif isinstance(field, models.DecimalField):
            out[field.attname] = Decimal
    return out


def filter_in(queryset: models.QuerySet, field: str, values: list) -> models.QuerySet:
    """`queryset.filter(<field>__in=values)`, as one array parameter on PostgreSQL.

    A 20,000-item IN list costs seconds to bind and plan; `= ANY(%s)` with one array costs
    milliseconds."""
    if connection.vendor != "postgresql":
        return queryset.filter(**{f"{field}__in": values})
    column = queryset.model._meta.get_field(field).column
    table = queryset.model._meta.db_table
    qualified = f"{connection.ops.quote_name(table)}.{connection.ops.quote_name(column)}"
    return queryset.extra(where=[f"{qualified} = ANY(%s)"], params=[list(values)])  # noqa: S610
