"""GET /api/v1/goals/: the strategy's goals with status, suggested status, owner, follow-up
and linked indicators and initiatives; scoped like the strategy pages; described by the
OpenAPI schema; a constant number of queries."""

import datetime

import jsonschema_rs
import pytest
from django.urls import reverse

from apps.kpis.choices import Unit
from apps.kpis.models import Indicator
from apps.strategy.choices import GoalStatus, StrategyStatus
from tests.factories import (
    DepartmentFactory,
    FocusAreaFactory,
    GoalFactory,
    InitiativeFactory,
    StrategyFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def goals_url(**params) -> str:
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return reverse("api:goal_list") + (f"?{query}" if query else "")


@pytest.fixture
def strategy(municipality):
    return StrategyFactory(
        municipality=municipality,
        status=StrategyStatus.ADOPTED,
        adopted_on=datetime.date(2024, 3, 1),
    )


@pytest.fixture
def world(municipality, strategy, elderly, school):
    area = FocusAreaFactory(strategy=strategy, title="Rekruttering", order=1)
    owner = UserFactory(first_name="Olga", last_name="Ejer", municipality=municipality)
    elderly_goal = GoalFactory(
        focus_area=area,
        department=elderly,
        text="Færre SSA-elever falder fra",
        owner=owner,
        follow_up_on=datetime.date(2026, 12, 15),
        status=GoalStatus.IN_PROGRESS,
        suggested_status="behind",
    )
    common_goal = GoalFactory(focus_area=area, department=None, text="Fælles mål")
    school_goal = GoalFactory(focus_area=area, department=school, text="Skolens mål")
    shared = Indicator.objects.create(municipality=municipality, name="Frafald", unit=Unit.PERCENT)
    school_only = Indicator.objects.create(
        municipality=municipality, name="Skolens tal", unit=Unit.PERCENT, department=school
    )
    elderly_goal.indicators.add(shared, school_only)
    initiative = InitiativeFactory(strategy=strategy, goals=[elderly_goal, common_goal])
    draft = StrategyFactory(municipality=municipality)  # the next version, being written
    draft_goal = GoalFactory(focus_area=FocusAreaFactory(strategy=draft), text="Udkastets mål")
    return {
        "elderly": elderly_goal,
        "common": common_goal,
        "school": school_goal,
        "shared": shared,
        "school_only": school_only,
        "initiative": initiative,
        "draft": draft,
        "draft_goal": draft_goal,
    }


def _validator(client, path="/goals/"):
    schema = client.get("/api/v1/openapi.json").json()
    response = schema["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]
    return jsonschema_rs.Draft202012Validator(
        {**response["schema"], "components": schema["components"]}, validate_formats=True
    )


def test_a_coordinator_gets_the_goals_of_the_strategy_in_force_in_the_schemas_shape(
    token_client, coordinator, world
):
    client = token_client(coordinator)
    response = client.get(goals_url(municipality=219))
    assert response.status_code == 200
    data = response.json()
    _validator(client).validate(data)
    by_text = {g["text"]: g for g in data["results"]}
    assert set(by_text) == {"Færre SSA-elever falder fra", "Fælles mål", "Skolens mål"}
    goal = world["elderly"]
    assert by_text["Færre SSA-elever falder fra"] == {
        "id": goal.pk,
        "text": "Færre SSA-elever falder fra",
        "strategy": goal.focus_area.strategy_id,
        "focus_area": goal.focus_area_id,
        "department": goal.department_id,
        "owner": "Olga Ejer",
        "follow_up_date": "2026-12-15",
        "status": "in_progress",
        "suggested_status": "behind",
        "indicators": sorted([world["shared"].pk, world["school_only"].pk]),
        "initiatives": [world["initiative"].pk],
    }
    common = by_text["Fælles mål"]
    assert common["department"] is None and common["owner"] is None
    assert common["follow_up_date"] is None and common["suggested_status"] is None
    assert common["indicators"] == [] and common["initiatives"] == [world["initiative"].pk]


def test_filters_by_strategy_and_by_department(token_client, coordinator, elderly, world):
    client = token_client(coordinator)
    draft = client.get(goals_url(strategy=world["draft"].pk)).json()["results"]
    assert [g["text"] for g in draft] == ["Udkastets mål"]
    # A department's goals and the fælles mål, as on the department's dashboard.
    department = client.get(goals_url(department=elderly.pk)).json()["results"]
    assert {g["text"] for g in department} == {"Færre SSA-elever falder fra", "Fælles mål"}


def test_a_leader_reads_every_goal_as_on_the_strategy_pages_but_not_other_departments_kpis(
    token_client, leader, elderly, school, world
):
    client = token_client(leader)
    results = client.get(goals_url()).json()["results"]
    assert {g["text"] for g in results} == {"Færre SSA-elever falder fra", "Fælles mål"} | {
        "Skolens mål"
    }
    goal = next(g for g in results if g["id"] == world["elderly"].pk)
    # The school's own indicator is not the leader's to read (/indicators/ hides it too).
    assert goal["indicators"] == [world["shared"].pk]
    assert goal["owner"] == "Olga Ejer"
    school_goals = client.get(goals_url(department=school.pk)).json()["results"]
    assert {g["text"] for g in school_goals} == {"Skolens mål", "Fælles mål"}


def test_another_municipality_is_not_found_and_its_goals_are_never_listed(
    token_client, outsider, coordinator, world, other_department
):
    other_strategy = StrategyFactory(
        municipality=other_department.municipality, status=StrategyStatus.ADOPTED
    )
    GoalFactory(focus_area=FocusAreaFactory(strategy=other_strategy), text="Albertslunds mål")
    response = token_client(outsider).get(goals_url(municipality=219))
    assert response.status_code == 404
    assert response.json() == {"detail": "Kommunen findes ikke."}
    own = token_client(outsider).get(goals_url()).json()["results"]
    assert [g["text"] for g in own] == ["Albertslunds mål"]
    client = token_client(coordinator)
    for url, detail in [
        (goals_url(strategy=other_strategy.pk), "Strategien findes ikke."),
        (goals_url(department=other_department.pk), "Fagområdet findes ikke."),
    ]:
        response = client.get(url)
        assert response.status_code == 404 and response.json() == {"detail": detail}


def test_a_kkr_analyst_reads_any_municipalitys_goals_without_owner_names(
    token_client, kkr, world, other_department
):
    other_strategy = StrategyFactory(
        municipality=other_department.municipality, status=StrategyStatus.ADOPTED
    )
    other_goal = GoalFactory(
        focus_area=FocusAreaFactory(strategy=other_strategy),
        department=other_department,
        owner=UserFactory(municipality=other_department.municipality),
    )
    client = token_client(kkr)
    data = client.get(goals_url(municipality=165)).json()
    _validator(client).validate(data)
    assert [g["id"] for g in data["results"]] == [other_goal.pk]
    assert data["results"][0]["owner"] is None
    filtered = client.get(goals_url(municipality=165, department=other_department.pk)).json()
    assert [g["id"] for g in filtered["results"]] == [other_goal.pk]
    own = client.get(goals_url()).json()["results"]
    assert len(own) == 3 and all(g["owner"] is None for g in own)


def test_without_a_strategy_the_list_is_empty(token_client, outsider):
    response = token_client(outsider).get(goals_url())
    assert response.status_code == 200 and response.json() == {"results": []}


@pytest.mark.parametrize(
    ("query", "detail"),
    [
        ("strategy=abc", "strategy skal være en strategis id."),
        ("strategy=0", "strategy skal være en strategis id."),
        ("department=x", "department skal være et fagområdes id."),
        ("municipality=", "municipality skal være et kommunenummer, fx 250."),
        ("strategy=1&strategy=2", "strategy må kun angives én gang."),
    ],
)
def test_bad_parameters_are_a_danish_400(token_client, coordinator, world, query, detail):
    response = token_client(coordinator).get(f"{goals_url()}?{query}")
    assert response.status_code == 400
    assert response.json() == {"detail": detail}


def test_the_schema_describes_the_goal_list_and_its_parameters(client, world):
    schema = client.get("/api/v1/openapi.json").json()
    operation = schema["paths"]["/goals/"]["get"]
    assert {p["name"] for p in operation["parameters"]} == {
        "municipality",
        "strategy",
        "department",
    }
    assert {"200", "400", "401", "403", "404", "500"} <= set(operation["responses"])
    goal = schema["components"]["schemas"]["Goal"]
    assert goal["required"] == [
        "id",
        "text",
        "strategy",
        "focus_area",
        "department",
        "owner",
        "follow_up_date",
        "status",
        "suggested_status",
        "indicators",
        "initiatives",
    ]
    assert goal["properties"]["suggested_status"]["enum"] == [
        "achieved",
        "on_track",
        "behind",
        "no_data",
        None,
    ]
    assert client.get(reverse("api:index")).json()["goals"] == "/api/v1/goals/"


def _many_goals(municipality, strategy, elderly, count):
    area = FocusAreaFactory(strategy=strategy)
    indicator = Indicator.objects.create(municipality=municipality, name="N", unit=Unit.PERCENT)
    for i in range(count):
        goal = GoalFactory(
            focus_area=area,
            department=elderly if i % 2 else None,
            owner=UserFactory(municipality=municipality),
        )
        goal.indicators.add(indicator)
        InitiativeFactory(strategy=strategy, goals=[goal])


@pytest.mark.parametrize("count", [2, 20])
def test_the_number_of_queries_does_not_grow_with_the_goals(
    token_client, municipality, coordinator, strategy, elderly, count, django_assert_num_queries
):
    _many_goals(municipality, strategy, elderly, count)
    client = token_client(coordinator)
    # The token and its use, the user's scope, the municipality, then four: the strategy,
    # the goals (with focus area and owner), their indicators and their initiatives.
    with django_assert_num_queries(9):
        response = client.get(goals_url())
    assert len(response.json()["results"]) == count
    assert all(g["indicators"] and g["initiatives"] for g in response.json()["results"])


def test_a_new_department_has_no_goals_but_the_common_ones(
    token_client, municipality, coordinator, world
):
    new = DepartmentFactory(municipality=municipality, name="Ny")
    results = token_client(coordinator).get(goals_url(department=new.pk)).json()["results"]
    assert [g["text"] for g in results] == ["Fælles mål"]
