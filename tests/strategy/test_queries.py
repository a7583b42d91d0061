"""The grid page's query count does not grow with the number of goals."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import (
    DepartmentFactory,
    FocusAreaFactory,
    GoalFactory,
    InitiativeFactory,
    StrategyFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def _strategy(municipality, departments, *, areas: int, goals_per_cell: int, owner):
    strategy = StrategyFactory(municipality=municipality)
    for _ in range(areas):
        area = FocusAreaFactory(strategy=strategy)
        for department in [None, *departments]:
            GoalFactory.create_batch(
                goals_per_cell, focus_area=area, department=department, owner=owner
            )
    return strategy


def _queries(client, strategy) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("strategy:strategy_detail", args=[strategy.pk]))
    assert response.status_code == 200
    return len(captured), response.text


@pytest.mark.parametrize("persona", ["coordinator", "leader"])
def test_grid_queries_do_not_grow_with_the_number_of_goals(
    request, login, municipality, elderly, school, persona
):
    user = request.getfixturevalue(persona)
    owner = UserFactory(municipality=municipality, first_name="Olga", last_name="Ejer")
    departments = [elderly, school, DepartmentFactory(municipality=municipality, name="Dagtilbud")]
    small = _strategy(municipality, departments[:1], areas=1, goals_per_cell=1, owner=None)
    large = _strategy(municipality, departments, areas=6, goals_per_cell=5, owner=owner)
    client = login(user)
    _queries(client, small)  # warm up session and caches alike for both measurements

    small_count, _ = _queries(client, small)
    large_count, html = _queries(client, large)

    assert html.count('class="goal-item"') == 6 * 4 * 5
    assert html.count("Olga Ejer") == 6 * 4 * 5
    assert large_count == small_count


def _count(client, url) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def test_initiative_list_and_followup_queries_do_not_grow_with_the_rows(
    login, coordinator, municipality, elderly
):
    strategy = StrategyFactory(municipality=municipality)
    area = FocusAreaFactory(strategy=strategy)
    past = datetime.date(2020, 1, 1)
    InitiativeFactory(strategy=strategy, focus_area=area, department=elderly, owner=coordinator)
    GoalFactory(focus_area=area, department=elderly, owner=coordinator, follow_up_on=past)
    client = login(coordinator)
    list_url, followup_url = reverse("strategy:initiative_list"), reverse("strategy:followup")
    small = (_count(client, list_url), _count(client, followup_url))

    for n in range(30):
        InitiativeFactory(
            strategy=strategy,
            focus_area=area,
            department=elderly,
            owner=coordinator,
            origin=f"Kilde {n % 3}",
            follow_up_on=past,
        )
        GoalFactory(focus_area=area, department=elderly, owner=coordinator, follow_up_on=past)
    large = (_count(client, list_url), _count(client, followup_url))

    followup_html = client.get(followup_url).text
    assert followup_html.count("Send påmindelse</button>") == 31 + 30
    assert large == small
