"""Reads of stored KPI figures for the pages and the API: a measurement as a viewer may see
it. Computed KPIs come from their definitions in `apps.kpis.registry` via `FactTable.kpi`."""

from __future__ import annotations

from apps.core.scoping import Scope
from apps.kpis.disclosure import disclose
from apps.kpis.models import Indicator, Measurement
from apps.kpis.results import KpiResult


def measurement_result(indicator: Indicator, m: Measurement, scope: Scope) -> KpiResult:
    """A stored measurement as a `KpiResult`, with the small-number rule for this viewer: a
    municipality-wide indicator is not a leader's own department's figure."""
    return disclose(
        KpiResult(
            indicator.metric or "manual",
            m.numerator,
            m.denominator,
            indicator.unit,
            fixed_value=None if m.value is None else float(m.value),
        ),
        scope,
        municipality_id=indicator.municipality_id,
        department=indicator.department_id,
    )
