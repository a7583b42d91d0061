"""An initiative can serve several goals of its strategy; linking is follow-up work, audited."""

import pytest
from django.core.exceptions import ValidationError

from apps.core.models import AuditEntry
from apps.strategy import services
from tests.factories import FocusAreaFactory, GoalFactory, InitiativeFactory, StrategyFactory

pytestmark = pytest.mark.django_db


def test_an_initiative_serves_two_goals_and_the_link_is_in_the_history(
    strategy, goal, common_goal, coordinator
):
    initiative = InitiativeFactory(strategy=strategy)

    services.initiative_update(
        initiative=initiative,
        actor=coordinator,
        data={"goals": [goal, common_goal]},
        expected_version=1,
    )

    assert set(initiative.goals.all()) == {goal, common_goal}
    assert set(goal.initiatives.all()) == {initiative}
    entry = AuditEntry.objects.for_object(initiative).get(action="strategy.initiative.updated")
    assert entry.changes == {"goals": ["", "Flere SOSU-elever; Færre frafald"]}


def test_goals_can_be_linked_on_an_adopted_strategy_without_reopening_it(
    strategy, goal, coordinator
):
    initiative = InitiativeFactory(strategy=strategy)
    services.strategy_adopt(strategy=strategy, actor=coordinator, expected_version=1)

    services.initiative_update(
        initiative=initiative, actor=coordinator, data={"goals": [goal]}, expected_version=1
    )

    assert list(initiative.goals.all()) == [goal]


def test_a_goal_of_another_strategy_is_refused_and_nothing_is_linked(
    strategy, municipality, goal, coordinator
):
    initiative = InitiativeFactory(strategy=strategy, goals=[goal])
    elsewhere = GoalFactory(
        focus_area=FocusAreaFactory(strategy=StrategyFactory(municipality=municipality))
    )

    with pytest.raises(ValidationError) as refused:
        services.initiative_update(
            initiative=initiative,
            actor=coordinator,
            data={"goals": [goal, elsewhere]},
            expected_version=1,
        )

    assert refused.value.message_dict == {"goals": ["Målsætningerne skal høre til denne strategi."]}
    assert list(initiative.goals.all()) == [goal]
