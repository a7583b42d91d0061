"""The report's appendices, from the KPI registry (never counted here): dropouts by reason
and by phase in the year (Bilag 2), where the graduates were hired (Bilag 3), intake against
quota per programme, and the data's as-of date (the latest applied import of each kind).

Every count passes `apps.kpis.disclosure` for the reader's scope, as on the pages."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Max
from django.utils.translation import gettext as _

from apps.core.formatting import format_amount, format_number
from apps.core.scoping import Scope
from apps.imports.models import BatchStatus, ImportBatch, ImportKind
from apps.kpis.choices import Metric
from apps.kpis.disclosure import SUPPRESSED_LABEL, WITHHELD_LABEL
from apps.kpis.facts import FactTable
from apps.kpis.results import Breakdown


@dataclass
class CountRow:
    label: str
    count: int | None  # None: not shown to this reader
    text: str  # the count as printed ("12", "< 5")


@dataclass
class CountTable:
    """One appendix table: label and count per row, and the total when it may be shown."""

    title: str
    rows: list[CountRow] = field(default_factory=list)
    total: str = ""
    rounded: bool = False


@dataclass
class IntakeRow:
    programme: str
    intake: str
    quota: str
    share: str
    intake_count: int | None


@dataclass
class AsOf:
    kind: str
    applied: datetime.datetime | None


def count_text(count: int | None, suppressed: bool) -> str:
    if suppressed:
        return SUPPRESSED_LABEL
    return WITHHELD_LABEL if count is None else format_number(count)


def count_table(title: str, breakdown: Breakdown) -> CountTable:
    rows = [CountRow(r.label, r.count, count_text(r.count, r.suppressed)) for r in breakdown.rows]
    total = ""
    if breakdown.total_suppressed:
        total = SUPPRESSED_LABEL
    elif breakdown.total is not None:
        total = format_number(breakdown.total)
    return CountTable(title, rows, total, breakdown.rounded)


def appendix_tables(
    table: FactTable, scope: Scope, *, year: int, department
) -> tuple[CountTable, CountTable, CountTable]:
    """(dropouts by reason, dropouts by phase, hired into) in `year` for `department`."""

    def kpi(metric):
        return table.kpi(metric, scope=scope, year=year, department=department)

    return (
        count_table(_("Frafald fordelt på årsag"), kpi(Metric.DROPOUTS_BY_REASON)),
        count_table(_("Frafald fordelt på tidspunkt i forløbet"), kpi(Metric.DROPOUTS_BY_PHASE)),
        count_table(_("Hvor de færdiguddannede blev ansat"), kpi(Metric.HIRED_INTO)),
    )


def intake_rows(table: FactTable, scope: Scope, *, year: int, department) -> list[IntakeRow]:
    """Per programme with a quota or an intake in `year`: intake, quota and their ratio."""
    rows = []
    for code, (_pid, name) in sorted(table.programmes.items(), key=lambda p: p[1][1]):
        quota = table.quota(year, code)
        started = table.count("cohort", "started", year, programme=code, department=department)
        if not quota and not started:
            continue
        result = table.kpi(
            Metric.INTAKE_VS_QUOTA, scope=scope, year=year, programme=code, department=department
        )
        intake = None if result.suppressed else result.numerator
        share = "" if result.value is None else f"{format_amount(result.value)}\u00a0%"
        rows.append(
            IntakeRow(
                name,
                count_text(None if intake is None else int(intake), result.suppressed),
                format_number(quota) if quota else WITHHELD_LABEL,
                share or WITHHELD_LABEL,
                None if intake is None else int(intake),
            )
        )
    return rows


def as_of_dates(municipality_id: int) -> list[AsOf]:
    """The latest applied import of each kind (one query)."""
    latest = dict(
        ImportBatch.objects.filter(municipality_id=municipality_id, status=BatchStatus.APPLIED)
        .values("kind")
        .annotate(at=Max("applied_at"))
        .values_list("kind", "at")
    )
    return [AsOf(str(kind.label), latest.get(kind.value)) for kind in ImportKind]
