"""Cleaning a sheet's rows: each mapped cell through its column's widget, then the kind's
rules across the row (STYLE.md B8, stage 3), for `analysis.analyse_sheet`.

A file repeats the same programmes, departments, dates, statuses and names thousands of
times, so each column remembers what a value cleaned to (or the Danish reason it could
not be cleaned), up to MEMO_LIMIT values a column; a widget's result depends on the value
and the municipality's catalogues only. A row with a CPR number in one of its text cells
is rejected before any of its cells is cleaned; the search runs once per column over all
its text cells, and row by row only in a column where it found one.
"""

from __future__ import annotations

from operator import itemgetter

from apps.core.cpr import contains_cpr
from apps.imports.cells import CellError, is_blank
from apps.imports.columns import TOTALS_WORDS, cpr_cell_message
from apps.imports.handlers import Handler, RowProblem

MEMO_LIMIT = 20_000  # remembered values per column (bounded memory)
_MISSING = object()


class RowCleaner:
    """Cleans rows of one sheet for one handler; `columns` is [(Column, cell index)]."""

    def __init__(self, handler: Handler, columns: list, headers: dict, rows: list) -> None:
        self.handler = handler
        self.headers = headers
        self.identifiers = [column.identifier for column, _index in columns]
        self.columns = [column for column, _index in columns]
        self.indexes = [index for _column, index in columns]
        self.width = max(self.indexes) + 1
        pick = itemgetter(*self.indexes)
        self.pick = pick if len(self.indexes) > 1 else (lambda cells: (pick(cells),))
        self.memos = [
            {} if getattr(column.widget, "repeats", False) else None for column in self.columns
        ]
        self.cpr_columns = self._columns_with_cpr(rows)

    def _columns_with_cpr(self, rows: list) -> set[int]:
        """Positions of mapped columns with a CPR number in one of their text cells (one
        search per column, over its text cells joined by a character no number spans)."""
        found = set()
        for position, index in enumerate(self.indexes):
            texts = [
                cells[index]
                for _number, cells in rows
                if index < len(cells) and type(cells[index]) is str
            ]
            if texts and contains_cpr("\x1f".join(texts)):
                found.add(position)
        return found

    def raw(self, cells: list) -> tuple:
        """The row's mapped cells, in column order (None past a short row's end)."""
        if len(cells) >= self.width:
            return self.pick(cells)
        width = len(cells)
        return tuple(cells[i] if i < width else None for i in self.indexes)

    @staticmethod
    def skipped(cells: list, raw: tuple) -> bool:
        """A blank row (no mapped cell filled) or a totals row ("I alt" first)."""
        for cell in cells:
            if cell is None or (type(cell) is str and (cell == "" or cell.isspace())):
                continue
            if type(cell) is str and " ".join(cell.casefold().split()).rstrip(":") in TOTALS_WORDS:
                return True
            break
        return all(is_blank(value) for value in raw)

    def clean(self, raw: tuple):
        """(values or None, errors, warnings, key cells) of one row."""
        if self.cpr_columns:
            rejected = self._cpr_rejection(raw)
            if rejected is not None:
                return rejected
        handler = self.handler
        lookups = handler.lookups
        cells: dict = {}
        errors: list[dict] = []
        for identifier, column, memo, value in zip(
            self.identifiers, self.columns, self.memos, raw, strict=True
        ):
            if memo is None:
                try:
                    result = column.clean(value, cells, lookups)
                except CellError as exc:
                    result = exc
            else:
                # 1, 1.0 and True are equal keys of a dict; a value's type keeps them apart.
                key = value if type(value) is str else (type(value), value)
                result = memo.get(key, _MISSING)
                if result is _MISSING:
                    try:
                        result = column.clean(value, cells, lookups)
                    except CellError as exc:
                        result = exc
                    if len(memo) < MEMO_LIMIT:
                        memo[key] = result
            if type(result) is CellError:
                errors.append({"column": self.headers[identifier], "message": result.message})
            else:
                cells[identifier] = result
        key_cells = {"hr_id": cells.get("hr_id") or ""}
        warnings: list[str] = []
        if errors:
            return None, errors, warnings, key_cells
        try:
            values = handler.row_values(cells, warnings)
        except RowProblem as exc:
            return None, [{"column": exc.column, "message": exc.message}], warnings, key_cells
        except CellError as exc:
            error = {"column": handler.header("hr_id"), "message": exc.message}
            return None, [error], [], key_cells
        return values, errors, warnings, key_cells

    def _cpr_rejection(self, raw: tuple):
        """A row with a CPR number anywhere in one of its cells is rejected before any cell
        is cleaned, so the number never reaches the row's data, key, label, messages or the
        audit trail; the reason names the column, never the value."""
        found = [
            position
            for position in self.cpr_columns
            if type(raw[position]) is str and contains_cpr(raw[position])
        ]
        if not found:
            return None
        errors = [
            {"column": self.headers[self.identifiers[p]], "message": cpr_cell_message()}
            for p in sorted(found)
        ]
        hr_id = ""
        if "hr_id" in self.identifiers:
            position = self.identifiers.index("hr_id")
            if position not in found:
                try:
                    hr_id = self.columns[position].widget.clean(raw[position])
                except CellError:
                    hr_id = ""
        return None, errors, [], {"hr_id": hr_id}
