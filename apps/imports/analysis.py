"""Reading a sheet into classified import rows: the core of the preview (STYLE.md B8, 2-4).

`analyse_sheet` picks the kind (from the headers, or the one HR chose), drops CPR
columns, cleans every cell with its column spec, rejects duplicate keys, compares each row
with the database in one prefetch and writes the batch's `ImportRow`s with COPY in chunks,
each only while the check is still this run's (`check_runs.check_hold`). It sets the
batch's counts but stores no outcome and changes no domain data:
`services.import_batch_preview` wraps it and stores the outcome.
"""

from __future__ import annotations

import datetime
import itertools
import json
from collections import Counter
from collections.abc import Iterable
from decimal import Decimal
from json.encoder import encode_basestring

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.cpr import redact_cpr
from apps.imports.bulk import RawJSON, copy_rows
from apps.imports.cells import CellError
from apps.imports.check_runs import check_hold
from apps.imports.columns import (
    KIND_SPECS,
    cpr_columns,
    detect_kind,
    map_headers,
)
from apps.imports.cpr_finder import CprFinder
from apps.imports.errors import ImportRefused
from apps.imports.handlers import HANDLERS, RowProblem, TraineeChildHandler, encode
from apps.imports.models import ImportBatch, ImportKind, ImportRow, RowAction
from apps.imports.readers import Sheet
from apps.imports.row_cleaner import RowCleaner
from apps.imports.unchanged import fingerprint, known_rows, row_hash, supports_skip

CHUNK = 2000
HEARTBEAT_ROWS = 20_000  # rows cleaned between two progress updates
# Shown in the row's label already, so the preview page does not repeat them among a new
# row's values (they are in its changes, which are also its audit entry's).
LABEL_FIELDS = {"hr_id", "first_name", "last_name", "name", "trainee_id"}


def set_progress(batch: ImportBatch, percent: int) -> None:
    """Record progress, which is also the check's sign of life for the imports watchdog
    (only while the check is this process's, `check_runs.py`)."""
    batch.progress = percent
    ImportBatch.objects.filter(
        pk=batch.pk,
        worker_host=batch.worker_host,
        worker_pid=batch.worker_pid,
        worker_started=batch.worker_started,
    ).update(progress=percent, heartbeat_at=timezone.now())


def _choose_kind(batch: ImportBatch, sheet: Sheet, dropped: set[int]):
    headers = sheet.headers
    if batch.requested_kind:
        spec = KIND_SPECS[batch.requested_kind]
        mapped = map_headers(spec, headers, dropped)
        if mapped.missing:
            other = detect_kind(headers, dropped)
            if other is not None and other.kind != spec.kind:
                raise ImportRefused(
                    _("Filen ligner en fil med %(found)s, ikke %(wanted)s.")
                    % {
                        "found": str(ImportKind(other.kind).label).lower(),
                        "wanted": str(spec.label).lower(),
                    }
                )
            raise ImportRefused(
                _("Filen mangler påkrævede kolonner: %(columns)s.")
                % {"columns": ", ".join(mapped.missing)}
                + _dropped_note(headers, dropped)
            )
        return mapped
    mapped = detect_kind(headers, dropped)
    if mapped is None:
        raise ImportRefused(_unknown_kind_message(headers, dropped))
    return mapped


SHOWN_HEADERS = 30  # at most this many of the file's headers are quoted back


def _unknown_kind_message(headers: list[str], dropped: set[int]) -> str:
    """Why a file fits none of the kinds: which kinds there are, which headers the file has,
    and what the closest kind (most headers recognised; elever if none is) still lacks."""
    candidates = [map_headers(spec, headers, dropped) for spec in KIND_SPECS.values()]
    best = max(candidates, key=lambda m: (len(m.positions), -len(m.missing)))
    if not best.positions:
        best = candidates[0]
    found = [redact_cpr(" ".join(h.split())) for h in headers if h and " ".join(h.split())]
    shown = ", ".join(found[:SHOWN_HEADERS]) + (" …" if len(found) > SHOWN_HEADERS else "")
    kinds = ", ".join(str(spec.label) for spec in KIND_SPECS.values())
    message = _(
        "Filen passer ikke til nogen af de fem slags import (%(kinds)s). "
        "Fundne overskrifter: %(headers)s."
    ) % {"kinds": kinds, "headers": shown or _("ingen")}
    label = str(KIND_SPECS[best.kind].label).lower()
    if best.positions:
        message += " " + _("Den ligner mest en fil med %(kind)s, men mangler: %(columns)s.") % {
            "kind": label,
            "columns": ", ".join(best.missing),
        }
    else:
        message += " " + _("En fil med %(kind)s skal have: %(columns)s.") % {
            "kind": label,
            "columns": ", ".join(best.missing),
        }
    return message + _dropped_note(headers, dropped)


def _dropped_note(headers: list[str], dropped: set[int]) -> str:
    """Why a column the file has may count as missing: it held CPR numbers."""
    if not dropped:
        return ""
    names = ", ".join(redact_cpr(headers[i] or f"#{i + 1}") for i in sorted(dropped))
    return " " + _(
        "Kolonner fjernet, fordi de indeholder CPR-numre, som portalen ikke må gemme: %(columns)s."
    ) % {"columns": names}


def analyse_sheet(batch: ImportBatch, sheet: Sheet) -> None:
    """Classify every row of `sheet` into the batch's ImportRows and set its counts."""
    finder = sheet.cpr or CprFinder.of([row for _number, row in sheet.rows], len(sheet.headers))
    suspects = finder.in_text
    dropped = cpr_columns(sheet.headers, finder)
    mapped = _choose_kind(batch, sheet, dropped)
    spec = KIND_SPECS[mapped.kind]
    headers = {
        identifier: " ".join(sheet.headers[index].split())
        for identifier, index in mapped.positions.items()
    }
    handler = HANDLERS[mapped.kind](batch.municipality, set(mapped.positions), headers)
    batch.kind = mapped.kind
    batch.columns = sorted(mapped.positions)
    batch.ignored_columns = [redact_cpr(header) for header in mapped.ignored]
    batch.dropped_columns = [redact_cpr(header) for header in mapped.dropped]
    columns = [(spec.column(i), index) for i, index in mapped.positions.items()]

    if isinstance(handler, TraineeChildHandler):
        id_index = mapped.positions["hr_id"]
        id_widget = spec.column("hr_id").widget
        hr_ids = set()
        for _number, cells in sheet.rows:
            try:
                hr_ids.add(id_widget.clean(cells[id_index] if id_index < len(cells) else None))
            except CellError:
                continue
        handler.load_trainees(sorted(hr_ids - {""}))

    identifiers = [c.identifier for c, _i in columns]
    cleaner = RowCleaner(handler, columns, headers, suspects)
    known = known_rows(batch, handler)
    seed = fingerprint(handler, identifiers) if supports_skip(handler) else None
    seen: set[str] = set()
    # Pass 1: pick every row's mapped cells and clean them (the sheet's rows are dropped
    # once picked); a row the last import left as it is (`unchanged.py`) is recognised
    # without cleaning.
    todo = []  # (row_number, row hash, mapped cells)
    skipped = []  # (row_number, row hash, (key, label, pk, version))
    raw_of, skip = cleaner.raw, cleaner.skipped
    for number, cells in sheet.rows:
        raw = raw_of(cells)
        if skip(cells, raw):
            continue
        digest = ""
        if seed is not None:
            digest = row_hash(seed, raw)
            hit = known.get(digest)
            # A row like one before it is cleaned (its key is then a duplicate); a row
            # without a hit has no copy with one (the same cells, the same hash).
            if hit is not None and digest not in seen:
                seen.add(digest)
                skipped.append((number, digest, hit))
                continue
        todo.append((number, digest, raw))
    sheet.rows = []  # the mapped cells are all that is needed from here on
    known = {}
    total = len(todo) + len(skipped)
    cleaned = []  # (row_number, values | None, cells-subset, errors, warnings, row hash)
    results = cleaner.clean([raw for _number, _digest, raw in todo])
    for (number, digest, _raw), (values, errors, warnings, key_cells) in zip(
        todo, results, strict=True
    ):
        cleaned.append((number, values, key_cells, errors, warnings, digest))
        if len(cleaned) % HEARTBEAT_ROWS == 0:
            set_progress(batch, 10 + int(30 * (len(skipped) + len(cleaned)) / max(total, 1)))
    del todo, results
    set_progress(batch, 40)

    # Duplicate keys in one file: every occurrence is rejected, naming the other rows.
    keys: dict[str, list[int]] = {}
    for number, values, key_cells, _errors, _warnings, _digest in cleaned:
        if values is not None:
            keys.setdefault(handler.key(values, key_cells), []).append(number)
    for number, _digest, (key, *_rest) in skipped:
        keys.setdefault(key, []).append(number)
    skipped_keys = {key for _number, _digest, (key, *_rest) in skipped}
    existing = handler.load_existing(
        [k for k, rows in keys.items() if len(rows) == 1 and k not in skipped_keys]
    )
    set_progress(batch, 50)

    counts: Counter = Counter()
    fragments: dict = {}  # (field, value) → its part of a new row's changes, as JSON text
    classified = itertools.chain(
        (
            _classify(
                handler,
                batch,
                number,
                values,
                key_cells,
                errors,
                warnings,
                keys,
                existing,
                fragments,
            )
            for number, values, key_cells, errors, warnings, _digest in cleaned
        ),
        (
            _classify_known(handler, batch, number, digest, hit, keys)
            for number, digest, hit in skipped
        ),
    )
    digests = itertools.chain((item[5] for item in cleaned), (item[1] for item in skipped))

    def copied():
        for row, digest in zip(classified, digests, strict=True):
            if row.action != RowAction.REJECTED and not row.warnings:
                row.row_hash = digest
            counts[row.action] += 1
            counts["warnings"] += bool(row.warnings)
            yield row.as_copy()

    # A COPY per chunk, each streamed while its rows are classified (the database stores
    # rows while the next ones are built); a chunk commits only while the check is this run's.
    rows = copied()
    for first in rows:
        _write_rows(batch, itertools.chain((first,), itertools.islice(rows, CHUNK - 1)))
        written = counts.total() - counts["warnings"]
        set_progress(batch, 50 + int(45 * written / max(total, 1)))

    batch.total_rows = len(cleaned) + len(skipped)
    batch.created_count = counts[RowAction.NEW]
    batch.updated_count = counts[RowAction.CHANGED]
    batch.unchanged_count = counts[RowAction.UNCHANGED]
    batch.rejected_count = counts[RowAction.REJECTED]
    batch.warning_count = counts["warnings"]


def _write_rows(batch: ImportBatch, chunk: Iterable[tuple]) -> None:
    """One chunk of rows (`PendingRow.as_copy` tuples), written only while the batch's check
    is still this run's."""
    with transaction.atomic():
        check_hold(batch)
        copy_rows(ImportRow, COPY_FIELDS, chunk)


class PendingRow:
    """An `ImportRow` being built by the preview, written with COPY in chunks. `data` and
    `changes` are dicts, or their JSON text already (`RawJSON`)."""

    __slots__ = (
        "action",
        "batch_id",
        "changes",
        "data",
        "errors",
        "key",
        "label",
        "object_id",
        "old",
        "row_hash",
        "row_number",
        "version",
        "warnings",
    )

    def __init__(self, batch_id: int, row_number: int, warnings: list | None = None) -> None:
        self.batch_id = batch_id
        self.row_number = row_number
        self.warnings = warnings or []
        self.action = self.key = self.label = self.row_hash = ""
        self.object_id = self.version = None
        self.data = self.old = self.changes = None
        self.errors = None

    def as_copy(self) -> tuple:
        """The row in `COPY_FIELDS` order, JSON columns as text."""
        return (
            self.batch_id,
            self.row_number,
            self.action,
            self.key,
            self.label,
            self.object_id,
            _json(self.data, "{}"),
            _json(self.old, "{}"),
            _json(self.changes, "{}"),
            _json(self.errors, "[]"),
            _json(self.warnings, "[]"),
            self.row_hash,
            self.version,
        )


COPY_FIELDS = (
    "batch_id",
    "row_number",
    "action",
    "key",
    "label",
    "object_id",
    "data",
    "old",
    "changes",
    "errors",
    "warnings",
    "row_hash",
    "version",
)


def _plain(value):
    """`encode` for the JSON encoder: dates as ISO text, decimals as text."""
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(type(value).__name__)


_DUMPS = json.JSONEncoder(ensure_ascii=False, default=_plain).encode


def _json(value, empty: str) -> str:
    if not value:
        return empty
    if isinstance(value, str):
        return value
    return _DUMPS(value)


_KEYS: dict[str, str] = {}  # field name → its JSON key and colon, made once


def _key(name: str) -> str:
    text = _KEYS.get(name)
    if text is None:
        text = _KEYS[name] = encode_basestring(name) + ": "
    return text


def _data_json(values: dict, fragments: dict) -> RawJSON:
    """`values` as JSON text, as `_DUMPS` writes it: text, numbers, true/false and null
    written directly, other values (dates, decimals) from each (field, value)'s text, made
    once."""
    parts = []
    append = parts.append
    for name, value in values.items():
        kind = type(value)
        if kind is str:
            append(_key(name) + encode_basestring(value))
        elif value is None:
            append(_key(name) + "null")
        elif kind is bool:
            append(_key(name) + ("true" if value else "false"))
        elif kind is int:
            append(_key(name) + str(value))
        else:
            part = fragments.get((name, kind, value))
            if part is None:
                part = fragments[(name, kind, value)] = _key(name) + _DUMPS(value)
            append(part)
    return RawJSON("{" + ", ".join(parts) + "}")


def _new_changes(handler, values: dict, fragments: dict) -> RawJSON:
    """A new row's values as HR sees them and its audit entry records them ({field: [null,
    shown]}, blank values left out), as JSON text built from each (field, value)'s text,
    made once; a label field's (an id or a name, mostly distinct) is not kept, and a text
    one is shown as it is (no kind maps an id or a name to other text)."""
    parts = []
    append = parts.append
    for name, value in values.items():
        if value is None or value == "":
            continue
        if name in LABEL_FIELDS:
            shown = value if type(value) is str else handler.display(name, value)
            append(_key(name) + "[null, " + encode_basestring(shown) + "]")
            continue
        part = fragments.get((name, value))
        if part is None:
            shown = _DUMPS(handler.shown(name, value))
            part = fragments[(name, value)] = _key(name) + "[null, " + shown + "]"
        append(part)
    return RawJSON("{" + ", ".join(parts) + "}")


def _duplicate_errors(handler, key: str, number: int, duplicates: list[int]) -> list[dict]:
    others = ", ".join(str(n) for n in duplicates if n != number)
    return [
        {
            "column": handler.header(handler.duplicate_column),
            "message": _("«%(key)s» står flere gange i filen (også række %(rows)s)")
            % {"key": key.replace("|", " "), "rows": others},
        }
    ]


def _classify_known(handler, batch, number, digest, hit, keys) -> PendingRow:
    """A row recognised as the last import left it (`unchanged.py`): unchanged, unless its
    key is also on another row of the file."""
    key, label, pk, version = hit
    row = PendingRow(batch.pk, number)
    row.key, row.label = key, label
    duplicates = keys.get(key, [])
    if len(duplicates) > 1:
        row.action = RowAction.REJECTED
        row.errors = _duplicate_errors(handler, key, number, duplicates)
        return row
    row.action = RowAction.UNCHANGED
    row.object_id = pk
    row.version = version
    return row


def _classify(  # noqa: PLR0913 - the row and what the whole file says about it
    handler, batch, number, values, key_cells, errors, warnings, keys, existing, fragments
):
    row = PendingRow(batch_id=batch.pk, row_number=number, warnings=warnings)
    if values is None:
        row.action = RowAction.REJECTED
        row.errors = errors
        row.key = str(key_cells.get("hr_id", ""))[:120]
        return row
    key = handler.key(values, key_cells)
    row.key = key[:120]
    row.label = handler.label(values, key_cells)[:255]
    duplicates = keys.get(key, [])
    if len(duplicates) > 1:
        row.action = RowAction.REJECTED
        row.errors = _duplicate_errors(handler, key, number, duplicates)
        return row
    current = existing.get(key)
    try:
        handler.check_merged(values if current is None else {**current, **values})
    except RowProblem as exc:
        row.action = RowAction.REJECTED
        row.errors = [{"column": exc.column, "message": exc.message}]
        return row
    if current is None:
        row.action = RowAction.NEW
        row.version = 1 if handler.versioned else None
        row.data = _data_json(values, fragments)
        # The values as they will be stored, readable (programme, department, dates, status),
        # so HR can see the mapping is right; the same [old, new] shape the audit trail uses.
        row.changes = _new_changes(handler, values, fragments)
        return row
    row.object_id = current["pk"]
    diff = {name: value for name, value in values.items() if current.get(name) != value}
    if not diff:
        row.action = RowAction.UNCHANGED
        row.version = current.get("version")
        return row
    row.action = RowAction.CHANGED
    row.version = current["version"] + 1 if handler.versioned else None
    row.data = {name: encode(value) for name, value in values.items()}
    row.old = {name: encode(current.get(name)) for name in diff}
    if handler.versioned:
        row.old["_version"] = current["version"]
    row.changes = {
        name: [handler.shown(name, current.get(name)), handler.shown(name, value)]
        for name, value in diff.items()
    }
    return row
