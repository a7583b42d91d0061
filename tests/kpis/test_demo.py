"""The demo indicators link the seed strategies' measurable goals with their baselines."""

import io
import json
from decimal import Decimal

import pytest
from django.urls import reverse

from apps.accounts.models import User
from apps.demo.indicators import load_indicators
from apps.demo.management.commands.load_demo import DEMO_STEPS
from apps.demo.organisation import FIXTURES, load_organisation, load_users
from apps.demo.strategies import load_strategies
from apps.kpis.choices import Metric
from apps.kpis.facts import FactTable
from apps.kpis.models import Indicator, Measurement
from apps.kpis.services import indicator_value
from apps.kpis.targets import target_level
from apps.organisation.models import Department, Municipality
from apps.strategy.models import Goal, StatusUpdate
from apps.trainees.models import Trainee

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


def test_without_a_population_nothing_claims_to_be_measured(seeded):
    """Before any trainee data, the measured indicators have neither baseline nor target,
    and their note does not say they were measured."""
    for name in ("Frafald blandt elever og studerende", "Elevernes sygefravær"):
        indicator = Indicator.objects.get(municipality__code=219, name=name)
        assert (indicator.baseline_value, indicator.target_value) == (None, None)
        assert "målt af portalen" not in indicator.note
        assert indicator.baseline_measured is False


def test_loading_twice_changes_nothing(seeded):
    before = Indicator.objects.count()
    load_indicators(stdout=io.StringIO())
    assert Indicator.objects.count() == before


def test_every_municipalitys_indicators_measure_goals_of_its_own_strategy(seeded):
    """The indicators of the documents' measurable goals are linked to those goals, never to
    another municipality's, in all five municipalities."""
    for code in (219, 165, 707, 250, 217):
        indicators = Indicator.objects.filter(municipality__code=code)
        linked = indicators.filter(goals__isnull=False).distinct()
        assert linked.exists(), code
        for indicator in linked:
            assert {g.focus_area.strategy.municipality.code for g in indicator.goals.all()} == {
                code
            }
    assert "findes ikke" not in seeded  # every goal an indicator names is there
    albertslund = Indicator.objects.get(municipality__code=165, name="Frafald, SSA")
    assert albertslund.goals.get().text.startswith("Et øget fokus på frafaldstruede elever")


# --- Hillerød's computed indicators, on Hillerød's generated population ----------------------

MEASURED = {
    Metric.DROPOUT_RATE: "Frafald blandt elever og studerende",
    Metric.HIRED_AFTER_COMPLETION_RATE: "Ansat i kommunen efter endt uddannelse",
    Metric.SICK_ABSENCE_RATE: "Elevernes sygefravær",
    Metric.INTAKE_VS_QUOTA: "Optag i forhold til dimensioneringen",
}


@pytest.fixture
def hillerod(db, tmp_path):
    """Hillerød alone (its population is quick to generate), loaded as `load_demo` does."""
    organisation = json.loads((FIXTURES / "organisation.json").read_text(encoding="utf-8"))
    organisation["municipalities"] = [m for m in organisation["municipalities"] if m["code"] == 219]
    users = json.loads((FIXTURES / "users.json").read_text(encoding="utf-8"))
    users["users"] = [u for u in users["users"] if u["municipality"] == 219]
    (tmp_path / "organisation.json").write_text(json.dumps(organisation), encoding="utf-8")
    (tmp_path / "users.json").write_text(json.dumps(users), encoding="utf-8")
    load_organisation(tmp_path / "organisation.json")
    load_users(tmp_path / "users.json")

    def load():
        for step in DEMO_STEPS:
            step(stdout=io.StringIO())

    load()
    return load


def test_hillerods_dropout_hiring_sick_absence_and_intake_have_measured_baselines(hillerod, client):
    """One load for all checks: the population takes a few seconds to generate."""
    check_baselines_are_the_registrys_value_for_the_named_period()
    check_the_leader_sees_the_targets_on_the_department_dashboard(client)
    check_loading_twice_changes_nothing(hillerod)


def check_baselines_are_the_registrys_value_for_the_named_period():
    hillerod = Municipality.objects.get(code=219)
    table = FactTable.load(municipality_ids=[hillerod.pk])
    elderly = Department.objects.get(municipality=hillerod, name="Ældre og Sundhed")
    for metric, name in MEASURED.items():
        indicators = Indicator.objects.filter(municipality=hillerod, metric=metric)
        assert indicators.filter(name=name, department=None).exists(), name
        if metric != Metric.INTAKE_VS_QUOTA:  # the leader's own department's figure too
            assert indicators.filter(department=elderly).count() == 1, metric
        for indicator in indicators.exclude(name__in=["Uddannede praktikvejledere"]):
            computed = indicator_value(indicator, table, 2023)
            assert computed is not None and computed.value is not None, indicator.name
            assert indicator.baseline_period == 2023
            assert indicator.baseline_value == Decimal(str(round(computed.value, 2)))
            # The same figure the measurements (and so the charts) show for 2023.
            assert indicator.measurements.get(period=2023).value == indicator.baseline_value
            # Never presented as the document's figure: the note says where both come from.
            assert "Baseline: målt af portalen for 2023" in indicator.note
            assert indicator.baseline_measured is True
            assert "Mål: demomål" in indicator.note
            assert target_level(indicator) is not None
            goals = list(indicator.goals.select_related("focus_area__strategy"))
            assert goals, indicator.name
            for goal in goals:
                assert goal.focus_area.strategy.municipality_id == hillerod.pk
                if indicator.department_id:  # a department's goals or the fælles mål
                    assert goal.department_id in (None, indicator.department_id)
    # The document's own figures stay the document's: no measured note where it gives one.
    documented = Indicator.objects.get(municipality=hillerod, name="Uddannede praktikvejledere")
    assert "målt af portalen" not in documented.note


def check_the_leader_sees_the_targets_on_the_department_dashboard(client):
    """Journey 3: `leder` (Ældre og Sundhed) opens the department dashboard and sees the
    four KPIs against their targets, the department's own where it has one."""
    leader = User.objects.get(username="leder")
    elderly = leader.departments.get()
    client.force_login(leader)
    response = client.get(reverse("dashboards:department_default"), follow=True)
    assert response.status_code == 200
    assert response.context["department"] == elderly
    tiles = {t.metric: t for t in response.context["dash"].tiles}
    page = response.text
    for metric in MEASURED:
        tile = tiles[metric]
        assert tile.indicator is not None and tile.target, metric
        assert tile.baseline.endswith("(målt af portalen for 2023)"), metric
        assert tile.target in page
        expected = None if metric == Metric.INTAKE_VS_QUOTA else elderly.pk
        assert tile.indicator.department_id == expected, metric


def check_loading_twice_changes_nothing(load):
    def snapshot():
        return (
            list(
                Indicator.objects.order_by("id").values_list(
                    "id", "name", "baseline_value", "baseline_period", "target_value", "note"
                )
            ),
            list(Indicator.goals.through.objects.order_by("id").values_list("id", flat=True)),
            list(Measurement.objects.order_by("id").values_list("id", "value")),
            list(Goal.objects.order_by("id").values_list("id", "status", "owner", "follow_up_on")),
            StatusUpdate.objects.count(),
            Trainee.objects.count(),
        )

    before = snapshot()
    load()
    assert snapshot() == before
