"""Writing the audit trail: every service that changes or reveals data calls `audit_record`."""

from __future__ import annotations

import datetime
import decimal
from collections.abc import Iterable
from typing import Any

from django.db import models

from apps.core.models import AuditEntry


def _plain(value: Any) -> Any:
    """A JSON-safe form of a field value for the `changes` column."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return str(value)
    return str(value)


def model_changes(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """`{field: [old, new]}` for the fields whose value differs."""
    return {
        name: [_plain(before.get(name)), _plain(after.get(name))]
        for name in after
        if before.get(name) != after.get(name)
    }


def snapshot(obj: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    return {name: getattr(obj, name) for name in fields}


def audit_entry(
    *,
    actor,
    action: str,
    obj: models.Model | None = None,
    changes: dict | None = None,
    context: dict | None = None,
    municipality_id: int | None = None,
) -> AuditEntry:
    """An unsaved audit entry (for bulk_create); `audit_record` saves one."""
    if municipality_id is None and obj is not None:
        municipality_id = getattr(obj, "municipality_id", None)
    role = getattr(actor, "role", "") if actor is not None else ""
    if municipality_id is None and actor is not None:
        municipality_id = getattr(actor, "municipality_id", None)
    return AuditEntry(
        actor=actor if actor is not None and actor.pk else None,
        actor_label=(actor.get_username() if actor is not None and actor.pk else "system"),
        role=role or "",
        municipality_id=municipality_id,
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:255] if obj is not None else "",
        changes={k: [_plain(v[0]), _plain(v[1])] for k, v in (changes or {}).items()},
        context=context or {},
    )


def audit_record(**kwargs) -> AuditEntry:
    """Record one audit event: who (`actor`), what (`action`), on which object, old → new."""
    entry = audit_entry(**kwargs)
    entry.save()
    return entry


REDACTED = "[anonymiseret]"
# The retention the database enforces on the purge (same shape as in migration 0004).
RETENTION_SQL = """
CREATE OR REPLACE FUNCTION core_audit_lookup_retention_months() RETURNS integer
LANGUAGE sql IMMUTABLE AS $$ SELECT %(months)d $$;
"""


def _months_before(moment: datetime.datetime, months: int) -> datetime.datetime:
    """The same day and time `months` months earlier (clamped to the month's last day)."""
    month_index = moment.year * 12 + (moment.month - 1) - months
    year, month = divmod(month_index, 12)
    month += 1
    for day in range(moment.day, 0, -1):
        try:
            return moment.replace(year=year, month=month, day=day)
        except ValueError:
            continue
    raise ValueError(moment)


def audit_lookups_purge(*, now: datetime.datetime | None = None, dry_run: bool = False) -> int:
    """Delete look-up events (view, search, export) older than AUDIT_LOOKUP_RETENTION_MONTHS.

    Rule: who looked at whom is kept for the configured period (default 12 months) and no
    longer; change events (who changed what) are kept. Returns the number of entries.
    On PostgreSQL the deletion is done by `core_audit_purge_lookups()`, the only way the
    database lets audit entries go; it refuses a cutoff later than the retention installed
    by `migrate` (apps/core/migrations/0004_audit_guarded_changes.py).
    """
    from django.conf import settings
    from django.db import connection, transaction
    from django.utils import timezone

    now = now or timezone.now()
    cutoff = _months_before(now, settings.AUDIT_LOOKUP_RETENTION_MONTHS)
    old = AuditEntry.objects.lookups().filter(occurred_at__lt=cutoff)
    if dry_run:
        return old.count()
    if connection.vendor == "postgresql":
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT core_audit_purge_lookups(%s)", [cutoff])
            return cursor.fetchone()[0]
    deleted, _ = models.QuerySet.delete(old)
    return deleted


def audit_redact(*, entries, fields: Iterable[str], object_repr: str) -> int:
    """Overwrite personal values in existing audit entries (after anonymisation).

    Rule: audit entries are append-only; this is the one sanctioned rewrite, which blanks
    the named fields' old/new values and the object's name. On PostgreSQL it is done by
    `core_audit_redact()`, which refuses entries about anyone not anonymised (the privacy
    app installs that check), and the trigger refuses any other change.
    """
    from django.db import connection, transaction

    fields = sorted(set(fields))
    entries = list(entries)
    if not entries:
        return 0
    if connection.vendor == "postgresql":
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                "SELECT core_audit_redact(%s::bigint[], %s::text[], %s)",
                [[entry.pk for entry in entries], fields, object_repr],
            )
            return cursor.fetchone()[0]
    count = 0
    with transaction.atomic():
        for entry in entries:
            changes = {
                name: ([REDACTED, REDACTED] if name in fields else values)
                for name, values in entry.changes.items()
            }
            models.QuerySet.update(
                AuditEntry.objects.filter(pk=entry.pk), changes=changes, object_repr=object_repr
            )
            count += 1
    return count


def audit_retention_sync(*, months: int | None = None, using: str = "default") -> None:
    """Install AUDIT_LOOKUP_RETENTION_MONTHS in the database, where `core_audit_purge_lookups`
    reads it. Run after every `migrate` by the role that owns the audit table (a role that
    does not own it cannot change the retention: that is the point)."""
    from django.conf import settings
    from django.db import connections

    connection = connections[using]
    if connection.vendor != "postgresql":
        return
    months = settings.AUDIT_LOOKUP_RETENTION_MONTHS if months is None else months
    with connection.cursor() as cursor:
        cursor.execute(RETENTION_SQL % {"months": int(months)})
