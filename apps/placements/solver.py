"""The placement solver: needing trainees → workplace and supervisor, with OR-Tools CP-SAT.

Works on plain data (`Problem`), so it runs without the database (the benchmark calls it
directly); `apps.placements.planning` builds the problem from the database.

Model. Needing trainees are grouped into classes of the same programme and department
(they are interchangeable for every hard rule); an integer y[c, w] per class c and
workplace w with a free place for c's programme and a supervisor with room counts the
class's trainees placed there, and an integer n[s] per supervisor the trainees it gets.
Trainees with wishes form classes of their own (programme, department and the same
wishes) with variables only for their wished workplaces; those of them not placed at a
wished workplace join their base class (programme, department), so the base class's
variables cover every other workplace for them and the model stays small.
Trainees at one workplace are interchangeable for its supervisors too (the rules on
supervisors are about counts, not persons). After solving, each workplace's y[c, w] slots
go to trainees of the class who have not been at that workplace first, then by id, and
the workplace's trainees are handed to its supervisors (qualified first) following n[s].
This keeps the model small (classes × workplaces rather than trainees × workplaces).

Hard rules:
- each trainee at most one workplace;
- per workplace and programme: at most the free places (capacity minus the placements
  already on record there in the period);
- per workplace: its trainees = the sum of n[s] of its supervisors, each n[s] at most the
  supervisor's room (their maximum minus their placements already on record in the period);
- a qualified supervisor where one is free: a workplace may give a trainee to a supervisor
  without formal qualification only when every qualified supervisor there is full;
- no overlap with the trainee's other placements holds by construction: a needing trainee
  has no placement overlapping the period (`planning.needing_trainees`).

Objective (maximised, weights in this order of importance): every assigned trainee
(`W_ASSIGNED`), a qualified supervisor (`W_QUALIFIED`), a workplace the trainee wished
(`W_WISH`, rank 1 most; the trainee's own choice, so above the department's preference but
below a qualified supervisor), a workplace in the trainee's own department
(`W_OWN_DEPARTMENT`), a workplace the trainee has not been at (`W_NEW_WORKPLACE`),
minus a penalty for each trainee beyond the first at one supervisor (`W_SPREAD`). "A
workplace the trainee has not been at" is applied when the class's slots are handed out
(above), not weighed inside the model.

Deterministic: one search worker, a fixed seed and a deterministic time limit; the full LP
relaxation (linearization level 2) keeps the wishes' weights fast to prove optimal.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from ortools.sat.python import cp_model

W_ASSIGNED = 1000
W_QUALIFIED = 100
W_WISH = {1: 40, 2: 30, 3: 20}  # by rank; every rank above W_OWN_DEPARTMENT, all below W_QUALIFIED
W_OWN_DEPARTMENT = 10
W_SPREAD = 3
SEED = 15
DETERMINISTIC_TIME_LIMIT = 20.0  # deterministic seconds (CP-SAT work units), not wall time


@dataclass(frozen=True)
class TraineeIn:
    id: int
    programme: str
    department: int | None = None
    visited: frozenset[int] = frozenset()  # workplaces the trainee has been at
    wishes: tuple[tuple[int, int], ...] = ()  # (workplace, rank 1–3), sorted


@dataclass(frozen=True)
class SupervisorIn:
    id: int
    workplace: int
    qualified: bool
    room: int  # trainees the supervisor can still take in the period


@dataclass(frozen=True)
class WorkplaceIn:
    id: int
    department: int | None = None
    places: dict[str, int] = field(default_factory=dict)  # programme → capacity in the period
    free: dict[str, int] = field(default_factory=dict)  # programme → places still free


@dataclass
class Problem:
    trainees: list[TraineeIn]
    workplaces: list[WorkplaceIn]
    supervisors: list[SupervisorIn]


@dataclass(frozen=True)
class Assignment:
    trainee: int
    workplace: int
    supervisor: int
    qualified: bool


@dataclass
class Solution:
    assignments: list[Assignment]
    unassigned: dict[int, str]  # trainee id → Danish reason
    status: str
    wall_time: float


def solve(problem: Problem) -> Solution:
    """The plan for `problem` (see the module docstring for the rules)."""
    trainees = sorted(problem.trainees, key=lambda t: t.id)
    workplaces = {w.id: w for w in sorted(problem.workplaces, key=lambda w: w.id)}
    by_workplace: dict[int, list[SupervisorIn]] = defaultdict(list)
    for s in sorted(problem.supervisors, key=lambda s: s.id):
        if s.room > 0 and s.workplace in workplaces:
            by_workplace[s.workplace].append(s)
    usable = [w for w in workplaces.values() if by_workplace[w.id] and any(w.free.values())]
    classes: dict[tuple[str, int | None], list[TraineeIn]] = defaultdict(list)
    wished: dict[tuple, list[TraineeIn]] = defaultdict(list)
    for t in trainees:
        base = (t.programme, t.department)
        if t.wishes:
            wished[(*base, t.wishes)].append(t)
            classes.setdefault(base, [])  # their fall-back pool
        else:
            classes[base].append(t)

    model = cp_model.CpModel()
    y: dict[tuple[tuple, int], cp_model.IntVar] = {}
    wish_y: dict[tuple[tuple, int], cp_model.IntVar] = {}
    per_class: dict[tuple, list] = defaultdict(list)
    per_wp_prog: dict[tuple[int, str], list] = defaultdict(list)
    per_wp: dict[int, list] = defaultdict(list)
    objective = []
    usable_ids = {w.id: w for w in usable}

    def add_var(store, key, w, size, bonus, name):
        programme, department = key[0], key[1]
        free = w.free.get(programme, 0)
        if free <= 0:
            return None
        var = model.new_int_var(0, min(size, free), name)
        store[key, w.id] = var
        per_wp_prog[w.id, programme].append(var)
        per_wp[w.id].append(var)
        weight = W_ASSIGNED + bonus
        if department is not None and department == w.department:
            weight += W_OWN_DEPARTMENT
        objective.append(weight * var)
        return var

    base_sizes = {key: len(members) for key, members in classes.items()}
    for i, key in enumerate(sorted(wished, key=_class_order)):
        size = len(wished[key])
        base_sizes[key[:2]] += size
        own = []
        for wid, rank in key[2]:
            if wid in usable_ids:
                var = add_var(
                    wish_y, key, usable_ids[wid], size, W_WISH.get(rank, 0), f"x{i}_{wid}"
                )
                if var is not None:
                    own.append(var)
                    per_class[key[:2]].append(var)  # counts against the base class's pool too
        if own:
            model.add(sum(own) <= size)
    for i, key in enumerate(sorted(classes, key=_class_order)):
        for w in usable:
            var = add_var(y, key, w, base_sizes[key], 0, f"y{i}_{w.id}")
            if var is not None:
                per_class[key].append(var)
    for key, variables in per_class.items():
        model.add(sum(variables) <= base_sizes[key])
    for (wid, programme), variables in per_wp_prog.items():
        model.add(sum(variables) <= workplaces[wid].free[programme])
    loads: dict[int, cp_model.IntVar] = {}
    for wid, variables in per_wp.items():
        sups = by_workplace[wid]
        for s in sups:
            loads[s.id] = model.new_int_var(0, s.room, f"n{s.id}")
            extra = model.new_int_var(0, s.room, f"e{s.id}")
            model.add(extra >= loads[s.id] - 1)
            objective.append(-W_SPREAD * extra)
            if s.qualified:
                objective.append(W_QUALIFIED * loads[s.id])
        model.add(sum(loads[s.id] for s in sups) == sum(variables))
        qualified = [s for s in sups if s.qualified]
        unqualified = [s for s in sups if not s.qualified]
        if qualified and unqualified:
            uses_unqualified = model.new_bool_var(f"u{wid}")
            model.add(sum(loads[s.id] for s in unqualified) == 0).only_enforce_if(
                uses_unqualified.Not()
            )
            model.add(
                sum(loads[s.id] for s in qualified) == sum(s.room for s in qualified)
            ).only_enforce_if(uses_unqualified)
    model.maximize(sum(objective))

    solver = cp_model.CpSolver()
    solver.parameters.num_search_workers = 1
    solver.parameters.random_seed = SEED
    # The full LP relaxation: with wish classes' extra weights the default level left the
    # benchmark FEASIBLE at the limit (~300 s); level 2 proves it OPTIMAL in ~2 s.
    solver.parameters.linearization_level = 2
    solver.parameters.max_deterministic_time = DETERMINISTIC_TIME_LIMIT
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        raise RuntimeError(f"Placement model has no solution: {solver.status_name(status)}")

    chosen: dict[int, list[int]] = defaultdict(list)
    for (key, wid), var in sorted(
        wish_y.items(), key=lambda kv: (_class_order(kv[0][0]), kv[0][1])
    ):
        if count := solver.value(var):
            chosen[wid] += [t.id for t in _take(wished[key], wid, count)]
    for key, members in wished.items():  # not placed at a wished workplace: the base pool
        classes[key[:2]].extend(members)
    for (key, wid), var in sorted(y.items(), key=lambda kv: (_class_order(kv[0][0]), kv[0][1])):
        if count := solver.value(var):
            chosen[wid] += [t.id for t in _take(classes[key], wid, count)]
    assignments = []
    for wid in sorted(per_wp):
        slots = [
            s
            for s in sorted(by_workplace[wid], key=lambda s: (not s.qualified, s.id))
            for _n in range(solver.value(loads[s.id]))
        ]
        for tid, s in zip(sorted(chosen[wid]), slots, strict=True):
            assignments.append(Assignment(tid, wid, s.id, s.qualified))
    assignments.sort(key=lambda a: a.trainee)
    placed = {a.trainee for a in assignments}
    # Reasons describe what is left after the plan: places and supervisors' room still free.
    programmes = {t.id: t.programme for t in trainees}
    used = Counter((a.workplace, programmes[a.trainee]) for a in assignments)
    busy = Counter(a.supervisor for a in assignments)
    left = [
        WorkplaceIn(w.id, w.department, w.places, {c: n - used[w.id, c] for c, n in w.free.items()})
        for w in workplaces.values()
    ]
    room_left = {
        wid: [s for s in sups if s.room > busy[s.id]] for wid, sups in by_workplace.items()
    }
    unassigned = {
        t.id: unassigned_reason(t, left, room_left) for t in trainees if t.id not in placed
    }
    return Solution(assignments, unassigned, solver.status_name(status), solver.wall_time)


def _class_order(key: tuple) -> tuple:
    """A class key's sort order (departments may be None)."""
    return (key[0], key[1] if key[1] is not None else -1, *key[2:])


def _take(members: list[TraineeIn], workplace: int, count: int) -> list[TraineeIn]:
    """Remove and return `count` trainees of a class for a workplace, those who have not
    been there first (then by id); the class list is consumed in place."""
    order = sorted(members, key=lambda t: (workplace in t.visited, t.id))[:count]
    for t in order:
        members.remove(t)
    return order


def unassigned_reason(t: TraineeIn, workplaces, by_workplace) -> str:
    """Why a trainee got no placement, in Danish, most basic cause first."""
    code = t.programme
    if not any(w.places.get(code, 0) > 0 for w in workplaces):
        return _("Ingen arbejdsplads tager %(programme)s i perioden") % {"programme": code}
    with_place = [w for w in workplaces if w.free.get(code, 0) > 0]
    if not with_place:
        return _("Ingen ledig plads til %(programme)s i perioden") % {"programme": code}
    if not any(by_workplace.get(w.id) for w in with_place):
        return _("Ingen vejleder med plads på arbejdspladserne med plads til %(programme)s") % {
            "programme": code
        }
    return _("Planen kunne ikke placere eleven uden at bryde en af reglerne")
