"""Supervisor files (praktikvejledere)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from apps.imports.bulk import filter_in
from apps.imports.handlers.base import Handler, RowProblem, key_chunks
from apps.supervisors.models import QualificationLevel, Supervisor
from apps.trainees.models import Placement


class SupervisorHandler(Handler):
    """Praktikvejledere: keyed by Medarbejder-ID within the municipality."""

    kind = "supervisors"
    model = Supervisor
    audit_action = "supervisors.supervisor.imported"
    key_field = "hr_id"  # the key is this column's value (`unchanged.py`)
    versioned = True

    def load_lookups(self) -> None:
        self.workplace_department = {}
        self._load_workplaces()
        for pk, code, name, aliases in QualificationLevel.objects.values_list(
            "pk", "code", "name", "aliases"
        ):
            self.lookups.add("qualification", pk, name, code, name, *aliases)

    def fields(self) -> list[str]:
        names = ["hr_id", "name"]
        for identifier, field in (
            ("workplace", "workplace_id"),
            ("profession", "profession"),
            ("qualification", "qualification_id"),
            ("qualified_on", "qualified_on"),
            ("is_active", "is_active"),
        ):
            if identifier in self.present:
                names.append(field)
        return names

    def row_values(self, cells: dict, warnings: list[str]) -> dict:
        for identifier in ("hr_id", "name"):
            if not cells.get(identifier):
                raise RowProblem(self.header(identifier), _("skal udfyldes"))
        values = {"hr_id": cells["hr_id"], "name": cells["name"]}
        if "workplace" in self.present:
            values["workplace_id"] = cells.get("workplace")
        if "profession" in self.present:
            values["profession"] = cells.get("profession") or ""
        if "qualification" in self.present:
            values["qualification_id"] = cells.get("qualification")
        if "qualified_on" in self.present:
            values["qualified_on"] = cells.get("qualified_on")
        if "is_active" in self.present:
            active = cells.get("is_active")
            values["is_active"] = True if active is None else active
        return values

    def key(self, values: dict, cells: dict) -> str:
        return values["hr_id"]

    def label(self, values: dict, cells: dict) -> str:
        return f"{values['hr_id']} {values['name']}"

    def load_existing(self, keys: list[str]) -> dict[str, dict]:
        existing = {}
        for chunk in key_chunks(keys):
            for row in filter_in(
                Supervisor.objects.filter(municipality=self.municipality), "hr_id", chunk
            ).values("pk", "version", "updated_at", *self.fields()):
                existing[row["hr_id"]] = row
        return existing

    def new_values(self, values: dict) -> dict:
        return {**super().new_values(values), "version": 1}

    def repr_of(self, values: dict) -> str:
        return values["name"]

    def pk_by_key(self, keys: list[str]) -> dict[str, int]:
        found = {}
        for chunk in key_chunks(keys):
            found.update(
                filter_in(
                    Supervisor.objects.filter(municipality=self.municipality), "hr_id", chunk
                ).values_list("hr_id", "pk")
            )
        return found

    def display(self, field: str, value) -> str:
        if field == "workplace_id":
            return self.lookups.label("workplace", value)
        if field == "qualification_id":
            return self.lookups.label("qualification", value)
        return super().display(field, value)

    def dependents_of_new(self, pks: list[int]) -> int:
        return Placement.objects.filter(supervisor_id__in=pks).count()
