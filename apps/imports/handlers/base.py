"""The handler base: the contract each kind fills in, and value encoding for JSON."""

from __future__ import annotations

import datetime
from abc import ABC, abstractmethod
from decimal import Decimal

from django.db import models
from django.utils.translation import gettext as _

from apps.core.formatting import format_date
from apps.imports.bulk import converters
from apps.imports.cells import Lookups
from apps.imports.columns import KIND_SPECS
from apps.organisation.models import Workplace

KEY_CHUNK = 20_000


class RowProblem(Exception):
    """A rule across cells failed: `column` is the Danish header the reason is about."""

    def __init__(self, column: str, message: str):
        super().__init__(message)
        self.column = column
        self.message = message


_AS_IS = frozenset({str, int, bool, float})


def encode(value):
    """A JSON-safe form of a Python field value (dates as ISO text, decimals as text)."""
    if value is None or type(value) in _AS_IS:  # the common case, without isinstance
        return value
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
    out = {name: value for name, value in values.items() if not name.startswith("_")}
    for name, to_python in convert.items():  # a few date/decimal fields, not every value
        value = out.get(name)
        if value is not None:
            out[name] = to_python(value)
    return out


class Handler(ABC):
    """Base of the kinds; see the module docstring."""

    kind: str
    model: type[models.Model]
    duplicate_column: str = "hr_id"  # the column a duplicate key is reported on
    audit_action: str | None = None
    versioned = False
    key_field: str | None = None  # the model field the key is, when it is one field
    # For writing new rows set-based (`services/set_apply.py`): `derived` as SQL over the
    # new row's values (qualified `n.`) and `repr_of` over the written row (qualified `w.`);
    # None writes them row by row.
    derived_sql: dict[str, str] | None = None
    repr_sql: str | None = None

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
    def load_lookups(self) -> None:  # noqa: B027 - an optional hook, empty by default
        """Load the catalogues the kind's columns look values up in (one query each)."""

    @abstractmethod
    def row_values(self, cells: dict, warnings: list[str]) -> dict:
        """The row's cleaned values (raises a row error for a cell that can't be cleaned)."""

    @abstractmethod
    def key(self, values: dict, cells: dict) -> str:
        """The row's key in the municipality (e.g. the HR id)."""

    def label(self, values: dict, cells: dict) -> str:
        return self.key(values, cells)

    @abstractmethod
    def load_existing(self, keys: list[str]) -> dict[str, dict]:
        """The stored rows for these keys, in one query."""

    def check_merged(self, merged: dict) -> None:  # noqa: B027 - an optional hook
        """Rules over the row as it will be stored (file values over existing ones)."""

    def new_values(self, values: dict) -> dict:
        """Every column value of a row this import creates (the rest take their defaults)."""
        return {"municipality_id": self.municipality.pk, **values, **self.derived(values)}

    def repr_of(self, values: dict) -> str:
        """What `str()` of the written object shows, for the audit trail."""
        return ""

    def object_repr(self, obj: models.Model) -> str:
        """`str()` of a changed row for its audit entry; it runs while the entries are
        COPYed, so a kind whose `str()` follows a foreign key overrides it without a query."""
        return str(obj)

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
            return format_date(value)
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


def key_chunks(items: list, size: int = KEY_CHUNK):
    for start in range(0, len(items), size):
        yield items[start : start + size]
