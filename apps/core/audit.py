"""Writing the audit trail: every service that changes or reveals data calls `audit_record`."""

from __future__ import annotations

import datetime
import decimal
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy

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


# --- Which audited values a role may see ----------------------------------------------------
#
# Some audited values are special-category personal data (a trainee's dropout reason may be
# an illness, GDPR art. 9). Audit entries are written by many code paths with their own key
# spellings (`dropout_reason`, `dropout_reason_id`, a column label from an import) and their
# own value forms (a label, a code, a raw id), so masking by one key spelling misses some.
# The owning app registers the *meaning* once; every reader of `AuditEntry.changes` (history
# fragment, admin, indsigt export) masks through `AuditMask`.

HIDDEN = gettext_lazy("Skjult")


@dataclass(frozen=True)
class SensitiveMeaning:
    """One kind of protected information in the audit trail, e.g. a trainee's dropout reason.

    Rule: a scope whose `visible_to` permission is false sees neither the values of the
    `fields` (however their key is spelled: name, `_id` attname, `__lookup`, verbose name or
    one of `spellings`, on the field's model and on every `value_object_types`) nor, on
    `value_object_types`, any value found in `vocabulary` (codes, labels, aliases) under any
    other key. All fields of one meaning collapse into one line keyed `name` with both
    values hidden, so which of them changed reveals nothing either.
    """

    name: str
    visible_to: str
    fields: tuple[tuple[str, models.Field], ...]
    spellings: tuple[str, ...] = ()
    vocabulary: Callable[[], Iterable[Any]] | None = None
    value_object_types: frozenset[str] = frozenset()


_MEANINGS: dict[str, SensitiveMeaning] = {}


def register_sensitive_meaning(
    *,
    name: str,
    visible_to: str,
    fields: Iterable[tuple[type[models.Model], str]],
    spellings: Iterable[str] = (),
    vocabulary: Callable[[], Iterable[Any]] | None = None,
    value_object_types: Iterable[str] = (),
) -> SensitiveMeaning:
    """Declare (from an app's `ready()`) audited fields whose values only `visible_to` may
    see. Registering the same `name` again replaces it."""
    meaning = SensitiveMeaning(
        name=name,
        visible_to=visible_to,
        fields=tuple(
            (model._meta.label_lower, model._meta.get_field(field)) for model, field in fields
        ),
        spellings=tuple(spellings),
        vocabulary=vocabulary,
        value_object_types=frozenset(value_object_types),
    )
    _MEANINGS[name] = meaning
    return meaning


def meaning_visible(name: str, scope) -> bool:
    """True when `scope` may see the registered meaning `name` (unknown names and a missing
    scope see nothing: fail closed)."""
    meaning = _MEANINGS.get(name)
    if meaning is None or scope is None:
        return False
    return bool(getattr(scope, meaning.visible_to, False))


def meaning_label(name: str) -> str:
    """The Danish label of a registered meaning (its first field's verbose name), or ""."""
    meaning = _MEANINGS.get(name)
    if meaning is None or not meaning.fields:
        return ""
    return str(meaning.fields[0][1].verbose_name)


def _key_form(key: Any) -> str:
    """A field key reduced to its meaning-bearing letters: "dropout_reason_id",
    "dropout_reason__code", "DropoutReason" and "dropout reason" all give "dropoutreason"."""
    text = str(key).casefold().strip().split("__")[0]
    for suffix in ("_id", " id", "-id"):
        if text.endswith(suffix):
            text = text[: -len(suffix)]
    return "".join(ch for ch in text if ch.isalnum())


def _value_form(value: Any) -> str:
    return " ".join(str(value).casefold().split())


class AuditMask:
    """The audit changes as one scope may see them. Build one per request or export (the
    vocabulary is read once, on first need) and pass every entry through it."""

    def __init__(self, scope):
        self.scope = scope
        self.hidden = [m for m in _MEANINGS.values() if not meaning_visible(m.name, scope)]
        self._keys: dict[str, dict[str, SensitiveMeaning]] | None = None
        self._values: dict[str, dict[str, SensitiveMeaning]] | None = None

    def _key_index(self) -> dict[str, dict[str, SensitiveMeaning]]:
        if self._keys is None:
            self._keys = {}
            for meaning in self.hidden:
                forms = set(meaning.spellings)
                object_types = set(meaning.value_object_types)
                for object_type, field in meaning.fields:
                    forms.update({field.name, field.attname, str(field.verbose_name)})
                    object_types.add(object_type)
                # The field's spellings hide it on every person object type, not only its
                # own model: a change key is trusted for its meaning, not for its origin.
                for object_type in object_types:
                    index = self._keys.setdefault(object_type, {})
                    for spelling in forms:
                        index[_key_form(spelling)] = meaning
        return self._keys

    def _value_index(self) -> dict[str, dict[str, SensitiveMeaning]]:
        if self._values is None:
            self._values = {}
            for meaning in self.hidden:
                if meaning.vocabulary is None or not meaning.value_object_types:
                    continue
                words = {_value_form(w) for w in meaning.vocabulary() if str(w).strip()}
                for object_type in meaning.value_object_types:
                    index = self._values.setdefault(object_type, {})
                    for word in words:
                        index[word] = meaning
        return self._values

    def meaning_of(self, object_type: str, key: Any) -> SensitiveMeaning | None:
        """The hidden meaning a change key carries on `object_type`, if any."""
        if not self.hidden:
            return None
        index = self._key_index().get(object_type, {})
        form = _key_form(key)
        meaning = index.get(form)
        if meaning is None and form.endswith("id"):  # "dropoutReasonId"
            meaning = index.get(form[:-2])
        return meaning

    def changes(self, object_type: str, changes: dict | None) -> dict:
        """`changes` ({key: [old, new]}) with every hidden value replaced by "Skjult"."""
        changes = dict(changes or {})
        if not self.hidden or not changes:
            return changes
        hidden = str(HIDDEN)
        result: dict[str, Any] = {}
        collapsed: dict[str, list[str]] = {}
        values_index = None
        for key, values in changes.items():
            meaning = self.meaning_of(object_type, key)
            if meaning is not None:
                collapsed[meaning.name] = [hidden, hidden]
                continue
            if values_index is None:
                values_index = self._value_index().get(object_type, {})
            pair = values if isinstance(values, (list, tuple)) else [values]
            result[key] = [
                hidden if v is not None and _value_form(v) in values_index else v for v in pair
            ]
        # Last, so the line's position does not depend on which of the meaning's keys the
        # entry held (PostgreSQL's jsonb orders keys by length).
        result.update(collapsed)
        return result

    def entries(self, entries: Iterable[AuditEntry]) -> list[AuditEntry]:
        """The entries with their `changes` masked in memory (entries are never saved: they
        are append-only, so a masked copy cannot overwrite the stored trail)."""
        entries = list(entries)
        if self.hidden:
            for entry in entries:
                entry.changes = self.changes(entry.object_type, entry.changes)
        return entries
