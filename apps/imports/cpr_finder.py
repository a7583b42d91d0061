"""Finding the columns of a sheet that hold CPR numbers, chunk by chunk as its rows arrive.

The xlsx reader runs in its own process and sends the rows in chunks; the columns are
searched while the next chunk is still being read, so the search costs the import no time
of its own. A column's verdict is the union of its chunks' (any cell decides).
"""

from __future__ import annotations

import re

from apps.core.cpr import contains_cpr, is_cpr

_SIX_DIGITS = re.compile(r"[0-9]{6}")


class CprFinder:
    """The columns (of the first `width`) with a CPR number: `in_text` anywhere in one of
    their text cells (a row with one is rejected, `row_cleaner.RowCleaner`), `whole_cells`
    in a cell that is nothing but a CPR number, or a 9-10 digit number cell that is one
    without its leading zero (the column is dropped, `columns.cpr_columns`)."""

    def __init__(self, width: int) -> None:
        self.width = width
        self.in_text: set[int] = set()
        self.whole_cells: set[int] = set()

    @classmethod
    def of(cls, rows: list[list], width: int) -> CprFinder:
        finder = cls(width)
        finder.add(rows)
        return finder

    def add(self, rows: list[list]) -> None:
        """Search the next data rows (lists of cells; None past a short row's end)."""
        if not rows:
            return
        width = self.width
        if all(len(row) == width for row in rows):
            columns = zip(*rows, strict=True)
        else:
            columns = (
                tuple(row[i] if i < len(row) else None for row in rows) for i in range(width)
            )
        for index, column in enumerate(columns):
            kinds = set(map(type, column))
            if str in kinds:
                texts = column if kinds == {str} else [cell for cell in column if type(cell) is str]
                # One search per column, the cells joined by a character no number spans
                # (and none where no six digits stand together, as a CPR number starts);
                # a cell is looked at alone only in a column whose text has one.
                joined = "\x1f".join(texts)
                if _SIX_DIGITS.search(joined) and contains_cpr(joined):
                    self.in_text.add(index)
                    if any(
                        10 <= len(cell) <= 16 and cell.strip()[:1].isdigit() and is_cpr(cell)
                        for cell in texts
                    ):
                        self.whole_cells.add(index)
            if float in kinds and any(
                is_cpr(cell) for cell in column if type(cell) is float and 1e8 <= cell < 1e10
            ):
                self.whole_cells.add(index)
