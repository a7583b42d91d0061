"""Journey 1: a coordinator edits a department's goal in place in the strategy grid, with the
keyboard alone, sees the change and its history; a second editor gets the conflict."""

import re

import pytest
from playwright.sync_api import expect

from apps.core.roles import Role
from tests.browser.helpers import (
    assert_accessible,
    assert_error_described,
    assert_focus_visible,
    save_goal_follow_up,
    tab_to,
)
from tests.factories import FocusAreaFactory, GoalFactory, StrategyFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

STRATEGY = "Uddannelsesstrategi 2024-2027"
GOAL = "Flere SOSU-elever"


@pytest.fixture
def goal(municipality, elderly, school):
    strategy = StrategyFactory(municipality=municipality, title=STRATEGY)
    area = FocusAreaFactory(strategy=strategy, title="Rekruttering")
    GoalFactory(focus_area=area, department=None, text="Færre frafald")
    GoalFactory(focus_area=area, department=school, text="Flere lærerstuderende")
    return GoalFactory(focus_area=area, department=elderly, text=GOAL)


@pytest.fixture
def second_coordinator(municipality):
    return UserFactory(
        username="conny",
        first_name="Conny",
        last_name="Konsulent",
        role=Role.COORDINATOR,
        municipality=municipality,
    )


def open_grid(page):
    """From anywhere: the main menu's "Strategi", then the strategy, as a person would."""
    page.get_by_role("navigation", name="Hovedmenu").get_by_role(
        "link", name="Strategi", exact=True
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Uddannelsesstrategier")
    assert_accessible(page)
    page.get_by_role("link", name=STRATEGY).click()
    expect(page.get_by_role("table", name=re.compile("Målsætninger"))).to_be_visible()
    # The grid's buttons work once htmx has taken over the page: at its load, not as soon as
    # the table shows (a click in between did nothing once, on a loaded machine).
    page.wait_for_load_state("load")


def test_coordinator_edits_a_goal_in_place_with_the_keyboard_and_sees_its_history(
    page_for, coordinator, leader, second_coordinator, goal
):
    page = page_for(coordinator)
    assert_accessible(page)  # the coordinator's start page: the follow-up list
    open_grid(page)
    assert_accessible(page)

    # A second coordinator opens the same goal's inline form before the first one saves.
    other = page_for(second_coordinator)
    open_grid(other)
    other.get_by_role("button", name=f"Rediger målsætning: {GOAL}").click()
    other_form = other.get_by_role("form", name=f"Rediger målsætning: {GOAL}")
    expect(other_form).to_be_visible()

    # Keyboard only from here: Tab to the goal's edit button and open the inline editor.
    edit = page.get_by_role("button", name=f"Rediger målsætning: {GOAL}")
    tab_to(page, edit)
    page.keyboard.press("Enter")
    form = page.get_by_role("form", name=f"Rediger målsætning: {GOAL}")
    expect(form).to_be_visible()
    text = form.get_by_role("textbox", name=re.compile("^Målsætning"))
    expect(text).to_be_focused()
    assert_accessible(page)

    # A goal without text is refused, announced, and the error sits at its field.
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    tab_to(page, form.get_by_role("button", name="Gem"))
    page.keyboard.press("Enter")
    expect(form.get_by_role("alert")).to_contain_text("Der er ikke gemt noget")
    expect(text).to_have_attribute("aria-invalid", "true")
    expect(text).to_be_focused()
    assert_error_described(page, text, "påkrævet")
    assert_accessible(page)

    # Text back, owner, follow-up date and status, all with the keyboard.
    page.keyboard.type(GOAL)
    tab_to(page, form.get_by_role("combobox", name=re.compile("^Ansvarlig")))
    item = save_goal_follow_up(page, form, goal=GOAL, owner=leader.get_full_name())
    # The goal is shown again with the change, announced, and focus is back on its button.
    expect(edit).to_be_focused()
    assert_focus_visible(page)
    assert_accessible(page)

    # Its history, from the goal's own page.
    tab_to(page, item.get_by_role("link", name=GOAL))
    with page.expect_navigation():
        page.keyboard.press("Enter")
    history = page.get_by_role("region", name="Historik").or_(
        page.locator("section", has=page.get_by_role("heading", name="Historik"))
    )
    expect(history.first).to_contain_text(coordinator.get_full_name())
    expect(history.first).to_contain_text(re.compile(r"Status: Ikke startet\s*→\s*På sporet"))
    expect(history.first).to_contain_text("30.06.2027")
    assert_accessible(page)

    # The second coordinator saves a stale form and is told who changed what.
    other_form.get_by_role("combobox", name=re.compile("^Status")).select_option(label="Bagud")
    other_form.get_by_role("button", name="Gem").click()
    conflict = other.get_by_role("alert").filter(has_text="Konflikt")
    expect(conflict).to_contain_text("en anden har gemt en ændring")
    expect(conflict).to_contain_text(coordinator.get_full_name())
    expect(conflict).to_contain_text(re.compile(r"Ikke startet\s*→\s*På sporet"))
    assert_accessible(other)
    goal.refresh_from_db()
    assert goal.status == "on_track"
