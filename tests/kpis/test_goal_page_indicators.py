"""The goal page shows its indicators (value, baseline, target, trajectory status, chart with
a table) as the reader may see them, and its initiatives; the grid shows the KPI badge."""

import json
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from apps.kpis.choices import Metric, TargetKind, Unit
from apps.kpis.goal_status import suggest_goal_statuses
from apps.kpis.models import Indicator, Measurement
from apps.strategy.choices import InitiativeStatus
from tests.factories import FocusAreaFactory, GoalFactory, InitiativeFactory, StrategyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def strategy(municipality):
    return StrategyFactory(municipality=municipality)


@pytest.fixture
def goal(strategy, elderly):
    return GoalFactory(focus_area=FocusAreaFactory(strategy=strategy), department=elderly)


def _indicator(municipality, goal, *, name, department=None, **fields):
    indicator = Indicator.objects.create(
        municipality=municipality,
        name=name,
        unit=Unit.PERCENT,
        direction="higher",
        baseline_value=Decimal("40"),
        baseline_period=2022,
        target_value=Decimal("60"),
        target_period=2026,
        target_kind=TargetKind.ABSOLUTE,
        department=department,
        **fields,
    )
    indicator.goals.add(goal)
    return indicator


def _measure(indicator, period, value, numerator=None, denominator=None):
    Measurement.objects.create(
        municipality=indicator.municipality,
        indicator=indicator,
        period=period,
        value=Decimal(value),
        numerator=numerator,
        denominator=denominator,
    )


def _page(client, goal) -> str:
    response = client.get(reverse("strategy:goal_detail", args=[goal.pk]))
    assert response.status_code == 200
    return response.content.decode()


def _charts(html) -> list[dict]:
    found = re.search(
        r'<script id="goal-indicator-charts" type="application/json">(.*?)</script>', html, re.S
    )
    assert found, "the chart data is passed with json_script"
    return json.loads(found.group(1))


def test_the_goal_page_shows_value_baseline_target_status_and_chart(
    login, municipality, goal, coordinator
):
    indicator = _indicator(municipality, goal, name="Ansat efter uddannelse")
    _measure(indicator, 2023, "44")
    _measure(indicator, 2024, "42")
    suggest_goal_statuses(municipality_id=municipality.pk)

    html = _page(login(coordinator), goal)

    row = html[html.index(f'id="noegletal-{indicator.pk}"') :]
    row = row[: row.index("</tr>")]
    assert "Ansat efter uddannelse" in row
    assert "42\xa0%" in row and "(2024" in row  # the latest measurement
    assert "40\xa0% (2022)" in row  # baseline with its period
    assert "60\xa0% (niveau) i 2026" in row  # target_text
    assert '<span class="status-badge status-bad">Bagud</span>' in row
    assert "procentpoint under målet" in row
    assert "Nøgletal: Bagud" in html  # the goal's suggestion beside its status
    [chart] = _charts(html)
    assert chart["id"] == f"chart-goal-indicator-{indicator.pk}"
    assert chart["labels"] == ["2022", "2023", "2024", "2026"]
    assert chart["datasets"][0]["data"] == [None, 44.0, 42.0, None]
    assert [d.get("role") for d in chart["datasets"]] == [None, "baseline", "target"]
    assert f'<canvas id="chart-goal-indicator-{indicator.pk}" role="img"' in html
    assert f'aria-controls="chart-goal-indicator-{indicator.pk}-table"' in html  # "Vis tabel"
    assert '<th scope="row">2024</th><td>42\xa0%</td><td>50\xa0%</td>' in html
    assert "js/kpis.js" in html and "<script>" not in html


def test_a_goal_without_indicators_says_so_and_lists_its_initiatives(login, strategy, goal, leader):
    InitiativeFactory(
        strategy=strategy, title="Mentorordning", status=InitiativeStatus.IN_PROGRESS, goals=[goal]
    )
    html = _page(login(leader), goal)
    assert "Ingen nøgletal følger målsætningen endnu" in html
    assert "Ingen nøgletal knyttet" in html
    assert "Mentorordning</a>" in html
    assert '<span class="status-badge status-neutral">På vej</span>' in html or "På vej" in html
    assert "goal-indicator-charts" not in html


def test_a_leader_sees_no_small_count_of_the_whole_municipality(
    login, municipality, goal, coordinator, leader
):
    """A municipality-wide figure is not the leader's own department's: counts are rounded
    and a rate built on 1–4 persons is hidden (apps/kpis/disclosure.py)."""
    indicator = _indicator(
        municipality, goal, name="Frafald hele kommunen", metric=Metric.DROPOUT_RATE
    )
    _measure(indicator, 2024, "30", numerator=3, denominator=10)

    coordinator_html = _page(login(coordinator), goal)
    assert "30\xa0%" in coordinator_html[coordinator_html.index(f'id="noegletal-{indicator.pk}"') :]

    html = _page(login(leader), goal)
    row = html[html.index(f'id="noegletal-{indicator.pk}"') :]
    row = row[: row.index("</tr>")]
    assert "30\xa0%" not in row
    assert "Færre end 5 personer" in row
    assert "Vises ikke (for få personer)" in row
    [chart] = _charts(html)
    assert chart["withheld"] is True
    assert chart["datasets"][0]["data"] == [None, None, None]
    assert "30" not in json.dumps(chart["datasets"][0])
    assert "For få personer til at vise udviklingen." in html


def test_a_leader_sees_only_indicators_visible_to_them(
    login, municipality, goal, coordinator, leader, school
):
    _indicator(municipality, goal, name="Skolens eget nøgletal", department=school)
    _indicator(municipality, goal, name="Fælles nøgletal")
    leader_html = _page(login(leader), goal)
    assert "Fælles nøgletal" in leader_html
    assert "Skolens eget nøgletal" not in leader_html
    assert "Skolens eget nøgletal" in _page(login(coordinator), goal)


def test_only_coordinators_get_the_link_form(login, municipality, goal, coordinator, leader):
    linked = _indicator(municipality, goal, name="Tilknyttet")
    Indicator.objects.create(municipality=municipality, name="Ledigt nøgletal")
    coordinator_html = _page(login(coordinator), goal)
    assert reverse("kpis:goal_indicator_link", args=[goal.pk]) in coordinator_html
    assert '<label class="form-label" for="tilknyt-noegletal">' in coordinator_html
    options = coordinator_html[coordinator_html.index('id="tilknyt-noegletal"') :]
    options = options[: options.index("</select>")]
    assert "Ledigt nøgletal" in options and "Tilknyttet" not in options
    assert reverse("kpis:goal_indicator_unlink", args=[goal.pk, linked.pk]) in coordinator_html
    leader_html = _page(login(leader), goal)
    assert "tilknyt-noegletal" not in leader_html
    assert "goal_indicator_unlink" not in leader_html and "/fjern/" not in leader_html


def test_the_goal_pages_queries_do_not_grow_with_its_indicators(
    login, municipality, goal, coordinator, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login(coordinator)
    first = _indicator(municipality, goal, name="Første")
    _measure(first, 2024, "50")
    client.get(reverse("strategy:goal_detail", args=[goal.pk]))
    with CaptureQueriesContext(connection) as one:
        _page(client, goal)
    for n in range(5):
        more = _indicator(municipality, goal, name=f"Nøgletal {n}")
        _measure(more, 2023, "45")
        _measure(more, 2024, "50")
    with CaptureQueriesContext(connection) as six:
        html = _page(client, goal)
    assert html.count("chart-goal-indicator-") >= 6
    assert len(six) == len(one)


def test_the_grid_shows_the_kpi_badge_beside_the_status(login, strategy, goal, leader):
    other = GoalFactory(focus_area=goal.focus_area, department=None)
    goal.suggested_status = "behind"
    goal.save()
    html = login(leader).get(reverse("strategy:strategy_detail", args=[strategy.pk])).text
    item = html[html.index(f'id="maal-{goal.pk}"') :]
    item = item[: item.index("</li>")]
    assert '<span class="status-badge status-neutral">Ikke startet</span>' in item
    assert '<span class="status-badge kpi-badge status-bad">Nøgletal: Bagud</span>' in item
    other_item = html[html.index(f'id="maal-{other.pk}"') :]
    assert "Nøgletal:" not in other_item[: other_item.index("</li>")]
