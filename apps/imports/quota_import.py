"""Quotas (dimensionering) from a spreadsheet: read with the import's guarded readers, every
row checked with a Danish message naming its row and column, applied all or nothing.

Columns (any order, any case): Uddannelse, År, Fagområde (optional: empty is the whole
municipality), Minimum, Maksimum (optional). A range may also be written in Minimum as in
the strategies' tables ("30-35", "6–14").
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from apps.imports.readers import ImportRefused, Sheet
from apps.organisation.models import Department
from apps.trainees.models import IntakeQuota, Programme
from apps.trainees.services import quota_create, quota_update

COLUMNS = {
    "programme": ("uddannelse", "faggruppe"),
    "year": ("år", "aar", "year"),
    "department": ("fagområde", "fagomraade", "afdeling"),
    "minimum": ("minimum", "min", "dimensionering", "optag årligt"),
    "maximum": ("maksimum", "maximum", "max"),
}
REQUIRED = ("programme", "year", "minimum")
_RANGE = re.compile(r"^\s*(\d+)\s*[-–]\s*(\d+)\s*$")


@dataclass
class QuotaRow:
    row_number: int
    programme_id: int
    programme: str
    year: int
    department_id: int | None
    department: str
    minimum: int
    maximum: int | None
    action: str = ""  # "new", "changed" or "unchanged" (against what is stored)

    @property
    def range_text(self) -> str:
        if self.maximum is not None and self.maximum != self.minimum:
            return f"{self.minimum}–{self.maximum}"
        return str(self.minimum)


def _norm(text) -> str:
    return " ".join(str(text or "").split()).casefold()


def _columns(headers: list[str]) -> dict[str, int]:
    found = {}
    for index, header in enumerate(headers):
        for name, names in COLUMNS.items():
            if _norm(header) in names and name not in found:
                found[name] = index
    missing = [COLUMNS[n][0].capitalize() for n in REQUIRED if n not in found]
    if missing:
        raise ImportRefused(
            _("Regnearket mangler kolonnen %(columns)s. Kolonnerne er: %(expected)s.")
            % {
                "columns": ", ".join(missing),
                "expected": "Uddannelse, År, Fagområde (valgfri), Minimum, Maksimum (valgfri)",
            }
        )
    return found


def _whole(value) -> int | None:
    """A whole number ≥ 0 from a cell (1, 1.0, "1"); None when it is not one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)) and float(value).is_integer() and value >= 0:
        return int(value)
    text = str(value).strip()
    return int(text) if text.isdigit() else None


def _lookup(pairs) -> dict[str, object]:
    table = {}
    for value, *names in pairs:
        for name in names:
            if name:
                table.setdefault(_norm(name), value)
    return table


def parse_quotas(sheet: Sheet, municipality_id: int) -> tuple[list[QuotaRow], list[str]]:
    """The rows of `sheet` as quotas, and the problems (one Danish line per cell)."""
    columns = _columns(sheet.headers)
    programmes = _lookup(
        ((pk, name), code, name, *aliases)
        for pk, code, name, aliases in Programme.objects.values_list(
            "pk", "code", "name", "aliases"
        )
    )
    departments = _lookup(
        ((pk, name), name, short, *aliases)
        for pk, name, short, aliases in Department.objects.filter(
            municipality_id=municipality_id
        ).values_list("pk", "name", "short_name", "aliases")
    )
    rows, errors, seen = [], [], {}

    def cell(values, name):
        index = columns.get(name)
        if index is None or index >= len(values):
            return None
        value = values[index]
        return None if value is None or str(value).strip() == "" else value

    for number, values in sheet.rows:
        problems = []

        def problem(column, message, number=number, problems=problems):
            problems.append(
                _("Række %(row)s, %(column)s: %(message)s")
                % {"row": number, "column": column, "message": message}
            )

        programme = programmes.get(_norm(cell(values, "programme")))
        if programme is None:
            text = cell(values, "programme")
            problem(
                _("Uddannelse"),
                _("skal udfyldes")
                if text is None
                else _("«%(value)s» er ikke en kendt uddannelse") % {"value": text},
            )
        year = _whole(cell(values, "year") or "")
        if year is None or not 2000 <= year <= 2100:
            problem(_("År"), _("skal være et årstal fra 2000 til 2100, fx 2025"))
        department = (None, "")
        if cell(values, "department") is not None:
            department = departments.get(_norm(cell(values, "department")))
            if department is None:
                problem(
                    _("Fagområde"),
                    _("«%(value)s» er ikke et fagområde i kommunen")
                    % {"value": cell(values, "department")},
                )
        raw_min, raw_max = cell(values, "minimum"), cell(values, "maximum")
        minimum = maximum = None
        if raw_min is not None and raw_max is None and (m := _RANGE.match(str(raw_min))):
            minimum, maximum = int(m.group(1)), int(m.group(2))
        else:
            minimum = _whole(raw_min) if raw_min is not None else None
            if minimum is None:
                problem(
                    _("Minimum"), _("skal være et helt tal, fx 30, eller et interval, fx 30-35")
                )
            if raw_max is not None:
                maximum = _whole(raw_max)
                if maximum is None:
                    problem(_("Maksimum"), _("skal være et helt tal eller stå tomt"))
        if minimum is not None and maximum is not None and maximum < minimum:
            problem(_("Maksimum"), _("må ikke være mindre end minimum"))
        if not problems:
            key = (programme[0], year, department and department[0])
            if key in seen:
                problem(
                    _("Uddannelse"),
                    _("samme uddannelse, år og fagområde som række %(row)s") % {"row": seen[key]},
                )
            seen.setdefault(key, number)
        if problems:
            errors.extend(problems)
            continue
        rows.append(
            QuotaRow(
                number,
                programme[0],
                programme[1],
                year,
                department[0] if department else None,
                department[1] if department else "",
                minimum,
                maximum,
            )
        )
    if not rows and not errors:
        raise ImportRefused(_("Regnearket har ingen rækker med dimensioneringer."))
    _mark_actions(rows, municipality_id)
    return rows, errors


def _stored(municipality_id: int) -> dict[tuple, IntakeQuota]:
    return {
        (q.programme_id, q.year, q.department_id): q
        for q in IntakeQuota.objects.filter(municipality_id=municipality_id)
    }


def _mark_actions(rows: list[QuotaRow], municipality_id: int) -> None:
    stored = _stored(municipality_id)
    for row in rows:
        quota = stored.get((row.programme_id, row.year, row.department_id))
        if quota is None:
            row.action = "new"
        elif (quota.minimum, quota.maximum) == (row.minimum, row.maximum):
            row.action = "unchanged"
        else:
            row.action = "changed"


def rows_to_session(rows: list[QuotaRow]) -> list[dict]:
    return [asdict(r) for r in rows]


def rows_from_session(data: list[dict]) -> list[QuotaRow]:
    return [QuotaRow(**d) for d in data]


def quota_import_apply(*, municipality_id: int, actor, rows: list[QuotaRow]) -> dict[str, int]:
    """Create or change every row's quota, all or nothing (each write audited by the
    trainees services). Returns the counts of new, changed and unchanged quotas."""
    counts = {"new": 0, "changed": 0, "unchanged": 0}
    programmes = Programme.objects.in_bulk({r.programme_id for r in rows})
    departments = Department.objects.filter(municipality_id=municipality_id).in_bulk(
        {r.department_id for r in rows if r.department_id}
    )
    with transaction.atomic():
        stored = _stored(municipality_id)
        for row in rows:
            quota = stored.get((row.programme_id, row.year, row.department_id))
            data = {"minimum": row.minimum, "maximum": row.maximum}
            if quota is None:
                quota_create(
                    municipality_id=municipality_id,
                    actor=actor,
                    data={
                        "programme": programmes[row.programme_id],
                        "year": row.year,
                        "department": departments.get(row.department_id),
                        "note": _("Importeret fra regneark"),
                        **data,
                    },
                )
                counts["new"] += 1
            elif (quota.minimum, quota.maximum) == (row.minimum, row.maximum):
                counts["unchanged"] += 1
            else:
                quota_update(quota=quota, actor=actor, data=data, expected_version=quota.version)
                counts["changed"] += 1
    return counts
