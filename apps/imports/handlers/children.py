"""Placement and absence files: rows that belong to an existing trainee."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _

from apps.imports.bulk import filter_in
from apps.imports.cells import CellError, short
from apps.imports.handlers.base import Handler, RowProblem, key_chunks
from apps.supervisors.models import Supervisor
from apps.trainees.choices import PlacementKind
from apps.trainees.models import Absence, Placement, Trainee


class TraineeChildHandler(Handler):
    """Rows that belong to an existing trainee, found by Elev-ID (never created here)."""

    def load_trainees(self, hr_ids: list[str]) -> None:
        self.trainee_ids = {}
        for chunk in key_chunks(hr_ids):
            self.trainee_ids.update(
                filter_in(
                    Trainee.objects.filter(municipality=self.municipality), "hr_id", chunk
                ).values_list("hr_id", "pk")
            )
        self.trainee_hr = {pk: hr_id for hr_id, pk in self.trainee_ids.items()}

    def trainee_id(self, cells: dict) -> int:
        hr_id = cells.get("hr_id")
        if not hr_id:
            raise RowProblem(self.header("hr_id"), _("skal udfyldes"))
        pk = self.trainee_ids.get(hr_id)
        if pk is None:
            raise RowProblem(
                self.header("hr_id"),
                _("der er ingen elev med Elev-ID «%(id)s» i kommunen") % {"id": short(hr_id)},
            )
        return pk


class PlacementHandler(TraineeChildHandler):
    """Praktikperioder: keyed by trainee, type and period number; the workplace must be the
    municipality's, the supervisor is found by Medarbejder-ID or name."""

    kind = "placements"
    model = Placement
    duplicate_column = "period_number"

    def load_lookups(self) -> None:
        self.workplace_department = {}
        self._load_workplaces()
        for pk, hr_id, name in Supervisor.objects.filter(
            municipality=self.municipality
        ).values_list("pk", "hr_id", "name"):
            self.lookups.add("supervisor_id", pk, name, hr_id)
            self.lookups.add("supervisor", pk, name, name)

    def fields(self) -> list[str]:
        names = ["trainee_id", "kind", "period_number", "workplace_id", "start_date", "end_date"]
        if "supervisor" in self.present:
            names.append("supervisor_id")
        return names

    def row_values(self, cells: dict, warnings: list[str]) -> dict:
        trainee = self.trainee_id(cells)
        for identifier in ("period_number", "kind", "start_date", "end_date"):
            if cells.get(identifier) is None:
                raise RowProblem(self.header(identifier), _("skal udfyldes"))
        if cells.get("workplace") is None and cells["kind"] == PlacementKind.TRAINING:
            raise RowProblem(self.header("workplace"), _("skal udfyldes for en oplæringsperiode"))
        if cells["end_date"] < cells["start_date"]:
            raise RowProblem(self.header("end_date"), _("til-datoen ligger før fra-datoen"))
        values = {
            "trainee_id": trainee,
            "kind": cells["kind"],
            "period_number": cells["period_number"],
            "workplace_id": cells.get("workplace"),
            "start_date": cells["start_date"],
            "end_date": cells["end_date"],
        }
        if "supervisor" in self.present:
            values["supervisor_id"] = None
            text = cells.get("supervisor")
            if text:
                try:
                    found = self.lookups.match("supervisor_id", text)
                    if found is None:
                        found = self.lookups.match("supervisor", text)
                except CellError as exc:
                    raise RowProblem(self.header("supervisor"), exc.message) from None
                if found is None:
                    raise RowProblem(
                        self.header("supervisor"),
                        _("ukendt vejleder «%(value)s»") % {"value": short(text)},
                    )
                values["supervisor_id"] = found
        return values

    def key(self, values: dict, cells: dict) -> str:
        return f"{cells['hr_id']}|{values['kind']}|{values['period_number']}"

    def label(self, values: dict, cells: dict) -> str:
        kind = PlacementKind(values["kind"]).label
        return f"{cells['hr_id']} {kind} {values['period_number']}"

    def load_existing(self, keys: list[str]) -> dict[str, dict]:
        existing = {}
        trainee_ids = list(self.trainee_ids.values())
        for chunk in key_chunks(trainee_ids):
            for row in filter_in(
                Placement.objects.filter(municipality=self.municipality), "trainee", chunk
            ).values("pk", *self.fields()):
                key = f"{self.trainee_hr[row['trainee_id']]}|{row['kind']}|{row['period_number']}"
                existing[key] = row
        return existing

    def display(self, field: str, value) -> str:
        if field == "workplace_id":
            return self.lookups.label("workplace", value)
        if field == "supervisor_id":
            return self.lookups.label("supervisor", value)
        if field == "trainee_id":
            return self.trainee_hr.get(value, "")
        return super().display(field, value)


class AbsenceHandler(TraineeChildHandler):
    """Fravær: one month of one trainee; with only "Fravær %" the share is stored over 100
    planned days (or over the file's planned days) so Σ sick ÷ Σ planned keeps the share."""

    kind = "absence"
    model = Absence
    duplicate_column = "month"

    def fields(self) -> list[str]:
        return ["trainee_id", "month", "sick_days", "planned_days"]

    def row_values(self, cells: dict, warnings: list[str]) -> dict:
        trainee = self.trainee_id(cells)
        if cells.get("month") is None:
            raise RowProblem(self.header("month"), _("skal udfyldes"))
        sick, planned = cells.get("sick_days"), cells.get("planned_days")
        if "absence_pct" in self.present and sick is None:
            pct = cells.get("absence_pct")
            if pct is None:
                raise RowProblem(self.header("absence_pct"), _("skal udfyldes"))
            if pct > 100:
                raise RowProblem(self.header("absence_pct"), _("kan ikke være over 100"))
            planned = planned if planned is not None else Decimal("100.00")
            sick = (planned * pct / 100).quantize(Decimal("0.01"))
        if sick is None:
            raise RowProblem(self.header("sick_days"), _("skal udfyldes"))
        if planned is None:
            raise RowProblem(self.header("planned_days"), _("skal udfyldes"))
        if sick > planned:
            raise RowProblem(
                self.header("sick_days"), _("sygedage kan ikke overstige planlagte dage")
            )
        return {
            "trainee_id": trainee,
            "month": cells["month"],
            "sick_days": sick,
            "planned_days": planned,
        }

    def key(self, values: dict, cells: dict) -> str:
        return f"{cells['hr_id']}|{values['month']:%Y-%m}"

    def load_existing(self, keys: list[str]) -> dict[str, dict]:
        existing = {}
        for chunk in key_chunks(list(self.trainee_ids.values())):
            for row in filter_in(
                Absence.objects.filter(municipality=self.municipality), "trainee", chunk
            ).values("pk", *self.fields()):
                existing[f"{self.trainee_hr[row['trainee_id']]}|{row['month']:%Y-%m}"] = row
        return existing

    def derived(self, values: dict) -> dict:
        return {"year": values["month"].year} if "month" in values else {}

    def display(self, field: str, value) -> str:
        if field == "month" and value:
            return value.strftime("%m-%Y")
        if field == "trainee_id":
            return self.trainee_hr.get(value, "")
        return super().display(field, value)
