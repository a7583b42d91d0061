"""The solver on generated data where capacity is scarce: every hard rule holds."""

import random
from collections import Counter

from apps.placements.solver import Problem, SupervisorIn, TraineeIn, WorkplaceIn, solve

PROGRAMMES = ["SSH", "SSA", "PAU", "PÆD"]


def scarce_problem(seed: int) -> Problem:
    rng = random.Random(seed)
    workplaces, supervisors = [], []
    for wid in range(1, 31):
        taken = rng.sample(PROGRAMMES[:3], rng.randint(1, 2))
        places = {c: rng.randint(1, 3) for c in taken}
        free = {c: rng.randint(0, n) for c, n in places.items()}
        workplaces.append(WorkplaceIn(wid, rng.randint(1, 4), places, free))
        for _n in range(rng.randint(0, 3)):
            supervisors.append(
                SupervisorIn(len(supervisors) + 1, wid, rng.random() < 0.5, rng.randint(0, 2))
            )
    trainees = [
        TraineeIn(t, rng.choice(PROGRAMMES), rng.randint(1, 4), frozenset({rng.randint(1, 30)}))
        for t in range(1, 121)
    ]
    return Problem(trainees, workplaces, supervisors)


def test_every_hard_rule_holds_and_every_unassigned_trainee_has_a_danish_reason():
    for seed in range(5):
        problem = scarce_problem(seed)
        sol = solve(problem)
        wps = {w.id: w for w in problem.workplaces}
        sups = {s.id: s for s in problem.supervisors}
        trainees = {t.id: t for t in problem.trainees}
        placed = [a.trainee for a in sol.assignments]
        assert len(placed) == len(set(placed))
        assert set(placed) | set(sol.unassigned) == set(trainees)
        assert not set(placed) & set(sol.unassigned)
        assert sol.unassigned, "capacity is scarce: someone is left over"
        per_place = Counter((a.workplace, trainees[a.trainee].programme) for a in sol.assignments)
        for (wid, code), n in per_place.items():
            assert n <= wps[wid].free.get(code, 0)
        per_sup = Counter(a.supervisor for a in sol.assignments)
        for sid, n in per_sup.items():
            assert n <= sups[sid].room
        for a in sol.assignments:
            assert sups[a.supervisor].workplace == a.workplace
            assert a.qualified == sups[a.supervisor].qualified
            if not a.qualified:  # only when every qualified supervisor there is full
                for s in problem.supervisors:
                    if s.workplace == a.workplace and s.qualified:
                        assert per_sup[s.id] == s.room
        for reason in sol.unassigned.values():
            assert reason.startswith(("Ingen ", "Planen ")), reason
        reasons = {trainees[t].programme: r for t, r in sol.unassigned.items()}
        assert reasons["PÆD"] == "Ingen arbejdsplads tager PÆD i perioden"


def test_the_plan_is_the_same_every_time():
    problem = scarce_problem(7)
    assert solve(problem).assignments == solve(problem).assignments
