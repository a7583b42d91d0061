"""Spreadsheet exports of the people lists (xlsx and Danish-Excel csv), shared by the trainee
and supervisor pages (trainees depends on supervisors, so the writer lives here).

Cells starting with `=`, `+`, `-`, `@`, tab or carriage return are data, never formulas
(import-spec.md): they are prefixed with an apostrophe so no spreadsheet evaluates them.
"""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Iterable, Sequence
from typing import Any

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook

from apps.core.audit import audit_record
from apps.core.formatting import format_date

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
FORMATS = ("xlsx", "csv")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def neutralise(value: Any) -> Any:
    """A cell value that no spreadsheet will run as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Ja" if value else "Nej"
    if isinstance(value, datetime.date):
        return format_date(value)
    return str(neutralise(value if isinstance(value, str) else str(value)))


def _xlsx_cell(value: Any) -> Any:
    if isinstance(value, bool):
        return "Ja" if value else "Nej"
    if isinstance(value, (int, float, datetime.date)) or value is None:
        return value
    return neutralise(str(value))


def write_csv(headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """`;`-separated UTF-8 with BOM, which Danish Excel opens with æ, ø and å intact."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([_csv_cell(h) for h in headers])
    for row in rows:
        writer.writerow([_csv_cell(v) for v in row])
    return buffer.getvalue().encode("utf-8-sig")


def write_xlsx(headers: Sequence[str], rows: Iterable[Sequence[Any]], *, title: str) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    sheet.append([_xlsx_cell(h) for h in headers])
    for row in rows:
        sheet.append([_xlsx_cell(v) for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def export_response(
    *, headers: Sequence[str], rows: Iterable[Sequence[Any]], fmt: str, name: str
) -> HttpResponse:
    """A download of `rows` as `fmt` ("xlsx" or "csv") named `<name>-<date>.<fmt>`."""
    filename = f"{name}-{timezone.localdate():%Y-%m-%d}.{fmt}"
    if fmt == "csv":
        response = HttpResponse(write_csv(headers, rows), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(write_xlsx(headers, rows, title=name), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def audited_list_export(
    request, *, filterset, list_label: str, headers: Sequence[str], rows: list, name: str
) -> HttpResponse:
    """The filtered list as a download, with one audit event (criteria, format, row count).

    Rule: every export of a person list is logged; an unknown `?format=` falls back to xlsx.
    """
    fmt = request.GET.get("format", "xlsx")
    if fmt not in FORMATS:
        fmt = "xlsx"
    audit_record(
        actor=request.user,
        action="export",
        context={
            "list": list_label,
            "criteria": filterset.criteria(),
            "format": fmt,
            "rows": len(rows),
        },
    )
    return export_response(headers=headers, rows=rows, fmt=fmt, name=name)
