"""The demo indicators link the seed strategies' measurable goals with their baselines."""

import io
from decimal import Decimal

import pytest

from apps.demo.indicators import load_indicators
from apps.demo.organisation import load_organisation
from apps.demo.strategies import load_strategies
from apps.kpis.models import Indicator
from apps.kpis.targets import target_level

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(db):
    load_organisation()
    load_strategies(stdout=io.StringIO())
    out = io.StringIO()
    load_indicators(stdout=out)
    return out.getvalue()


def test_frederikssunds_goals_get_their_documents_baselines_and_targets(seeded):
    ssa = Indicator.objects.get(municipality__code=250, name="Frafald på hovedforløbet, SSA")
    assert ssa.goals.get().text.startswith("at vi reducerer andelen som falder fra")
    assert (ssa.baseline_value, ssa.target_value, ssa.target_period) == (40, -7, 2026)
    assert target_level(ssa) == Decimal("37.2")
    sick = Indicator.objects.get(municipality__code=250, name="Elevernes sygefravær")
    assert target_level(sick) == Decimal("7.84")
    hired = Indicator.objects.get(
        municipality__code=250, name="Ansat i kommunen efter endt uddannelse"
    )
    assert target_level(hired) == Decimal("44.4")
    assert (
        Indicator.objects.filter(municipality__code=250, goals__isnull=False).distinct().count()
        == 8
    )


def test_hillerods_supervisor_goal_is_linked(seeded):
    indicator = Indicator.objects.get(municipality__code=219, name="Uddannede praktikvejledere")
    assert indicator.goals.get().text.startswith("at alle praktikvejledere opnår uddannelse")


def test_loading_twice_changes_nothing(seeded):
    before = Indicator.objects.count()
    load_indicators(stdout=io.StringIO())
    assert Indicator.objects.count() == before
