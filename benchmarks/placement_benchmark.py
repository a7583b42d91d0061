"""Placement benchmark: the solver on 1,000 needing trainees and 300 workplaces, in memory.

Target (issue 15): a plan within 10 s on the development machine. The data is generated
with a fixed random seed (no database): 3 programmes (SSH, SSA, PAU), 20 departments,
300 workplaces that each take one or two programmes with 1–4 places, 1–4 supervisors per
workplace (about two in three formally qualified, room 0–2 each), and 1,000 trainees who
have each been at 0–3 workplaces already; 30 % of them have 1–3 ranked wishes among the
workplaces that take their programme. The solver is the one the portal and
`manage.py plan_placements` use (`apps.placements.solver.solve`).

    .venv/bin/python benchmarks/placement_benchmark.py [--trainees 1000] [--workplaces 300]
"""

import argparse
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "strategy_portal.settings")
os.environ.setdefault("DEBUG", "true")

PROGRAMMES = ["SSH", "SSA", "PAU"]
# Share of trainees with 1–3 ranked wishes among the workplaces taking their programme.
WISH_SHARE = float(os.environ.get("WISH_SHARE", "0.3"))


def generate(trainee_count: int, workplace_count: int, seed: int = 2027):
    from apps.placements.solver import Problem, SupervisorIn, TraineeIn, WorkplaceIn

    rng = random.Random(seed)
    workplaces, supervisors = [], []
    for wid in range(1, workplace_count + 1):
        taken = rng.sample(PROGRAMMES, rng.choice([1, 1, 2]))
        places = {code: rng.randint(1, 4) for code in taken}
        free = {code: max(0, n - rng.choice([0, 0, 0, 1])) for code, n in places.items()}
        workplaces.append(WorkplaceIn(wid, rng.randint(1, 20), places, free))
        for _n in range(rng.randint(1, 4)):
            supervisors.append(
                SupervisorIn(len(supervisors) + 1, wid, rng.random() < 0.65, rng.randint(0, 2))
            )
    taking = {code: [w.id for w in workplaces if code in w.places] for code in PROGRAMMES}
    trainees = []
    for tid in range(1, trainee_count + 1):
        code = rng.choice(PROGRAMMES)
        visited = frozenset(rng.sample(range(1, workplace_count + 1), rng.randint(0, 3)))
        wishes = ()
        if rng.random() < WISH_SHARE:
            chosen = rng.sample(taking[code], min(len(taking[code]), rng.randint(1, 3)))
            wishes = tuple(sorted((wid, rank) for rank, wid in enumerate(chosen, start=1)))
        trainees.append(TraineeIn(tid, code, rng.randint(1, 20), visited, wishes))
    return Problem(trainees, workplaces, supervisors)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trainees", type=int, default=1000)
    parser.add_argument("--workplaces", type=int, default=300)
    args = parser.parse_args()
    import django

    django.setup()
    from apps.placements.solver import solve

    problem = generate(args.trainees, args.workplaces)
    started = time.perf_counter()
    solution = solve(problem)
    elapsed = time.perf_counter() - started
    places = sum(sum(w.free.values()) for w in problem.workplaces)
    qualified = sum(1 for a in solution.assignments if a.qualified)
    wishes = {t.id: {wid for wid, _rank in t.wishes} for t in problem.trainees}
    granted = sum(1 for a in solution.assignments if a.workplace in wishes[a.trainee])
    print(
        f"{len(problem.trainees)} trainees, {len(problem.workplaces)} workplaces, "
        f"{len(problem.supervisors)} supervisors, {places} free places"
    )
    print(
        f"assigned {len(solution.assignments)} ({qualified} with a qualified supervisor, "
        f"{granted} of {sum(1 for w in wishes.values() if w)} with wishes at a wished workplace), "
        f"unassigned {len(solution.unassigned)}, status {solution.status}"
    )
    print(f"solve time {elapsed:.2f} s (solver wall time {solution.wall_time:.2f} s)")


if __name__ == "__main__":
    main()
