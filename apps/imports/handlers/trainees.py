"""Trainee files (elever)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from apps.imports.bulk import filter_in
from apps.imports.cells import CellError, is_blank, norm, short
from apps.imports.handlers.base import Handler, RowProblem, key_chunks
from apps.organisation.models import Department
from apps.trainees.choices import AgeBand, Recruitment, TraineeStatus
from apps.trainees.models import Absence, DropoutReason, Phase, Placement, Programme, Trainee
from apps.trainees.rules import trainee_rule_errors

SSA_STUDENT_WORDS = {"ssa-elev", "ssa elev", "ansat som ssa-elev", "ansat som ssa elev", "ssa"}
# The stored values the trainee rules read, loaded for every existing row even when the file
# has no such column: the rules apply to the row as it will be stored.
# The catalogue a foreign-key field's value is shown from (`display`).
DISPLAY_CATALOGUES = {
    "programme_id": "programme",
    "department_id": "department",
    "hired_into_department_id": "department",
    "hired_into_workplace_id": "workplace",
    "dropout_reason_id": "reason",
    "dropout_phase_id": "phase",
}
RULE_FIELDS = ["start_date", "expected_end_date", "end_date", "status", "dropout_reason_id"]


class TraineeHandler(Handler):
    """Elever: keyed by Elev-ID within the municipality; birth year becomes an age band and
    is never stored; unknown dropout-reason text is kept as "Andet" with the text as note.
    The rules across fields are the model's (`apps.trainees.rules`), reported on the column
    of the field they concern."""

    kind = "trainees"
    model = Trainee
    audit_action = "trainees.trainee.imported"
    key_field = "hr_id"  # the key is this column's value (`unchanged.py`)
    versioned = True
    derived_sql = {
        "start_year": "EXTRACT(YEAR FROM n.start_date)::int",
        "end_year": "EXTRACT(YEAR FROM n.end_date)::int",
    }
    repr_sql = "COALESCE(NULLIF(btrim(w.first_name || ' ' || w.last_name), ''), w.hr_id)"

    def load_lookups(self) -> None:
        self._hired_memo: dict = {}
        add = self.lookups.add
        for pk, code, name, aliases in Programme.objects.values_list(
            "pk", "code", "name", "aliases"
        ):
            add("programme", pk, name, code, name, *aliases)
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
        get = cells.get
        for identifier in ("hr_id", "programme", "department", "start_date", "status"):
            value = get(identifier)
            if value is None or (type(value) is str and is_blank(value)):
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
                values[identifier] = cells.get(identifier)
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
            text = cells.get("hired_into") or ""
            # A file names the same few departments and workplaces: one answer per text.
            found = self._hired_memo.get(text)
            if found is None:
                try:
                    found = self._hired_into(text)
                except RowProblem as exc:
                    found = exc
                self._hired_memo[text] = found
            if type(found) is RowProblem:
                raise found
            values.update(found)
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
        fields += [name for name in RULE_FIELDS if name not in fields]
        existing = {}
        for chunk in key_chunks(keys):
            for row in filter_in(
                Trainee.objects.filter(municipality=self.municipality), "hr_id", chunk
            ).values(*fields):
                existing[row["hr_id"]] = row
        return existing

    def check_merged(self, merged: dict) -> None:
        """The trainee rules over the row as it will be stored; the first broken rule is
        reported on its field's column (a stored date the file lacks: on Startdato)."""
        for field, message in trainee_rule_errors(merged).items():
            column = field
            if field in ("expected_end_date", "end_date") and field not in self.present:
                column = "start_date"
            raise RowProblem(self.header(column), message)

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
        for chunk in key_chunks(keys):
            found.update(
                filter_in(
                    Trainee.objects.filter(municipality=self.municipality), "hr_id", chunk
                ).values_list("hr_id", "pk")
            )
        return found

    def display(self, field: str, value) -> str:
        catalogue = DISPLAY_CATALOGUES.get(field)
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
