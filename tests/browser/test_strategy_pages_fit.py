"""Every strategy page fits a desktop (1440 px) and a phone (390 px) without the page itself
scrolling sideways, and stays free of serious WCAG 2.1 A/AA violations; a wide grid scrolls
inside its own box and can be narrowed to one department."""

import datetime

import pytest
from playwright.sync_api import expect

from apps.kpis.models import Indicator, Measurement
from apps.strategy.models import Strategy
from tests.browser.helpers import assert_accessible
from tests.factories import (
    DepartmentFactory,
    FocusAreaFactory,
    GoalFactory,
    InitiativeFactory,
    StrategyFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Long department names, as real municipalities have them: the grid is wider than any screen.
LONG_NAMES = [
    "Ældre- og sundhedsområdet",
    "Børne- og ungeområdet",
    "Dagtilbud og skoler",
    "Socialpsykiatri og handicap",
    "Teknik og miljø",
    "Personaleafdelingen",
    "Ejendomme, byggeri og drift",
]


@pytest.fixture
def wide_strategy(municipality, elderly, coordinator):
    departments = [DepartmentFactory(municipality=municipality, name=n) for n in LONG_NAMES]
    strategy = StrategyFactory(municipality=municipality, title="Uddannelsesstrategi 2025-2028")
    goal = None
    for index in range(3):
        area = FocusAreaFactory(strategy=strategy, title=f"Indsatsområde {index + 1}")
        GoalFactory(focus_area=area, department=None, text="Et fælles mål for alle")
        for department in [elderly, *departments]:
            goal = GoalFactory(
                focus_area=area,
                department=department,
                text=f"Flere elever fuldfører i {department.name}",
                owner=coordinator,
                follow_up_on=datetime.date.today() + datetime.timedelta(days=10),
            )
    # Implemented and serving a goal with a measured indicator: its page shows the effect table.
    initiative = InitiativeFactory(
        strategy=strategy, title="Mentorordning for nye elever", implemented_year=2023, goals=[goal]
    )
    indicator = Indicator.objects.create(municipality=municipality, name="Frafald blandt elever")
    indicator.goals.add(goal)
    for period, value in ((2020, 30), (2021, 28), (2022, 27), (2024, 24), (2025, 22)):
        Measurement.objects.create(
            municipality=municipality,
            indicator=indicator,
            period=period,
            value=value,
            numerator=value,
            denominator=100,
        )
    return {"strategy": strategy, "goal": goal, "initiative": initiative, "area": area}


def strategy_pages(data) -> list[str]:
    strategy = data["strategy"]
    return [
        "/strategi/",
        f"/strategi/{strategy.pk}/",
        f"/strategi/{strategy.pk}/?fagomraade={data['goal'].department_id}",
        f"/strategi/indsatsomraader/{data['area'].pk}/",
        f"/strategi/maal/{data['goal'].pk}/",
        "/strategi/indsatser/",
        f"/strategi/indsatser/{data['initiative'].pk}/",
        "/strategi/opfoelgning/",
        f"/strategi/{strategy.pk}/vedtag/",
        f"/strategi/{strategy.pk}/arkiver/",
        f"/strategi/{strategy.pk}/rediger/",
        f"/strategi/{strategy.pk}/indsatsomraader/ny/",
        f"/strategi/{strategy.pk}/indsatser/ny/",
        f"/strategi/{strategy.pk}/ny-version/",
        f"/strategi/indsatsomraader/{data['area'].pk}/rediger/",
        f"/strategi/indsatser/{data['initiative'].pk}/rediger/",
    ]


def page_overflow(page) -> int:
    """How many pixels the page itself is wider than the window (0 when it fits)."""
    return page.evaluate(
        "() => Math.max(0, document.documentElement.scrollWidth - window.innerWidth)"
    )


def overflowing(page) -> list[str]:
    """The outermost elements reaching past the window's right edge (for the failure message)."""
    return page.evaluate(
        """() => {
        const clipped = el => {
            for (let a = el.parentElement; a; a = a.parentElement) {
                if (['auto', 'scroll', 'hidden'].includes(getComputedStyle(a).overflowX)) {
                    return true;
                }
            }
            return false;
        };
        return [...document.querySelectorAll('body *')]
            .filter(el => el.getBoundingClientRect().right > window.innerWidth && !clipped(el))
            .slice(0, 8)
            .map(el => el.tagName.toLowerCase() + '.' + [...el.classList].join('.')
                       + ' ' + Math.round(el.getBoundingClientRect().right));
        }"""
    )


@pytest.mark.parametrize("width", [1440, 390])
def test_every_strategy_page_fits_the_screen_and_is_accessible(
    page_for, coordinator, wide_strategy, width
):
    page = page_for(coordinator)
    page.set_viewport_size({"width": width, "height": 900})
    for url in strategy_pages(wide_strategy):
        page.goto(url)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        assert page_overflow(page) == 0, f"{url} scrolls sideways at {width} px: " + ", ".join(
            overflowing(page)
        )
        assert_accessible(page)
    page.goto(f"/strategi/indsatser/{wide_strategy['initiative'].pk}/")
    caption = "Nøgletal før og efter indsatsen blev implementeret i 2023"
    expect(page.get_by_role("table", name=caption)).to_be_visible()


def test_a_wide_grid_scrolls_inside_its_box_and_shows_one_department_on_a_phone(
    page_for, coordinator, wide_strategy
):
    page = page_for(coordinator)
    page.set_viewport_size({"width": 390, "height": 900})
    page.goto(f"/strategi/{wide_strategy['strategy'].pk}/")
    grid = page.get_by_role("region", name="Målsætninger")
    assert grid.evaluate("box => box.scrollWidth > box.clientWidth")
    page.get_by_label("Vis ét fagområde ad gangen").select_option(label="Teknik og miljø")
    page.get_by_role("button", name="Vis", exact=True).click()
    expect(page.get_by_role("status").filter(has_text="Viser kun fagområdet")).to_be_visible()
    headers = page.get_by_role("table").get_by_role("columnheader")
    expect(headers).to_have_count(2)
    expect(headers.nth(1)).to_have_text("Teknik og miljø")
    assert page_overflow(page) == 0
    assert Strategy.objects.count() == 1


def test_the_keyboard_can_skip_the_grid_or_jump_to_a_focus_area(
    page_for, coordinator, wide_strategy
):
    page = page_for(coordinator)
    page.goto(f"/strategi/{wide_strategy['strategy'].pk}/")
    page.get_by_role("link", name="Indsatsområde 3", exact=True).first.focus()
    page.keyboard.press("Enter")
    expect(page.locator(f"#indsatsomraade-{wide_strategy['area'].pk}-navn")).to_be_focused()
    page.get_by_role("link", name="Spring over målsætningerne").focus()
    page.keyboard.press("Enter")
    target = page.locator("#efter-maalsaetninger")
    expect(target).to_be_focused()
    expect(target).to_be_visible()  # shown while it has focus


def test_the_focus_areas_and_departments_stay_in_view_while_the_grid_scrolls(
    page_for, coordinator, wide_strategy
):
    page = page_for(coordinator)
    page.set_viewport_size({"width": 1440, "height": 900})
    page.goto(f"/strategi/{wide_strategy['strategy'].pk}/")
    grid = page.get_by_role("region", name="Målsætninger")
    assert grid.evaluate("box => box.scrollWidth > box.clientWidth")
    assert page_overflow(page) == 0
    grid.evaluate("box => { box.scrollLeft = 600; box.scrollTop = 400; }")
    positions = grid.evaluate(
        """box => {
        const edge = box.getBoundingClientRect();
        const area = box.querySelector('th.grid-area').getBoundingClientRect();
        const head = box.querySelector('thead th').getBoundingClientRect();
        return {left: area.left - edge.left, top: head.top - edge.top};
        }"""
    )
    assert 0 <= positions["left"] <= 2 and 0 <= positions["top"] <= 2, positions
