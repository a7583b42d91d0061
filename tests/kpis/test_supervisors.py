"""Supervisor KPIs: trained share, coverage of workplaces hosting trainees, capacity."""

import datetime

import pytest

from apps.core.roles import Role
from apps.core.scoping import Scope
from apps.kpis.choices import Metric
from apps.kpis.facts import FactTable
from apps.kpis.services import measurements_recompute
from apps.supervisors.models import QualificationLevel
from apps.trainees.models import Placement
from tests.factories import SupervisorFactory, TraineeFactory, WorkplaceFactory
from tests.kpis import oracles

pytestmark = pytest.mark.django_db
ON = datetime.date(2024, 3, 1)


@pytest.fixture
def homes(municipality, elderly):
    """Two nursing homes with trainees on 1 March 2024: one with two qualified supervisors,
    one with only an untrained one; a third workplace has no trainees."""
    amu = QualificationLevel.objects.get(code="amu")
    covered = WorkplaceFactory(department=elderly, name="Bakkehuset")
    uncovered = WorkplaceFactory(department=elderly, name="Skovhuset")
    WorkplaceFactory(department=elderly, name="Tom")
    SupervisorFactory(workplace=covered, qualification=amu)
    SupervisorFactory(workplace=covered, qualification=amu)
    SupervisorFactory(workplace=uncovered)
    for i, workplace in enumerate([covered, covered, covered, uncovered, uncovered, uncovered]):
        trainee = TraineeFactory(department=elderly, hr_id=f"S{i}")
        Placement.objects.create(
            municipality=municipality,
            trainee=trainee,
            period_number=1,
            kind="training",
            workplace=workplace,
            start_date=datetime.date(2024, 1, 1),
            end_date=datetime.date(2024, 6, 30),
        )
    return municipality


def test_supervisor_kpis_match_the_definitions(homes, coordinator):
    scope = Scope(user_id=None, role=Role.COORDINATOR, municipality_id=homes.pk)
    share = oracles.kpi_trained_supervisor_share(scope=scope)
    assert (share.numerator, share.denominator) == (2, 3)
    coverage = oracles.kpi_supervisor_coverage(scope=scope, on_date=ON)
    assert (coverage.numerator, coverage.denominator) == (1, 2)
    two = oracles.kpi_supervisor_coverage(scope=scope, on_date=ON, min_qualified=2)
    assert two.numerator == 1
    capacity = oracles.kpi_trainees_per_supervisor(scope=scope, on_date=ON)
    assert capacity.value == 2.0


def test_stored_facts_agree_with_the_live_supervisor_kpis(homes):
    scope = Scope(user_id=None, role=Role.COORDINATOR, municipality_id=homes.pk)
    measurements_recompute(municipality_id=homes.pk, as_of=ON)
    table = FactTable.load(municipality_ids=[homes.pk])
    for metric, live in [
        (Metric.TRAINED_SUPERVISOR_SHARE, oracles.kpi_trained_supervisor_share(scope=scope)),
        (Metric.SUPERVISOR_COVERAGE, oracles.kpi_supervisor_coverage(scope=scope, on_date=ON)),
        (
            Metric.TRAINEES_PER_SUPERVISOR,
            oracles.kpi_trainees_per_supervisor(scope=scope, on_date=ON),
        ),
    ]:
        stored = table.kpi(metric, scope=scope, year=2024)
        assert (stored.numerator, stored.denominator) == (live.numerator, live.denominator)


def test_a_leader_sees_their_own_departments_share_exactly_under_5_too(homes, leader, elderly):
    scope = Scope(
        user_id=leader.pk,
        role=Role.LEADER,
        municipality_id=homes.pk,
        department_ids=frozenset({elderly.pk}),
    )
    share = oracles.kpi_trained_supervisor_share(scope=scope)
    assert not share.suppressed and (share.numerator, share.denominator) == (2, 3)
