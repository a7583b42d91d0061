"""Column specs: how each header of each kind of file is recognised and each cell cleaned.

STYLE.md B8, stages 2 and 3. A `Column` names its Danish header, the aliases HR's systems
use, whether it is required, and the django-import-export widget that cleans its cells.
Widgets raise `CellError` with a Danish reason; the preview turns that into
"Række 14, kolonne Startdato: …". Catalogue columns (programme, department, …) clean
against `Lookups`, which holds every catalogue of the municipality in memory so that a
file of any length costs the same number of queries.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import widgets

from apps.core.cpr import is_cpr
from apps.trainees.choices import PlacementKind, Recruitment, TraineeStatus


class CellError(Exception):
    """A cell could not be cleaned; `message` is the Danish reason."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def norm(value) -> str:
    """Case- and space-insensitive form of a name, for catalogue matching."""
    return " ".join(str(value).casefold().split())


_HEADER_NOISE = re.compile(r"[\s\-_.:/()%#]+")


def norm_header(value) -> str:
    """`Elev-ID`, `ElevID` and ` elev id ` all become `elevid`."""
    return _HEADER_NOISE.sub("", str(value or "").casefold())


def is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and value.strip() == "")


def short(value) -> str:
    """A cell value quoted in an error message, cut to a readable length."""
    text = str(value).strip()
    return text if len(text) <= 40 else text[:37] + "…"


# --- widgets -----------------------------------------------------------------------------


class TextWidget(widgets.CharWidget):
    """Trimmed text; a cell starting with =, +, - or @ stays plain text (never a formula)."""

    def __init__(self, max_length: int = 255):
        super().__init__()
        self.max_length = max_length

    def clean(self, value, row=None, **kwargs):
        if is_blank(value):
            return ""
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        text = " ".join(str(value).split())
        if len(text) > self.max_length:
            raise CellError(_("teksten er for lang (højst %(n)s tegn)") % {"n": self.max_length})
        return text


class IdWidget(widgets.CharWidget):
    """The HR system's id as text: a number cell `1042.0` becomes `1042`."""

    _float_text = re.compile(r"^(\d+)\.0+$")

    def clean(self, value, row=None, **kwargs):
        if is_blank(value):
            return ""
        if isinstance(value, float):
            if not value.is_integer():
                raise CellError(_("ugyldigt id «%(value)s»") % {"value": short(value)})
            return str(int(value))
        if isinstance(value, int):
            return str(value)
        text = str(value).strip()
        match = self._float_text.match(text)
        if match:
            text = match.group(1)
        if len(text) > 40:
            raise CellError(_("id'et er for langt (højst 40 tegn)"))
        return text


DATE_FORMATS = ("%d-%m-%Y", "%d.%m.%Y", "%d/%m/%Y", "%Y-%m-%d", "%d-%m-%y", "%d.%m.%y")
_DATE_TIME_SUFFIX = re.compile(r"[ T]00:00(:00(\.0+)?)?$")


class DanishDateWidget(widgets.DateWidget):
    """Excel date cells (with or without 00:00) and Danish text dates such as 31-01-2023,
    31.01.2023, 31/1/2023 and 2023-01-31. An impossible date is an error, not a guess."""

    repeats = True  # few distinct values: the preview memoises clean() per value

    def clean(self, value, row=None, **kwargs):
        if is_blank(value):
            return None
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        text = _DATE_TIME_SUFFIX.sub("", str(value).strip())
        for fmt in DATE_FORMATS:
            try:
                parsed = datetime.datetime.strptime(text, fmt).date()  # noqa: DTZ007 - a date
            except ValueError:
                continue
            if 1900 <= parsed.year <= 2100:
                return parsed
        raise CellError(_("«%(value)s» er ikke en gyldig dato") % {"value": short(value)})


MONTH_NAMES = {
    "jan": 1, "januar": 1, "feb": 2, "februar": 2, "mar": 3, "marts": 3, "apr": 4,
    "april": 4, "maj": 5, "jun": 6, "juni": 6, "jul": 7, "juli": 7, "aug": 8, "august": 8,
    "sep": 9, "sept": 9, "september": 9, "okt": 10, "oktober": 10, "nov": 11,
    "november": 11, "dec": 12, "december": 12,
}  # fmt: skip


class MonthWidget(widgets.Widget):
    """A month as 2023-01, 01-2023, 1/2023, "jan 2023" or a date cell; returns its 1st day."""

    repeats = True  # few distinct values: the preview memoises clean() per value

    _numeric = (
        re.compile(r"^(?P<year>\d{4})[-/.](?P<month>\d{1,2})$"),
        re.compile(r"^(?P<month>\d{1,2})[-/.](?P<year>\d{4})$"),
    )
    _named = re.compile(r"^(?P<name>[a-zæøå]+)\.?\s*[-/ ]?\s*(?P<year>\d{4})$")

    def clean(self, value, row=None, **kwargs):
        if is_blank(value):
            return None
        if isinstance(value, datetime.datetime):
            value = value.date()
        if isinstance(value, datetime.date):
            return value.replace(day=1)
        text = norm(value)
        year = month = None
        for pattern in self._numeric:
            match = pattern.match(text)
            if match:
                year, month = int(match["year"]), int(match["month"])
        match = self._named.match(text)
        if match and match["name"] in MONTH_NAMES:
            year, month = int(match["year"]), MONTH_NAMES[match["name"]]
        if year is None:
            try:
                return DanishDateWidget().clean(value).replace(day=1)
            except CellError:
                pass
        if year is None or not (1 <= month <= 12) or not (1900 <= year <= 2100):
            raise CellError(_("«%(value)s» er ikke en gyldig måned") % {"value": short(value)})
        return datetime.date(year, month, 1)


class DecimalCommaWidget(widgets.DecimalWidget):
    """A number with decimal comma (8,64) or point; never negative."""

    repeats = True  # few distinct values: the preview memoises clean() per value

    def clean(self, value, row=None, **kwargs):
        if is_blank(value):
            return None
        if isinstance(value, (int, float)):
            number = Decimal(str(value))
        else:
            text = str(value).strip().replace(" ", "").replace("\xa0", "").rstrip("%")
            if "," in text:
                text = text.replace(".", "").replace(",", ".")
            try:
                number = Decimal(text)
            except InvalidOperation:
                raise CellError(_("«%(value)s» er ikke et tal") % {"value": short(value)}) from None
        if not number.is_finite() or number < 0 or number >= 1000:
            raise CellError(_("«%(value)s» er ikke et gyldigt antal") % {"value": short(value)})
        return number.quantize(Decimal("0.01"))


class WholeNumberWidget(widgets.IntegerWidget):
    """A whole number within `minimum`–`maximum` (a number cell 3.0 counts as 3)."""

    repeats = True  # few distinct values: the preview memoises clean() per value

    def __init__(self, minimum: int, maximum: int):
        super().__init__()
        self.minimum, self.maximum = minimum, maximum

    def clean(self, value, row=None, **kwargs):
        if is_blank(value):
            return None
        try:
            number = float(str(value).strip().replace(",", "."))
        except ValueError:
            raise CellError(
                _("«%(value)s» er ikke et helt tal") % {"value": short(value)}
            ) from None
        if not number.is_integer() or not (self.minimum <= number <= self.maximum):
            raise CellError(
                _("«%(value)s» skal være et helt tal fra %(min)s til %(max)s")
                % {"value": short(value), "min": self.minimum, "max": self.maximum}
            )
        return int(number)


YES = {"ja", "j", "x", "1", "true", "sand", "yes", "y", "aktiv"}
NO = {"nej", "n", "0", "false", "falsk", "no", "inaktiv"}


class YesNoWidget(widgets.BooleanWidget):
    """Ja/Nej (also J/N, x, 1/0); blank is unknown (None)."""

    repeats = True  # few distinct values: the preview memoises clean() per value

    def clean(self, value, row=None, **kwargs):
        if is_blank(value):
            return None
        if isinstance(value, bool):
            return value
        text = norm(value)
        if isinstance(value, float) and value.is_integer():
            text = str(int(value))
        if text in YES:
            return True
        if text in NO:
            return False
        raise CellError(_("«%(value)s» skal være Ja eller Nej") % {"value": short(value)})


class ChoiceWidget(widgets.Widget):
    """A value from a fixed list of Danish words (status, recruitment, placement type)."""

    repeats = True  # few distinct values: the preview memoises clean() per value

    def __init__(self, choices: dict[str, str], label: str):
        self.choices = {norm(key): value for key, value in choices.items()}
        self.label = label

    def clean(self, value, row=None, **kwargs):
        if is_blank(value):
            return None
        try:
            return self.choices[norm(value)]
        except KeyError:
            raise CellError(
                _("ukendt %(label)s «%(value)s»") % {"label": self.label, "value": short(value)}
            ) from None


class CatalogueWidget(widgets.Widget):
    """A catalogue row (programme, department, phase, …) matched by code, name or alias,
    case- and space-insensitively, against the in-memory `Lookups`."""

    repeats = True  # few distinct values: the preview memoises clean() per value

    def __init__(self, catalogue: str, label: str):
        self.catalogue = catalogue
        self.label = label

    def clean(self, value, row=None, lookups: Lookups | None = None, **kwargs):
        if is_blank(value):
            return None
        found = lookups.match(self.catalogue, value)
        if found is None:
            raise CellError(
                _("ukendt %(label)s «%(value)s»") % {"label": self.label, "value": short(value)}
            )
        return found


# --- lookups -----------------------------------------------------------------------------


@dataclass
class Lookups:
    """Every catalogue a file may name, keyed by normalised name; filled with one query each.

    `index[catalogue][norm(name)]` is a primary key, or `AMBIGUOUS` when two rows share the
    name (a workplace name used in two departments)."""

    index: dict[str, dict[str, int]] = field(default_factory=dict)
    labels: dict[str, dict[int, str]] = field(default_factory=dict)

    AMBIGUOUS = -1

    def add(self, catalogue: str, pk: int, label: str, *names) -> None:
        bucket = self.index.setdefault(catalogue, {})
        self.labels.setdefault(catalogue, {})[pk] = label
        for name in names:
            if is_blank(name):
                continue
            key = norm(name)
            if bucket.get(key, pk) != pk:
                bucket[key] = self.AMBIGUOUS
            else:
                bucket[key] = pk

    def match(self, catalogue: str, value) -> int | None:
        pk = self.index.get(catalogue, {}).get(norm(value))
        if pk == self.AMBIGUOUS:
            raise CellError(
                _("«%(value)s» passer på flere rækker; skriv det fulde navn")
                % {"value": short(value)}
            )
        return pk

    def label(self, catalogue: str, pk) -> str:
        if pk is None:
            return ""
        return self.labels.get(catalogue, {}).get(pk, str(pk))


# --- column specs ------------------------------------------------------------------------


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


def looks_like_cpr(value) -> bool:
    """A cell that is a CPR number and nothing else (`apps.core.cpr.is_cpr`)."""
    return is_cpr(value)


def cpr_cell_message() -> str:
    """Why a row with a CPR number in one of its cells is rejected (the value is never
    quoted, stored or logged)."""
    return _(
        "cellen indeholder et CPR-nummer, som ikke må gemmes i portalen, så rækken er "
        "afvist. Fjern CPR-nummeret i filen, og upload den igen"
    )


def cpr_columns(headers: list[str], rows: list[tuple[int, list]]) -> set[int]:
    """Indexes of columns that hold CPR numbers: by header, or by a cell that is nothing
    but a CPR number. (A CPR number inside other text rejects the row instead; see
    `analysis._clean_row`.)"""
    found = {i for i, header in enumerate(headers) if CPR_HEADER.search(header or "")}
    for index in range(len(headers)):
        if index in found:
            continue
        for _number, cells in rows:
            cell = cells[index] if index < len(cells) else None
            kind = type(cell)
            # Cheap shape check first: 10-16 characters, or a 9-10 digit number cell.
            shaped = (kind is str and 10 <= len(cell) <= 16 and cell.strip()[:1].isdigit()) or (
                kind is float and 1e8 <= cell < 1e10
            )
            if shaped and is_cpr(cell):
                found.add(index)
                break
    return found


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
