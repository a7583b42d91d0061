"""Strategy fixtures: a draft strategy of `municipality` with one focus area and goals.

- `strategy`: draft "Uddannelsesstrategi" of the shared `municipality`.
- `focus_area`: its first focus area.
- `goal`: a goal of `elderly` (the `leader`'s department) in `focus_area`.
- `school_goal`: a goal of `school` (not the `leader`'s).
- `common_goal`: a fælles mål (no department).
- `other_goal`: a goal in `other_municipality`, which nobody in `municipality` may see.
"""

import pytest

from tests.factories import FocusAreaFactory, GoalFactory, StrategyFactory


@pytest.fixture
def strategy(municipality):
    return StrategyFactory(municipality=municipality, title="Uddannelsesstrategi 2024-2027")


@pytest.fixture
def focus_area(strategy):
    return FocusAreaFactory(strategy=strategy, title="Rekruttering")


@pytest.fixture
def goal(focus_area, elderly):
    return GoalFactory(focus_area=focus_area, department=elderly, text="Flere SOSU-elever")


@pytest.fixture
def school_goal(focus_area, school):
    return GoalFactory(focus_area=focus_area, department=school, text="Flere lærerstuderende")


@pytest.fixture
def common_goal(focus_area):
    return GoalFactory(focus_area=focus_area, department=None, text="Færre frafald")


@pytest.fixture
def other_goal(other_municipality, other_department):
    other = StrategyFactory(municipality=other_municipality, title="Albertslunds strategi")
    return GoalFactory(
        focus_area=FocusAreaFactory(strategy=other), department=other_department, text="Andet"
    )


@pytest.fixture
def htmx():
    """Headers that make a test client request look like htmx's."""
    return {"HTTP_HX_REQUEST": "true"}
