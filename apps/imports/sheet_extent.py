"""The sheet's extent, found before it is read (STYLE.md B8, stage 1).

The `<dimension>` element of a worksheet may lie, so the chosen sheet's XML is streamed
once, in bounded memory, to find where its filled cells really are. A cell beyond
MAX_COLUMNS or MAX_ROWS, more than MAX_CELLS in the rectangle from A1 to the last filled
cell, or a few cells spread over a huge empty area refuses the file with a Danish message
naming the sheet and the cell. The limits here also bound the csv reader.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from apps.core.cpr import redact_cpr
from apps.imports.errors import ImportRefused

MAX_ROWS = 200_000
MAX_COLUMNS = 200
# The reader holds every cell of the rectangle from A1 to the last filled cell, filled or
# not (about 40 bytes each), so the rectangle is bounded, and so is the share of it that
# may be empty: a handful of cells spread over millions of empty ones is not a table.
MAX_CELLS = 5_000_000
SPARSE_MIN_AREA = 1_000_000
SPARSE_FACTOR = 20

# Cell references as `r="XFD1048576"` on the cells that hold something (a self-closing
# `<c .../>` is an empty, formatted cell that the reader skips). The fast pattern relies on
# a space before the attribute, as every known writer does; a chunk that writes it
# otherwise is scanned with the general pattern.
_CELL_REF_FAST = re.compile(rb' r="([A-Za-z]{1,4})([0-9]{1,10})"[^>/]*>')
_CELL_REF_ANY = re.compile(rb"\sr\s*=\s*[\"']([A-Za-z]{1,4})([0-9]{1,10})[\"'][^>/]*>")
# A chunk with any of these may spell the attribute otherwise (\tr=, r='…', r = "…"): a
# cheap check for single characters and the two spaced '=', true for more chunks than
# need the general pattern, never for fewer.
_ODD_MARKS = (b"'", b"\t", b"\n", b"\r", b" =", b"= ")
_ROW_REF = re.compile(
    rb"<(?:[A-Za-z_][\w.-]*:)?row\b[^>/]*?\sr\s*=\s*[\"']([0-9]{1,10})[\"'][^>/]*>"
)
_PREFIXED_BARE_CELL = re.compile(rb"<[A-Za-z_][\w.-]*:c>")
SCAN_CHUNK = 1024 * 1024


def column_index(letters: str) -> int:
    """`A` → 1, `GR` → 200, `XFD` → 16384."""
    number = 0
    for letter in letters.upper():
        number = number * 26 + (ord(letter) - 64)
    return number


def column_letters(index: int) -> str:
    letters = ""
    while index > 0:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def danish_int(number: int) -> str:
    """1234567 → "1.234.567" (Danish thousands separator)."""
    return f"{number:,}".replace(",", ".")


def too_many_rows_message() -> str:
    return _("Filen har for mange rækker (højst %(n)s).") % {"n": danish_int(MAX_ROWS)}


@dataclass
class SheetExtent:
    """What the streaming scan found: filled cells and the farthest row and column."""

    cells: int = 0
    max_row: int = 0
    max_row_ref: str = ""
    max_column: int = 0
    max_column_ref: str = ""
    implicit_cells: int = 0
    max_row_element: int = 0

    def add(self, found: list[tuple[bytes, bytes]]) -> None:
        if not found:
            return
        self.cells += len(found)
        columns, rows = zip(*found, strict=True)
        numbers = list(map(int, rows))
        far_row = max(numbers)
        if far_row > self.max_row:
            letters = columns[numbers.index(far_row)].decode().upper()
            self.max_row, self.max_row_ref = far_row, f"{letters}{far_row}"
        widest = max(set(columns), key=lambda c: column_index(c.decode()))
        far_column = column_index(widest.decode())
        if far_column > self.max_column:
            row = numbers[columns.index(widest)]
            self.max_column, self.max_column_ref = far_column, f"{widest.decode().upper()}{row}"

    @property
    def height(self) -> int:
        return max(self.max_row, self.max_row_element if self.implicit_cells else 0)


def scan_sheet(stream, sheet_name: str) -> SheetExtent:
    """Stream the sheet's XML once in bounded memory and refuse it, naming the sheet and
    the cell, when its filled cells reach beyond MAX_COLUMNS or MAX_ROWS, span more than
    MAX_CELLS, or are so few for the area they span that the file is almost all empty
    space (the reader would hold every empty cell of that area in memory)."""
    extent = SheetExtent()
    tail = b""
    while True:
        chunk = stream.read(SCAN_CHUNK)
        data = tail + chunk
        if chunk:
            cut = data.rfind(b"<")
            if cut <= 0:
                tail = data
                if len(tail) > 8 * SCAN_CHUNK:  # one tag this long is not a worksheet
                    raise ImportRefused(_("Filen er ikke et gyldigt Excel-regneark (xlsx)."))
                continue
            data, tail = data[:cut], data[cut:]
        odd = any(mark in data for mark in _ODD_MARKS)
        pattern = _CELL_REF_ANY if odd else _CELL_REF_FAST
        extent.add(pattern.findall(data))
        bare = data.count(b"<c>")
        if b":c>" in data:
            bare += len(_PREFIXED_BARE_CELL.findall(data))
        if bare:
            extent.implicit_cells += bare
            rows = _ROW_REF.findall(data)
            if rows:
                extent.max_row_element = max(extent.max_row_element, *map(int, rows))
        _check_extent(extent, sheet_name)
        if not chunk:
            return extent


def _check_extent(extent: SheetExtent, sheet_name: str) -> None:
    name = redact_cpr(sheet_name)
    if extent.max_column > MAX_COLUMNS:
        raise ImportRefused(
            _(
                "Arket «%(sheet)s» har indhold i celle %(cell)s, men et regneark må højst have "
                "%(max)s kolonner (A til %(last)s). Slet indholdet uden for tabellen, og "
                "upload filen igen."
            )
            % {
                "sheet": name,
                "cell": extent.max_column_ref,
                "max": MAX_COLUMNS,
                "last": column_letters(MAX_COLUMNS),
            }
        )
    if extent.max_row > MAX_ROWS + 1:
        raise ImportRefused(
            _(
                "Arket «%(sheet)s» har indhold i celle %(cell)s, men en fil må højst have "
                "%(max)s rækker. Slet indholdet under tabellen, eller del filen op."
            )
            % {"sheet": name, "cell": extent.max_row_ref, "max": danish_int(MAX_ROWS)}
        )
    if extent.height > MAX_ROWS + 1:
        raise ImportRefused(too_many_rows_message())
    if extent.implicit_cells:
        # Cells without a reference sit next to each other, so they cannot spread over
        # empty space by themselves; their row count is checked above and the reader's
        # memory limit covers the rest.
        return
    area = extent.max_column * extent.height
    sparse = area > SPARSE_MIN_AREA and area > SPARSE_FACTOR * extent.cells
    if area > MAX_CELLS or sparse:
        raise ImportRefused(
            _(
                "Arket «%(sheet)s» har %(cells)s udfyldte celler, men de spænder over "
                "A1:%(corner)s (%(area)s celler); den nederste er %(row_ref)s og den "
                "længst til højre %(column_ref)s. Slet indholdet uden for tabellen, og "
                "upload filen igen."
            )
            % {
                "sheet": name,
                "cells": danish_int(extent.cells),
                "corner": f"{column_letters(extent.max_column)}{extent.height}",
                "area": danish_int(area),
                "row_ref": extent.max_row_ref or "?",
                "column_ref": extent.max_column_ref or "?",
            }
        )
