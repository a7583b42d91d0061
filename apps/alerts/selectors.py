"""Reads of absence warnings: the window and sums the rule works on, the lists each role
sees, and the metric behind `GET /api/v1/metrics/absence_warnings/`.

The rule (DOMAIN.md, "absence warning"): an active trainee is flagged when Σ sick days ÷
Σ planned days over the municipality's three most recent absence months (the latest month in
any of its absence rows and the two before it; only the trainee's rows in those months) is
above the municipality's threshold. Each step is one SQL aggregate over all trainees.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, DecimalField, F, Max, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce

from apps.alerts.models import DEFAULT_ABSENCE_THRESHOLD, AbsenceFlag, AlertSettings
from apps.core.scoping import Scope
from apps.kpis.results import KpiResult
from apps.organisation.models import Department
from apps.trainees.choices import TraineeStatus
from apps.trainees.models import Absence

METRIC = "absence_warnings"
WINDOW_MONTHS = 3
_DAYS = DecimalField(max_digits=9, decimal_places=2)


def add_months(month: datetime.date, months: int) -> datetime.date:
    """The first day of the month `months` after (or, negative, before) `month`."""
    index = month.year * 12 + month.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


def absence_window(municipality_id: int) -> tuple[datetime.date, datetime.date] | None:
    """(first month, latest month) of the municipality's three most recent absence months;
    None when it has no absence rows."""
    latest = Absence.objects.filter(municipality_id=municipality_id).aggregate(m=Max("month"))["m"]
    if latest is None:
        return None
    return add_months(latest, -(WINDOW_MONTHS - 1)), latest


def threshold_of(municipality_id: int) -> Decimal:
    """The municipality's threshold in percent (the default until a coordinator sets one)."""
    found = AlertSettings.objects.filter(municipality_id=municipality_id).first()
    return found.absence_threshold if found else DEFAULT_ABSENCE_THRESHOLD


def window_totals(municipality_id: int, window: tuple[datetime.date, datetime.date]) -> QuerySet:
    """Per active trainee with rows in the window: `trainee_id`, `sick`, `planned` (sums)."""
    first, last = window
    return (
        Absence.objects.filter(
            municipality_id=municipality_id,
            month__gte=first,
            month__lte=last,
            trainee__status=TraineeStatus.ACTIVE,
        )
        .values("trainee_id")
        .annotate(
            sick=Coalesce(Sum("sick_days"), Value(Decimal(0)), output_field=_DAYS),
            planned=Coalesce(Sum("planned_days"), Value(Decimal(0)), output_field=_DAYS),
        )
        .order_by("trainee_id")
    )


def above_threshold(totals: QuerySet, threshold: Decimal) -> QuerySet:
    """The rows of `window_totals` whose Σ sick ÷ Σ planned is strictly above `threshold` %
    (compared exactly in SQL as 100 · sick > threshold · planned; no planned days, no rate)."""
    return totals.alias(
        sick_scaled=F("sick") * Value(Decimal(100), output_field=_DAYS),
        planned_scaled=F("planned") * Value(threshold, output_field=_DAYS),
    ).filter(planned__gt=0, sick_scaled__gt=F("planned_scaled"))


# --- what each role sees ---------------------------------------------------------------------


def flag_rows(scope: Scope) -> QuerySet[AbsenceFlag]:
    """Current flags `scope` may see, with what a row shows (no query per row)."""
    return (
        AbsenceFlag.objects.in_scope(scope)
        .current()
        .select_related("trainee", "trainee__programme", "trainee__department")
        .annotate(last_action_at=Max("actions__created_at"))
        .order_by("-rate", "trainee__last_name", "trainee__first_name", "pk")
    )


def department_flags(*, scope: Scope, department: Department) -> list[AbsenceFlag]:
    """The section "Elever med højt sygefravær" of a department's dashboard."""
    return list(flag_rows(scope).filter(trainee__department=department))


def trainee_flags(*, scope: Scope, trainee) -> list[AbsenceFlag]:
    """A trainee's flags, current first, with their notes (for the trainee's page)."""
    return list(
        AbsenceFlag.objects.in_scope(scope)
        .filter(trainee=trainee)
        .prefetch_related("actions__created_by")
        .order_by(F("closed_at").desc(nulls_first=True), "-opened_at")
    )


def month_trend(flag: AbsenceFlag) -> list[dict]:
    """The window's months with each month's rate (None: no row or no planned days)."""
    trend = []
    for entry in flag.months:
        sick, planned = entry.get("sick"), entry.get("planned")
        rate = None
        if sick is not None and planned is not None and Decimal(planned) > 0:
            rate = float(Decimal(sick) * 100 / Decimal(planned))
        trend.append(
            {
                "month": datetime.date.fromisoformat(entry["month"]),
                "sick": None if sick is None else Decimal(sick),
                "planned": None if planned is None else Decimal(planned),
                "rate": rate,
            }
        )
    return trend


# --- the metric ----------------------------------------------------------------------------


@dataclass(frozen=True)
class WarningFigure:
    result: KpiResult  # true counts; disclose before showing
    window: tuple[datetime.date, datetime.date] | None
    threshold: Decimal


def _in_departments(department) -> Q:
    if department is None:
        return Q()
    if isinstance(department, (set, frozenset)):
        return Q(trainee__department_id__in=department)
    return Q(trainee__department_id=department)


def absence_warning_figure(*, municipality_id: int, department=None) -> WarningFigure:
    """Flagged trainees ÷ active trainees with absence rows in the window of the last
    computation, for a municipality or some of its departments (an id or a set of ids).
    Counts only: callers outside the municipality must lift the tenancy guard themselves."""
    found = AlertSettings.objects.filter(municipality_id=municipality_id).first()
    threshold = found.absence_threshold if found else DEFAULT_ABSENCE_THRESHOLD
    window = None
    if found is not None and found.absence_window_end is not None:
        window = (found.absence_window_start, found.absence_window_end)
    flagged = denominator = 0
    if window is not None:
        where = _in_departments(department)
        flagged = AbsenceFlag.objects.filter(
            where, municipality_id=municipality_id, closed_at__isnull=True
        ).count()
        denominator = Absence.objects.filter(
            where,
            municipality_id=municipality_id,
            month__gte=window[0],
            month__lte=window[1],
            trainee__status=TraineeStatus.ACTIVE,
        ).aggregate(n=Count("trainee_id", distinct=True))["n"]
    return WarningFigure(KpiResult(METRIC, flagged, denominator), window, threshold)
