"""`FactTable.load_many` (the KKR comparison): each kind of fact is read once, when a KPI
first asks for it, and every KPI comes out as `FactTable.load` gives it."""

import datetime

import pytest

from apps.kpis.choices import Metric
from apps.kpis.facts import FactTable
from apps.kpis.registry import REGISTRY
from apps.kpis.results import Breakdown
from apps.kpis.services import measurements_recompute

pytestmark = pytest.mark.django_db


def _figure(result):
    if isinstance(result, Breakdown):
        # Sorted: load_many carries no department names (KKR sees no departments), and
        # "hired into" orders its departments by name.
        return sorted((r.key, r.count) for r in result.rows)
    return (result.numerator, result.denominator, result.suppressed)


def test_every_kpi_of_a_lazily_read_table_equals_the_eagerly_read_one(
    coordinator_scope, frederikssund
):
    m = frederikssund.municipality.pk
    measurements_recompute(municipality_id=m, as_of=datetime.date(2023, 12, 31))
    eager = FactTable.load(municipality_ids=[m])
    lazy = FactTable.load_many(municipality_ids=[m])[m]
    checked = 0
    for metric in REGISTRY:
        for year in (2020, 2022, 2023):
            for programme in (None, "SSA"):
                q = {"scope": coordinator_scope, "year": year, "programme": programme}
                assert _figure(lazy.kpi(metric, **q)) == _figure(eager.kpi(metric, **q)), (
                    metric,
                    year,
                    programme,
                )
                checked += 1
    cohorts = eager.finished_cohorts(2023)
    assert cohorts and lazy.finished_cohorts(2023) == cohorts
    assert lazy.programme_ids() == eager.programme_ids()
    assert checked == len(REGISTRY) * 6


def test_a_kind_of_fact_is_read_once_for_all_tables_when_first_asked_for(
    coordinator_scope, frederikssund, django_assert_num_queries
):
    m = frederikssund.municipality.pk
    measurements_recompute(municipality_id=m, as_of=datetime.date(2023, 12, 31))
    tables = FactTable.load_many(municipality_ids=[m])
    started = {"scope": coordinator_scope, "year": 2022}
    with django_assert_num_queries(1):  # the cohort facts
        first = tables[m].kpi(Metric.STARTED, **started)
    with django_assert_num_queries(0):
        again = tables[m].kpi(Metric.STARTED, **started)
    assert first.value == again.value > 0
