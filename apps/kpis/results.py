"""What a KPI computation returns: `KpiResult` (a value with what it is built from) and
`Breakdown` (counts by category). `apps.kpis.disclosure` decides what of them a viewer sees."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from apps.kpis.choices import Unit


@dataclass(frozen=True)
class KpiResult:
    """A KPI value with what it is built from; `suppressed` hides all three from this viewer,
    `rounded` says the counts (and the value built from them) are rounded to base 5."""

    metric: str
    numerator: Decimal | int | None
    denominator: Decimal | int | None
    unit: str = Unit.PERCENT
    suppressed: bool = False
    persons: int | None = None  # persons behind the figure, when it is not the denominator
    fixed_value: float | None = None  # a stored or corrected value that overrides the ratio
    rounded: bool = False
    # Intake against a quota: the range's upper end ("30–35"), a note on what the figure is
    # measured against, and, when a department has no quota of its own, the municipality's
    # intake the department's intake (`numerator`) is a share of.
    maximum: Decimal | int | None = None
    note: str = ""
    share_of: int | None = None

    @property
    def share(self) -> float | None:
        """The numerator as a percentage of `share_of` (a department's share of the
        municipality's intake)."""
        if self.suppressed or not self.share_of or self.numerator is None:
            return None
        return float(Decimal(self.numerator) * 100 / Decimal(self.share_of))

    @property
    def within_range(self) -> bool | None:
        """Whether the numerator reaches the quota: at least the minimum and at most the
        maximum of a range; None without a quota (or when hidden)."""
        if self.suppressed or not self.denominator or self.numerator is None:
            return None
        if self.numerator < self.denominator:
            return False
        return self.maximum is None or self.numerator <= self.maximum

    @property
    def value(self) -> float | None:
        if self.suppressed:
            return None
        if self.fixed_value is not None:
            return self.fixed_value
        if self.numerator is None:
            return None
        if self.unit == Unit.COUNT:
            return float(self.numerator)
        if not self.denominator:
            return None
        factor = 100 if self.unit == Unit.PERCENT else 1
        return float(Decimal(self.numerator) * factor / Decimal(self.denominator))

    def as_dict(self) -> dict:
        return {
            "metric": self.metric,
            "value": None if self.value is None else round(self.value, 2),
            "numerator": None if self.suppressed else _plain(self.numerator),
            "denominator": None if self.suppressed else _plain(self.denominator),
            "suppressed": self.suppressed,
            "rounded": self.rounded,
            **({"maximum": _plain(self.maximum)} if self.maximum is not None else {}),
            **({"note": self.note} if self.note else {}),
        }


@dataclass(frozen=True)
class BreakdownRow:
    key: str
    label: str
    count: int | None  # None when suppressed
    suppressed: bool = False


@dataclass(frozen=True)
class Breakdown:
    """Counts by a category (reason, phase, where hired); small cells suppressed."""

    metric: str
    rows: list[BreakdownRow] = field(default_factory=list)
    total: int | None = None
    total_suppressed: bool = False
    rounded: bool = False

    def as_dict(self) -> dict:
        return {
            "metric": self.metric,
            "rows": [
                {"key": r.key, "label": r.label, "count": r.count, "suppressed": r.suppressed}
                for r in self.rows
            ],
            "rounded": self.rounded,
        }


@dataclass(frozen=True)
class QuotaRange:
    """A quota as a minimum, or a range when `maximum` is set."""

    minimum: int
    maximum: int | None = None

    @classmethod
    def total(cls, quotas) -> QuotaRange:
        quotas = list(quotas)
        minimum = sum(q.minimum for q in quotas)
        if all(q.maximum is None for q in quotas):
            return cls(minimum)
        return cls(minimum, sum(q.maximum if q.maximum is not None else q.minimum for q in quotas))


def _plain(value):
    if value is None:
        return None
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value
