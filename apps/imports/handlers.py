"""One handler per kind of file: the catalogues it needs, the rules across a row's cells,
its natural key, the existing rows it is compared with, and how its values are written.

A handler turns the cleaned cells of a row into `values` (model field → Python value,
foreign keys as `<field>_id`) for exactly the columns the file has: a column that is not
in the file never blanks a field. Each handler reads existing rows and catalogues with a
fixed number of queries whatever the file's length.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import models
from django.utils.translation import gettext as _

from apps.imports.bulk import converters, filter_in
from apps.imports.columns import KIND_SPECS, CellError, Lookups, is_blank, norm, short
from apps.organisation.models import Department, Workplace
from apps.supervisors.models import QualificationLevel, Supervisor
from apps.trainees.choices import AgeBand, PlacementKind, Recruitment, TraineeStatus
from apps.trainees.models import Absence, DropoutReason, Phase, Placement, Programme, Trainee

KEY_CHUNK = 20_000


class RowProblem(Exception):
    """A rule across cells failed: `column` is the Danish header the reason is about."""

    def __init__(self, column: str, message: str):
        super().__init__(message)
        self.column = column
        self.message = message


def encode(value):
    """A JSON-safe form of a Python field value (dates as ISO text, decimals as text)."""
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


_CONVERTERS: dict = {}


def decode(model: type[models.Model], values: dict) -> dict:
    """The inverse of `encode`: ISO dates and decimal text back to Python values."""
    convert = _CONVERTERS.get(model)
    if convert is None:
        convert = _CONVERTERS[model] = converters(model)
    return {
        name: (convert[name](value) if value is not None and name in convert else value)
        for name, value in values.items()
        if not name.startswith("_")
    }


class Handler:
    """Base of the four kinds; see the module docstring."""

    kind: str
    model: type[models.Model]
    duplicate_column: str = "hr_id"  # the column a duplicate key is reported on
    audit_action: str | None = None
    versioned = False

    def __init__(self, municipality, present: set[str], headers: dict[str, str] | None = None):
        self.municipality = municipality
        self.present = set(present)
        self.headers = headers or {}
        self.spec = KIND_SPECS[self.kind]
        self.lookups = Lookups()
        self._shown: dict = {}
        self.load_lookups()

    def header(self, identifier: str) -> str:
        """The column's header as the file writes it (its Danish name if not in the file)."""
        return self.headers.get(identifier) or str(self.spec.column(identifier).verbose_name)

    # -- to override --
    def load_lookups(self) -> None: ...

    def row_values(self, cells: dict, warnings: list[str]) -> dict:
        raise NotImplementedError

    def key(self, values: dict, cells: dict) -> str:
        raise NotImplementedError

    def label(self, values: dict, cells: dict) -> str:
        return self.key(values, cells)

    def load_existing(self, keys: list[str]) -> dict[str, dict]:
        raise NotImplementedError

    def check_merged(self, merged: dict) -> None:
        """Rules over the row as it will be stored (file values over existing ones)."""

    def new_values(self, values: dict) -> dict:
        """Every column value of a row this import creates (the rest take their defaults)."""
        return {"municipality_id": self.municipality.pk, **values, **self.derived(values)}

    def repr_of(self, values: dict) -> str:
        """What `str()` of the written object shows, for the audit trail."""
        return ""

    def pk_by_key(self, keys: list[str]) -> dict[str, int]:
        """Primary keys of rows just written, by natural key (audited kinds only)."""
        return {}

    def derived(self, values: dict) -> dict:
        return {}

    def shown(self, field: str, value) -> str:
        """`display`, memoised: a file repeats the same programmes, statuses and dates."""
        key = (field, value)
        text = self._shown.get(key)
        if text is None:
            text = self._shown[key] = self.display(field, value)
        return text

    def display(self, field: str, value) -> str:
        if value is None or value == "":
            return ""
        if isinstance(value, bool):
            return _("Ja") if value else _("Nej")
        if isinstance(value, datetime.date):
            return value.strftime("%d-%m-%Y")
        if isinstance(value, Decimal):
            return f"{value:.2f}".replace(".", ",")
        return str(value)

    def field_label(self, field: str) -> str:
        name = field[:-3] if field.endswith("_id") else field
        return str(self.model._meta.get_field(name).verbose_name)

    def dependents_of_new(self, pks: list[int]) -> int:
        """Rows elsewhere that point at rows this import created (blocking undo)."""
        return 0

    def _load_workplaces(self) -> None:
        for pk, name, department_id in Workplace.objects.filter(
            department__municipality=self.municipality
        ).values_list("pk", "name", "department_id"):
            self.lookups.add("workplace", pk, name, name)
            self.workplace_department[pk] = department_id

    workplace_department: dict[int, int]


def _chunks(items: list, size: int = KEY_CHUNK):
    for start in range(0, len(items), size):
        yield items[start : start + size]


# --- trainees ----------------------------------------------------------------------------

SSA_STUDENT_WORDS = {"ssa-elev", "ssa elev", "ansat som ssa-elev", "ansat som ssa elev", "ssa"}


class TraineeHandler(Handler):
    """Elever: keyed by Elev-ID within the municipality; birth year becomes an age band and
    is never stored; unknown dropout-reason text is kept as "Andet" with the text as note."""

    kind = "trainees"
    model = Trainee
    audit_action = "trainees.trainee.imported"
    versioned = True

    def load_lookups(self) -> None:
        add = self.lookups.add
        for pk, code, name, aliases in Programme.objects.values_list(
            "pk", "code", "name", "aliases"
        ):
            add("programme", pk, code, code, name, *aliases)
        for pk, name, aliases in Department.objects.filter(
            municipality=self.municipality
        ).values_list("pk", "name", "aliases"):
            add("department", pk, name, name, *aliases)
        self.workplace_department = {}
        self._load_workplaces()
        for pk, code, name, aliases in DropoutReason.objects.values_list(
            "pk", "code", "name", "aliases"
        ):
            add("reason", pk, name, name, *aliases)
            if code == "other":
                self.other_reason = pk
        for pk, name, aliases in Phase.objects.values_list("pk", "name", "aliases"):
            add("phase", pk, name, name, *aliases)

    def fields(self) -> list[str]:
        p = self.present
        names = ["hr_id", "programme_id", "department_id", "start_date", "status"]
        if {"first_name", "last_name", "name"} & p:
            names += ["first_name", "last_name"]
        for identifier, field in (
            ("expected_end_date", "expected_end_date"),
            ("end_date", "end_date"),
            ("dropout_phase", "dropout_phase_id"),
            ("birth_year", "age_band"),
            ("recruitment", "recruitment"),
            ("hired_after", "hired_after"),
            ("personal_guide", "personal_guide"),
        ):
            if identifier in p:
                names.append(field)
        if "dropout_reason" in p:
            names += ["dropout_reason_id", "dropout_note"]
        if "hired_into" in p:
            names += ["hired_into_department_id", "hired_into_workplace_id", "hired_as_ssa_student"]
        return names

    def row_values(self, cells: dict, warnings: list[str]) -> dict:
        p = self.present
        for identifier in ("hr_id", "programme", "department", "start_date", "status"):
            if is_blank(cells.get(identifier)):
                raise RowProblem(self.header(identifier), _("skal udfyldes"))
        values = {
            "hr_id": cells["hr_id"],
            "programme_id": cells["programme"],
            "department_id": cells["department"],
            "start_date": cells["start_date"],
            "status": cells["status"],
        }
        if {"first_name", "last_name", "name"} & p:
            first, last = cells.get("first_name") or "", cells.get("last_name") or ""
            if not (first or last) and cells.get("name"):
                first, last = split_name(cells["name"])
            if not (first or last):
                column = "name" if "name" in p and "first_name" not in p else "first_name"
                raise RowProblem(self.header(column), _("navnet skal udfyldes"))
            values["first_name"], values["last_name"] = first[:100], last[:100]
        start = cells["start_date"]
        for identifier in ("expected_end_date", "end_date"):
            if identifier in p:
                end = cells.get(identifier)
                if end is not None and end < start:
                    raise RowProblem(
                        self.header(identifier),
                        _("datoen %(end)s ligger før startdatoen %(start)s")
                        % {"end": end.strftime("%d-%m-%Y"), "start": start.strftime("%d-%m-%Y")},
                    )
                values[identifier] = end
        if "dropout_reason" in p:
            text = cells.get("dropout_reason") or ""
            values["dropout_reason_id"], values["dropout_note"] = None, ""
            if text:
                reason = self.lookups.match("reason", text)
                if reason is None:
                    reason = self.other_reason
                    values["dropout_note"] = text
                    warnings.append(
                        _(
                            "Frafaldsårsag «%(text)s» er ukendt og gemt som Andet "
                            "med teksten som note"
                        )
                        % {"text": short(text)}
                    )
                values["dropout_reason_id"] = reason
        if (
            "dropout_reason" in p
            and values["status"] == TraineeStatus.DROPPED_OUT
            and not values["dropout_reason_id"]
        ):
            raise RowProblem(
                self.header("dropout_reason"), _("skal udfyldes, når status er Afbrudt")
            )
        if "dropout_phase" in p:
            values["dropout_phase_id"] = cells.get("dropout_phase")
        if "birth_year" in p:
            year = cells.get("birth_year")
            if year is None:
                values["age_band"] = ""
            else:
                age = start.year - year
                if age < 10 or age > 80:
                    raise RowProblem(
                        self.header("birth_year"),
                        _("fødselsåret %(year)s passer ikke med startåret %(start)s")
                        % {"year": year, "start": start.year},
                    )
                values["age_band"] = str(AgeBand.for_age(age).value)
        if "recruitment" in p:
            values["recruitment"] = cells.get("recruitment") or ""
        if "hired_after" in p:
            values["hired_after"] = cells.get("hired_after")
        if "personal_guide" in p:
            values["personal_guide"] = cells.get("personal_guide") or ""
        if "hired_into" in p:
            values.update(self._hired_into(cells.get("hired_into") or ""))
        return values

    def _hired_into(self, text: str) -> dict:
        values = {
            "hired_into_department_id": None,
            "hired_into_workplace_id": None,
            "hired_as_ssa_student": False,
        }
        if not text:
            return values
        if norm(text) in SSA_STUDENT_WORDS:
            values["hired_as_ssa_student"] = True
            return values
        department = self.lookups.match("department", text)
        if department is not None:
            values["hired_into_department_id"] = department
            return values
        try:
            workplace = self.lookups.match("workplace", text)
        except CellError as exc:
            raise RowProblem(self.header("hired_into"), exc.message) from None
        if workplace is None:
            raise RowProblem(
                self.header("hired_into"),
                _("ukendt afdeling eller arbejdsplads «%(value)s»") % {"value": short(text)},
            )
        values["hired_into_workplace_id"] = workplace
        values["hired_into_department_id"] = self.workplace_department[workplace]
        return values

    def key(self, values: dict, cells: dict) -> str:
        return values["hr_id"]

    def label(self, values: dict, cells: dict) -> str:
        name = f"{values.get('first_name', '')} {values.get('last_name', '')}".strip()
        return f"{values['hr_id']} {name}".strip()

    def load_existing(self, keys: list[str]) -> dict[str, dict]:
        fields = ["pk", "version", "updated_at", *self.fields()]
        existing = {}
        for chunk in _chunks(keys):
            for row in filter_in(
                Trainee.objects.filter(municipality=self.municipality), "hr_id", chunk
            ).values(*fields):
                existing[row["hr_id"]] = row
        return existing

    def check_merged(self, merged: dict) -> None:
        end = merged.get("end_date")
        if end is not None and end < merged["start_date"]:
            column = "end_date" if "end_date" in self.present else "start_date"
            raise RowProblem(self.header(column), _("slutdatoen ligger før startdatoen"))
        if merged["status"] == TraineeStatus.DROPPED_OUT and not merged.get("dropout_reason_id"):
            raise RowProblem(
                self.header("dropout_reason"), _("skal udfyldes, når status er Afbrudt")
            )

    def derived(self, values: dict) -> dict:
        out = {}
        if "start_date" in values:
            out["start_year"] = values["start_date"].year
        if "end_date" in values:
            out["end_year"] = values["end_date"].year if values["end_date"] else None
        return out

    def new_values(self, values: dict) -> dict:
        return {**super().new_values(values), "version": 1}

    def repr_of(self, values: dict) -> str:
        name = f"{values.get('first_name', '')} {values.get('last_name', '')}".strip()
        return name or values["hr_id"]

    def pk_by_key(self, keys: list[str]) -> dict[str, int]:
        found = {}
        for chunk in _chunks(keys):
            found.update(
                filter_in(
                    Trainee.objects.filter(municipality=self.municipality), "hr_id", chunk
                ).values_list("hr_id", "pk")
            )
        return found

    def display(self, field: str, value) -> str:
        catalogue = {
            "programme_id": "programme",
            "department_id": "department",
            "hired_into_department_id": "department",
            "hired_into_workplace_id": "workplace",
            "dropout_reason_id": "reason",
            "dropout_phase_id": "phase",
        }.get(field)
        if catalogue:
            return self.lookups.label(catalogue, value)
        if field == "status" and value:
            return str(TraineeStatus(value).label)
        if field == "age_band" and value:
            return str(AgeBand(value).label)
        if field == "recruitment" and value:
            return str(Recruitment(value).label)
        return super().display(field, value)

    def dependents_of_new(self, pks: list[int]) -> int:
        return (
            Placement.objects.filter(trainee_id__in=pks).count()
            + Absence.objects.filter(trainee_id__in=pks).count()
        )


def split_name(name: str) -> tuple[str, str]:
    """ "Efternavn, Fornavn" or "Fornavn Mellemnavn Efternavn" → (first, last)."""
    if "," in name:
        last, _sep, first = name.partition(",")
        return first.strip(), last.strip()
    parts = name.split()
    if len(parts) == 1:
        return parts[0], ""
    return " ".join(parts[:-1]), parts[-1]


# --- placements / absence: rows of a trainee ---------------------------------------------


class TraineeChildHandler(Handler):
    """Rows that belong to an existing trainee, found by Elev-ID (never created here)."""

    def load_trainees(self, hr_ids: list[str]) -> None:
        self.trainee_ids = {}
        for chunk in _chunks(hr_ids):
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
        for chunk in _chunks(trainee_ids):
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
        for chunk in _chunks(list(self.trainee_ids.values())):
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


# --- supervisors -------------------------------------------------------------------------


class SupervisorHandler(Handler):
    """Praktikvejledere: keyed by Medarbejder-ID within the municipality."""

    kind = "supervisors"
    model = Supervisor
    audit_action = "supervisors.supervisor.imported"
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
        for chunk in _chunks(keys):
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
        for chunk in _chunks(keys):
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


HANDLERS: dict[str, type[Handler]] = {
    "trainees": TraineeHandler,
    "placements": PlacementHandler,
    "absence": AbsenceHandler,
    "supervisors": SupervisorHandler,
}
