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
from tests.browser.helpers import assert_accessible, assert_focus_visible, tab_to, type_date
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

    page.keyboard.type(leader.get_full_name())
    expect(owner.locator("option:checked")).to_have_text(leader.get_full_name())
    follow_up = form.get_by_role("textbox", name=re.compile("^Opfølgningsdato"))
    tab_to(page, follow_up)
    type_date(page, follow_up, 30, 6, 2027)
    status = form.get_by_role("combobox", name=re.compile("^Status"))
    tab_to(page, status)
    page.keyboard.type("På")
    expect(status.locator("option:checked")).to_have_text("På sporet")
    tab_to(page, form.get_by_role("button", name="Gem"))
    page.keyboard.press("Enter")

    item = page.get_by_role("listitem").filter(has=page.get_by_role("link", name=GOAL))
    expect(item.get_by_text("På sporet")).to_be_visible()
    expect(item).to_contain_text(leader.get_full_name())
    expect(item).to_contain_text("30.06.2027")
    expect(page.get_by_role("status").filter(has_text="Målsætningen er gemt.")).to_be_attached()
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
