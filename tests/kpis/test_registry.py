"""The KPI registry: every metric defined once, and its definitions give the figures the
independent live queries (tests/kpis/oracles.py) compute from person-level rows."""

import datetime

import pytest

from apps.kpis.choices import (
    BREAKDOWN_METRICS,
    COHORT_METRICS,
    COUNT_METRICS,
    RATIO_METRICS,
    Metric,
    Unit,
)
from apps.kpis.facts import FactTable
from apps.kpis.registry import REGISTRY, MetricDefinition, Period, register
from apps.kpis.results import Breakdown
from apps.kpis.services import measurements_recompute
from tests.kpis import oracles

pytestmark = pytest.mark.django_db


def test_every_metric_has_exactly_one_definition_and_every_definition_is_a_metric():
    assert set(REGISTRY) == set(Metric.values)
    assert len(REGISTRY) == len(Metric)
    for name, definition in REGISTRY.items():
        assert name in Metric.values and definition.metric == name
        assert definition.period in (Period.COHORT, Period.CALENDAR, Period.STATE)


def test_a_second_definition_of_a_metric_is_refused():
    existing = REGISTRY[Metric.STARTED]
    with pytest.raises(ValueError):
        register(MetricDefinition(Metric.STARTED, existing.compute, Period.COHORT))
    assert REGISTRY[Metric.STARTED] is existing


def test_the_metric_groups_of_the_indicator_form_agree_with_the_definitions():
    """Indicator validation (apps.kpis.models) reads these groups: they may not drift."""
    assert {m for m, d in REGISTRY.items() if d.unit == Unit.COUNT} == COUNT_METRICS
    assert {m for m, d in REGISTRY.items() if d.unit == Unit.RATIO} == RATIO_METRICS
    assert {m for m, d in REGISTRY.items() if d.pools_cohorts} == COHORT_METRICS
    assert {m for m, d in REGISTRY.items() if d.is_breakdown} == BREAKDOWN_METRICS


def test_the_definitions_give_the_oracles_figures(coordinator_scope, frederikssund):
    fred = frederikssund
    measurements_recompute(municipality_id=fred.municipality.pk, as_of=datetime.date(2023, 12, 31))
    table = FactTable.load(municipality_ids=[fred.municipality.pk])
    scope = coordinator_scope

    def same(metric, oracle, year, **filters):
        stored = table.kpi(metric, scope=scope, year=year, **filters)
        assert (stored.numerator, stored.denominator) == (oracle.numerator, oracle.denominator), (
            metric,
            year,
            filters,
        )
        assert stored.value == pytest.approx(oracle.value), (metric, year, filters)

    for programme in ("SSH", "SSA", None):
        for department in (None, fred.dogn.pk):
            f = {"programme": programme, "department": department}
            for year in (2020, 2022, 2023):
                same(Metric.STARTED, oracles.kpi_started(scope=scope, year=year, **f), year, **f)
                for metric, oracle in (
                    (Metric.COMPLETION_RATE, oracles.kpi_completion_rate),
                    (Metric.DROPOUT_RATE, oracles.kpi_dropout_rate),
                    (Metric.HIRED_AFTER_COMPLETION_RATE, oracles.kpi_hired_after_completion_rate),
                ):
                    same(metric, oracle(scope=scope, cohort_year=year, **f), year, **f)
                same(
                    Metric.HIRE_RATE,
                    oracles.kpi_hire_rate(scope=scope, cohort_years=year, **f),
                    year,
                    **f,
                )
                same(
                    Metric.INTERNAL_RECRUITMENT_RATE,
                    oracles.kpi_internal_recruitment_rate(scope=scope, year=year, **f)["total"],
                    year,
                    **f,
                )
                same(
                    Metric.SICK_ABSENCE_RATE,
                    oracles.kpi_sick_absence_rate(scope=scope, year=year, **f),
                    year,
                    **f,
                )
                for metric, oracle, kwargs in (
                    (Metric.HIRED_INTO, oracles.kpi_hired_into, {"cohort_year": year}),
                    (Metric.DROPOUTS_BY_REASON, oracles.kpi_dropouts_by_reason, {"year": year}),
                    (Metric.DROPOUTS_BY_PHASE, oracles.kpi_dropouts_by_phase, {"year": year}),
                ):
                    stored = table.kpi(metric, scope=scope, year=year, **f)
                    live = oracle(scope=scope, **kwargs, **f)
                    assert [(r.key, r.count) for r in stored.rows] == [
                        (r.key, r.count) for r in live.rows
                    ], (metric, year, f)
                if programme:
                    same(
                        Metric.INTAKE_VS_QUOTA,
                        oracles.kpi_intake_vs_quota(scope=scope, year=year, **f),
                        year,
                        **f,
                    )


def test_each_definition_answers_in_its_own_unit(coordinator_scope, frederikssund):
    measurements_recompute(
        municipality_id=frederikssund.municipality.pk, as_of=datetime.date(2023, 12, 31)
    )
    table = FactTable.load(municipality_ids=[frederikssund.municipality.pk])
    for metric, definition in REGISTRY.items():
        result = table.kpi(metric, scope=coordinator_scope, year=2022)
        assert result.metric == metric
        if definition.is_breakdown:
            assert isinstance(result, Breakdown), metric
        else:
            assert result.unit == definition.unit, metric
