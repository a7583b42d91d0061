"""Initiative effect (apps/kpis/effect.py): an indicator's values for up to four years before
and after the year an initiative was implemented, means, change in points, the counts behind
them, cautions, other initiatives in the window; on the initiative page and in the API."""

from decimal import Decimal

import jsonschema_rs
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.core.roles import Role
from apps.core.scoping import Scope
from apps.kpis.choices import Unit
from apps.kpis.effect import initiative_effect
from apps.kpis.models import Indicator, Measurement
from apps.strategy.choices import StrategyStatus
from tests.factories import FocusAreaFactory, GoalFactory, InitiativeFactory, StrategyFactory

pytestmark = pytest.mark.django_db

# period: (numerator, denominator); value = numerator / denominator in percent.
DROPOUT = {
    2018: (30, 50),  # outside the window (Y-5)
    2019: (20, 50),
    2020: (19, 50),
    2021: (18, 50),
    2022: (17, 50),
    2023: (1, 50),  # the implementation year: on neither side
    2024: (15, 50),
    2025: (14, 50),
    2028: (1, 50),  # outside the window (Y+5)
}


def _indicator(municipality, name, rows, *, department=None, unit=Unit.PERCENT):
    indicator = Indicator.objects.create(
        municipality=municipality, name=name, unit=unit, department=department
    )
    for period, (numerator, denominator) in rows.items():
        value = Decimal(numerator) * 100 / Decimal(denominator)
        Measurement.objects.create(
            municipality=municipality,
            indicator=indicator,
            period=period,
            value=round(value, 2),
            numerator=numerator,
            denominator=denominator,
        )
    return indicator


@pytest.fixture
def strategy(municipality):
    return StrategyFactory(municipality=municipality, status=StrategyStatus.ADOPTED)


@pytest.fixture
def goals(strategy):
    area = FocusAreaFactory(strategy=strategy)
    return GoalFactory(focus_area=area, text="Færre falder fra"), GoalFactory(focus_area=area)


@pytest.fixture
def dropout(municipality, goals):
    indicator = _indicator(municipality, "Frafald", DROPOUT)
    indicator.goals.set(goals)  # linked through both goals: listed once
    return indicator


@pytest.fixture
def initiative(strategy, goals, dropout):
    return InitiativeFactory(
        strategy=strategy, title="Personlig vejleder", implemented_year=2023, goals=list(goals)
    )


def coordinator_scope(municipality):
    return Scope(user_id=None, role=Role.COORDINATOR, municipality_id=municipality.pk)


def leader_scope(municipality, department):
    return Scope(
        user_id=None,
        role=Role.LEADER,
        municipality_id=municipality.pk,
        department_ids=frozenset({department.pk}),
    )


def test_before_and_after_are_the_four_years_either_side_without_the_year_itself(
    municipality, initiative, dropout
):
    effect = initiative_effect(initiative, coordinator_scope(municipality))
    assert effect.message == "" and effect.rounding_note == ""
    [row] = effect.rows
    assert row.indicator == dropout
    assert [(p.period, p.value) for p in row.before.points] == [
        (2019, 40.0),
        (2020, 38.0),
        (2021, 36.0),
        (2022, 34.0),
    ]
    assert [(p.period, p.value) for p in row.after.points] == [(2024, 30.0), (2025, 28.0)]
    assert row.before.mean == pytest.approx(37.0)
    assert row.after.mean == pytest.approx(29.0)
    assert row.change == pytest.approx(-8.0)
    assert row.change_text == "\u22128 procentpoint"
    assert (row.before.numerator, row.before.denominator) == (74, 200)
    assert (row.after.numerator, row.after.denominator) == (29, 100)
    assert row.before.counts_text == "74 af 200"
    assert row.cautions == [] and row.others == []


def test_a_leader_does_not_see_a_small_year_nor_the_mean_it_would_give_away(
    municipality, elderly, initiative, dropout
):
    # Municipality-wide figures are rounded for a leader: a year of 3 persons is hidden.
    Measurement.objects.filter(indicator=dropout, period=2021).update(
        numerator=1, denominator=3, value=Decimal("33.33")
    )
    coordinator = initiative_effect(initiative, coordinator_scope(municipality)).rows[0]
    assert [p.value for p in coordinator.before.points][2] == 33.33
    assert coordinator.before.mean == pytest.approx((40 + 38 + 33.33 + 34) / 4)
    assert any("færre end 5 personer" in c for c in coordinator.cautions)

    effect = initiative_effect(initiative, leader_scope(municipality, elderly))
    assert effect.rounding_note.startswith("Antal personer er afrundet til nærmeste 5")
    leader = effect.rows[0]
    hidden = leader.before.points[2]
    assert (hidden.period, hidden.value, hidden.suppressed, hidden.text) == (2021, None, True, "–")
    assert leader.before.mean is None and leader.change is None
    assert leader.before.numerator is None and leader.before.counts_text == ""
    assert any("vises ikke for din rolle" in c for c in leader.cautions)
    # The after side has no small year: its mean is built from the rounded counts.
    assert leader.after.mean == pytest.approx((15 / 50 * 100 + 15 / 50 * 100) / 2)


def test_a_leader_sees_only_indicators_they_may_read(
    municipality, elderly, school, goals, initiative
):
    _indicator(municipality, "Skolens frafald", {2022: (5, 50)}, department=school)
    _indicator(municipality, "Ældres frafald", {2022: (5, 50)}, department=elderly)
    for indicator in Indicator.objects.filter(department__isnull=False):
        indicator.goals.add(goals[0])
    names = [
        r.indicator.name
        for r in initiative_effect(initiative, leader_scope(municipality, elderly)).rows
    ]
    assert names == ["Frafald", "Ældres frafald"]
    names = [
        r.indicator.name
        for r in initiative_effect(initiative, coordinator_scope(municipality)).rows
    ]
    assert names == ["Frafald", "Skolens frafald", "Ældres frafald"]


def test_other_initiatives_on_the_indicator_in_the_window_are_named(
    municipality, strategy, goals, initiative
):
    other_goal = GoalFactory(focus_area=goals[0].focus_area)
    Indicator.objects.get(name="Frafald").goals.add(other_goal)
    InitiativeFactory(
        strategy=strategy, title="Snusepraktik", implemented_year=2021, goals=[other_goal]
    )
    InitiativeFactory(
        strategy=strategy,
        title="Sprogundervisning",
        reference="2.1",
        implemented_year=2027,
        goals=list(goals),
    )
    InitiativeFactory(
        strategy=strategy, title="For sent", implemented_year=2028, goals=[other_goal]
    )
    InitiativeFactory(strategy=strategy, title="Uden år", goals=[other_goal])
    # The same initiative copied into a new strategy version is not "another" one.
    copy = StrategyFactory(municipality=municipality)
    InitiativeFactory(
        strategy=copy, title="Personlig vejleder", implemented_year=2023, goals=[other_goal]
    )

    [row] = initiative_effect(initiative, coordinator_scope(municipality)).rows
    assert [(o.title, o.implemented_year) for o in row.others] == [
        ("Snusepraktik", 2021),
        ("Sprogundervisning", 2027),
    ]
    assert row.others_text == (
        "Andre indsatser på samme nøgletal implementeret i 2019–2027: Snusepraktik (2021); "
        "2.1 Sprogundervisning (2027). Ændringen kan også skyldes dem."
    )


def test_without_a_year_or_without_indicators_a_sentence_says_why(municipality, strategy, goals):
    scope = coordinator_scope(municipality)
    no_year = InitiativeFactory(strategy=strategy, goals=list(goals))
    effect = initiative_effect(no_year, scope)
    assert effect.rows == [] and "intet implementeringsår" in effect.message
    no_goals = InitiativeFactory(strategy=strategy, implemented_year=2023)
    effect = initiative_effect(no_goals, scope)
    assert effect.rows == [] and effect.message.startswith("Ingen nøgletal følger indsatsens")


def test_a_single_year_on_a_side_and_a_missing_side_are_said(municipality, strategy, goals):
    indicator = _indicator(municipality, "Kun før", {2022: (10, 50)})
    indicator.goals.add(goals[0])
    initiative = InitiativeFactory(strategy=strategy, implemented_year=2023, goals=[goals[0]])
    [row] = initiative_effect(initiative, coordinator_scope(municipality)).rows
    assert row.after.points == [] and row.change is None and row.change_text == "–"
    assert row.missing_text == "Ingen målinger endnu i årene efter."
    assert "Kun ét år før implementeringen at sammenligne med." in row.cautions


def test_three_queries_whatever_the_number_of_indicators(
    municipality, goals, initiative, django_assert_num_queries
):
    scope = coordinator_scope(municipality)
    for n in range(6):
        _indicator(municipality, f"Nøgletal {n}", DROPOUT).goals.add(goals[1])
        InitiativeFactory(strategy=initiative.strategy, implemented_year=2020 + n, goals=[goals[1]])
    with django_assert_num_queries(3):
        effect = initiative_effect(initiative, scope)
        assert len(effect.rows) == 7
        assert all(len(r.before.points) == 4 for r in effect.rows)
        assert all(len(r.others) == 6 for r in effect.rows)


# --- the page and the API -----------------------------------------------------------------


def test_the_initiative_page_shows_the_effect_table(login, coordinator, initiative):
    response = login(coordinator).get(reverse("strategy:initiative_detail", args=[initiative.pk]))
    html = response.text
    assert "<caption>Nøgletal før og efter indsatsen blev implementeret i 2023</caption>" in html
    assert "Implementeringsåret 2023 tæller hverken med før eller efter" in html
    assert '<th scope="row">Frafald' in html
    assert "2019: 40\u00a0%" in html and "2025: 28\u00a0%" in html
    assert "37\u00a0%" in html and "29\u00a0%" in html
    assert "\u22128 procentpoint" in html
    assert "74 af 200 / 29 af 100" in html


def test_the_page_says_why_when_there_is_no_year(login, coordinator, strategy, goals):
    initiative = InitiativeFactory(strategy=strategy, goals=list(goals))
    html = login(coordinator).get(reverse("strategy:initiative_detail", args=[initiative.pk])).text
    assert "Indsatsen har intet implementeringsår" in html
    assert "initiative-effect" not in html


def _validator(client):
    schema = client.get("/api/v1/openapi.json").json()
    operation = schema["paths"]["/initiatives/{id}/effect/"]["get"]
    response = operation["responses"]["200"]["content"]["application/json"]["schema"]
    return jsonschema_rs.Draft202012Validator(
        {**response, "components": schema["components"]}, validate_formats=True
    )


def test_the_api_gives_the_effect_as_the_schema_describes_it(
    login, coordinator, initiative, dropout
):
    client = login(coordinator)
    response = client.get(reverse("api:initiative_effect", args=[initiative.pk]))
    assert response.status_code == 200
    data = response.json()
    _validator(client).validate(data)
    assert data["initiative"] == initiative.pk and data["implemented_year"] == 2023
    [row] = data["indicators"]
    assert (row["id"], row["name"]) == (dropout.pk, "Frafald")
    assert row["before"][0] == {"period": 2019, "value": 40.0, "suppressed": False}
    assert [p["period"] for p in row["after"]] == [2024, 2025]
    assert (row["before_mean"], row["after_mean"], row["change_points"]) == (37.0, 29.0, -8.0)
    assert row["counts"] == {
        "before": {"numerator": 74.0, "denominator": 200.0},
        "after": {"numerator": 29.0, "denominator": 100.0},
    }


def test_the_api_is_404_for_another_municipalitys_initiative(login, outsider, initiative):
    response = login(outsider).get(reverse("api:initiative_effect", args=[initiative.pk]))
    assert response.status_code == 404
    assert response.json() == {"detail": "Indsatsen findes ikke."}


def test_the_page_reads_the_same_number_of_queries_whatever_the_indicators(
    login, coordinator, goals, initiative, django_assert_max_num_queries
):
    client = login(coordinator)
    url = reverse("strategy:initiative_detail", args=[initiative.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for n in range(5):
        _indicator(initiative.strategy.municipality, f"Nøgletal {n}", DROPOUT).goals.add(goals[1])
    with django_assert_max_num_queries(len(one)):
        assert client.get(url).text.count('<tr id="effekt-') == 6


def test_a_leaders_page_hides_the_small_year_and_says_why(login, leader, initiative, dropout):
    Measurement.objects.filter(indicator=dropout, period=2021).update(
        numerator=1, denominator=3, value=Decimal("33.33")
    )
    html = login(leader).get(reverse("strategy:initiative_detail", args=[initiative.pk])).text
    assert "2021: –" in html and "33,33" not in html and "33,3" not in html
    assert "vises ikke for din rolle" in html
    assert "Antal personer er afrundet til nærmeste 5" in html
