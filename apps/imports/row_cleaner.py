"""Cleaning a sheet's rows: each mapped cell through its column's widget, then the kind's
rules across the row (STYLE.md B8, stage 3), for `analysis.analyse_sheet`.

A file repeats the same programmes, departments, dates, statuses and names thousands of
times, so the cells are cleaned column by column, each distinct value of a column once
(a widget's result, or the Danish reason it could not clean the value, depends on the
value and the municipality's catalogues only). A row with a CPR number in one of its text cells
is rejected before any of its cells is cleaned; the search runs once per column over all
its text cells, and row by row only in a column where it found one.
"""

from __future__ import annotations

from operator import itemgetter

from apps.core.cpr import contains_cpr
from apps.imports.cells import CellError
from apps.imports.columns import TOTALS_WORDS, cpr_cell_message
from apps.imports.handlers import Handler, RowProblem


class RowCleaner:
    """Cleans rows of one sheet for one handler; `columns` is [(Column, cell index)] and
    `suspects` the indexes of the sheet's columns with a CPR number in their text
    (`columns.text_columns_with_cpr`)."""

    def __init__(self, handler: Handler, columns: list, headers: dict, suspects: set[int]):
        self.handler = handler
        self.headers = headers
        self.identifiers = [column.identifier for column, _index in columns]
        self.columns = [column for column, _index in columns]
        self.indexes = [index for _column, index in columns]
        self.width = max(self.indexes) + 1
        pick = itemgetter(*self.indexes)
        self.pick = pick if len(self.indexes) > 1 else (lambda cells: (pick(cells),))
        self.cpr_columns = {
            position for position, index in enumerate(self.indexes) if index in suspects
        }

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
        for value in raw:
            if value is not None and (
                type(value) is not str or not (value == "" or value.isspace())
            ):
                return False
        return True

    def clean(self, raws: list[tuple]):
        """(values or None, errors, warnings, key cells) of each row of `raws`, in order.

        The cells are cleaned column by column, each distinct value once; a row with a CPR
        number is rejected before any of its cells is cleaned."""
        rejected = {}
        if self.cpr_columns:
            for position, raw in enumerate(raws):
                result = self._cpr_rejection(raw)
                if result is not None:
                    rejected[position] = result
        todo = [raw for position, raw in enumerate(raws) if position not in rejected]
        cleaned, failed = self._clean_columns(todo)
        handler = self.handler
        row_values = handler.row_values
        identifiers, headers = self.identifiers, self.headers
        cleaned_rows = zip(*cleaned, strict=True) if todo else iter(())
        index = -1  # position among the cleaned rows
        for position in range(len(raws)):
            if rejected and position in rejected:
                yield rejected[position]
                continue
            index += 1
            cells = dict(zip(identifiers, next(cleaned_rows), strict=True))
            warnings: list[str] = []
            if index in failed:
                errors = [
                    {"column": headers[identifier], "message": result.message}
                    for identifier, result in cells.items()
                    if type(result) is CellError
                ]
                hr_id = cells.get("hr_id")
                key_cells = {"hr_id": "" if type(hr_id) is CellError else (hr_id or "")}
                yield None, errors, warnings, key_cells
                continue
            key_cells = {"hr_id": cells.get("hr_id") or ""}
            try:
                values = row_values(cells, warnings)
            except RowProblem as exc:
                yield None, [{"column": exc.column, "message": exc.message}], warnings, key_cells
                continue
            except CellError as exc:
                error = {"column": handler.header("hr_id"), "message": exc.message}
                yield None, [error], [], key_cells
                continue
            yield values, [], warnings, key_cells

    def _clean_columns(self, raws: list[tuple]) -> tuple[list[list], set[int]]:
        """Each column's cleaned values (or `CellError`s), each distinct value cleaned once,
        and the positions of the rows with a cell that could not be cleaned."""
        lookups = self.handler.lookups
        out = []
        failed: set[int] = set()
        by_column = list(zip(*raws, strict=True)) if raws else [() for _ in self.columns]
        for column, values in zip(self.columns, by_column, strict=True):
            kinds = set(map(type, values))
            # 1, 1.0 and True are equal keys of a dict; where a column mixes them, the
            # value's type keeps them apart.
            if len(kinds & {bool, int, float}) > 1:
                values = [(type(value), value) for value in values]
                plain = False
            else:
                plain = True
            table = {}
            for key in set(values):
                value = key if plain else key[1]
                try:
                    table[key] = column.clean(value, None, lookups)
                except CellError as exc:
                    table[key] = exc
            results = list(map(table.__getitem__, values))
            if any(type(result) is CellError for result in table.values()):
                failed.update(i for i, result in enumerate(results) if type(result) is CellError)
            out.append(results)
        return out, failed

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
