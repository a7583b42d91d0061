"""A supervisor's own maximum overrides the municipality's default, in the plan and in the
conflicts, without a query per supervisor."""

import pytest

from apps.placements.models import PlanningSettings
from apps.placements.planning import build_problem
from apps.placements.selectors import ConflictKind, period_conflicts
from tests.factories import WorkplaceFactory
from tests.placements.conftest import END, START, capacity, placement, supervisor, trainee

pytestmark = pytest.mark.django_db


def _room(problem):
    return {s.id: s.room for s in problem.supervisors}


def test_build_problem_gives_each_supervisor_own_maximum_else_the_default(elderly, municipality):
    PlanningSettings.objects.create(municipality=municipality, supervisor_max_trainees=2)
    wp = WorkplaceFactory(department=elderly)
    capacity(wp, "SSA", 9)
    default = supervisor(wp, qualified=True)
    three = supervisor(wp, qualified=True)
    three.max_trainees = 3
    three.save()
    one = supervisor(wp, qualified=True)
    one.max_trainees = 1
    one.save()
    placement(trainee(elderly, "SSA", hr_id="busy"), wp, one)
    problem, *_rest = build_problem(municipality.pk, START, END)
    room = _room(problem)
    assert room == {default.pk: 2, three.pk: 3, one.pk: 0}


def test_supervisor_over_max_uses_the_supervisors_own_maximum(
    elderly, municipality, django_assert_num_queries
):
    wp = WorkplaceFactory(department=elderly)
    capacity(wp, "SSA", 9)
    strict = supervisor(wp, qualified=True)
    strict.max_trainees = 1
    strict.save()
    generous = supervisor(wp, qualified=True)
    generous.max_trainees = 4
    generous.save()
    default = supervisor(wp, qualified=True)
    for i in range(2):
        placement(trainee(elderly, "SSA", hr_id=f"a{i}"), wp, strict)
    for i in range(3):
        placement(trainee(elderly, "SSA", hr_id=f"b{i}"), wp, generous)
    for i in range(3):
        placement(trainee(elderly, "SSA", hr_id=f"c{i}"), wp, default)
    with django_assert_num_queries(5):
        found = period_conflicts(municipality.pk, START, END)
    over = {c.supervisor for c in found if c.kind == ConflictKind.SUPERVISOR_OVER_MAX}
    assert over == {strict.pk, default.pk}
