"""The indsigt export as JSON or as an xlsx workbook with one sheet per section."""

from __future__ import annotations

import io
import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from openpyxl import Workbook

from apps.core.exports import neutralise

FORMATS = ("json", "xlsx")


def _cell(value: Any) -> Any:
    if isinstance(value, bool):
        return "Ja" if value else "Nej"
    if value is None or isinstance(value, (int, float)):
        return value
    if isinstance(value, (dict, list)):
        value = json.dumps(value, ensure_ascii=False, cls=DjangoJSONEncoder)
    return neutralise(str(value))


def access_json(data: dict[str, list[dict[str, Any]]]) -> bytes:
    return json.dumps(data, ensure_ascii=False, indent=2, cls=DjangoJSONEncoder).encode()


def access_xlsx(data: dict[str, list[dict[str, Any]]]) -> bytes:
    workbook = Workbook(write_only=True)
    for title, rows in data.items():
        sheet = workbook.create_sheet(title=title[:31])
        headers = list(rows[0]) if rows else []
        sheet.append(headers)
        for row in rows:
            sheet.append([_cell(row[h]) for h in headers])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
