"""Every main page of every role, reached through the main menu as a person does, is free
of serious WCAG 2.1 A/AA violations, console errors and CSP violations; the start page has
no keyboard trap and its user menu works with the keyboard alone."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from apps.core.roles import Role
from apps.kpis.models import Indicator, Measurement
from apps.kpis.services import measurements_recompute
from apps.organisation.models import Workplace
from apps.strategy.models import KkrTheme
from tests.browser.helpers import (
    assert_accessible,
    assert_charts_have_text_alternatives,
    assert_no_keyboard_trap,
    tab_to,
)
from tests.factories import (
    FocusAreaFactory,
    GoalFactory,
    InitiativeFactory,
    StrategyFactory,
    SupervisorFactory,
    UserFactory,
)
from tests.kpis.builders import build_frederikssund

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The main menu each role must see, in order.
MENUS = {
    Role.COORDINATOR: [
        "Opfølgning",
        "Strategi",
        "Indsatser",
        "Overblik",
        "Nøgletal",
        "Praktikundersøgelse",
        "Elever",
        "Sygefravær",
        "Vejledere",
        "Dimensionering",
        "Praktikplanlægning",
        "Kapacitet",
        "Persondata",
    ],
    Role.LEADER: [
        "Strategi",
        "Indsatser",
        "Mit fagområde",
        "Praktikundersøgelse",
        "Elever",
        "Vejledere",
    ],
    Role.HR: [
        "Strategi",
        "Overblik",
        "Praktikundersøgelse",
        "Elever",
        "Sygefravær",
        "Vejledere",
        "Dimensionering",
        "Praktikplanlægning",
        "Kapacitet",
        "Import",
    ],
    Role.KKR_ANALYST: ["Kommuner"],
}


@pytest.fixture
def fred():
    data = build_frederikssund()
    measurements_recompute(municipality_id=data.municipality.pk, as_of=datetime.date(2023, 12, 31))
    strategy = StrategyFactory(municipality=data.municipality, title="Strategi for SOSU")
    # Mapped to a KKR theme, so the KKR page's comparison by theme has a table and a chart.
    area = FocusAreaFactory(
        strategy=strategy, title="Fastholdelse", kkr_theme=KkrTheme.objects.order_by("order")[0]
    )
    GoalFactory(focus_area=area, department=None, text="Færre frafald")
    goal = GoalFactory(
        focus_area=area, department=data.dogn, text="Flere ansatte efter endt forløb"
    )
    InitiativeFactory(strategy=strategy, title="Mentorordning for nye elever")
    workplace = Workplace.objects.create(department=data.dogn, name="Døgnplejen Nord")
    SupervisorFactory(workplace=workplace, name="Vera Vejleder")
    indicator = Indicator.objects.create(
        municipality=data.municipality, name="Ansat efter endt uddannelse"
    )
    indicator.goals.add(goal)
    for period, value in ((2022, 55), (2023, 60)):
        Measurement.objects.create(
            municipality=data.municipality,
            indicator=indicator,
            period=period,
            numerator=value,
            denominator=100,
            value=value,
        )
    return data


@pytest.mark.parametrize("role", list(MENUS), ids=lambda role: role.value)
def test_every_main_page_of_a_role_is_accessible(page_for, fred, role):
    user = UserFactory(
        username=f"bruger-{role.value}",
        first_name="Frida",
        last_name=role.label,
        role=role,
        municipality=fred.municipality,
        departments=[fred.dogn] if role == Role.LEADER else None,
    )
    page = page_for(user)
    menu = page.get_by_role("navigation", name="Hovedmenu")
    expect(menu.get_by_role("list").first.get_by_role("link")).to_have_text(MENUS[role])
    expect(page.get_by_role("heading", level=1)).to_have_count(1)
    assert_accessible(page)
    assert_no_keyboard_trap(page)

    # The user menu opens, is walked and closes with the keyboard alone.
    user_menu = menu.get_by_role("button", name=re.compile(re.escape(f"({role.label})")))
    tab_to(page, user_menu)
    page.keyboard.press("Enter")
    change = page.get_by_role("link", name="Skift adgangskode")
    expect(change).to_be_visible()
    tab_to(page, page.get_by_role("button", name="Log ud"))
    page.keyboard.press("Escape")
    expect(change).to_be_hidden()

    charts = 0
    for label in MENUS[role]:
        with page.expect_navigation():
            menu.get_by_role("link", name=label, exact=True).click()
        expect(page.get_by_role("heading", level=1)).to_have_count(1)
        current = menu.get_by_role("link", name=label, exact=True)
        expect(current).to_have_attribute("aria-current", "page")
        assert_accessible(page)
        charts += assert_charts_have_text_alternatives(page)
    # Every role reaches at least one dashboard with charts from its menu.
    assert charts > 0


def test_the_detail_pages_a_coordinator_opens_are_accessible(page_for, fred):
    coordinator = UserFactory(
        username="frida", role=Role.COORDINATOR, municipality=fred.municipality
    )
    page = page_for(coordinator)
    menu = page.get_by_role("navigation", name="Hovedmenu")
    # (menu item, link followed from its page, the detail page's h1)
    visits = [
        ("Strategi", "Strategi for SOSU", "Strategi for SOSU"),
        ("Indsatser", "Mentorordning for nye elever", "Mentorordning for nye elever"),
        ("Nøgletal", "Ansat efter endt uddannelse", "Ansat efter endt uddannelse"),
        ("Vejledere", "Vera Vejleder", "Vera Vejleder"),
        ("Elever", "Elev Nummer 1", None),
    ]
    for item, link, heading in visits:
        with page.expect_navigation():
            menu.get_by_role("link", name=item, exact=True).click()
        with page.expect_navigation():
            page.get_by_role("main").get_by_role("link", name=link, exact=True).first.click()
        if heading:
            expect(page.get_by_role("heading", level=1)).to_contain_text(heading)
        expect(page.get_by_role("heading", level=1)).to_have_count(1)
        assert_accessible(page)

    # From the strategy: a focus area and a goal.
    with page.expect_navigation():
        menu.get_by_role("link", name="Strategi", exact=True).click()
    with page.expect_navigation():
        page.get_by_role("link", name="Strategi for SOSU").click()
    with page.expect_navigation():
        page.get_by_role("link", name="Fastholdelse").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Fastholdelse")
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("link", name="Flere ansatte efter endt forløb").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Målsætning")
    assert_accessible(page)


def test_the_kkr_comparison_by_theme_is_accessible_and_draws_its_trend(page_for, fred, live_server):
    analyst = UserFactory(username="kirsten", role=Role.KKR_ANALYST, municipality=fred.municipality)
    page = page_for(analyst)
    page.goto(f"{live_server.url}/overblik/kommuner/?year=2023")
    expect(page.get_by_role("heading", name="Sammenligning efter KKR-tema")).to_be_visible()
    theme = KkrTheme.objects.order_by("order")[0]
    expect(page.get_by_role("heading", name=theme.name)).to_be_visible()
    expect(page.locator(f"canvas#chart-kkr-theme-{theme.pk}")).to_have_count(1)
    assert assert_charts_have_text_alternatives(page) >= 2
    assert_accessible(page)
