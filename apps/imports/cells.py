"""Cleaning one cell: the value parsers every column spec uses (STYLE.md B8, stage 3).

Each widget (django-import-export's `Widget`) turns a raw cell into a Python value or
raises `CellError` with a Danish reason; the preview turns that into "Række 14, kolonne
Startdato: …". Text, ids, Danish dates and months, decimal-comma numbers, whole numbers,
Ja/Nej and fixed word lists are parsed here. Catalogue cells (programme, department, …)
clean against `Lookups`, which holds every catalogue of the municipality in memory so that
a file of any length costs the same number of queries. Which column uses which widget is
`columns.py`.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _
from import_export import widgets


class CellError(Exception):
    """A cell could not be cleaned; `message` is the Danish reason."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def norm(value) -> str:
    """Case- and space-insensitive form of a name, for catalogue matching."""
    return " ".join(str(value).casefold().split())


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
    # A file names the same few rows thousands of times: text → pk, per catalogue.
    _matched: dict = field(default_factory=dict, repr=False, compare=False)

    AMBIGUOUS = -1

    def add(self, catalogue: str, pk: int, label: str, *names) -> None:
        self._matched.clear()
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
        if type(value) is str:
            pk = self._matched.get((catalogue, value), self._matched)
            if pk is self._matched:
                pk = self._matched[(catalogue, value)] = self.index.get(catalogue, {}).get(
                    norm(value)
                )
        else:
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
