"""Capacity files (kapacitet): places per workplace, programme and period."""

from __future__ import annotations

from django.utils.translation import gettext as _

from apps.core.formatting import format_date
from apps.imports.handlers.base import Handler, RowProblem
from apps.placements.models import WorkplaceCapacity
from apps.trainees.models import Programme


class CapacityHandler(Handler):
    """Kapacitet: keyed by workplace, programme, Fra and Til in the municipality. A row with
    the key of a stored row changes its places; any other row is new, and is refused when
    it overlaps a stored row (or an earlier row of the file) of the same workplace and
    programme. The workplace is the municipality's, found by name; the programme by code,
    name or alias; Til lies on or after Fra; at least 1 place (the model's rule)."""

    kind = "capacity"
    model = WorkplaceCapacity
    versioned = True
    duplicate_column = "start_date"
    audit_action = "placements.workplacecapacity.imported"

    def load_lookups(self) -> None:
        self.workplace_department = {}
        self._load_workplaces()
        for pk, code, name, aliases in Programme.objects.values_list(
            "pk", "code", "name", "aliases"
        ):
            self.lookups.add("programme", pk, code, code, name, *aliases)
        self._stored: list[dict] | None = None
        self._file_periods: dict[tuple[int, int], list[tuple]] = {}  # rows checked so far

    def fields(self) -> list[str]:
        return ["workplace_id", "programme_id", "start_date", "end_date", "places"]

    def row_values(self, cells: dict, warnings: list[str]) -> dict:
        for identifier in ("workplace", "programme", "start_date", "end_date", "places"):
            if cells.get(identifier) is None:
                raise RowProblem(self.header(identifier), _("skal udfyldes"))
        if cells["end_date"] < cells["start_date"]:
            raise RowProblem(self.header("end_date"), _("til-datoen ligger før fra-datoen"))
        return {
            "workplace_id": cells["workplace"],
            "programme_id": cells["programme"],
            "start_date": cells["start_date"],
            "end_date": cells["end_date"],
            "places": cells["places"],
        }

    @staticmethod
    def _key(row: dict) -> str:
        return (
            f"{row['workplace_id']}|{row['programme_id']}|"
            f"{row['start_date'].isoformat()}|{row['end_date'].isoformat()}"
        )

    def key(self, values: dict, cells: dict) -> str:
        return self._key(values)

    def label(self, values: dict, cells: dict) -> str:
        return (
            f"{self.lookups.label('workplace', values['workplace_id'])} "
            f"{self.lookups.label('programme', values['programme_id'])} "
            f"{format_date(values['start_date'])}–{format_date(values['end_date'])}"
        )

    def load_existing(self, keys: list[str]) -> dict[str, dict]:
        """Every stored row of the municipality (one query; the overlap rule needs them all)."""
        rows = list(
            WorkplaceCapacity.objects.filter(municipality=self.municipality).values(
                "pk", "version", "updated_at", *self.fields()
            )
        )
        self._stored = rows
        return {self._key(row): row for row in rows}

    def check_merged(self, merged: dict) -> None:
        key = self._key(merged)
        pair = (merged["workplace_id"], merged["programme_id"])
        start, end = merged["start_date"], merged["end_date"]
        for row in self._stored or ():
            if (row["workplace_id"], row["programme_id"]) != pair or self._key(row) == key:
                continue
            if row["start_date"] <= end and start <= row["end_date"]:
                raise RowProblem(self.header("start_date"), self._overlap(row))
        for other_start, other_end in self._file_periods.get(pair, ()):
            if other_start <= end and start <= other_end:
                raise RowProblem(
                    self.header("start_date"),
                    _(
                        "overlapper en anden række i filen for samme arbejdsplads og uddannelse "
                        "(fra %(start)s til %(end)s)"
                    )
                    % {"start": format_date(other_start), "end": format_date(other_end)},
                )
        self._file_periods.setdefault(pair, []).append((start, end))

    def _overlap(self, row: dict) -> str:
        return _(
            "overlapper den gemte kapacitet for %(workplace)s, %(programme)s fra %(start)s til "
            "%(end)s (%(places)s pladser); ret eller slet den først"
        ) % {
            "workplace": self.lookups.label("workplace", row["workplace_id"]),
            "programme": self.lookups.label("programme", row["programme_id"]),
            "start": format_date(row["start_date"]),
            "end": format_date(row["end_date"]),
            "places": row["places"],
        }

    def new_values(self, values: dict) -> dict:
        return {**super().new_values(values), "version": 1}

    def repr_of(self, values: dict) -> str:
        return self.label(values, {})

    def object_repr(self, obj) -> str:
        return self.label(
            {
                "workplace_id": obj.workplace_id,
                "programme_id": obj.programme_id,
                "start_date": obj.start_date,
                "end_date": obj.end_date,
            },
            {},
        )

    def pk_by_key(self, keys: list[str]) -> dict[str, int]:
        wanted = set(keys)
        found = {}
        for row in WorkplaceCapacity.objects.filter(municipality=self.municipality).values(
            "pk", *self.fields()
        ):
            key = self._key(row)
            if key in wanted:
                found[key] = row["pk"]
        return found

    def display(self, field: str, value) -> str:
        if field == "workplace_id":
            return self.lookups.label("workplace", value)
        if field == "programme_id":
            return self.lookups.label("programme", value)
        return super().display(field, value)
