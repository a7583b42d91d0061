"""A goal linked to an indicator that is behind: the grid and the goal page show the
suggestion "Nøgletal: Bagud", the trajectory chart is drawn with its table, and the leader
of the goal's department overrides it with a reason (refused without one, the error tied
to the field); the page stays free of serious accessibility violations."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from apps.kpis.choices import TargetKind, Unit
from apps.kpis.goal_status import suggest_goal_statuses
from apps.kpis.models import Indicator, Measurement
from apps.strategy.choices import StrategyStatus
from apps.strategy.models import Goal
from tests.browser.helpers import (
    assert_accessible,
    assert_charts_have_text_alternatives,
    assert_error_described,
)
from tests.factories import FocusAreaFactory, GoalFactory, StrategyFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_leader_sees_the_suggestion_and_overrides_it_with_a_reason(
    page_for, municipality, elderly, leader
):
    strategy = StrategyFactory(municipality=municipality, status=StrategyStatus.ADOPTED)
    goal = GoalFactory(
        focus_area=FocusAreaFactory(strategy=strategy),
        department=elderly,
        text="Flere SSA-elever bliver ansat efter endt uddannelse",
    )
    indicator = Indicator.objects.create(
        municipality=municipality,
        name="Ansat efter endt uddannelse",
        unit=Unit.PERCENT,
        baseline_value=Decimal("40"),
        baseline_period=2022,
        target_value=Decimal("60"),
        target_period=2026,
        target_kind=TargetKind.ABSOLUTE,
    )
    indicator.goals.add(goal)
    for period, value in ((2023, "43"), (2024, "42")):
        Measurement.objects.create(
            municipality=municipality, indicator=indicator, period=period, value=Decimal(value)
        )
    suggest_goal_statuses(municipality_id=municipality.pk)

    page = page_for(leader)
    page.goto(f"/strategi/{strategy.pk}/")
    expect(page.locator(f"#maal-{goal.pk} .kpi-badge")).to_have_text("Nøgletal: Bagud")

    page.goto(f"/strategi/maal/{goal.pk}/")
    expect(page.get_by_role("heading", name="Nøgletal", exact=True)).to_be_visible()
    row = page.locator(f"#noegletal-{indicator.pk}")
    expect(row).to_contain_text("42")
    expect(row).to_contain_text("Bagud")
    assert assert_charts_have_text_alternatives(page) == 1
    assert page.evaluate(
        f"() => !!window.Chart.getChart(document.getElementById('chart-goal-indicator-"
        f"{indicator.pk}'))"
    )
    page.get_by_role("button", name="Vis tabel").click()
    expect(page.locator(f"#chart-goal-indicator-{indicator.pk}-table")).to_be_visible()
    assert_accessible(page)

    page.locator("summary", has_text="Vælg anden status").click()
    page.locator("#id_anden-status-status").select_option(label="På sporet")
    page.get_by_role("button", name="Gem status med begrundelse").click()
    reason = page.get_by_label("Begrundelse")
    assert_error_described(page, reason, "Skriv en begrundelse")
    assert_accessible(page)

    reason.fill("Årets nye introforløb virker først fra 2025.")
    page.get_by_role("button", name="Gem status med begrundelse").click()
    expect(page.locator(".goal-status-reason")).to_have_text(
        "Årets nye introforløb virker først fra 2025."
    )
    expect(page.get_by_text("Anden status end forslaget valgt")).to_be_visible()
    goal = Goal.objects.get(pk=goal.pk)
    assert (goal.status, goal.status_decided_by_id) == ("on_track", leader.pk)
    assert goal.focus_area.strategy.status == StrategyStatus.ADOPTED
