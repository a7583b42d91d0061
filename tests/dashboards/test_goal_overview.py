"""The leader's page at a glance: the summary line, the goals that need attention first,
every goal by focus area with its KPI, owner and next follow-up, scoped to the leader's
department, small numbers hidden, and a query count that does not grow with the goals."""

import datetime
import re

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from apps.dashboards.goal_overview import goal_overview, strategy_in_force
from apps.kpis.choices import MeasurementSource, Metric, TargetKind, Unit
from apps.kpis.models import Indicator, Measurement
from apps.strategy.choices import GoalStatus, InitiativeStatus, StrategyStatus
from apps.strategy.models import Strategy
from tests.factories import (
    FocusAreaFactory,
    GoalFactory,
    InitiativeFactory,
    StrategyFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def days(n: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=n)


def page_url(department) -> str:
    return reverse("dashboards:department", args=[department.pk])


@pytest.fixture
def strategy(municipality):
    return StrategyFactory(
        municipality=municipality,
        title="Uddannelsesstrategi 2024-2027",
        status=StrategyStatus.ADOPTED,
        adopted_on=datetime.date(2024, 3, 1),
    )


@pytest.fixture
def areas(strategy):
    # Created out of order: the page follows the focus areas' own order.
    second = FocusAreaFactory(strategy=strategy, title="Fastholdelse", order=2)
    first = FocusAreaFactory(strategy=strategy, title="Rekruttering", order=1)
    return first, second


def indicator(municipality, name="Frafald SSA", *, department=None, measurements=()):
    ind = Indicator.objects.create(
        municipality=municipality,
        name=name,
        unit=Unit.PERCENT,
        direction="lower",
        metric=Metric.DROPOUT_RATE,
        department=department,
        baseline_value=40,
        baseline_period=2023,
        target_value=-7,
        target_period=2026,
        target_kind=TargetKind.RELATIVE,
    )
    for period, numerator, denominator in measurements:
        Measurement.objects.create(
            municipality=municipality,
            indicator=ind,
            period=period,
            value=round(100 * numerator / denominator, 2),
            numerator=numerator,
            denominator=denominator,
            source=MeasurementSource.COMPUTED,
        )
    return ind


@pytest.fixture
def world(municipality, strategy, areas, elderly, school):
    """The elderly department's goals in every state, a fælles mål, a school goal, goals of an
    archived strategy, and initiatives with follow-ups."""
    rekruttering, fastholdelse = areas
    owner = UserFactory(first_name="Olga", last_name="Ejer", municipality=municipality)
    g = {
        "behind": GoalFactory(
            focus_area=fastholdelse,
            department=elderly,
            text="Færre SSA-elever falder fra",
            suggested_status="behind",
            owner=owner,
            follow_up_on=days(60),
        ),
        "behind_too": GoalFactory(
            focus_area=rekruttering, department=elderly, suggested_status="behind"
        ),
        "own_behind": GoalFactory(
            focus_area=rekruttering, department=elderly, status=GoalStatus.BEHIND
        ),
        "overdue": GoalFactory(
            focus_area=rekruttering, department=elderly, follow_up_on=days(-3), text="Forfalden"
        ),
        "on_track": GoalFactory(
            focus_area=rekruttering,
            department=elderly,
            suggested_status="on_track",
            follow_up_on=days(10),
        ),
        "achieved": GoalFactory(
            focus_area=fastholdelse, department=elderly, suggested_status="achieved"
        ),
        "no_data": GoalFactory(
            focus_area=fastholdelse, department=elderly, suggested_status="no_data"
        ),
        # Closed: its passed follow-up date is not overdue.
        "closed": GoalFactory(
            focus_area=fastholdelse,
            department=elderly,
            status=GoalStatus.ACHIEVED,
            follow_up_on=days(-30),
        ),
        "common": GoalFactory(
            focus_area=rekruttering, department=None, text="Fælles: flere elever ansættes"
        ),
        "school": GoalFactory(
            focus_area=rekruttering,
            department=school,
            text="Skolens eget mål",
            suggested_status="behind",
            follow_up_on=days(-1),
        ),
    }
    archived = StrategyFactory(municipality=municipality, status=StrategyStatus.ARCHIVED)
    g["archived"] = GoalFactory(
        focus_area=FocusAreaFactory(strategy=archived),
        department=elderly,
        text="Gammel strategis mål",
        suggested_status="behind",
    )
    InitiativeFactory(
        strategy=strategy, department=elderly, title="Velkomstdag", follow_up_on=days(20)
    )
    InitiativeFactory(
        strategy=strategy,
        department=elderly,
        title="Vejlederkursus",
        follow_up_on=days(-5),
        status=InitiativeStatus.IN_PROGRESS,
    )
    InitiativeFactory(strategy=strategy, department=school, title="Skolens indsats")
    return g


def test_the_summary_line_counts_the_goals_by_suggested_status_and_the_follow_ups(
    login, leader, elderly, world
):
    response = login(leader).get(page_url(elderly))
    overview = response.context["overview"]
    # Department goals and the fælles mål of the adopted strategy; not the school's goal,
    # not the archived strategy's. Follow-ups: a goal in 10 days and an initiative in 20;
    # overdue: a goal 3 days and an initiative 5 days ago (the achieved goal is closed).
    assert overview.summary_text == (
        "2 bagud · 1 på sporet · 1 nået · 1 uden data · 4 uden nøgletal"
        " · 2 med opfølgning inden for 30 dage · 2 forfaldne opfølgninger"
    )
    html = response.content.decode()
    summary = re.search(r'<p class="goal-summary" id="goal-summary">(.*?)</p>', html).group(1)
    assert re.sub(r"<[^>]+>", "", summary) == overview.summary_text
    assert "Uddannelsesstrategi 2024-2027" in html


def test_the_summary_always_says_behind_and_overdue_even_at_zero(login, leader, elderly, areas):
    GoalFactory(focus_area=areas[0], department=elderly, suggested_status="on_track")
    overview = login(leader).get(page_url(elderly)).context["overview"]
    assert overview.summary_text == "0 bagud · 1 på sporet · 0 forfaldne opfølgninger"


def test_goals_behind_or_overdue_come_first_under_kraever_opmaerksomhed(
    login, leader, elderly, world
):
    response = login(leader).get(page_url(elderly))
    overview = response.context["overview"]
    attention = [r.goal for r in overview.attention]
    assert set(attention) == {world["behind"], world["behind_too"], world["own_behind"]} | {
        world["overdue"]
    }
    # Every goal, sorted by what needs attention: behind/overdue, no data, on track,
    # achieved, then the goals no indicator measures.
    order = [r.goal for r in overview.rows]
    assert order[:4] == [world["overdue"], world["behind"], world["behind_too"]] + [
        world["own_behind"]
    ]
    assert order[4:7] == [world["no_data"], world["on_track"], world["achieved"]]
    assert set(order[7:]) == {world["closed"], world["common"]}
    html = response.content.decode()
    section = html.split('id="attention-heading"')[1].split("</section>")[0]
    assert "Færre SSA-elever falder fra" in section and "Forfalden" in section
    assert "Fælles: flere elever ansættes" not in section
    # The overdue follow-up is flagged in words, not by colour alone.
    assert "– forfalden</span>" in section


def test_every_goal_is_grouped_by_focus_area_in_the_areas_order_in_collapsible_groups(
    login, leader, elderly, world
):
    response = login(leader).get(page_url(elderly))
    groups = response.context["overview"].groups
    assert [g.title for g in groups] == ["Rekruttering", "Fastholdelse"]
    assert [r.goal for r in groups[0].rows] == [
        world["overdue"],
        world["behind_too"],
        world["own_behind"],
        world["on_track"],
        world["common"],
    ]
    assert [r.goal for r in groups[1].rows] == [
        world["behind"],
        world["no_data"],
        world["achieved"],
        world["closed"],
    ]
    html = response.content.decode()
    details = re.findall(r'<details class="goal-group">(.*?)</details>', html, flags=re.S)
    assert len(details) == 2
    assert re.search(r"<summary><h3[^>]*>Rekruttering .*3 kræver opmærksomhed", details[0])
    assert "<caption" in details[0] and '<th scope="row"' in details[0]
    assert '<th scope="col">Nøgletal</th>' in details[0]
    # Each goal links to its page and shows its owner, follow-up and both status badges.
    behind = world["behind"]
    row = re.search(rf'<tr class="goal-row" data-goal="{behind.pk}">(.*?)</tr>', details[1], re.S)
    row = row.group(1)
    assert f'href="{reverse("strategy:goal_detail", args=[behind.pk])}"' in row
    assert "Olga Ejer" in row
    assert '<span class="status-badge kpi-badge status-bad">Nøgletal: Bagud</span>' in row
    assert '<span class="status-badge status-neutral">Ikke startet</span>' in row
    assert days(60).strftime("%d.%m.%Y") in row
    # Headings in order: h1, then h2s, the focus areas as h3 within their h2.
    levels = [int(n) for n in re.findall(r"<h([1-6])", html)]
    assert levels[0] == 1 and all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False))


def test_a_leader_sees_their_department_and_the_faelles_maal_but_no_other_department(
    login, leader, other_leader, elderly, school, world
):
    html = login(leader).get(page_url(elderly)).content.decode()
    assert "Fælles: flere elever ansættes" in html
    assert "Skolens eget mål" not in html and "Skolens indsats" not in html
    assert "Gammel strategis mål" not in html
    assert "Velkomstdag" in html and "Vejlederkursus" in html
    assert login(leader).get(page_url(school)).status_code == 404
    html = login(other_leader).get(page_url(school)).content.decode()
    assert "Skolens eget mål" in html and "Færre SSA-elever falder fra" not in html
    overview = login(other_leader).get(page_url(school)).context["overview"]
    # The school's goal: suggested behind and overdue; the fælles mål unmeasured.
    assert overview.summary_text == ("1 bagud · 1 uden nøgletal · 1 forfalden opfølgning")


def test_initiatives_show_status_owner_and_overdue_follow_up_first(login, leader, elderly, world):
    response = login(leader).get(page_url(elderly))
    rows = response.context["overview"].initiatives
    assert [r.initiative.title for r in rows] == ["Vejlederkursus", "Velkomstdag"]
    html = response.content.decode()
    section = html.split('id="initiatives-heading"')[1].split("</section>")[0]
    assert '<span class="status-badge status-info">På vej</span>' in section
    assert "– forfalden" in section


def test_the_kpi_line_shows_latest_value_and_target_and_hides_small_numbers_from_a_leader(
    login, municipality, leader, coordinator, elderly, school, areas
):
    goal = GoalFactory(focus_area=areas[0], department=elderly, suggested_status="behind")
    # A municipality-wide figure is not the leader's own department's: 3 of 20 is under 5.
    small = indicator(municipality, "Frafald SSA", measurements=[(2023, 9, 20), (2024, 3, 20)])
    big = indicator(municipality, "Frafald SSH", measurements=[(2024, 38, 100)])
    goal.indicators.add(small, big)
    # Another department's indicator on the same goal is not this department's KPI.
    goal.indicators.add(indicator(municipality, "Skolens nøgletal", department=school))

    row = login(leader).get(page_url(elderly)).context["overview"].rows[0]
    lines = {line.name: line for line in row.kpis}
    assert set(lines) == {"Frafald SSA", "Frafald SSH"}
    assert lines["Frafald SSA"].suppressed
    assert lines["Frafald SSA"].text == (
        "Frafald SSA: færre end 5 personer (2024; mål 37,2\xa0% i 2026 (\u22127\xa0% fra baseline))"
    )
    # 38 of 100 is rounded for the leader to 40 of 100.
    assert lines["Frafald SSH"].text.startswith("Frafald SSH: 40\xa0% (2024; mål 37,2\xa0%")
    html = login(leader).get(page_url(elderly)).content.decode()
    assert "15\xa0%" not in html and "færre end 5 personer" in html

    row = login(coordinator).get(page_url(elderly)).context["overview"].rows[0]
    lines = {line.name: line for line in row.kpis}
    assert lines["Frafald SSA"].text.startswith("Frafald SSA: 15\xa0% (2024; mål 37,2\xa0%")
    assert lines["Frafald SSH"].text.startswith("Frafald SSH: 38\xa0% (2024;")


def test_a_goal_with_indicators_but_no_suggestion_yet_counts_as_without_data(
    municipality, coordinator, elderly, areas
):
    goal = GoalFactory(focus_area=areas[0], department=elderly)
    goal.indicators.add(indicator(municipality))
    from apps.accounts.scope import scope_for_user

    overview = goal_overview(scope=scope_for_user(coordinator), department=elderly)
    assert overview.rows[0].suggestion == "no_data"
    assert overview.rows[0].kpis[0].text.startswith("Frafald SSA: ingen måling endnu (mål")
    assert overview.summary_text == "0 bagud · 1 uden data · 0 forfaldne opfølgninger"


def test_the_strategy_in_force_is_the_adopted_one_else_the_newest_draft(municipality, coordinator):
    from apps.accounts.scope import scope_for_user

    strategies = Strategy.objects.in_scope(scope_for_user(coordinator))
    assert strategy_in_force(strategies) is None
    StrategyFactory(municipality=municipality, status=StrategyStatus.ARCHIVED)
    assert strategy_in_force(strategies) is None
    old_draft = StrategyFactory(municipality=municipality)
    new_draft = StrategyFactory(municipality=municipality)
    assert strategy_in_force(strategies) == new_draft
    adopted = StrategyFactory(
        municipality=municipality, status=StrategyStatus.ADOPTED, adopted_on=TODAY
    )
    # A newer draft (the next version being written) does not replace the adopted one.
    StrategyFactory(municipality=municipality)
    assert strategy_in_force(strategies) == adopted
    assert old_draft != adopted


def test_without_any_strategy_the_page_says_so(login, leader, elderly):
    html = login(leader).get(page_url(elderly)).content.decode()
    assert "Kommunen har endnu ingen vedtaget strategi eller udkast." in html
    assert 'id="attention-heading"' not in html


def _goals(municipality, areas, elderly, count: int) -> None:
    owner = UserFactory(municipality=municipality)
    for i in range(count):
        goal = GoalFactory(
            focus_area=areas[i % 2],
            department=elderly if i % 3 else None,
            owner=owner if i % 2 else UserFactory(municipality=municipality),
            follow_up_on=days(i - 5),
            suggested_status=["behind", "on_track", "achieved", ""][i % 4],
        )
        goal.indicators.add(
            indicator(municipality, f"Nøgletal {i}", measurements=[(2024, 10 + i, 50)])
        )
        InitiativeFactory(strategy=areas[0].strategy, department=elderly, goals=[goal])


# The whole page computed afresh (session, user, department, the cached fragments' version
# and the shown goals' digest, KPI facts and indicators, and the goal overview's five:
# strategy, goals, their indicators, the measurements, initiatives; the absence warnings'
# one; the placement conflicts' planning period, one): the same for 2 and for 20 goals, each
# with an owner, an indicator with a measurement and an initiative. Served from the cache,
# the fragments run none of them.
PAGE_QUERIES = 28


@pytest.mark.parametrize("count", [2, 20])
def test_the_page_runs_the_same_number_of_queries_for_2_and_for_20_goals(
    login, municipality, leader, elderly, areas, count, django_assert_num_queries
):
    _goals(municipality, areas, elderly, count)
    client = login(leader)
    client.get(page_url(elderly))  # warm caches (session, content types)
    cache.clear()  # the dashboard's fragments computed, not served from the cache
    with django_assert_num_queries(PAGE_QUERIES):
        response = client.get(page_url(elderly))
    assert response.status_code == 200
    assert len(response.context["overview"].rows) == count
    assert all(r.kpis for r in response.context["overview"].rows)
