"""Column specs: which columns each kind of file has and how its headers are recognised.

STYLE.md B8, stage 2. A `Column` names its Danish header, the aliases HR's systems use,
whether it is required, and the widget (`cells.py`) that cleans its cells. `KIND_SPECS`
holds the columns of trainees, placements, absence, supervisors and capacity. `map_headers` and
`detect_kind` match a file's headers to one kind; `cpr_columns` finds the columns to drop
because they hold CPR numbers, and `is_totals_row` the totals row at the bottom.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import widgets

from apps.imports.cells import (
    CatalogueWidget,
    ChoiceWidget,
    DanishDateWidget,
    DecimalCommaWidget,
    IdWidget,
    Lookups,
    MonthWidget,
    TextWidget,
    WholeNumberWidget,
    YesNoWidget,
    is_blank,
    norm,
)
from apps.imports.cpr_finder import CprFinder
from apps.trainees.choices import PlacementKind, Recruitment, TraineeStatus

_HEADER_NOISE = re.compile(r"[\s\-_.:/()%#]+")


def norm_header(value) -> str:
    """`Elev-ID`, `ElevID` and ` elev id ` all become `elevid`."""
    return _HEADER_NOISE.sub("", str(value or "").casefold())


@dataclass(frozen=True)
class Column:
    """One column of one kind of file: `identifier` is the key of the cleaned row."""

    identifier: str
    verbose_name: str
    widget: widgets.Widget
    aliases: tuple[str, ...] = ()
    required: bool = False

    @property
    def header_keys(self) -> set[str]:
        return {norm_header(self.verbose_name), *(norm_header(a) for a in self.aliases)}

    def clean(self, value, row: dict, lookups: Lookups):
        return self.widget.clean(value, row=row, lookups=lookups)


TRAINEE_ID_ALIASES = ("ElevID", "Elevnr", "Elevnummer", "Medarbejdernr", "ID", "Elev id")

STATUS_WORDS = {
    "Aktiv": TraineeStatus.ACTIVE,
    "I gang": TraineeStatus.ACTIVE,
    "Gennemført": TraineeStatus.COMPLETED,
    "Gennemfort": TraineeStatus.COMPLETED,
    "Færdig": TraineeStatus.COMPLETED,
    "Afsluttet": TraineeStatus.COMPLETED,
    "Afbrudt": TraineeStatus.DROPPED_OUT,
    "Frafald": TraineeStatus.DROPPED_OUT,
    "Frafaldet": TraineeStatus.DROPPED_OUT,
    "Stoppet": TraineeStatus.DROPPED_OUT,
    "Orlov": TraineeStatus.LEAVE,
}
RECRUITMENT_WORDS = {
    "Ekstern": Recruitment.EXTERNAL,
    "Intern ufaglært": Recruitment.INTERNAL_UNSKILLED,
    "Intern ufaglaert": Recruitment.INTERNAL_UNSKILLED,
    "Ufaglært": Recruitment.INTERNAL_UNSKILLED,
    "Intern SSH": Recruitment.INTERNAL_SSH,
}
PLACEMENT_WORDS = {
    "Oplæring": PlacementKind.TRAINING,
    "Oplæringsperiode": PlacementKind.TRAINING,
    "Praktik": PlacementKind.TRAINING,
    "Praktikperiode": PlacementKind.TRAINING,
    "Skole": PlacementKind.SCHOOL,
    "Skoleperiode": PlacementKind.SCHOOL,
}

TRAINEE_COLUMNS = (
    Column("hr_id", "Elev-ID", IdWidget(), TRAINEE_ID_ALIASES, required=True),
    Column("first_name", "Fornavn", TextWidget(100)),
    Column("last_name", "Efternavn", TextWidget(100)),
    Column("name", "Navn", TextWidget(200), ("Fulde navn", "Elevens navn")),
    Column(
        "programme",
        "Uddannelse",
        CatalogueWidget("programme", gettext_lazy("uddannelse")),
        ("Faggruppe", "Uddannelsestype"),
        required=True,
    ),
    Column(
        "department",
        "Afdeling",
        CatalogueWidget("department", gettext_lazy("afdeling")),
        ("Fagområde", "Center", "Ansættende afdeling", "Forvaltning"),
        required=True,
    ),
    Column(
        "start_date", "Startdato", DanishDateWidget(), ("Ansat fra", "Start", "Start dato"), True
    ),
    Column("expected_end_date", "Forventet slutdato", DanishDateWidget(), ("Forventet slut",)),
    Column("end_date", "Slutdato", DanishDateWidget(), ("Slut", "Fratrådt")),
    Column("status", "Status", ChoiceWidget(STATUS_WORDS, gettext_lazy("status")), required=True),
    Column("dropout_reason", "Frafaldsårsag", TextWidget(255), ("Årsag til frafald", "Årsag")),
    Column(
        "dropout_phase",
        "Frafaldsfase",
        CatalogueWidget("phase", gettext_lazy("fase")),
        ("Fase ved frafald", "Fase"),
    ),
    Column("birth_year", "Fødselsår", WholeNumberWidget(1900, 2100), ("Født", "Fødeår")),
    Column(
        "recruitment",
        "Rekruttering",
        ChoiceWidget(RECRUITMENT_WORDS, gettext_lazy("rekruttering")),
        ("Rekrutteret fra",),
    ),
    Column("hired_after", "Ansat efter uddannelse", YesNoWidget(), ("Ansat efter",)),
    Column("hired_into", "Ansat i", TextWidget(150), ("Ansat hos", "Ansat på")),
    Column("personal_guide", "Personlig vejleder", TextWidget(150)),
)

PLACEMENT_COLUMNS = (
    Column("hr_id", "Elev-ID", IdWidget(), TRAINEE_ID_ALIASES, required=True),
    Column(
        "period_number",
        "Periode",
        WholeNumberWidget(1, 6),
        ("Periodenr", "Praktikperiode", "Nr"),
        True,
    ),
    Column("kind", "Type", ChoiceWidget(PLACEMENT_WORDS, gettext_lazy("type")), (), True),
    Column(
        "workplace",
        "Arbejdsplads",
        CatalogueWidget("workplace", gettext_lazy("arbejdsplads")),
        ("Praktiksted", "Oplæringssted"),
        True,
    ),
    Column("supervisor", "Vejleder", TextWidget(200), ("Praktikvejleder", "Vejleder-ID")),
    Column("start_date", "Fra", DanishDateWidget(), ("Fra dato", "Startdato", "Start"), True),
    Column("end_date", "Til", DanishDateWidget(), ("Til dato", "Slutdato", "Slut"), True),
)

ABSENCE_COLUMNS = (
    Column("hr_id", "Elev-ID", IdWidget(), TRAINEE_ID_ALIASES, required=True),
    Column("month", "Måned", MonthWidget(), ("Maaned", "Periode", "Md"), True),
    Column("sick_days", "Sygedage", DecimalCommaWidget(), ("Sygefraværsdage", "Syg")),
    Column("planned_days", "Planlagte dage", DecimalCommaWidget(), ("Planlagte arbejdsdage",)),
    Column(
        "absence_pct",
        "Fravær %",
        DecimalCommaWidget(),
        ("Fravær", "Fraværsprocent", "Sygefravær %", "Sygefravær"),
    ),
)

SUPERVISOR_COLUMNS = (
    Column(
        "hr_id",
        "Medarbejder-ID",
        IdWidget(),
        ("MedarbejderID", "Medarbejdernummer", "Vejleder-ID", "Lønnr"),
        required=True,
    ),
    Column("name", "Navn", TextWidget(200), ("Vejleder", "Fulde navn"), True),
    Column(
        "workplace",
        "Arbejdsplads",
        CatalogueWidget("workplace", gettext_lazy("arbejdsplads")),
        ("Praktiksted",),
    ),
    Column("profession", "Faggruppe", TextWidget(100), ("Stilling",)),
    Column(
        "qualification",
        "Kvalifikation",
        CatalogueWidget("qualification", gettext_lazy("kvalifikation")),
        ("Vejlederuddannelse", "Uddannelse som vejleder"),
    ),
    Column("qualified_on", "Kvalificeret dato", DanishDateWidget(), ("Kvalificeret",)),
    Column("is_active", "Aktiv", YesNoWidget(), ("Status",)),
)


CAPACITY_COLUMNS = (
    Column(
        "workplace",
        "Arbejdsplads",
        CatalogueWidget("workplace", gettext_lazy("arbejdsplads")),
        ("Praktiksted", "Oplæringssted"),
        True,
    ),
    Column(
        "programme",
        "Uddannelse",
        CatalogueWidget("programme", gettext_lazy("uddannelse")),
        ("Faggruppe", "Uddannelsestype"),
        True,
    ),
    Column("start_date", "Fra", DanishDateWidget(), ("Fra dato", "Startdato", "Start"), True),
    Column("end_date", "Til", DanishDateWidget(), ("Til dato", "Slutdato", "Slut"), True),
    Column(
        "places",
        "Pladser",
        WholeNumberWidget(1, 1000),
        ("Antal pladser", "Kapacitet", "Antal"),
        True,
    ),
)


@dataclass(frozen=True)
class KindSpec:
    """The columns of one kind of file and the header groups it must have."""

    kind: str
    label: str
    columns: tuple[Column, ...]
    # Each inner tuple is one alternative set of identifiers; one alternative must be present.
    required_groups: tuple[tuple[tuple[str, ...], ...], ...] = ()

    def column(self, identifier: str) -> Column:
        return next(c for c in self.columns if c.identifier == identifier)


KIND_SPECS = {
    "trainees": KindSpec(
        "trainees",
        gettext_lazy("Elever"),
        TRAINEE_COLUMNS,
        ((("first_name", "last_name"), ("name",)),),
    ),
    "placements": KindSpec("placements", gettext_lazy("Praktikperioder"), PLACEMENT_COLUMNS),
    "absence": KindSpec(
        "absence",
        gettext_lazy("Fravær"),
        ABSENCE_COLUMNS,
        ((("sick_days", "planned_days"), ("absence_pct",)),),
    ),
    "supervisors": KindSpec("supervisors", gettext_lazy("Vejledere"), SUPERVISOR_COLUMNS),
    "capacity": KindSpec("capacity", gettext_lazy("Kapacitet"), CAPACITY_COLUMNS),
}

CPR_HEADER = re.compile(r"cpr|personnummer|personnr", re.IGNORECASE)
TOTALS_WORDS = {"i alt", "ialt", "total", "totalt", "sum"}


@dataclass
class HeaderMap:
    """The result of mapping a file's headers onto one kind's columns."""

    kind: str
    positions: dict[str, int]  # identifier -> column index
    ignored: list[str]
    dropped: list[str]
    missing: list[str]


def cpr_cell_message() -> str:
    """Why a row with a CPR number in one of its cells is rejected (the value is never
    quoted, stored or logged)."""
    return _(
        "cellen indeholder et CPR-nummer, som ikke må gemmes i portalen, så rækken er "
        "afvist. Fjern CPR-nummeret i filen, og upload den igen"
    )


def cpr_columns(headers: list[str], finder: CprFinder) -> set[int]:
    """Indexes of columns that hold CPR numbers: by header, or by a cell that is nothing
    but a CPR number (`finder`). A CPR number inside other text rejects the row instead;
    see `row_cleaner.RowCleaner`."""
    found = {i for i, header in enumerate(headers) if CPR_HEADER.search(header or "")}
    return found | {i for i in finder.whole_cells if i < len(headers)}


def map_headers(spec: KindSpec, headers: list[str], dropped_indexes: set[int]) -> HeaderMap:
    """Match headers to columns by normalised name or alias; list unknown and missing ones."""
    positions: dict[str, int] = {}
    ignored: list[str] = []
    dropped: list[str] = []
    for index, header in enumerate(headers):
        if index in dropped_indexes:
            dropped.append(header or f"#{index + 1}")
            continue
        if not header:
            continue
        key = norm_header(header)
        column = next((c for c in spec.columns if key in c.header_keys), None)
        if column is None or column.identifier in positions:
            ignored.append(header)
            continue
        positions[column.identifier] = index
    missing = [
        str(c.verbose_name) for c in spec.columns if c.required and c.identifier not in positions
    ]
    for alternatives in spec.required_groups:
        if not any(all(i in positions for i in group) for group in alternatives):
            names = [
                " + ".join(str(spec.column(i).verbose_name) for i in group)
                for group in alternatives
            ]
            missing.append(_(" eller ").join(names))
    return HeaderMap(spec.kind, positions, ignored, dropped, missing)


def detect_kind(headers: list[str], dropped_indexes: set[int]) -> HeaderMap | None:
    """The kind whose required columns are all present (most matched columns wins)."""
    complete = []
    for spec in KIND_SPECS.values():
        mapped = map_headers(spec, headers, dropped_indexes)
        if not mapped.missing:
            complete.append((len(mapped.positions), mapped))
    if not complete:
        return None
    complete.sort(key=lambda item: item[0], reverse=True)
    return complete[0][1]


def is_totals_row(cells: list) -> bool:
    """A totals row at the bottom ("I alt", "Total"): its first filled cell says so."""
    for cell in cells:
        if not is_blank(cell):
            return isinstance(cell, str) and norm(cell).rstrip(":") in TOTALS_WORDS
    return False
