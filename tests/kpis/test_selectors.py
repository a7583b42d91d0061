"""The KPI selectors reproduce Frederikssund's own figures from trainee-level rows."""

import datetime

import pytest

from apps.kpis.choices import Metric
from apps.kpis.disclosure import disclose
from apps.kpis.facts import FactTable
from apps.kpis.results import Breakdown, BreakdownRow
from apps.kpis.services import measurements_recompute
from tests.kpis import oracles

pytestmark = pytest.mark.django_db


def pct(result) -> str:
    return f"{result.value:.1f}"


def test_completion_rate_matches_frederikssund(coordinator_scope):
    ssh = oracles.kpi_completion_rate(scope=coordinator_scope, programme="SSH", cohort_year=2022)
    ssa = oracles.kpi_completion_rate(scope=coordinator_scope, programme="SSA", cohort_year=2020)
    assert (ssh.numerator, ssh.denominator, pct(ssh)) == (31, 37, "83.8")
    assert (ssa.numerator, ssa.denominator, pct(ssa)) == (27, 45, "60.0")


def test_started_counts_the_cohort(coordinator_scope):
    assert oracles.kpi_started(scope=coordinator_scope, year=2022, programme="SSH").value == 37
    assert oracles.kpi_started(scope=coordinator_scope, year=2020, programme="SSA").value == 45


def test_dropout_rate_matches_frederikssund(coordinator_scope):
    ssh = oracles.kpi_dropout_rate(scope=coordinator_scope, programme="SSH", cohort_year=2022)
    ssa = oracles.kpi_dropout_rate(scope=coordinator_scope, programme="SSA", cohort_year=2020)
    assert (ssh.numerator, ssh.denominator, pct(ssh)) == (6, 37, "16.2")
    assert (ssa.numerator, ssa.denominator, pct(ssa)) == (18, 45, "40.0")


def test_hired_after_completion_matches_frederikssund(coordinator_scope):
    ssh = oracles.kpi_hired_after_completion_rate(
        scope=coordinator_scope, programme="SSH", cohort_year=2022
    )
    ssa = oracles.kpi_hired_after_completion_rate(
        scope=coordinator_scope, programme="SSA", cohort_year=2020
    )
    assert (ssh.numerator, ssh.denominator, pct(ssh)) == (19, 31, "61.3")
    assert (ssa.numerator, ssa.denominator, pct(ssa)) == (15, 27, "55.6")


def test_hire_rate_over_both_cohorts_is_41_5(coordinator_scope):
    both = oracles.kpi_hire_rate_pooled(scope=coordinator_scope, cohorts={"SSH": 2022, "SSA": 2020})
    assert (both.numerator, both.denominator, pct(both)) == (34, 82, "41.5")


def test_hired_into_lists_departments_and_ssa_students(coordinator_scope):
    result = oracles.kpi_hired_into(scope=coordinator_scope, programme="SSH", cohort_year=2022)
    assert [(r.label, r.count) for r in result.rows] == [
        ("Døgnplejen", 7),
        ("Omsorgscentre og daghjem", 7),
        ("Ansat som SSA-elev", 5),
    ]


def test_dropouts_by_reason_2023_match_bilag_2(coordinator_scope):
    ssa = oracles.kpi_dropouts_by_reason(scope=coordinator_scope, programme="SSA", year=2023)
    ssh = oracles.kpi_dropouts_by_reason(scope=coordinator_scope, programme="SSH", year=2023)
    assert [r.count for r in ssa.rows] == [6, 5, 4, 3, 3, 3, 1, 1, 2]
    assert (ssa.total, len(ssa.rows)) == (28, 9)
    assert [(r.key, r.count) for r in ssh.rows] == [
        ("academic", 5),
        ("wrong-choice", 2),
        ("other", 2),
    ]
    assert ssh.total == 9


def test_internal_recruitment_2023_is_16_3_split_11_2_and_5_1(coordinator_scope):
    result = oracles.kpi_internal_recruitment_rate(scope=coordinator_scope, year=2023)
    assert [pct(result[k]) for k in ("total", "unskilled", "ssh")] == ["16.3", "11.2", "5.1"]
    assert result["total"].denominator == 98


def test_sick_absence_2023_is_8_64(coordinator_scope):
    result = oracles.kpi_sick_absence_rate(scope=coordinator_scope, year=2023)
    assert f"{result.value:.2f}" == "8.64"


def test_intake_vs_quota_sets_started_against_the_quota(coordinator_scope):
    result = oracles.kpi_intake_vs_quota(scope=coordinator_scope, year=2023, programme="SSA")
    assert (result.numerator, result.denominator) == (60, 56)


def test_a_leader_sees_only_their_department(leader_scope, frederikssund):
    result = oracles.kpi_started(scope=leader_scope, year=2022, programme="SSH")
    # The SSH 2022 rows rotate over three departments; Døgnplejen holds every third.
    assert result.numerator == 13


def test_a_leader_reads_their_department_exactly_except_dropout_reasons_under_5(
    leader_scope, coordinator_scope, frederikssund
):
    dogn = frederikssund.dogn.pk
    # Døgnplejen holds a third of the nine SSH dropouts of 2023: every reason is under 5.
    leader = oracles.kpi_dropouts_by_reason(scope=leader_scope, year=2023, programme="SSH")
    coordinator = oracles.kpi_dropouts_by_reason(
        scope=coordinator_scope, year=2023, programme="SSH", department=dogn
    )
    assert all(r.count is not None for r in coordinator.rows)
    assert [r.count for r in leader.rows] == [None] * len(leader.rows)
    assert leader.total is None
    # Every other figure of their own department is exact, small counts included.
    rate = oracles.kpi_dropout_rate(scope=leader_scope, cohort_year=2022, programme="SSH")
    exact = oracles.kpi_dropout_rate(
        scope=coordinator_scope, cohort_year=2022, programme="SSH", department=dogn
    )
    assert not rate.suppressed and (rate.numerator, rate.denominator) == (
        exact.numerator,
        exact.denominator,
    )


def test_one_small_cell_takes_a_second_one_with_it(leader_scope):
    rows = [("a", "A", 12), ("b", "B", 3), ("c", "C", 7), ("d", "D", 9)]
    breakdown = Breakdown(Metric.DROPOUTS_BY_REASON, [BreakdownRow(*row) for row in rows])
    result = disclose(breakdown, leader_scope)
    assert [r.count for r in result.rows] == [12, None, None, 9]
    assert result.total == 31


def test_facts_give_the_same_figures_as_the_live_selectors(coordinator_scope, frederikssund):
    measurements_recompute(
        municipality_id=frederikssund.municipality.pk, as_of=datetime.date(2023, 12, 31)
    )
    table = FactTable.load(municipality_ids=[frederikssund.municipality.pk])
    for metric, selector, kwargs in [
        (Metric.COMPLETION_RATE, oracles.kpi_completion_rate, {"cohort_year": 2022}),
        (Metric.DROPOUT_RATE, oracles.kpi_dropout_rate, {"cohort_year": 2020}),
        (
            Metric.HIRED_AFTER_COMPLETION_RATE,
            oracles.kpi_hired_after_completion_rate,
            {"cohort_year": 2022},
        ),
    ]:
        for programme in ("SSH", "SSA", None):
            live = selector(scope=coordinator_scope, programme=programme, **kwargs)
            stored = table.kpi(
                metric, scope=coordinator_scope, year=kwargs["cohort_year"], programme=programme
            )
            assert (stored.numerator, stored.denominator) == (live.numerator, live.denominator)
    live = oracles.kpi_dropouts_by_reason(scope=coordinator_scope, year=2023, programme="SSA")
    stored = table.kpi(
        Metric.DROPOUTS_BY_REASON, scope=coordinator_scope, year=2023, programme="SSA"
    )
    assert stored == live
    live = oracles.kpi_sick_absence_rate(scope=coordinator_scope, year=2023)
    stored = table.kpi(Metric.SICK_ABSENCE_RATE, scope=coordinator_scope, year=2023)
    assert stored.value == pytest.approx(live.value)


def test_latest_finished_cohorts_pool_to_the_documents_41_5(coordinator_scope, frederikssund):
    measurements_recompute(
        municipality_id=frederikssund.municipality.pk, as_of=datetime.date(2023, 12, 31)
    )
    table = FactTable.load(municipality_ids=[frederikssund.municipality.pk])
    cohorts = table.finished_cohorts(2023)
    assert {(c.programme, c.year) for c in cohorts} == {("SSH", 2022), ("SSA", 2020)}
    result = table.kpi(Metric.HIRE_RATE, scope=coordinator_scope, year=2023, cohorts=cohorts)
    assert f"{result.value:.1f}" == "41.5"
