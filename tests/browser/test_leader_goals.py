"""Journey 3, the goals at a glance: a leader opens their department's dashboard, reads the
summary line and the goals that need attention, opens a focus area with the keyboard, and
follows a goal to its page. axe-core finds no serious or critical violation."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from apps.core.roles import Role
from apps.kpis.choices import MeasurementSource, Metric, TargetKind, Unit
from apps.kpis.models import Indicator, Measurement
from apps.strategy.choices import StrategyStatus
from tests.browser.helpers import assert_accessible, tab_to
from tests.factories import (
    DepartmentFactory,
    FocusAreaFactory,
    GoalFactory,
    InitiativeFactory,
    MunicipalityFactory,
    StrategyFactory,
    UserFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def leader_world():
    today = timezone.localdate()
    municipality = MunicipalityFactory(code=219, name="Hillerød")
    elderly = DepartmentFactory(municipality=municipality, name="Ældre og Sundhed")
    leader = UserFactory(
        username="lise",
        first_name="Lise",
        last_name="Leder",
        role=Role.LEADER,
        municipality=municipality,
        departments=[elderly],
    )
    strategy = StrategyFactory(
        municipality=municipality,
        title="Uddannelsesstrategi",
        status=StrategyStatus.ADOPTED,
        adopted_on=datetime.date(2022, 2, 1),
    )
    recruit = FocusAreaFactory(strategy=strategy, title="Rekruttering", order=1)
    keep = FocusAreaFactory(strategy=strategy, title="Fastholdelse", order=2)
    behind = GoalFactory(
        focus_area=keep,
        department=elderly,
        text="Frafaldet blandt SSA-elever skal ned",
        suggested_status="behind",
        owner=leader,
        follow_up_on=today + datetime.timedelta(days=14),
    )
    indicator = Indicator.objects.create(
        municipality=municipality,
        name="Frafald SSA",
        unit=Unit.PERCENT,
        direction="lower",
        metric=Metric.DROPOUT_RATE,
        department=elderly,
        baseline_value=40,
        baseline_period=2022,
        target_value=-7,
        target_period=2026,
        target_kind=TargetKind.RELATIVE,
    )
    Measurement.objects.create(
        municipality=municipality,
        indicator=indicator,
        period=2025,
        value=38,
        numerator=19,
        denominator=50,
        source=MeasurementSource.COMPUTED,
    )
    behind.indicators.add(indicator)
    GoalFactory(
        focus_area=recruit,
        department=elderly,
        text="Alle elever får en velkomstsamtale",
        follow_up_on=today - datetime.timedelta(days=3),
    )
    GoalFactory(focus_area=recruit, department=None, text="Flere elever ansættes efter endt")
    GoalFactory(focus_area=keep, department=elderly, suggested_status="achieved")
    InitiativeFactory(strategy=strategy, department=elderly, title="Vejlederkursus")
    return leader


def test_a_leader_sees_where_the_department_stands_against_its_goals(
    page_for, watcher, leader_world
):
    page = page_for(leader_world)
    expect(page.get_by_role("heading", level=1)).to_have_text("Overblik: Ældre og Sundhed")
    expect(page.locator("#goal-summary")).to_have_text(
        "1 bagud · 1 nået · 2 uden nøgletal · 1 med opfølgning inden for 30 dage"
        " · 1 forfalden opfølgning"
    )
    attention = page.get_by_role("table", name="Målsætninger, der er bagud eller har en")
    expect(attention.get_by_role("row")).to_have_count(3)  # header, behind, overdue
    expect(attention).to_contain_text("Frafald SSA: 38 % (2025; mål 37,2 % i 2026")
    expect(attention).to_contain_text("forfalden")
    assert_accessible(page)

    # A focus area opens with the keyboard and lists its goals, most urgent first.
    group = page.locator("details.goal-group").filter(has_text="Fastholdelse")
    summary = group.locator("summary")
    tab_to(page, summary)
    page.keyboard.press("Enter")
    expect(group).to_have_attribute("open", "")
    rows = group.get_by_role("table", name="Fastholdelse").get_by_role("row")
    expect(rows.nth(1)).to_contain_text("Frafaldet blandt SSA-elever skal ned")
    expect(rows.nth(1)).to_contain_text("Bagud")
    expect(rows.nth(1)).to_contain_text("Lise Leder")
    assert_accessible(page)

    # The goal links to its own page.
    link = group.get_by_role("link", name="Frafaldet blandt SSA-elever skal ned")
    with page.expect_navigation():
        link.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Målsætning")
    expect(page.get_by_role("main")).to_contain_text("Frafaldet blandt SSA-elever skal ned")
