"""Reads of stored KPI figures for the pages and the API: a measurement as a viewer may see
it. Computed KPIs come from their definitions in `apps.kpis.registry` via `FactTable.kpi`."""

from __future__ import annotations

from django.db.models import Q

from apps.core.models import AuditEntry
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


def measured_baselines(indicators) -> dict[int, int]:
    """{indicator id: period} of the indicators whose baseline was measured by the portal
    (not typed in from a document): the latest audited change of their baseline says so.
    One query whatever the number of indicators."""
    ids = [str(i.pk) for i in indicators]
    if not ids:
        return {}
    entries = (
        AuditEntry.objects.filter(
            object_type="kpis.indicator",
            object_id__in=ids,
            action__in=["kpis.indicator.created", "kpis.indicator.updated"],
        )
        .filter(Q(changes__has_key="baseline_value") | Q(changes__has_key="baseline_period"))
        .order_by("object_id", "-occurred_at", "-pk")
        .distinct("object_id")
        .values_list("object_id", "context")
    )
    return {
        int(object_id): context.get("baseline_period")
        for object_id, context in entries
        if context.get("baseline") == "computed"
    }
