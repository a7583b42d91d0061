"""Wishes in the solver: honoured when capacity allows, rank 1 before rank 2, above the
trainee's own department, never above a qualified supervisor."""

import pytest

from apps.placements.need_services import wish_add
from apps.placements.planning import make_plan
from apps.placements.solver import Problem, SupervisorIn, TraineeIn, WorkplaceIn, solve
from tests.factories import WorkplaceFactory
from tests.placements.conftest import END, START, capacity, supervisor, trainee


def workplace(wid, department=1, places=1):
    return WorkplaceIn(wid, department, {"SSA": places}, {"SSA": places})


def test_rank_one_is_preferred_over_rank_two():
    problem = Problem(
        [TraineeIn(1, "SSA", 1, wishes=((10, 2), (20, 1)))],
        [workplace(10), workplace(20)],
        [SupervisorIn(1, 10, True, 1), SupervisorIn(2, 20, True, 1)],
    )
    assert [a.workplace for a in solve(problem).assignments] == [20]


def test_a_wish_beats_the_own_department_but_not_a_qualified_supervisor():
    own, wished = workplace(10, department=1), workplace(20, department=2)
    problem = Problem(
        [TraineeIn(1, "SSA", 1, wishes=((20, 3),))],
        [own, wished],
        [SupervisorIn(1, 10, True, 1), SupervisorIn(2, 20, True, 1)],
    )
    assert [a.workplace for a in solve(problem).assignments] == [20]
    unqualified = Problem(
        problem.trainees,
        problem.workplaces,
        [SupervisorIn(1, 10, True, 1), SupervisorIn(2, 20, False, 1)],
    )
    assert [a.workplace for a in solve(unqualified).assignments] == [10]


def test_wishes_are_honoured_as_far_as_places_go_and_nobody_is_left_out_for_them():
    # Three trainees wish workplace 20 (one place); workplace 10 has two places.
    trainees = [TraineeIn(t, "SSA", 1, wishes=((20, 1),)) for t in (1, 2, 3)]
    problem = Problem(
        trainees,
        [workplace(10, places=2), workplace(20, places=1)],
        [SupervisorIn(1, 10, True, 2), SupervisorIn(2, 20, True, 1)],
    )
    sol = solve(problem)
    assert len(sol.assignments) == 3
    assert sorted(a.workplace for a in sol.assignments) == [10, 10, 20]


def test_only_the_trainee_who_wished_a_workplace_gets_it():
    problem = Problem(
        [TraineeIn(1, "SSA", 1), TraineeIn(2, "SSA", 1, wishes=((20, 1),))],
        [workplace(10), workplace(20)],
        [SupervisorIn(1, 10, True, 1), SupervisorIn(2, 20, True, 1)],
    )
    assert {a.trainee: a.workplace for a in solve(problem).assignments} == {1: 10, 2: 20}


@pytest.mark.django_db
def test_the_plan_reads_wishes_from_the_database(elderly, school, hr, municipality):
    own = WorkplaceFactory(department=elderly)
    wished = WorkplaceFactory(department=school)
    for wp in (own, wished):
        capacity(wp, "SSA", 1)
        supervisor(wp, qualified=True)
    t = trainee(elderly, "SSA")
    assert [a.workplace for a in make_plan(municipality.pk, START, END).solution.assignments] == [
        own.pk
    ]
    wish_add(trainee=t, actor=hr, workplace=wished, rank=1)
    assert [a.workplace for a in make_plan(municipality.pk, START, END).solution.assignments] == [
        wished.pk
    ]
