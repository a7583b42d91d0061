"""Journey 1 on an adopted strategy: a coordinator sets a goal's owner, follow-up date and
status with the keyboard alone, without re-opening the strategy; the adopted wording is shown
read-only, the strategy stays adopted with its adoption date, and the change is in the
goal's history."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from apps.strategy import services
from apps.strategy.choices import StrategyStatus
from apps.strategy.models import Goal, Strategy
from tests.browser.helpers import (
    assert_accessible,
    assert_focus_visible,
    save_goal_follow_up,
    tab_to,
)
from tests.factories import FocusAreaFactory, GoalFactory, StrategyFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

STRATEGY = "Uddannelsesstrategi 2022-2025"
GOAL = "Flere SOSU-elever"
ADOPTED_ON = datetime.date(2022, 3, 12)


@pytest.fixture
def goal(municipality, elderly, school, coordinator):
    """A Hillerød-like strategy, adopted 12.03.2022, with goals in the grid."""
    strategy = StrategyFactory(municipality=municipality, title=STRATEGY)
    area = FocusAreaFactory(strategy=strategy, title="Rekruttering")
    GoalFactory(focus_area=area, department=None, text="Færre frafald")
    GoalFactory(focus_area=area, department=school, text="Flere lærerstuderende")
    goal = GoalFactory(focus_area=area, department=elderly, text=GOAL)
    services.strategy_adopt(
        strategy=strategy, actor=coordinator, expected_version=1, adopted_on=ADOPTED_ON
    )
    return goal


def test_coordinator_follows_up_on_an_adopted_goal_with_the_keyboard(
    page_for, coordinator, leader, goal
):
    page = page_for(coordinator)
    page.get_by_role("navigation", name="Hovedmenu").get_by_role(
        "link", name="Strategi", exact=True
    ).click()
    page.get_by_role("link", name=STRATEGY).click()
    expect(page.get_by_role("table", name=re.compile("Målsætninger"))).to_be_visible()
    expect(page.locator(".strategy-facts")).to_contain_text("Vedtaget: 12.03.2022")
    expect(page.locator(".strategy-adoptions")).to_contain_text(
        f"Vedtaget 12.03.2022 af {coordinator.get_full_name()}"
    )
    # Adopted: no adding, moving or removing goals; no re-opening needed to follow up.
    expect(page.get_by_role("button", name=re.compile("^Tilføj målsætning"))).to_have_count(0)
    expect(page.get_by_role("button", name=f"Fjern målsætning: {GOAL}")).to_have_count(0)
    assert_accessible(page)

    edit = page.get_by_role("button", name=f"Rediger målsætning: {GOAL}")
    tab_to(page, edit)
    page.keyboard.press("Enter")
    form = page.get_by_role("form", name=f"Rediger målsætning: {GOAL}")
    expect(form).to_be_visible()
    text = form.get_by_role("textbox", name=re.compile("^Målsætning"))
    expect(text).to_be_disabled()
    expect(form).to_contain_text("Vedtaget tekst – genåbn strategien for at ændre ordlyden")
    owner = form.get_by_role("combobox", name=re.compile("^Ansvarlig"))
    expect(owner).to_be_focused()  # the first field that can change
    assert_accessible(page)

    item = save_goal_follow_up(page, form, goal=GOAL, owner=leader.get_full_name())
    expect(edit).to_be_focused()
    assert_focus_visible(page)
    assert_accessible(page)

    strategy = Strategy.objects.get(title=STRATEGY)
    assert (strategy.status, strategy.adopted_on) == (StrategyStatus.ADOPTED, ADOPTED_ON)
    assert Goal.objects.get(pk=goal.pk).text == GOAL

    tab_to(page, item.get_by_role("link", name=GOAL))
    with page.expect_navigation():
        page.keyboard.press("Enter")
    history = page.locator("section", has=page.get_by_role("heading", name="Historik"))
    expect(history).to_contain_text(coordinator.get_full_name())
    expect(history).to_contain_text(re.compile(r"Status: Ikke startet\s*→\s*På sporet"))
    expect(history).to_contain_text("30.06.2027")
    assert_accessible(page)
